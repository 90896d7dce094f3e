//! The article body: Markdown (CommonMark with tables, strikethrough and footnotes) turned into
//! sanitised HTML, cut into blocks so that photos stand where the body places them.
//!
//! Every piece of HTML that leaves this module went through [`sanitise`]: whatever a reporter
//! (or a pasted press release) puts in the body, no script, event handler or script URL survives.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::article::Photo;

/// How the body's Markdown is read. One struct, so the export and the app's preview can never
/// disagree on the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    pub tables: bool,
    pub strikethrough: bool,
    pub footnotes: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { tables: true, strikethrough: true, footnotes: true }
    }
}

impl MarkdownOptions {
    fn parser_options(self) -> Options {
        let mut options = Options::empty();
        options.set(Options::ENABLE_TABLES, self.tables);
        options.set(Options::ENABLE_STRIKETHROUGH, self.strikethrough);
        options.set(Options::ENABLE_FOOTNOTES, self.footnotes);
        options
    }
}

/// A piece of the rendered body: sanitised HTML, or the photo (an index into `Content::photos`)
/// that stands there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Html(String),
    Photo(usize),
}

/// The body as blocks. The lead-in (`[세종=뉴스핌] 김기랑 기자 = `) opens the first paragraph.
/// A paragraph that holds nothing but `![alt](file)`, where `file` is one of `photos`, becomes
/// that photo. Photos the body does not place follow the first paragraph, in their listed order.
/// Other images in the body (not photos of the article) are shown as their alt text.
pub fn blocks(body: &str, lead_in: &str, photos: &[Photo], options: MarkdownOptions) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    let mut paragraph: Option<Vec<Event>> = None;
    let mut depth = 0usize;
    let mut placed = vec![false; photos.len()];
    let mut lead_done = false;
    // Where unplaced photos go: right after the first paragraph.
    let mut after_lead: Option<usize> = None;

    let flush = |pending: &mut Vec<Event>, blocks: &mut Vec<Block>| {
        if pending.is_empty() {
            return;
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pending.drain(..));
        let clean = sanitise(&html);
        if !clean.trim().is_empty() {
            blocks.push(Block::Html(clean));
        }
    };

    for event in Parser::new_ext(body, options.parser_options()) {
        let event = adjust(event);
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                depth += 1;
                paragraph = Some(vec![Event::Start(Tag::Paragraph)]);
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && paragraph.is_some() => {
                depth -= 1;
                let mut events = paragraph.take().unwrap_or_default();
                if let Some(index) = lone_photo(&events, photos).filter(|index| !placed[*index]) {
                    flush(&mut pending, &mut blocks);
                    placed[index] = true;
                    blocks.push(Block::Photo(index));
                    continue;
                }
                events.push(Event::End(TagEnd::Paragraph));
                let events = drop_images(events);
                if !lead_done {
                    lead_done = true;
                    let mut events = events.into_iter();
                    pending.extend(events.next());
                    if !lead_in.is_empty() {
                        pending.push(Event::Text(CowStr::from(lead_in.to_string())));
                    }
                    pending.extend(events);
                    flush(&mut pending, &mut blocks);
                    after_lead = Some(blocks.len());
                } else {
                    pending.extend(events);
                }
            }
            event => {
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                match paragraph.as_mut() {
                    Some(events) => events.push(event),
                    None => pending.extend(drop_images(vec![event])),
                }
            }
        }
    }
    if let Some(events) = paragraph.take() {
        pending.extend(drop_images(events));
    }
    flush(&mut pending, &mut blocks);
    if !lead_done && !lead_in.is_empty() {
        let lead = format!("<p>{}</p>\n", escape_text(lead_in.trim_end()));
        blocks.insert(0, Block::Html(lead));
        after_lead = Some(1);
    }
    let unplaced: Vec<Block> = (0..photos.len()).filter(|index| !placed[*index]).map(Block::Photo).collect();
    let at = after_lead.unwrap_or(blocks.len()).min(blocks.len());
    blocks.splice(at..at, unplaced);
    blocks
}

/// Headings move one level down: the page's only `h1` is the headline.
fn adjust(event: Event<'_>) -> Event<'_> {
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => Event::Start(Tag::Heading { level: lower(level), id, classes, attrs }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        event => event,
    }
}

/// The photo a paragraph consists of, if it holds one image (and whitespace) naming a photo.
fn lone_photo(events: &[Event], photos: &[Photo]) -> Option<usize> {
    let mut image = None;
    let mut inside = 0usize;
    for event in events.iter().skip(1) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if inside == 0 && image.is_none() => {
                image = Some(dest_url.to_string());
                inside = 1;
            }
            Event::Start(_) if inside > 0 => inside += 1,
            Event::End(TagEnd::Image) if inside == 1 => inside = 0,
            Event::End(_) if inside > 0 => inside -= 1,
            _ if inside > 0 => {}
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(text) if text.trim().is_empty() => {}
            _ => return None,
        }
    }
    let file = image?;
    photos.iter().position(|photo| photo.file == file.trim())
}

/// Images that are not the article's photos keep only their alt text.
fn drop_images(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events.into_iter().filter(|event| !matches!(event, Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image))).collect()
}

pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The footnote anchors pulldown-cmark writes are prefixed so they cannot clobber the page's ids.
const ID_PREFIX: &str = "note-";

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
    .into();
    let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    attributes.insert("a", ["href", "title"].into());
    attributes.insert("abbr", ["title"].into());
    attributes.insert("ol", ["start"].into());
    attributes.insert("td", ["colspan", "rowspan"].into());
    attributes.insert("th", ["colspan", "rowspan", "scope"].into());
    attributes.insert("div", ["id"].into());
    attributes.insert("sup", ["id"].into());
    attributes.insert("li", ["id"].into());
    let mut classes: HashMap<&str, HashSet<&str>> = HashMap::new();
    classes.insert("div", ["footnote-definition"].into());
    classes.insert("sup", ["footnote-reference", "footnote-definition-label"].into());
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .clean_content_tags(["script", "style", "template", "svg", "math", "noscript", "iframe", "object"].into())
        .tag_attributes(attributes)
        .allowed_classes(classes)
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(fragment_only)))
        .id_prefix(Some(ID_PREFIX))
        .link_rel(None)
        .strip_comments(true);
    builder
});

/// Relative links in a body may only point inside the page (footnotes); their targets carry
/// the id prefix.
fn fragment_only(url: &str) -> Option<Cow<'_, str>> {
    let fragment = url.strip_prefix('#')?;
    if fragment.is_empty() {
        return None;
    }
    Some(Cow::Owned(format!("#{ID_PREFIX}{fragment}")))
}

/// Cleans HTML from a body down to text-level markup and plain links.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// The first paragraph as plain text, for descriptions: Markdown and HTML removed.
pub fn first_paragraph_text(body: &str, options: MarkdownOptions) -> String {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(body, options.parser_options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => {
                if !text.trim().is_empty() {
                    break;
                }
                inside = false;
            }
            Event::Text(part) | Event::Code(part) if inside => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(file: &str) -> Photo {
        Photo {
            file: file.into(),
            image: crate::article::ImageRef("00".into()),
            media_type: "image/png".into(),
            width: 1,
            height: 1,
            caption: String::new(),
            credit: String::new(),
            date: None,
            email: String::new(),
            alt: String::new(),
            creator: String::new(),
        }
    }

    /// Renders `body` with the lead-in `L = ` and photos `a.png`, `b.png`; photos show as `[photo N]`.
    fn check(body: &str, expect: &str) {
        let photos = [photo("a.png"), photo("b.png")];
        let rendered: String = blocks(body, "L = ", &photos, MarkdownOptions::default())
            .into_iter()
            .map(|block| match block {
                Block::Html(html) => html,
                Block::Photo(index) => format!("[photo {index}]\n"),
            })
            .collect();
        assert_eq!(rendered.trim(), expect.trim(), "from {body:?}");
    }

    #[test]
    fn the_lead_in_opens_the_first_paragraph() {
        check("첫 문단.\n\n둘째 문단.", "<p>L = 첫 문단.</p>\n[photo 0]\n[photo 1]\n<p>둘째 문단.</p>");
        check("## 소제목\n\n첫 문단.", "<h3>소제목</h3>\n<p>L = 첫 문단.</p>\n[photo 0]\n[photo 1]");
        check("", "<p>L =</p>\n[photo 0]\n[photo 1]");
    }

    #[test]
    fn photos_stand_where_the_body_places_them_and_the_rest_follow_the_lead() {
        check("하나.\n\n![x](b.png)\n\n둘.", "<p>L = 하나.</p>\n[photo 0]\n[photo 1]\n<p>둘.</p>");
        check("하나.\n\n둘.\n\n![x](a.png)\n\n![y](b.png)", "<p>L = 하나.</p>\n<p>둘.</p>\n[photo 0]\n[photo 1]");
    }

    #[test]
    fn other_images_keep_only_their_alt_text() {
        check(
            "사진 ![설명](https://example.com/x.png) 끝.\n\n![외부](c.png)",
            "<p>L = 사진 설명 끝.</p>\n[photo 0]\n[photo 1]\n<p>외부</p>",
        );
    }

    #[test]
    fn script_links_and_handlers_are_removed() {
        check(
            "[a](javascript:alert(1)) <b onclick=\"x()\">b</b><script>x()</script>",
            "<p>L = <a>a</a> <b>b</b></p>\n[photo 0]\n[photo 1]",
        );
    }

    #[test]
    fn footnote_anchors_are_prefixed_and_still_meet() {
        check(
            "본문[^1].\n\n[^1]: 주석",
            "<p>L = 본문<sup class=\"footnote-reference\"><a href=\"#note-1\">1</a></sup>.</p>\n[photo 0]\n[photo 1]\n<div class=\"footnote-definition\" id=\"note-1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>주석</p>\n</div>",
        );
    }
}
