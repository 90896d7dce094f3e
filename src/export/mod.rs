//! Turning articles into files for other people and systems. Each format is a [`Renderer`]
//! (mdBook's shape): it gets the export's context and one article at a time, and returns the
//! files it makes; [`export`] alone decides what may be exported and writes the files.
//!
//! - [`html::Html`]: publish-ready pages, photos beside them or inlined, an index page.
//! - [`ninjs::Ninjs`]: IPTC ninjs 3.1 JSON for wire distribution.
//! - [`markdown::Markdown`]: the front matter Markdown that `import` reads.
//! - [`newsml::NewsMlG2`]: IPTC NewsML-G2 2.35 news items for wire partners.
//!
//! Photos go out with their caption, credit, photographer and the outlet's copyright written
//! into them as XMP ([`photo_bytes`]), except in the Markdown export, which keeps the files
//! as they came so that an import gives them back unchanged.

pub mod html;
pub mod markdown;
pub mod newsml;
pub mod ninjs;

use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::article::{Article, ArticleId, Content};
use crate::library::Library;
use crate::newsroom::Newsroom;
use crate::workflow::{self, Status};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum Format {
    #[default]
    Html,
    Ninjs,
    Markdown,
    #[serde(rename = "newsml-g2")]
    #[cfg_attr(feature = "ts", ts(rename = "newsml-g2"))]
    NewsmlG2,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Ninjs, Format::Markdown, Format::NewsmlG2];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Ninjs => "ninjs",
            Format::Markdown => "markdown",
            Format::NewsmlG2 => "newsml-g2",
        }
    }

    /// Whether the format puts an article in front of readers, so that only published articles
    /// may go out in it (unless previewed). Markdown is an interchange format carrying the status.
    pub fn is_for_readers(self) -> bool {
        matches!(self, Format::Html | Format::Ninjs | Format::NewsmlG2)
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
            .ok_or_else(|| Error::invalid(format!("the export format {text:?}"), "use html, ninjs, newsml-g2 or markdown"))
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
pub struct OutputFile {
    pub path: PathBuf,
    pub body: Body,
}

/// What goes into a file: bytes at hand, or a pure render that the export runs on one of its
/// writer threads (so pages render on every core while the library is read on one).
pub enum Body {
    Bytes(Vec<u8>),
    Render(Box<dyn FnOnce() -> Result<Vec<u8>> + Send>),
}

impl OutputFile {
    pub fn bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> OutputFile {
        OutputFile { path: path.into(), body: Body::Bytes(bytes) }
    }

    pub fn render(path: impl Into<PathBuf>, render: impl FnOnce() -> Result<Vec<u8>> + Send + 'static) -> OutputFile {
        OutputFile { path: path.into(), body: Body::Render(Box::new(render)) }
    }
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
        Format::NewsmlG2 => Box::new(newsml::NewsMlG2),
    })
}

/// What goes into an exported photo's XMP: the photo's caption, credit, date, alt text and
/// photographer (the article's bylines when the photo names none), and the outlet's copyright.
pub fn photo_metadata(newsroom: &Newsroom, content: &Content, photo: &crate::article::Photo) -> crate::photo_metadata::PhotoMetadata {
    let creator = if photo.creator.trim().is_empty() {
        content.bylines.iter().map(|byline| byline.name.trim()).filter(|name| !name.is_empty()).collect::<Vec<_>>().join(", ")
    } else {
        photo.creator.trim().to_string()
    };
    crate::photo_metadata::PhotoMetadata {
        caption: photo.caption.trim().to_string(),
        credit: photo.credit.trim().to_string(),
        creator,
        date: photo.date,
        email: photo.email.trim().to_string(),
        alt: photo.alt.trim().to_string(),
        copyright: if newsroom.outlet.trim().is_empty() { String::new() } else { format!("© {}", newsroom.outlet.trim()) },
    }
}

/// The bytes of `photo` as an export writes them: the stored picture with its metadata
/// written in as XMP.
pub fn photo_bytes(context: &ExportContext<'_>, content: &Content, photo: &crate::article::Photo) -> Result<Vec<u8>> {
    let image = context.library.image(&photo.image)?;
    Ok(crate::photo_metadata::embed(&image.bytes, &photo_metadata(context.newsroom, content, photo)))
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
    // The library is read on this thread; pages render and files are written on the writers.
    const WRITERS: usize = 2;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Vec<OutputFile>)>(64);
    let receiver = std::sync::Mutex::new(receiver);
    let written = std::sync::Mutex::new(HashSet::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(|| -> Result<Vec<(usize, Vec<PathBuf>)>> {
                    let mut paths = Vec::new();
                    let mut failure = None;
                    // After a failure the writer keeps draining, so the reading thread never blocks.
                    loop {
                        let next = receiver.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                        let Ok((index, files)) = next else { break };
                        if failure.is_some() || stop.load(Ordering::Relaxed) {
                            continue;
                        }
                        match write(folder, files, &written) {
                            Ok(written) => paths.push((index, written)),
                            Err(error) => {
                                stop.store(true, Ordering::Relaxed);
                                failure = Some(error);
                            }
                        }
                    }
                    failure.map_or(Ok(paths), Err)
                })
            })
            .collect();
        let rendered = (|| -> Result<Vec<OutputFile>> {
            for (done, item) in items.iter().enumerate() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let files = renderer.render(&context, item)?;
                if sender.send((done, files)).is_err() {
                    break;
                }
                progress(done + 1, items.len());
            }
            renderer.finish(&context, &items)
        })();
        drop(sender);
        let mut paths = Vec::with_capacity(items.len());
        let mut failure = None;
        for writer in writers {
            match writer.join() {
                Ok(Ok(written)) => paths.extend(written),
                Ok(Err(error)) => failure = failure.or(Some(error)),
                Err(_) => failure = failure.or(Some(Error::invalid("the export", "a writer thread failed unexpectedly; run it again"))),
            }
        }
        // A writer's failure (say, a full disk) explains a render that stopped for lack of writers.
        if let Some(error) = failure {
            return Err(error);
        }
        let batch_files = write(folder, rendered?, &written)?;
        paths.sort_by_key(|(index, _)| *index);
        let articles = items
            .iter()
            .zip(paths)
            .map(|(item, (_, files))| ExportedArticle { id: item.article.id, status: item.article.status, files })
            .collect();
        Ok(ExportReport { format: options.format, folder: folder.to_path_buf(), articles, batch_files })
    })
}

/// Writes files under `folder`, each shared file (a photo two pages show) once.
fn write(folder: &Path, files: Vec<OutputFile>, written: &std::sync::Mutex<HashSet<PathBuf>>) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(files.len());
    for file in files {
        let relative = safe_relative(&file.path)?;
        let path = folder.join(&relative);
        let first = written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(relative);
        if first {
            let bytes = match file.body {
                Body::Bytes(bytes) => bytes,
                Body::Render(render) => render()?,
            };
            replace(&path, &bytes)?;
        }
        paths.push(path);
    }
    Ok(paths)
}

/// Puts `bytes` at `path` whole or not at all: they are written to a new file in the same
/// folder and renamed over the old one, so a full disk or a crash halfway leaves the page that
/// was there (a site keeps serving it) instead of a truncated one.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(|error| Error::io(folder, error))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".copydesk-").suffix(".part");
    // Readable like any file the user writes (the web server reads it), not private as
    // temporary files are by default; the umask still applies.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(folder).map_err(|error| Error::io(folder, error))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|error| Error::io(path, error))?;
    file.persist(path).map_err(|error| Error::io(path, error.error))?;
    Ok(())
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
