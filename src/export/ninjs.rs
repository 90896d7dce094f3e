//! IPTC ninjs 3.1 (News in JSON) for wire distribution: one `<id>.json` per article, valid
//! against the official schema (`tests/fixtures/ninjs/ninjs-schema_3.1.json`). Photos are
//! associations whose renditions point at the files copied to `media/`. URIs are absolute when
//! the newsroom's `base_url` is set; set it before sending ninjs to anyone.

use serde_json::{Value, json};

use super::{ExportContext, Item, OutputFile, Renderer};
use crate::Result;
use crate::render::{self, markdown};
use crate::workflow::Status;

pub struct Ninjs;

pub const SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#";

impl Renderer for Ninjs {
    fn name(&self) -> &'static str {
        "ninjs"
    }

    fn render(&self, context: &ExportContext<'_>, item: &Item) -> Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for photo in &item.content.photos {
            if seen.insert(photo.image.clone()) {
                files.push(OutputFile::bytes(render::photo_file(photo), super::photo_bytes(context, &item.content, photo)?));
            }
        }
        let mut text = serde_json::to_string_pretty(&document(context, item)).unwrap_or_default();
        text.push('\n');
        files.insert(0, OutputFile::bytes(format!("{}.json", render::slug(item.article.id)), text.into_bytes()));
        Ok(files)
    }
}

/// The ninjs object for one article.
pub fn document(context: &ExportContext<'_>, item: &Item) -> Value {
    let newsroom = context.newsroom;
    let (article, content) = (&item.article, &item.content);
    let uri = |path: &str| {
        if newsroom.base_url.is_empty() {
            format!("urn:copydesk:{}", path.trim_end_matches(".html"))
        } else {
            render::site_url(newsroom, path)
        }
    };
    let options = markdown::MarkdownOptions::default();
    let body: String = markdown::blocks(&content.body, &content.lead_in(), &content.photos, options)
        .into_iter()
        .filter_map(|block| match block {
            markdown::Block::Html(html) => Some(html),
            markdown::Block::Photo(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut headlines = vec![json!({ "role": "main", "value": content.headline })];
    headlines.extend(content.subheadlines.iter().map(|line| json!({ "role": "sub", "value": line })));
    let mut subjects: Vec<Value> = content.section.0.iter().map(|level| json!({ "name": level, "rel": "section" })).collect();
    subjects.extend(content.tags.iter().map(|tag| json!({ "name": tag, "rel": "keyword" })));
    let pub_status = match article.status {
        Status::Published => "usable",
        Status::Killed => "canceled",
        _ => "withheld",
    };
    let mut document = json!({
        "uri": uri(&format!("{}.html", render::slug(article.id))),
        "standard": { "name": "ninjs", "version": "3.1", "schema": SCHEMA },
        "type": "text",
        "representationType": "full",
        "profile": if content.photos.is_empty() { "text-only" } else { "text-photo" },
        "version": article.published_revision.unwrap_or(article.head).to_string(),
        "pubStatus": pub_status,
        "language": if newsroom.language.is_empty() { "ko" } else { newsroom.language.as_str() },
        "headlines": headlines,
        // The Markdown beside the HTML, so that a Copydesk import gets the body back as written.
        "bodies": [
            { "role": "main", "contentType": "text/html", "value": body },
            { "role": "main", "contentType": "text/markdown", "value": content.body },
        ],
        "by": content.bylines.iter().map(|byline| byline.credit()).collect::<Vec<_>>().join(", "),
        "people": content.bylines.iter().map(|byline| {
            let mut person = json!({ "name": byline.name, "rel": "author" });
            if !byline.email.is_empty() {
                person["contactInfo"] = json!([{ "type": "email", "value": byline.email }]);
            }
            person
        }).collect::<Vec<_>>(),
        "subjects": subjects,
        "altIds": [{ "role": "copydesk-article-id", "value": article.id.to_string() }],
    });
    let description = markdown::first_paragraph_text(&content.body, options);
    if !description.is_empty() {
        document["descriptions"] = json!([{ "role": "summary", "value": description }]);
    }
    if !newsroom.outlet.is_empty() {
        document["copyrightHolder"] = json!(newsroom.outlet);
    }
    if !content.dateline.place.trim().is_empty() {
        document["located"] = json!(content.dateline.place.trim());
    }
    if let Some(first) = article.first_published {
        document["firstCreated"] = json!(newsroom.iso(first));
    }
    if let Some(last) = article.last_modified.or(article.first_published) {
        document["versionCreated"] = json!(newsroom.iso(last));
    }
    if let Some(embargo) = content.embargo {
        document["embargoedUntil"] = json!(newsroom.iso(embargo));
    }
    if !article.corrections.is_empty() {
        let notes: Vec<String> =
            article.corrections.iter().map(|correction| format!("정정 {}: {}", newsroom.display(correction.at), correction.note)).collect();
        document["edNote"] = json!(notes.join("\n"));
    }
    if !content.photos.is_empty() {
        document["associations"] = content
            .photos
            .iter()
            .enumerate()
            .map(|(index, photo)| {
                let file = render::photo_file(photo);
                let mut rendition = json!({
                    "name": "original",
                    "href": if newsroom.base_url.is_empty() { file.clone() } else { render::site_url(newsroom, &file) },
                    "contentType": photo.media_type,
                    "width": photo.width,
                    "height": photo.height,
                });
                if !photo.alt.is_empty() {
                    rendition["title"] = json!(photo.alt);
                }
                let mut association = json!({
                    "name": format!("photo-{}", index + 1),
                    "rel": "photo",
                    "uri": uri(&file),
                    "type": "picture",
                    "renditions": [rendition],
                });
                if !photo.caption.is_empty() {
                    association["descriptions"] = json!([{ "role": "caption", "value": photo.caption }]);
                }
                if !photo.credit.is_empty() {
                    association["by"] = json!(photo.credit);
                }
                if let Some(date) = photo.date {
                    // A date-time in ninjs: the start of the day in the newsroom's zone.
                    let start = newsroom
                        .parse_local(&format!("{date} 00:00"))
                        .map(|at| newsroom.iso(at))
                        .unwrap_or_else(|_| format!("{date}T00:00:00Z"));
                    association["contentCreated"] = json!(start);
                }
                if !photo.creator.is_empty() || !photo.email.is_empty() {
                    let mut photographer = json!({ "rel": "photographer" });
                    if !photo.creator.is_empty() {
                        photographer["name"] = json!(photo.creator);
                    }
                    if !photo.email.is_empty() {
                        photographer["contactInfo"] = json!([{ "type": "email", "value": photo.email }]);
                    }
                    association["people"] = json!([photographer]);
                }
                association["altIds"] = json!([{ "role": "copydesk-file", "value": photo.file }]);
                association
            })
            .collect();
    }
    document
}
