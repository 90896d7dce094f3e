//! Agency copy: NewsML-G2 news items and ninjs documents read into articles (`import` takes
//! them beside Markdown article files), and what the two readers share: a body in XHTML or
//! NITF (or ninjs' HTML) turned into the Markdown an article's body is, bylines such as
//! `김기랑 기자` split into name and title, and datelines such as `[세종=뉴스핌]`.
//!
//! An agency item comes in as a draft for the desk, whatever its `pubStatus`; the item's id,
//! version, provider, urgency and status are kept as the article's [`Source`], and a later
//! version of the same item updates that article (`Library::import_batch`).

pub mod newsml;
pub mod ninjs;

use std::path::Path;

use crate::article::{Byline, Content, Dateline, Photo};
use crate::import::{ImportProblem, ImportedArticle};
use crate::store::Image;
use crate::workflow::Status;
use crate::xml::{Element, Node};

pub use crate::article::Source;

/// What kind of file an import was given, by its first non-blank character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    NewsMlG2,
    Ninjs,
}

pub fn detect(text: &str) -> Kind {
    match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
        Some('<') => Kind::NewsMlG2,
        Some('{' | '[') => Kind::Ninjs,
        _ => Kind::Markdown,
    }
}

/// Titles a Korean byline ends with (`김기랑 기자`, `이영종 통일전문기자`, `특파원`).
const TITLE_ENDINGS: [&str; 6] = ["기자", "특파원", "위원", "앵커", "PD", "에디터"];

/// `김기랑 기자` as name and title; a byline without a known title is all name.
pub fn split_byline(text: &str, email: &str) -> Byline {
    let text = text.trim().trim_start_matches("By ").trim_start_matches("by ").trim();
    let (name, title) = match text.rsplit_once(char::is_whitespace) {
        Some((name, title)) if TITLE_ENDINGS.iter().any(|ending| title.ends_with(ending)) => (name.trim(), title.trim()),
        _ => (text, ""),
    };
    Byline { name: name.trim_end_matches(',').to_string(), title: title.to_string(), email: email.trim().to_string() }
}

/// `[세종=뉴스핌]`, `(서울=연합뉴스)` or `세종=뉴스핌` as place and outlet; a dateline without
/// `=` is a place.
pub fn parse_dateline(text: &str) -> Dateline {
    let text = text.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']).trim();
    match text.split_once('=') {
        Some((place, outlet)) => Dateline { place: place.trim().to_string(), outlet: outlet.trim().to_string() },
        None => Dateline { place: text.to_string(), outlet: String::new() },
    }
}

/// A body in XHTML or NITF (any namespace: NITF inside NewsML-G2 often has none of its own)
/// as Markdown: paragraphs, headings, quotes, lists, emphasis and links. Pictures, tables
/// and unknown blocks give their text; nothing is run or kept as HTML.
pub fn markdown_body(root: &Element) -> String {
    let mut blocks = Vec::new();
    block(root, &mut blocks);
    blocks.retain(|block: &String| !block.trim().is_empty());
    blocks.join("\n\n")
}

fn block(element: &Element, blocks: &mut Vec<String>) {
    let mut pending = String::new();
    let flush = |pending: &mut String, blocks: &mut Vec<String>| {
        let text = collapse(pending);
        if !text.is_empty() {
            blocks.push(text);
        }
        pending.clear();
    };
    for node in &element.children {
        match node {
            Node::Text(text) => pending.push_str(&escape_markdown(text)),
            Node::Element(child) => match child.name.as_str() {
                // NITF's head (headline, byline) is read by the item's reader, not shown twice.
                "body.head" | "head" | "body.end" | "media" | "img" | "figure" | "script" | "style" => {
                    flush(&mut pending, blocks);
                }
                "p" | "hl2" | "pre" => {
                    flush(&mut pending, blocks);
                    blocks.push(collapse(&inline(child)));
                }
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    flush(&mut pending, blocks);
                    let level = child.name[1..].parse::<usize>().unwrap_or(2).clamp(2, 6);
                    blocks.push(format!("{} {}", "#".repeat(level), collapse(&inline(child))));
                }
                "blockquote" | "bq" => {
                    flush(&mut pending, blocks);
                    let mut inner = Vec::new();
                    block(child, &mut inner);
                    let quoted: Vec<String> = inner
                        .iter()
                        .filter(|text| !text.trim().is_empty())
                        .map(|text| format!("> {}", text.replace('\n', "\n> ")))
                        .collect();
                    blocks.push(quoted.join("\n>\n"));
                }
                "ul" | "ol" => {
                    flush(&mut pending, blocks);
                    let ordered = child.name == "ol";
                    let items: Vec<String> = child
                        .elements()
                        .filter(|item| item.name == "li")
                        .enumerate()
                        .map(|(index, item)| {
                            let marker = if ordered { format!("{}.", index + 1) } else { "-".into() };
                            format!("{marker} {}", collapse(&inline(item)))
                        })
                        .collect();
                    blocks.push(items.join("\n"));
                }
                "br" => pending.push(' '),
                "a" | "em" | "i" | "strong" | "b" | "span" | "q" | "sub" | "sup" | "del" | "s" | "code" => {
                    pending.push_str(&inline_element(child));
                }
                _ => {
                    flush(&mut pending, blocks);
                    block(child, blocks);
                }
            },
        }
    }
    flush(&mut pending, blocks);
}

/// The Markdown of an element's inline content.
fn inline(element: &Element) -> String {
    let mut out = String::new();
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(&escape_markdown(text)),
            Node::Element(child) => out.push_str(&inline_element(child)),
        }
    }
    out
}

fn inline_element(element: &Element) -> String {
    let text = inline(element);
    if text.trim().is_empty() {
        return if element.name == "br" { " ".into() } else { text };
    }
    match element.name.as_str() {
        "em" | "i" => format!("*{}*", text.trim()),
        "strong" | "b" => format!("**{}**", text.trim()),
        "del" | "s" => format!("~~{}~~", text.trim()),
        "a" => match element.attribute("href").filter(|href| href.starts_with("http://") || href.starts_with("https://")) {
            Some(href) => format!("[{}]({})", text.trim(), href.replace(' ', "%20").replace(')', "%29")),
            None => text,
        },
        "br" => " ".into(),
        _ => text,
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text that Markdown shows as it is: the characters that would start markup are escaped.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|' | '~') {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

/// Drops `lead_in` (`[세종=뉴스핌] 김기랑 기자 = `) from the start of a body that carries it,
/// as wire copy does: the page adds it again from the dateline and byline.
pub fn without_lead_in(body: String, lead_in: &str) -> String {
    let lead_in = escape_markdown(lead_in.trim());
    if lead_in.is_empty() {
        return body;
    }
    match body.strip_prefix(&lead_in) {
        Some(rest) => rest.trim_start().to_string(),
        None => body,
    }
}

/// The bytes of a picture an item links to: a relative path beside the item's file, or for a
/// web address the file of that name beside the item (`media/x.jpg`, then `x.jpg`), as
/// deliveries that bundle an item with its pictures have it. Copydesk never downloads.
/// Gives the name the file was found under, or `None` for a web address with no file beside
/// the item: the story comes in without that picture (agencies link logos and thumbnails on
/// their sites), while a relative path that is missing is an error.
pub fn read_linked(href: &str, read_photo: &mut crate::import::ReadPhoto) -> Result<Option<(String, Vec<u8>)>, String> {
    use crate::import::PhotoError;
    let describe = |error: PhotoError| match error {
        PhotoError::Unreadable { path, error } => {
            format!("the picture {href:?} cannot be read at {} ({error}): put it beside the item's file", path.display())
        }
        PhotoError::Refused(why) => format!("the picture {href:?} {why}"),
    };
    let Some((_, rest)) = href.split_once("://") else {
        return read_photo(href).map(|bytes| Some((href.to_string(), bytes))).map_err(describe);
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').skip(1).filter(|segment| !segment.is_empty() && *segment != "..").collect();
    let candidates: Vec<String> = match segments.as_slice() {
        [.., folder, file] => vec![format!("{folder}/{file}"), file.to_string()],
        [file] => vec![file.to_string()],
        [] => Vec::new(),
    };
    for candidate in candidates {
        match read_photo(&candidate) {
            Ok(bytes) => return Ok(Some((candidate, bytes))),
            Err(PhotoError::Refused(why)) => return Err(format!("the picture {candidate:?} {why}")),
            Err(PhotoError::Unreadable { .. }) => {}
        }
    }
    Ok(None)
}

/// The photos an item's linked pictures give, each file and each image once; a picture that
/// cannot be read is reported.
pub(crate) fn gather_photos<T>(
    links: impl IntoIterator<Item = T>,
    mut read: impl FnMut(T) -> Result<Option<(Photo, Image)>, String>,
    report: &mut dyn FnMut(String),
) -> (Vec<Photo>, Vec<Image>) {
    let (mut photos, mut images): (Vec<Photo>, Vec<Image>) = (Vec::new(), Vec::new());
    for link in links {
        match read(link) {
            Ok(Some((photo, image))) => {
                if photos.iter().any(|known| known.file == photo.file) {
                    continue;
                }
                if !images.iter().any(|known| known.image == image.image) {
                    images.push(image);
                }
                photos.push(photo);
            }
            Ok(None) => {}
            Err(message) => report(message),
        }
    }
    (photos, images)
}

/// The article an agency item gives, as a draft for the desk: the lead-in the wire copy
/// carries dropped from the body, refused with every problem found when there are any.
pub(crate) fn finish(
    source: &Path,
    mut content: Content,
    images: Vec<Image>,
    mut problems: Vec<ImportProblem>,
) -> Result<ImportedArticle, Vec<ImportProblem>> {
    content.body = without_lead_in(std::mem::take(&mut content.body), &content.lead_in());
    problems.extend(content.problems().into_iter().map(|message| ImportProblem { file: source.to_path_buf(), line: None, message }));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ImportedArticle {
        source: source.to_path_buf(),
        content,
        status: Status::Draft,
        first_published: None,
        last_modified: None,
        corrections: Vec::new(),
        images,
    })
}

/// Plain text as Markdown paragraphs, one per blank-line-separated block.
pub(crate) fn plain_paragraphs(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| escape_markdown(&paragraph.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_and_datelines_read_like_the_seed() {
        assert_eq!(split_byline("김기랑 기자", ""), Byline { name: "김기랑".into(), title: "기자".into(), email: String::new() });
        assert_eq!(split_byline("이영종 통일전문기자", "").title, "통일전문기자");
        assert_eq!(split_byline("By Meredith Jameson,", "").name, "Meredith Jameson");
        assert_eq!(parse_dateline("[세종=뉴스핌]"), Dateline { place: "세종".into(), outlet: "뉴스핌".into() });
        assert_eq!(parse_dateline("Berlin").place, "Berlin");
    }

    #[test]
    fn xhtml_becomes_markdown() {
        let root = crate::xml::parse(
            "<body><h2>소제목</h2><p>첫 <b>문단</b> *별표* <a href=\"https://a.example/\">링크</a></p><ul><li>하나</li><li>둘</li></ul>\
             <blockquote><p>인용</p></blockquote><script>alert(1)</script></body>",
        )
        .expect("parses");
        assert_eq!(markdown_body(&root), "## 소제목\n\n첫 **문단** \\*별표\\* [링크](https://a.example/)\n\n- 하나\n- 둘\n\n> 인용");
    }
}
