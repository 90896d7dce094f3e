//! IPTC NewsML-G2 2.35 for wire partners: one `<id>.xml` news item per article, valid against
//! IPTC's XML Schema (the test suite checks every file it exports with `xmllint --schema`),
//! photos beside it in `media/` with their metadata written in.
//!
//! - `version` is the published revision's number, so an article exported again after a
//!   correction always has a higher version than before it.
//! - `firstCreated` is 기사입력, `versionCreated` 최종수정; `embargoed` the embargo;
//!   `pubStatus` usable (published), canceled (killed) or withheld (a preview).
//! - A corrected article carries `signal` `sig:correction` and an `edNote` per correction.
//! - Bylines are `creator`s with their title as `jobtitle` and their email, and the whole
//!   byline in `by`; the dateline is `located` and `dateline`.
//! - The body is XHTML inside `inlineXML`, the lead-in before its first paragraph and each photo
//!   a `figure` where the page shows it; each photo is also a `link` with its credit line.
//! - `rightsInfo` names the outlet as copyright holder.

use std::fmt::Write as _;

use super::{ExportContext, Item, OutputFile, Renderer};
use crate::Result;
use crate::render::{self, markdown};
use crate::workflow::Status;

pub struct NewsMlG2;

pub const NS: &str = crate::wire::newsml::NS;
const XHTML: &str = "http://www.w3.org/1999/xhtml";

impl Renderer for NewsMlG2 {
    fn name(&self) -> &'static str {
        "newsml-g2"
    }

    fn render(&self, context: &ExportContext<'_>, item: &Item) -> Result<Vec<OutputFile>> {
        let mut files = vec![OutputFile::bytes(format!("{}.xml", render::slug(item.article.id)), document(context, item).into_bytes())];
        let mut seen = std::collections::HashSet::new();
        for photo in &item.content.photos {
            let file = render::photo_file(photo);
            if seen.insert(file.clone()) {
                files.push(OutputFile::bytes(file, super::photo_bytes(context, &item.content, photo)?));
            }
        }
        Ok(files)
    }
}

fn escape(text: &str) -> String {
    // XML 1.0 allows no control characters but tab and line ends.
    let clean: String = text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// A QCode's code part: no white space and no colon.
fn code(text: &str) -> String {
    text.trim().chars().map(|c| if c.is_whitespace() || c == ':' { '_' } else { c }).collect()
}

/// The news item for one article.
pub fn document(context: &ExportContext<'_>, item: &Item) -> String {
    let (newsroom, article, content) = (context.newsroom, &item.article, &item.content);
    let language = if newsroom.language.is_empty() { "ko" } else { newsroom.language.as_str() };
    let host = newsroom.base_url.split("://").nth(1).and_then(|rest| rest.split('/').next()).filter(|host| !host.is_empty());
    let guid = match host {
        Some(host) => format!("urn:newsml:{host}:{}", article.id),
        None => format!("urn:copydesk:article:{}", article.id),
    };
    let version = article.published_revision.unwrap_or(article.head).0.max(1);
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<newsItem xmlns="{NS}" guid="{}" version="{version}" standard="NewsML-G2" standardversion="2.35" conformance="power" xml:lang="{}">"#,
        escape(&guid),
        escape(language)
    );
    let _ = writeln!(out, r#"  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>"#);
    if !newsroom.outlet.trim().is_empty() {
        let outlet = escape(newsroom.outlet.trim());
        let _ = writeln!(out, "  <rightsInfo>");
        let _ = writeln!(out, "    <copyrightHolder literal=\"{outlet}\"><name>{outlet}</name></copyrightHolder>");
        let _ = writeln!(out, "    <copyrightNotice>© {outlet}</copyrightNotice>");
        let _ = writeln!(out, "  </rightsInfo>");
    }

    // itemMeta, in the schema's order.
    let _ = writeln!(out, "  <itemMeta>");
    let _ = writeln!(out, r#"    <itemClass qcode="ninat:text"/>"#);
    if newsroom.outlet.trim().is_empty() {
        let _ = writeln!(out, r#"    <provider literal="Copydesk"/>"#);
    } else {
        let _ = writeln!(out, r#"    <provider literal="{}"/>"#, escape(newsroom.outlet.trim()));
    }
    let version_created = article.last_modified.or(article.first_published).unwrap_or(article.updated_at);
    let _ = writeln!(out, "    <versionCreated>{}</versionCreated>", newsroom.iso(version_created));
    if let Some(first) = article.first_published {
        let _ = writeln!(out, "    <firstCreated>{}</firstCreated>", newsroom.iso(first));
    }
    if let Some(embargo) = content.embargo {
        let _ = writeln!(out, "    <embargoed>{}</embargoed>", newsroom.iso(embargo));
    }
    let status = match article.status {
        Status::Published if !context.options.preview => "usable",
        Status::Killed => "canceled",
        _ => "withheld",
    };
    let _ = writeln!(out, r#"    <pubStatus qcode="stat:{status}"/>"#);
    for correction in &article.corrections {
        let _ = writeln!(out, "    <edNote>정정 {}: {}</edNote>", escape(&newsroom.display(correction.at)), escape(&correction.note));
    }
    if !article.corrections.is_empty() {
        let _ = writeln!(out, r#"    <signal qcode="sig:correction"/>"#);
    }
    for photo in &content.photos {
        let file = render::photo_file(photo);
        let href = if newsroom.base_url.is_empty() { file.clone() } else { render::site_url(newsroom, &file) };
        let _ =
            writeln!(out, r#"    <link rel="irel:associatedWith" href="{}" contenttype="{}">"#, escape(&href), escape(&photo.media_type));
        let _ = writeln!(out, r#"      <itemClass qcode="ninat:picture"/>"#);
        if !photo.caption.trim().is_empty() {
            let _ = writeln!(out, "      <title>{}</title>", escape(photo.caption.trim()));
        }
        let credit_line = render::credit_line(photo);
        if !credit_line.is_empty() {
            let _ = writeln!(out, "      <creditline>{}</creditline>", escape(&credit_line));
        }
        let _ = writeln!(out, "    </link>");
    }
    let _ = writeln!(out, "  </itemMeta>");

    // contentMeta, in the schema's order.
    let _ = writeln!(out, "  <contentMeta>");
    if let Some(source) = &content.source
        && let Some(urgency) = source.urgency
    {
        let _ = writeln!(out, "    <urgency>{urgency}</urgency>");
    }
    if let Some(first) = article.first_published {
        let _ = writeln!(out, "    <contentCreated>{}</contentCreated>", newsroom.iso(first));
    }
    if let Some(last) = article.last_modified.filter(|last| Some(*last) != article.first_published) {
        let _ = writeln!(out, "    <contentModified>{}</contentModified>", newsroom.iso(last));
    }
    if !content.dateline.place.trim().is_empty() {
        let _ = writeln!(out, "    <located><name>{}</name></located>", escape(content.dateline.place.trim()));
    }
    for byline in &content.bylines {
        let title = if byline.title.trim().is_empty() {
            String::new()
        } else {
            format!(r#" jobtitle="copydesk-title:{}""#, escape(&code(&byline.title)))
        };
        let _ = write!(out, r#"    <creator role="crol:author"{title}><name>{}</name>"#, escape(byline.name.trim()));
        if !byline.email.trim().is_empty() {
            let _ = write!(out, "<personDetails><contactInfo><email>{}</email></contactInfo></personDetails>", escape(byline.email.trim()));
        }
        let _ = writeln!(out, "</creator>");
    }
    let _ = writeln!(out, r#"    <language tag="{}"/>"#, escape(language));
    for level in &content.section.0 {
        let _ = writeln!(
            out,
            r#"    <subject type="cpnat:abstract" qcode="copydesk-section:{}"><name>{}</name></subject>"#,
            escape(&code(level)),
            escape(level)
        );
    }
    let _ = writeln!(out, "    <headline>{}</headline>", escape(content.headline.trim()));
    for line in &content.subheadlines {
        let _ = writeln!(out, r#"    <headline role="hld:subHeadline">{}</headline>"#, escape(line.trim()));
    }
    let dateline = content.dateline.bracketed();
    if !dateline.is_empty() {
        let _ = writeln!(out, "    <dateline>{}</dateline>", escape(&dateline));
    }
    let by = content.bylines.iter().map(|byline| byline.credit()).filter(|credit| !credit.is_empty()).collect::<Vec<_>>().join(", ");
    if !by.is_empty() {
        let _ = writeln!(out, "    <by>{}</by>", escape(&by));
    }
    for tag in &content.tags {
        let _ = writeln!(out, "    <keyword>{}</keyword>", escape(tag.trim()));
    }
    let description = markdown::first_paragraph_text(&content.body, markdown::MarkdownOptions::default());
    if !description.is_empty() {
        let _ = writeln!(out, r#"    <description role="drol:summary">{}</description>"#, escape(&description));
    }
    let _ = writeln!(out, "  </contentMeta>");

    let _ = writeln!(out, "  <contentSet>");
    let _ = writeln!(out, r#"    <inlineXML contenttype="application/xhtml+xml">"#);
    let _ = writeln!(out, r#"      <html xmlns="{XHTML}"><head><title>{}</title></head><body>"#, escape(content.headline.trim()));
    for block in markdown::blocks(&content.body, &content.lead_in(), &content.photos, markdown::MarkdownOptions::default()) {
        match block {
            markdown::Block::Html(html) => {
                let _ = writeln!(out, "{}", well_formed(&html));
            }
            markdown::Block::Photo(index) => {
                let Some(photo) = content.photos.get(index) else { continue };
                let alt = [photo.alt.trim(), photo.caption.trim()].into_iter().find(|text| !text.is_empty()).unwrap_or("사진");
                let _ = write!(
                    out,
                    r#"<figure><img src="{}" alt="{}" width="{}" height="{}"/><figcaption>{}"#,
                    escape(&render::photo_file(photo)),
                    escape(alt),
                    photo.width,
                    photo.height,
                    escape(photo.caption.trim())
                );
                let credit_line = render::credit_line(photo);
                if !credit_line.is_empty() {
                    let _ = write!(out, r#" <span class="credit">{}</span>"#, escape(&credit_line));
                }
                let _ = writeln!(out, "</figcaption></figure>");
            }
        }
    }
    let _ = writeln!(out, "      </body></html>");
    let _ = writeln!(out, "    </inlineXML>");
    let _ = writeln!(out, "  </contentSet>");
    let _ = writeln!(out, "</newsItem>");
    out
}

/// A sanitised HTML block as well-formed XHTML: void elements closed, `&nbsp;` as a character
/// reference. A block that still is not XML goes out as its escaped text, never as broken XML.
fn well_formed(html: &str) -> String {
    let mut xhtml = html.replace("&nbsp;", "&#160;");
    for void in ["br", "hr"] {
        xhtml = xhtml.replace(&format!("<{void}>"), &format!("<{void}/>"));
    }
    if crate::xml::parse(&format!("<div>{xhtml}</div>")).is_ok() {
        return xhtml;
    }
    let text = crate::xml::parse(&format!("<div>{}</div>", escape(html))).map(|root| root.text()).unwrap_or_default();
    format!("<p>{}</p>", escape(&text))
}
