//! The article as a front matter Markdown file, the same format `import` reads, so that an
//! import of the output gives the same article back.

use crate::article::{Article, Content};
use crate::frontmatter::{self, BylineField, CorrectionField, DatelineField, FrontMatter, PhotoField, SectionField};
use crate::newsroom::Newsroom;

/// The file text for `content` in `article`'s state. Photos are named by their `file`; the
/// caller writes their bytes there.
pub fn document(article: &Article, content: &Content, newsroom: &Newsroom) -> String {
    let iso = |at: jiff::Timestamp| newsroom.iso(at);
    let dateline = &content.dateline;
    let fields = FrontMatter {
        headline: content.headline.clone(),
        section: SectionField::Levels(content.section.0.clone()),
        subheadlines: content.subheadlines.clone(),
        dateline: (!dateline.place.is_empty() || !dateline.outlet.is_empty())
            .then(|| DatelineField { place: dateline.place.clone(), outlet: dateline.outlet.clone() }),
        bylines: content
            .bylines
            .iter()
            .map(|byline| BylineField { name: byline.name.clone(), title: byline.title.clone(), email: byline.email.clone() })
            .collect(),
        status: Some(article.status.to_string()),
        first_published: article.first_published.map(iso),
        last_modified: article.last_modified.map(iso),
        embargo: content.embargo.map(iso),
        tags: content.tags.clone(),
        related: content.related.iter().map(|id| id.0).collect(),
        photos: content
            .photos
            .iter()
            .map(|photo| PhotoField {
                file: photo.file.clone(),
                caption: photo.caption.clone(),
                credit: photo.credit.clone(),
                date: photo.date.map(|date| date.to_string()),
                email: photo.email.clone(),
                alt: photo.alt.clone(),
                creator: photo.creator.clone(),
            })
            .collect(),
        corrections: article
            .corrections
            .iter()
            .map(|correction| CorrectionField { at: iso(correction.at), note: correction.note.clone(), by: correction.by.clone() })
            .collect(),
        source: content.source.clone(),
    };
    frontmatter::write(&fields, &content.body)
}

/// The Markdown export: `<id>/article.md` with the photos beside it under their `file` names,
/// so the folder imports back as it is.
pub struct Markdown;

impl super::Renderer for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn render(&self, context: &super::ExportContext<'_>, item: &super::Item) -> crate::Result<Vec<super::OutputFile>> {
        use std::path::{Path, PathBuf};
        let folder = PathBuf::from(crate::render::slug(item.article.id));
        let text = document(&item.article, &item.content, context.newsroom);
        let mut files = vec![super::OutputFile::bytes(folder.join("article.md"), text.into_bytes())];
        for photo in &item.content.photos {
            let relative = super::safe_relative(Path::new(&photo.file))?;
            let image = context.library.image(&photo.image)?;
            files.push(super::OutputFile::bytes(folder.join(relative), image.bytes));
        }
        Ok(files)
    }
}
