//! NewsML-G2 in: a `newsItem` of class text (its body inline as NITF or XHTML, or plain
//! text), or a `newsMessage` holding one text item and the picture items that go with it.
//! A picture or video item, a package, a message without text are refused with the reason.
//! Elements and namespaces Copydesk does not know are skipped.
//!
//! The export side is [`crate::export::newsml`].

use std::path::Path;

use jiff::Timestamp;

use super::{Source, markdown_body, parse_dateline, split_byline};
use crate::article::{Byline, Content, Dateline, Photo};
use crate::import::{ImportProblem, ImportedArticle, ReadPhoto, describe_image};
use crate::newsroom::Newsroom;
use crate::store::Image;
use crate::xml::{self, Element};

/// The NewsML-G2 namespace (every version since 2006 uses it).
pub const NS: &str = "http://iptc.org/std/nar/2006-10-01/";

/// Reads a NewsML-G2 document into an article; `read_photo` gives the bytes of the pictures
/// its picture items name (relative to the item's file).
pub fn read(text: &str, source: &Path, newsroom: &Newsroom, read_photo: &mut ReadPhoto) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let problem = |message: String| vec![ImportProblem { file: source.to_path_buf(), line: None, message }];
    let root = xml::parse(text).map_err(|error| problem(error.0))?;
    if root.namespace != NS {
        return Err(problem(format!(
            "is XML but not NewsML-G2 (its root is <{}>{}): Copydesk imports NewsML-G2 news items, ninjs (.json) and Markdown article files",
            root.name,
            if root.namespace.is_empty() { String::new() } else { format!(" in {}", root.namespace) }
        )));
    }
    let (text_item, pictures) = match root.name.as_str() {
        "newsItem" => match class(&root).as_str() {
            "text" => (&root, Vec::new()),
            other => return Err(problem(not_text(other))),
        },
        "newsMessage" => {
            let items: Vec<&Element> = root.all(NS, "itemSet").flat_map(|set| set.elements()).collect();
            let texts: Vec<&Element> = items.iter().copied().filter(|item| item.name == "newsItem" && class(item) == "text").collect();
            let pictures: Vec<&Element> =
                items.iter().copied().filter(|item| item.name == "newsItem" && class(item) == "picture").collect();
            match texts.as_slice() {
                [text] => (*text, pictures),
                [] => {
                    return Err(problem(format!(
                        "holds no text item ({} item{} of other kinds): Copydesk imports text; add pictures to an article as photos",
                        items.len(),
                        if items.len() == 1 { "" } else { "s" }
                    )));
                }
                more => {
                    return Err(problem(format!(
                        "holds {} text items: Copydesk makes one article of one text item; split the message into one file per story",
                        more.len()
                    )));
                }
            }
        }
        "packageItem" => {
            return Err(problem(
                "is a package (packageItem) with no text of its own: import the text item it refers to, as a news item file".into(),
            ));
        }
        other => return Err(problem(format!("is a NewsML-G2 {other}, not a news item: Copydesk imports text news items"))),
    };
    article(text_item, &pictures, source, newsroom, read_photo)
}

/// `text`, `picture`, `video`, ... from `itemMeta/itemClass`'s QCode or URI.
fn class(item: &Element) -> String {
    let Some(item_class) = item.first(NS, "itemMeta").and_then(|meta| meta.first(NS, "itemClass")) else { return String::new() };
    let code = item_class.attribute("qcode").or_else(|| item_class.attribute("uri")).unwrap_or_default();
    code.rsplit([':', '/']).next().unwrap_or_default().trim().to_lowercase()
}

fn not_text(class: &str) -> String {
    match class {
        "" => "is a news item without an item class (itemMeta/itemClass): Copydesk imports text items (ninat:text)".into(),
        "picture" | "graphic" => {
            format!("is a {class} item, not text: add the picture to an article as a photo (its caption and credit are read from the file)")
        }
        other => format!("is a {other} item, not text: Copydesk imports text news items (ninat:text)"),
    }
}

fn article(
    item: &Element,
    pictures: &[&Element],
    source: &Path,
    newsroom: &Newsroom,
    read_photo: &mut ReadPhoto,
) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut report = |message: String| problems.push(ImportProblem { file: source.to_path_buf(), line: None, message });
    let empty = Element::default();
    let item_meta = item.first(NS, "itemMeta").unwrap_or(&empty);
    let content_meta = item.first(NS, "contentMeta").unwrap_or(&empty);
    let body_root = body_root(item);
    let nitf_head = body_root.as_ref().and_then(|root| find(root, "body.head"));

    let guid = item.attribute("guid").unwrap_or_default().trim().to_string();
    if guid.is_empty() {
        report("has no guid on its newsItem: an agency item always has one; ask the sender for the whole item".into());
    }
    let version = match item.attribute("version").map(str::trim) {
        None | Some("") => 1,
        Some(text) => text.parse::<u32>().unwrap_or_else(|_| {
            report(format!("has the version {text:?}, which is not a whole number"));
            1
        }),
    };

    // Headlines: the one without a role (or the main one) first, the rest are subheadlines.
    let mut headlines: Vec<(String, String)> = content_meta
        .all(NS, "headline")
        .map(|headline| (headline.attribute("role").unwrap_or_default().to_lowercase(), headline.text()))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    headlines.sort_by_key(|(role, _)| role.contains("sub"));
    let mut headline_texts = headlines.into_iter().map(|(_, text)| text);
    let mut headline = headline_texts.next().unwrap_or_default();
    let mut subheadlines: Vec<String> = headline_texts.collect();
    if let Some(head) = nitf_head {
        if headline.is_empty() {
            headline = find(head, "hl1").map(Element::text).unwrap_or_default();
        }
        if subheadlines.is_empty() {
            subheadlines = find(head, "hedline")
                .into_iter()
                .flat_map(|hedline| hedline.elements())
                .filter(|e| e.name == "hl2")
                .map(Element::text)
                .collect();
        }
    }
    subheadlines.retain(|line| !line.is_empty());
    subheadlines.truncate(Content::MAX_SUBHEADLINES);
    if headline.is_empty() {
        report("has no headline (contentMeta/headline): the desk needs one to work with the story".into());
    }

    let mut bylines: Vec<Byline> = content_meta
        .all(NS, "creator")
        .filter(|creator| !creator.attribute("role").unwrap_or_default().contains("photographer"))
        .filter_map(|creator| {
            let name = creator.first(NS, "name").map(Element::text).or_else(|| creator.attribute("literal").map(String::from))?;
            let email = creator
                .first(NS, "personDetails")
                .and_then(|details| details.first(NS, "contactInfo"))
                .and_then(|contact| contact.first(NS, "email"))
                .map(Element::text)
                .unwrap_or_default();
            let title = creator.attribute("jobtitle").and_then(|code| code.split_once(':')).map(|(_, title)| title.replace('_', " "));
            let mut byline = split_byline(&name, &email);
            if let Some(title) = title.filter(|title| !title.is_empty()) {
                byline = Byline { name: name.trim().to_string(), title, email: email.trim().to_string() };
            }
            Some(byline)
        })
        .filter(|byline| !byline.name.is_empty())
        .collect();
    if bylines.is_empty() {
        let by = content_meta.first(NS, "by").map(Element::text).filter(|text| !text.is_empty());
        let nitf_byline = nitf_head.and_then(|head| find(head, "byline")).map(|byline| {
            let title = find(byline, "byttl").map(Element::text).unwrap_or_default();
            let name = byline.text().replace(&title, "");
            let mut parsed = split_byline(&name, "");
            if !title.is_empty() {
                parsed.title = title;
            }
            parsed
        });
        bylines.extend(by.map(|text| split_byline(&text, "")).or(nitf_byline).filter(|byline| !byline.name.is_empty()));
    }

    let located = content_meta.first(NS, "located").and_then(|located| located.first(NS, "name")).map(Element::text);
    let dateline_text = content_meta.first(NS, "dateline").map(Element::text).filter(|text| !text.is_empty());
    let provider = item_meta
        .first(NS, "provider")
        .map(|provider| {
            provider
                .first(NS, "name")
                .map(Element::text)
                .filter(|name| !name.is_empty())
                .or_else(|| provider.attribute("literal").map(String::from))
                .or_else(|| provider.attribute("qcode").map(String::from))
                .or_else(|| provider.attribute("uri").map(String::from))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let mut dateline = match (&dateline_text, &located) {
        (Some(text), _) => parse_dateline(text),
        (None, Some(place)) => Dateline { place: place.clone(), outlet: String::new() },
        (None, None) => Dateline::default(),
    };
    if dateline.place.is_empty()
        && let Some(place) = &located
    {
        dateline.place = place.clone();
    }
    if dateline.outlet.is_empty() && !dateline.place.is_empty() {
        dateline.outlet = if provider.is_empty() || provider.contains(':') { newsroom.outlet.clone() } else { provider.clone() };
    }

    let mut tags: Vec<String> = Vec::new();
    for subject in content_meta.all(NS, "subject").chain(content_meta.all(NS, "keyword")) {
        let name =
            if subject.name == "keyword" { subject.text() } else { subject.first(NS, "name").map(Element::text).unwrap_or_default() };
        if !name.is_empty() && !tags.contains(&name) {
            tags.push(name);
        }
    }

    let instant = |element: Option<&Element>, what: &str, report: &mut dyn FnMut(String)| -> Option<Timestamp> {
        let text = element?.text();
        if text.is_empty() {
            return None;
        }
        crate::import::parse_instant(&text, newsroom).or_else(|| {
            report(format!("has the {what} {text:?}, which is not a date and time (2025-02-20T15:09:00+09:00)"));
            None
        })
    };
    let embargo = instant(item_meta.first(NS, "embargoed"), "embargo (embargoed)", &mut report);
    let pub_status = item_meta
        .first(NS, "pubStatus")
        .and_then(|status| status.attribute("qcode"))
        .map(|code| code.rsplit(':').next().unwrap_or_default().to_string())
        .unwrap_or_else(|| "usable".into());
    let urgency = content_meta.first(NS, "urgency").and_then(|urgency| urgency.text().parse::<u8>().ok()).filter(|u| (1..=9).contains(u));

    let body = match &body_root {
        Some(root) => markdown_body(root),
        None => plain_body(item),
    };

    let (photos, images) = super::gather_photos(pictures, |picture| picture_photo(picture, read_photo), &mut report);
    let content = Content {
        headline,
        subheadlines,
        dateline,
        bylines,
        body,
        photos,
        tags,
        embargo,
        source: Some(Source { id: guid, version, provider, urgency, pub_status }),
        ..Content::default()
    };
    super::finish(source, content, images, problems)
}

/// The first element called `name` in `element` or below it.
fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    element.elements().find_map(|child| if child.name == name { Some(child) } else { find(child, name) })
}

/// The element an inline XML body's text starts from: NITF's `body.content`, XHTML's `body`,
/// or the inline XML itself.
fn body_root(item: &Element) -> Option<Element> {
    let set = item.first(NS, "contentSet")?;
    let inline = set.all(NS, "inlineXML").next()?;
    let root = find(inline, "body.content").or_else(|| find(inline, "body")).unwrap_or(inline);
    Some(root.clone())
}

/// `inlineData` of plain text: a paragraph per blank-line-separated block.
fn plain_body(item: &Element) -> String {
    let Some(data) = item.first(NS, "contentSet").and_then(|set| set.all(NS, "inlineData").next()) else { return String::new() };
    let mut text = String::new();
    for node in &data.children {
        if let xml::Node::Text(part) = node {
            text.push_str(part);
        }
    }
    super::plain_paragraphs(&text)
}

/// The photo a picture item brings: its rendition file beside the item, its caption, credit
/// and photographer (the item's, else the picture's own embedded metadata).
fn picture_photo(picture: &Element, read_photo: &mut ReadPhoto) -> Result<Option<(Photo, Image)>, String> {
    let empty = Element::default();
    let meta = picture.first(NS, "contentMeta").unwrap_or(&empty);
    let Some(remote) =
        picture.first(NS, "contentSet").and_then(|set| set.all(NS, "remoteContent").find(|remote| remote.attribute("href").is_some()))
    else {
        return Ok(None);
    };
    let href = remote.attribute("href").unwrap_or_default().trim().to_string();
    let Some((href, bytes)) = super::read_linked(&href, read_photo)? else { return Ok(None) };
    let image = describe_image(bytes).map_err(|why| format!("the picture {href:?} {why}"))?;
    let embedded = crate::photo_metadata::read(&image.bytes);
    let or = |value: Option<String>, embedded: String| value.filter(|text| !text.is_empty()).unwrap_or(embedded);
    let description = |role: &str| {
        meta.all(NS, "description").find(|description| description.attribute("role").unwrap_or_default().contains(role)).map(Element::text)
    };
    let photo = Photo {
        file: href,
        image: image.image.clone(),
        media_type: image.media_type.clone(),
        width: image.width,
        height: image.height,
        caption: or(description("caption").or_else(|| meta.first(NS, "description").map(Element::text)), embedded.caption),
        credit: or(meta.first(NS, "creditline").map(Element::text), embedded.credit),
        date: meta
            .first(NS, "contentCreated")
            .and_then(|created| created.text().get(..10).and_then(|day| day.parse().ok()))
            .or(embedded.date),
        email: embedded.email,
        alt: or(description("alternative"), embedded.alt),
        creator: or(meta.first(NS, "creator").and_then(|creator| creator.first(NS, "name")).map(Element::text), embedded.creator),
    };
    Ok(Some((photo, image)))
}
