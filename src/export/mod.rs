//! Turning articles into files for other people and systems. Each format is a [`Renderer`]
//! (mdBook's shape): it gets the export's context and one article at a time, and returns the
//! files it makes; [`export`] alone decides what may be exported and writes the files.
//!
//! - [`html::Html`]: publish-ready pages, photos beside them or inlined, an index page.
//! - [`ninjs::Ninjs`]: IPTC ninjs 3.1 JSON for wire distribution.
//! - [`markdown::Markdown`]: the front matter Markdown that `import` reads.

pub mod html;
pub mod markdown;
pub mod ninjs;

use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::{Article, ArticleId, Content};
use crate::library::Library;
use crate::newsroom::Newsroom;
use crate::workflow::{self, Status};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Html,
    Ninjs,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Html, Format::Ninjs, Format::Markdown];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Ninjs => "ninjs",
            Format::Markdown => "markdown",
        }
    }

    /// Whether the format puts an article in front of readers, so that only published articles
    /// may go out in it (unless previewed). Markdown is an interchange format carrying the status.
    pub fn is_for_readers(self) -> bool {
        matches!(self, Format::Html | Format::Ninjs)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(text: &str) -> Result<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == text.trim().to_lowercase())
            .ok_or_else(|| Error::invalid(format!("the export format {text:?}"), "use html, ninjs or markdown"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    /// Export articles that are not published, marked as previews.
    pub preview: bool,
    /// HTML: inline the photos into the page instead of copying them beside it.
    pub self_contained: bool,
    /// HTML: an outlet's template folder replacing the house templates.
    pub template: Option<PathBuf>,
    /// HTML: also write `index.html` listing the exported articles.
    pub index: bool,
}

/// One article to export: its state and the content of the revision that goes out.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub article: Article,
    pub content: Content,
}

/// A file a renderer makes, `path` relative to the export folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What every renderer may look at.
pub struct ExportContext<'a> {
    pub library: &'a Library,
    pub newsroom: &'a Newsroom,
    pub options: &'a ExportOptions,
}

/// An export format.
pub trait Renderer {
    fn name(&self) -> &'static str;
    /// The files of one article.
    fn render(&self, context: &ExportContext<'_>, item: &Item) -> Result<Vec<OutputFile>>;
    /// Files about the whole batch (an index), after every article.
    fn finish(&self, _context: &ExportContext<'_>, _items: &[Item]) -> Result<Vec<OutputFile>> {
        Ok(Vec::new())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    pub format: Format,
    pub folder: PathBuf,
    pub articles: Vec<ExportedArticle>,
    /// Files about the batch, such as `index.html`.
    pub batch_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedArticle {
    pub id: ArticleId,
    pub status: Status,
    pub files: Vec<PathBuf>,
}

/// The articles `ids` as they go out: each article with the content of its published revision
/// (a later unpublished save stays out; a preview shows the newest revision). For a format in front of readers, an article that is
/// not published is refused unless `preview`; nothing is returned (or written) then.
pub fn items(library: &Library, ids: &[ArticleId], options: &ExportOptions) -> Result<Vec<Item>> {
    let now = library.now();
    let mut items = Vec::with_capacity(ids.len());
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(*id) {
            continue;
        }
        let article = library.article(*id)?;
        if options.format.is_for_readers()
            && !options.preview
            && let Err(rule) = workflow::publish_ready(&article, now)
        {
            return Err(Error::NotExportable { article: article.id, status: article.status, rule });
        }
        // A preview shows the newest saved revision (what a correction or release would put
        // out); everything else what readers see.
        let newest = options.preview || (options.format == Format::Markdown && article.status != Status::Published);
        let content = if newest { article.content.clone() } else { library.published_content(&article)? };
        items.push(Item { article, content });
    }
    Ok(items)
}

/// The renderer for `options`' format (loading an outlet's templates for HTML).
pub fn renderer(options: &ExportOptions) -> Result<Box<dyn Renderer>> {
    Ok(match options.format {
        Format::Html => Box::new(html::Html::new(options)?),
        Format::Ninjs => Box::new(ninjs::Ninjs),
        Format::Markdown => Box::new(markdown::Markdown),
    })
}

/// Exports `ids` into `folder`. Every article is checked before anything is written;
/// `progress(done, total)` is called after each article.
pub fn export(
    library: &Library,
    ids: &[ArticleId],
    folder: &Path,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport> {
    let renderer = renderer(options)?;
    let items = items(library, ids, options)?;
    let newsroom = library.newsroom()?;
    let context = ExportContext { library, newsroom: &newsroom, options };
    std::fs::create_dir_all(folder).map_err(|error| Error::io(folder, error))?;
    let mut written = HashSet::new();
    let mut articles = Vec::with_capacity(items.len());
    for (done, item) in items.iter().enumerate() {
        let files = renderer.render(&context, item)?;
        let paths = write(folder, files, &mut written)?;
        articles.push(ExportedArticle { id: item.article.id, status: item.article.status, files: paths });
        progress(done + 1, items.len());
    }
    let batch_files = write(folder, renderer.finish(&context, &items)?, &mut written)?;
    Ok(ExportReport { format: options.format, folder: folder.to_path_buf(), articles, batch_files })
}

/// Writes files under `folder`, each shared file (a photo two pages show) once.
fn write(folder: &Path, files: Vec<OutputFile>, written: &mut HashSet<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(files.len());
    for file in files {
        let relative = safe_relative(&file.path)?;
        let path = folder.join(&relative);
        if written.insert(relative.clone()) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|error| Error::io(parent, error))?;
            }
            std::fs::write(&path, &file.bytes).map_err(|error| Error::io(&path, error))?;
        }
        paths.push(path);
    }
    Ok(paths)
}

/// `path` if it stays inside the export folder (no `..`, not absolute).
pub(crate) fn safe_relative(path: &Path) -> Result<PathBuf> {
    let inside = !path.as_os_str().is_empty() && path.components().all(|part| matches!(part, Component::Normal(_)));
    if inside {
        Ok(path.to_path_buf())
    } else {
        Err(Error::invalid(
            format!("the file name {:?}", path.display().to_string()),
            "an exported file must stay inside the export folder: rename the photo's `file` to a plain relative path such as photos/name.jpg",
        ))
    }
}
