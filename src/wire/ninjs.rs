//! ninjs in: IPTC's News in JSON, versions 1.x (`headline`, `body_html`, `pubstatus`,
//! associations as an object), 2.x (`headlines`, `bodies`, lowercase names) and 3.x
//! (camelCase: `pubStatus`, `embargoedUntil`, associations as an array). Copydesk's own ninjs
//! export carries the Markdown body beside the HTML one and each photo's file name, so an
//! export imports back with every field.

use std::path::Path;

use serde_json::Value;

use super::{Source, markdown_body, parse_dateline, split_byline};
use crate::article::{Byline, Content, Dateline, Photo, Section};
use crate::import::{ImportProblem, ImportedArticle, ReadPhoto, describe_image};
use crate::newsroom::Newsroom;
use crate::store::Image;

/// Reads a ninjs document into an article; `read_photo` gives the bytes of the pictures its
/// associations name (relative to the document's file).
pub fn read(text: &str, source: &Path, newsroom: &Newsroom, read_photo: &mut ReadPhoto) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let problem = |message: String| vec![ImportProblem { file: source.to_path_buf(), line: None, message }];
    // serde_json refuses nesting deeper than 128 levels by itself.
    let document: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
        problem(format!("is not JSON (line {}, column {}: {error}): check that the whole document arrived", error.line(), error.column()))
    })?;
    let Some(object) = document.as_object() else {
        return Err(problem(
            "is JSON but not a ninjs document (it is not an object): Copydesk imports ninjs, NewsML-G2 and Markdown".into(),
        ));
    };
    let field = |names: &[&str]| names.iter().find_map(|name| object.get(*name)).filter(|value| !value.is_null());
    let text_of = |names: &[&str]| field(names).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
    let kind = text_of(&["type"]);
    if !kind.is_empty() && kind != "text" && kind != "composite" {
        return Err(problem(format!(
            "is a ninjs {kind} item, not text: Copydesk imports text items; add pictures to an article as photos"
        )));
    }
    if field(&["uri"]).is_none() && field(&["headlines", "headline", "bodies", "body_html", "body_text"]).is_none() {
        return Err(problem(
            "is JSON but not a ninjs document (it has no uri, headline or body): Copydesk imports ninjs, NewsML-G2 and Markdown".into(),
        ));
    }
    let mut problems = Vec::new();
    let mut report = |message: String| problems.push(ImportProblem { file: source.to_path_buf(), line: None, message });

    // Headlines: 2.x/3.x `headlines` with roles, 1.x a `headline` string.
    let mut headline = text_of(&["headline"]);
    let mut subheadlines = Vec::new();
    for entry in field(&["headlines"]).and_then(Value::as_array).into_iter().flatten() {
        let value = entry.get("value").and_then(Value::as_str).unwrap_or_default().trim().to_string();
        let role = entry.get("role").and_then(Value::as_str).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        if headline.is_empty() && !role.contains("sub") {
            headline = value;
        } else {
            subheadlines.push(value);
        }
    }
    subheadlines.truncate(Content::MAX_SUBHEADLINES);
    if headline.is_empty() {
        report("has no headline (headlines with role main, or headline): the desk needs one to work with the story".into());
    }

    // Bylines: `people` who are authors, titled from `by` (`김기랑 기자, 이영종 통일전문기자`).
    let by = text_of(&["by", "byline"]);
    let by_parts: Vec<Byline> = by.split(',').map(|part| split_byline(part, "")).filter(|byline| !byline.name.is_empty()).collect();
    let mut bylines: Vec<Byline> = field(&["people", "person"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|person| person.get("rel").and_then(Value::as_str).is_none_or(|rel| rel.contains("author") || rel.contains("creator")))
        .filter_map(|person| {
            let name = person.get("name").and_then(Value::as_str)?.trim().to_string();
            let email = contact_email(person);
            let title = by_parts.iter().find(|part| part.name == name).map(|part| part.title.clone()).unwrap_or_default();
            Some(Byline { name, title, email })
        })
        .filter(|byline| !byline.name.is_empty())
        .collect();
    if bylines.is_empty() {
        bylines = by_parts;
    }

    // Subjects: Copydesk's own section levels (rel `section`), everything else a tag.
    let mut section = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for subject in field(&["subjects", "subject"]).and_then(Value::as_array).into_iter().flatten() {
        let name = subject.get("name").and_then(Value::as_str).unwrap_or_default().trim().to_string();
        if name.is_empty() {
            continue;
        }
        if subject.get("rel").and_then(Value::as_str) == Some("section") {
            section.push(name);
        } else if !tags.contains(&name) {
            tags.push(name);
        }
    }

    let outlet = match field(&["copyrightHolder", "copyrightholder"]) {
        Some(Value::String(holder)) => holder.trim().to_string(),
        Some(holder) => holder.get("name").and_then(Value::as_str).unwrap_or_default().trim().to_string(),
        None => String::new(),
    };
    let located = text_of(&["located"]);
    let dateline = if located.contains('=') {
        parse_dateline(&located)
    } else if located.is_empty() {
        Dateline::default()
    } else {
        Dateline { place: located, outlet: if outlet.is_empty() { newsroom.outlet.clone() } else { outlet.clone() } }
    };

    let embargo = match text_of(&["embargoedUntil", "embargoed"]) {
        text if text.is_empty() => None,
        text => crate::import::parse_instant(&text, newsroom).or_else(|| {
            report(format!("has the embargo {text:?}, which is not a date and time (2025-02-20T15:09:00+09:00)"));
            None
        }),
    };

    let body = body(object);
    let version = match field(&["version"]) {
        Some(Value::Number(number)) => number.as_u64().and_then(|number| u32::try_from(number).ok()).unwrap_or(1),
        Some(Value::String(text)) => text.trim().parse().unwrap_or(1),
        _ => 1,
    };
    let source_info = Source {
        id: text_of(&["uri", "guid"]),
        version,
        provider: outlet,
        urgency: field(&["urgency"]).and_then(Value::as_u64).and_then(|urgency| u8::try_from(urgency).ok()).filter(|u| (1..=9).contains(u)),
        pub_status: match text_of(&["pubStatus", "pubstatus"]) {
            status if status.is_empty() => "usable".into(),
            status => status,
        },
    };
    if source_info.id.is_empty() {
        report("has no uri: every ninjs document has one; ask the sender for the whole document".into());
    }

    let associations: Vec<&Value> = match field(&["associations"]) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(items)) => items.values().collect(),
        _ => Vec::new(),
    };
    let (photos, images) = super::gather_photos(associations, |association| association_photo(association, read_photo), &mut report);
    let content = Content {
        section: Section(section),
        headline,
        subheadlines,
        dateline,
        bylines,
        body,
        photos,
        tags,
        embargo,
        source: Some(source_info),
        ..Content::default()
    };
    super::finish(source, content, images, problems)
}

fn contact_email(person: &Value) -> String {
    person
        .get("contactInfo")
        .or_else(|| person.get("contactinfo"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|contact| contact.get("type").and_then(Value::as_str) == Some("email"))
        .and_then(|contact| contact.get("value").and_then(Value::as_str))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The body as Markdown: a Markdown body when the document has one (Copydesk's own export),
/// else its HTML (3.x/2.x `bodies`, 1.x `body_html`) converted, else its plain text.
fn body(object: &serde_json::Map<String, Value>) -> String {
    let bodies: Vec<(&str, &str)> = object
        .get("bodies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|body| {
            let kind = body.get("contentType").or_else(|| body.get("contenttype")).and_then(Value::as_str).unwrap_or("text/plain");
            Some((kind, body.get("value").and_then(Value::as_str)?))
        })
        .collect();
    if let Some((_, markdown)) = bodies.iter().find(|(kind, _)| kind.starts_with("text/markdown")) {
        return markdown.to_string();
    }
    let html = bodies
        .iter()
        .find(|(kind, _)| kind.contains("html"))
        .map(|(_, value)| *value)
        .or_else(|| object.get("body_html").and_then(Value::as_str));
    if let Some(html) = html {
        return html_to_markdown(html);
    }
    let plain = bodies.first().map(|(_, value)| *value).or_else(|| object.get("body_text").and_then(Value::as_str)).unwrap_or_default();
    super::plain_paragraphs(plain)
}

/// HTML as Markdown: read as XML when it is well-formed (most agency and Copydesk HTML is),
/// otherwise its text, a paragraph per `<p>`, with every tag dropped.
fn html_to_markdown(html: &str) -> String {
    let mut xhtml = html.replace("&nbsp;", "\u{a0}");
    for void in ["br", "hr"] {
        xhtml = xhtml.replace(&format!("<{void}>"), &format!("<{void}/>"));
    }
    let wrapped = format!("<body>{xhtml}</body>");
    if let Ok(root) = crate::xml::parse(&wrapped) {
        return markdown_body(&root);
    }
    let marked = html.replace("</p>", "\n\n").replace("<br>", "\n\n").replace("<br/>", "\n\n").replace("<br />", "\n\n");
    let text = ammonia::Builder::empty().clean(&marked).to_string();
    text.split("\n\n")
        .map(|paragraph| {
            let decoded = paragraph
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&nbsp;", "\u{a0}")
                .replace("&amp;", "&");
            super::escape_markdown(&decoded.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The photo a picture association brings: its rendition file beside the document.
fn association_photo(association: &Value, read_photo: &mut ReadPhoto) -> Result<Option<(Photo, Image)>, String> {
    let kind = association.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind != "picture" && kind != "graphic" {
        return Ok(None);
    }
    let renditions: Vec<&Value> = match association.get("renditions") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(items)) => items.get("original").into_iter().chain(items.values()).collect(),
        _ => Vec::new(),
    };
    let Some(rendition) = renditions.into_iter().find(|rendition| rendition.get("href").and_then(Value::as_str).is_some()) else {
        return Ok(None);
    };
    let href = rendition.get("href").and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let Some((href, bytes)) = super::read_linked(&href, read_photo)? else { return Ok(None) };
    let image = describe_image(bytes).map_err(|why| format!("the picture {href:?} {why}"))?;
    // An association Copydesk wrote says every field of its photo (an empty one too); others
    // leave to the picture's own metadata what they do not say.
    let complete = association
        .get("altIds")
        .and_then(Value::as_array)
        .is_some_and(|ids| ids.iter().any(|id| id.get("role").and_then(Value::as_str) == Some("copydesk-file")));
    let embedded = if complete { crate::photo_metadata::PhotoMetadata::default() } else { crate::photo_metadata::read(&image.bytes) };
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(String::from);
    let or = |value: Option<String>, embedded: String| value.unwrap_or(embedded);
    let description = |role: &str| {
        association.get("descriptions").and_then(Value::as_array).into_iter().flatten().find_map(|description| {
            (description.get("role").and_then(Value::as_str) == Some(role)).then(|| text(description.get("value"))).flatten()
        })
    };
    let photographer = association
        .get("people")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|person| person.get("rel").and_then(Value::as_str).is_some_and(|rel| rel.contains("photographer")));
    let file = association
        .get("altIds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|id| (id.get("role").and_then(Value::as_str) == Some("copydesk-file")).then(|| text(id.get("value"))).flatten())
        .unwrap_or_else(|| href.clone());
    let photo = Photo {
        file,
        image: image.image.clone(),
        media_type: image.media_type.clone(),
        width: image.width,
        height: image.height,
        caption: or(description("caption").or_else(|| text(association.get("description_text"))), embedded.caption),
        credit: or(text(association.get("by")).or_else(|| text(association.get("byline"))), embedded.credit),
        date: text(association.get("contentCreated"))
            .and_then(|created| created.get(..10).and_then(|day| day.parse().ok()))
            .or(embedded.date),
        email: photographer.map(contact_email).filter(|email| !email.is_empty()).unwrap_or(embedded.email),
        alt: or(text(rendition.get("title")).or_else(|| description("alt")), embedded.alt),
        creator: or(photographer.and_then(|person| text(person.get("name"))), embedded.creator),
    };
    Ok(Some((photo, image)))
}
