//! Publish-ready HTML: one page per article from the house template (or an outlet's), photos
//! copied beside it under stable content-hash names (`media/<hash>.jpg`) or inlined as `data:`
//! URLs with `--self-contained`, and an index page for a batch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::value::{Serde, Value};

use super::{ExportContext, ExportOptions, Item, OutputFile, Renderer};
use crate::Result;
use crate::article::ArticleId;
use crate::render::view::{IndexEntryView, IndexView, TimeView};
use crate::render::{self, PageInput, Related, Resources, Templates};

pub struct Html {
    templates: Arc<Templates>,
    /// Photo addresses already worked out in this export, by exported file name (a photo shown
    /// on many pages with the same caption is read from the library and written once).
    photo_srcs: Mutex<HashMap<String, String>>,
}

impl Html {
    pub fn new(options: &ExportOptions) -> Result<Html> {
        let templates = match &options.template {
            Some(folder) => Templates::from_folder(folder)?,
            None => Templates::house(),
        };
        Ok(Html { templates: Arc::new(templates), photo_srcs: Mutex::new(HashMap::new()) })
    }
}

/// The related articles of `item` that a page may link to (`render::related`, which the app's
/// preview uses too).
pub fn related(context: &ExportContext<'_>, item: &Item) -> Result<HashMap<ArticleId, Related>> {
    crate::render::related(context.library, &item.content.related, context.options.preview)
}

impl Renderer for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn render(&self, context: &ExportContext<'_>, item: &Item) -> Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        let mut resources = Resources { related: related(context, item)?, ..Resources::default() };
        let mut known = self.photo_srcs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for photo in &item.content.photos {
            if resources.photo_srcs.contains_key(&photo.image) {
                continue;
            }
            let file = render::photo_file(photo);
            if let Some(src) = known.get(&file) {
                resources.photo_srcs.insert(photo.image.clone(), src.clone());
                continue;
            }
            let bytes = super::photo_bytes(context, &item.content, photo)?;
            let src = if context.options.self_contained {
                data_url(&photo.media_type, &bytes)
            } else {
                files.push(OutputFile::bytes(&file, bytes));
                file.clone()
            };
            known.insert(file, src.clone());
            resources.photo_srcs.insert(photo.image.clone(), src);
        }
        drop(known);
        let (article, content, newsroom) = (item.article.clone(), item.content.clone(), context.newsroom.clone());
        let (templates, preview) = (Arc::clone(&self.templates), context.options.preview);
        let page = move || {
            let input = PageInput { article: &article, content: &content, newsroom: &newsroom, preview };
            render::page(&input, &resources, &templates).map(String::into_bytes)
        };
        files.insert(0, OutputFile::render(format!("{}.html", render::slug(item.article.id)), page));
        Ok(files)
    }

    fn finish(&self, context: &ExportContext<'_>, items: &[Item]) -> Result<Vec<OutputFile>> {
        if !context.options.index {
            return Ok(Vec::new());
        }
        let newsroom = context.newsroom;
        let time = |at: jiff::Timestamp| TimeView { display: newsroom.display(at), iso: newsroom.iso(at) };
        let view = IndexView {
            lang: if newsroom.language.is_empty() { "ko".into() } else { newsroom.language.clone() },
            outlet: newsroom.outlet.clone(),
            title: if newsroom.outlet.is_empty() { "기사 목록".into() } else { format!("{} 기사 목록", newsroom.outlet) },
            preview: context.options.preview,
            articles: items
                .iter()
                .map(|item| IndexEntryView {
                    headline: item.content.headline.clone(),
                    url: format!("{}.html", render::slug(item.article.id)),
                    section_path: item.content.section.path(),
                    first_published: item.article.first_published.map(time),
                    bylines: item.content.bylines.iter().map(|byline| byline.credit()).collect(),
                })
                .collect(),
        };
        let page = self.templates.render(Templates::INDEX, Value::from(Serde(&view)))?;
        Ok(vec![OutputFile::bytes("index.html", page.into_bytes())])
    }
}

/// `data:<type>;base64,...` for inlining a photo.
pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(media_type.len() + 13 + bytes.len().div_ceil(3) * 4);
    out.push_str("data:");
    out.push_str(media_type);
    out.push_str(";base64,");
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { ALPHABET[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { ALPHABET[n as usize & 63] as char } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_url_is_base64() {
        assert_eq!(super::data_url("image/png", b"Man"), "data:image/png;base64,TWFu");
        assert_eq!(super::data_url("image/png", b"Ma"), "data:image/png;base64,TWE=");
        assert_eq!(super::data_url("image/png", b"M"), "data:image/png;base64,TQ==");
    }
}
