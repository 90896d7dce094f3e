//! Reading article files (Markdown with YAML front matter, photos beside them; or agency copy
//! in NewsML-G2 or ninjs, see [`crate::wire`]) into articles.
//! Parsing never panics and never half-imports: a file gives an article or the list of what is
//! wrong with it, each with the file, the line where known, and the fix.

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::article::{Byline, Content, Dateline, ImageRef, Photo};
use crate::frontmatter::{self, Document, FrontMatter};
use crate::newsroom::Newsroom;
use crate::store::Image;
use crate::workflow::Status;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl ImportProblem {
    pub fn list(problems: &[ImportProblem]) -> String {
        problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// An article read from a file, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedArticle {
    pub source: PathBuf,
    pub content: Content,
    pub status: Status,
    pub first_published: Option<Timestamp>,
    pub last_modified: Option<Timestamp>,
    pub corrections: Vec<(Timestamp, String)>,
    pub images: Vec<Image>,
}

/// How an import treats the photos article files name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// The largest photo file that is read, in bytes.
    pub max_photo_bytes: u64,
}

/// An article file is text: a long feature is a few hundred kilobytes.
const MAX_ARTICLE_BYTES: u64 = 10 * MB;

impl ImportOptions {
    pub const DEFAULT_MAX_PHOTO_MB: u64 = 50;

    pub fn with_max_photo_mb(megabytes: u64) -> ImportOptions {
        ImportOptions { max_photo_bytes: megabytes.saturating_mul(MB) }
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions::with_max_photo_mb(ImportOptions::DEFAULT_MAX_PHOTO_MB)
    }
}

const MB: u64 = 1024 * 1024;

/// Reads the article file at `path`; photos are looked up relative to its folder.
pub fn read_file(path: &Path, newsroom: &Newsroom) -> Result<ImportedArticle, Vec<ImportProblem>> {
    read_file_with(path, newsroom, &ImportOptions::default())
}

/// [`read_file`] with photo limits other than the defaults.
pub fn read_file_with(path: &Path, newsroom: &Newsroom, options: &ImportOptions) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let problem = |line: Option<usize>, message: String| vec![ImportProblem { file: path.to_path_buf(), line, message }];
    let bytes = read_regular_file(path, MAX_ARTICLE_BYTES).map_err(|refusal| match refusal {
        FileRefusal::Unreadable(error) => problem(None, format!("cannot be read: {error}")),
        FileRefusal::NotRegular(kind) => problem(
            None,
            format!("is not a regular file ({kind}): name an article file (.md) or an agency item (NewsML-G2 .xml, ninjs .json)"),
        ),
        FileRefusal::TooBig(size) => problem(
            None,
            format!(
                "is {:.1} MB, over the {} MB an article file may be: is it an article? Split it or take the photos out of it",
                size as f64 / MB as f64,
                MAX_ARTICLE_BYTES / MB
            ),
        ),
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let line = error.as_bytes()[..valid].iter().filter(|byte| **byte == b'\n').count() + 1;
        problem(Some(line), format!("is not UTF-8 text (byte {valid}): save the file as UTF-8 and import it again"))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut read_photo = |file: &str| read_photo_in(folder, file, options.max_photo_bytes);
    match crate::wire::detect(&text) {
        crate::wire::Kind::Markdown => parse(&text, path, newsroom, &mut read_photo),
        crate::wire::Kind::NewsMlG2 => crate::wire::newsml::read(&text, path, newsroom, &mut read_photo),
        crate::wire::Kind::Ninjs => crate::wire::ninjs::read(&text, path, newsroom, &mut read_photo),
    }
}

/// Why a photo an article file names was not read.
#[derive(Debug)]
pub enum PhotoError {
    /// Nothing could be read where it was looked for.
    Unreadable { path: PathBuf, error: std::io::Error },
    /// It was found and refused; the sentence says why and what to do, to follow the photo's name.
    Refused(String),
}

/// Gives the bytes of a photo an article file names, or why not.
pub type ReadPhoto<'a> = dyn FnMut(&str) -> Result<Vec<u8>, PhotoError> + 'a;

/// Reads the photo `name` relative to `folder` (the article file's folder). An article file
/// may come from anyone, so what it names is confined: nothing that resolves (symlinks
/// included) outside `folder`, nothing but a regular file (a device such as /dev/zero never
/// ends, a FIFO blocks), and nothing over `max_bytes`, checked before reading and while reading.
pub fn read_photo_in(folder: &Path, name: &str, max_bytes: u64) -> Result<Vec<u8>, PhotoError> {
    let joined = folder.join(name);
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |error| PhotoError::Unreadable { path, error }
    };
    let root = folder.canonicalize().map_err(unreadable(folder))?;
    let real = joined.canonicalize().map_err(unreadable(&joined))?;
    if !real.starts_with(&root) {
        return Err(PhotoError::Refused(format!(
            "is outside the article's folder (it is {}): photos are read only from the article file's folder and the folders \
             inside it; copy the photo into {} and name it relative to the article, such as photos/name.jpg",
            real.display(),
            root.display()
        )));
    }
    read_regular_file(&real, max_bytes).map_err(|refusal| match refusal {
        FileRefusal::Unreadable(error) => PhotoError::Unreadable { path: real.clone(), error },
        FileRefusal::NotRegular(kind) => PhotoError::Refused(format!("is not a regular file ({kind}): name a JPEG, PNG, GIF or WebP file")),
        FileRefusal::TooBig(size) => PhotoError::Refused(format!(
            "is {:.1} MB, over the {} MB limit: save it smaller (a lower resolution or quality), or raise the limit with --max-photo-mb",
            size as f64 / MB as f64,
            max_bytes / MB
        )),
    })
}

/// The bytes of a photo a person picked (in the app's file dialog): a regular file of at most
/// `max_bytes`, never a device or a pipe, which would read forever or wait forever.
pub fn read_picked_photo(path: &Path, max_bytes: u64) -> crate::Result<Vec<u8>> {
    let what = || format!("the photo {}", path.display());
    read_regular_file(path, max_bytes).map_err(|refusal| match refusal {
        FileRefusal::Unreadable(error) => crate::Error::io(path, error),
        FileRefusal::NotRegular(kind) => {
            crate::Error::invalid(what(), format!("{kind}, not a photo file; pick a JPEG, PNG, GIF or WebP file"))
        }
        FileRefusal::TooBig(size) => crate::Error::invalid(
            what(),
            format!(
                "it is {:.1} MB, over the {} MB limit; save it smaller (a lower resolution or quality)",
                size as f64 / MB as f64,
                max_bytes / MB
            ),
        ),
    })
}

/// Why a file named by a person was not read.
enum FileRefusal {
    Unreadable(std::io::Error),
    /// A device, a pipe, a folder: what it is instead.
    NotRegular(&'static str),
    /// Its size in bytes, over the limit.
    TooBig(u64),
}

/// The bytes of the regular file at `path`, at most `max_bytes` of them. Devices and pipes are
/// refused before they are opened (opening a FIFO waits for a writer that may never come), and
/// a file that grows while it is read is never read past the limit.
fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FileRefusal> {
    use std::io::Read;
    let acceptable = |metadata: &std::fs::Metadata| -> Result<(), FileRefusal> {
        if !metadata.is_file() {
            return Err(FileRefusal::NotRegular(kind_of(&metadata.file_type())));
        }
        if metadata.len() > max_bytes {
            return Err(FileRefusal::TooBig(metadata.len()));
        }
        Ok(())
    };
    acceptable(&std::fs::metadata(path).map_err(FileRefusal::Unreadable)?)?;
    let file = std::fs::File::open(path).map_err(FileRefusal::Unreadable)?;
    let metadata = file.metadata().map_err(FileRefusal::Unreadable)?;
    acceptable(&metadata)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(FileRefusal::Unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(FileRefusal::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_char_device() || file_type.is_block_device() {
            return "it is a device";
        }
        if file_type.is_fifo() {
            return "it is a pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "it is a socket";
        }
    }
    if file_type.is_dir() { "it is a folder" } else { "it is not an ordinary file" }
}

/// Parses an article file's text. `read_photo` gives the bytes of a photo named in it.
pub fn parse(text: &str, source: &Path, newsroom: &Newsroom, read_photo: &mut ReadPhoto) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut report = |line: Option<usize>, message: String| problems.push(ImportProblem { file: source.to_path_buf(), line, message });
    let document = frontmatter::split(text)
        .map_err(|error| vec![ImportProblem { file: source.to_path_buf(), line: error.line, message: error.message }])?;
    let fields: FrontMatter = frontmatter::parse(&document)
        .map_err(|error| vec![ImportProblem { file: source.to_path_buf(), line: error.line, message: error.message }])?;

    if fields.headline.trim().is_empty() {
        report(
            frontmatter::line_of(&document, "headline").or(Some(document.front_matter_line)),
            "has no headline: add `headline: ...` to the front matter".into(),
        );
    }
    let status = match fields.status.as_deref() {
        None => Status::Draft,
        Some(text) => text.parse::<Status>().unwrap_or_else(|_| {
            report(
                frontmatter::line_of(&document, "status"),
                format!("status {text:?} is not one of draft, submitted, scheduled, published, killed"),
            );
            Status::Draft
        }),
    };
    let instant = |key: &str, value: Option<&str>, problems: &mut dyn FnMut(Option<usize>, String)| -> Option<Timestamp> {
        let value = value?;
        parse_instant(value, newsroom).or_else(|| {
            problems(
                frontmatter::line_of(&document, key),
                format!("{key} {value:?} is not a date and time: write it as 2025-02-20T15:09:00+09:00 (or 2025-02-20 15:09 in the newsroom's time zone)"),
            );
            None
        })
    };
    let first_published = instant("first_published", fields.first_published.as_deref(), &mut report);
    let last_modified = instant("last_modified", fields.last_modified.as_deref(), &mut report).or(first_published);
    let embargo = instant("embargo", fields.embargo.as_deref(), &mut report);
    let corrections: Vec<(Timestamp, String)> = fields
        .corrections
        .iter()
        .filter_map(|correction| instant("at", Some(&correction.at), &mut report).map(|at| (at, correction.note.clone())))
        .collect();

    if status == Status::Published && first_published.is_none() {
        report(
            frontmatter::line_of(&document, "status"),
            "is published but has no first_published: add `first_published: 2025-02-20T15:09:00+09:00` (기사입력)".into(),
        );
    }
    if status == Status::Scheduled && embargo.is_none() {
        report(
            frontmatter::line_of(&document, "status"),
            "is scheduled but has no embargo: add `embargo: ...` with the instant it may appear".into(),
        );
    }
    if let (Some(first), Some(last)) = (first_published, last_modified)
        && last < first
    {
        report(
            frontmatter::line_of(&document, "last_modified"),
            "last_modified (최종수정) is before first_published (기사입력): 최종수정 cannot precede 기사입력".into(),
        );
    }

    let mut photos = Vec::new();
    let mut images: Vec<Image> = Vec::new();
    for field in &fields.photos {
        let line = photo_line(&document, &field.file);
        let date = match field.date.as_deref() {
            None => None,
            Some(text) => text.trim().parse::<Date>().map(Some).unwrap_or_else(|_| {
                report(line, format!("the photo {:?} has the date {text:?}: write it as 2025-02-20", field.file));
                None
            }),
        };
        let bytes = match read_photo(&field.file) {
            Ok(bytes) => bytes,
            Err(PhotoError::Unreadable { path, error }) => {
                report(
                    line,
                    format!(
                        "the photo {:?} cannot be read at {} ({error}): put the file there or correct `file:`",
                        field.file,
                        path.display()
                    ),
                );
                continue;
            }
            Err(PhotoError::Refused(why)) => {
                report(line, format!("the photo {:?} {why}", field.file));
                continue;
            }
        };
        let image = match describe_image(bytes) {
            Ok(image) => image,
            Err(why) => {
                report(line, format!("the photo {:?} {why}", field.file));
                continue;
            }
        };
        // What the reporter typed stands; what they left empty comes from the photo's own metadata.
        let embedded = crate::photo_metadata::read(&image.bytes);
        let typed_or = |typed: &str, embedded: String| if typed.trim().is_empty() { embedded } else { typed.trim().to_string() };
        photos.push(Photo {
            file: field.file.trim().to_string(),
            image: image.image.clone(),
            media_type: image.media_type.clone(),
            width: image.width,
            height: image.height,
            caption: typed_or(&field.caption, embedded.caption),
            credit: typed_or(&field.credit, embedded.credit),
            date: date.or(embedded.date),
            email: typed_or(&field.email, embedded.email),
            alt: typed_or(&field.alt, embedded.alt),
            creator: typed_or(&field.creator, embedded.creator),
        });
        if !images.iter().any(|known| known.image == image.image) {
            images.push(image);
        }
    }

    let dateline = fields.dateline.as_ref().map(|dateline| Dateline {
        place: dateline.place.trim().to_string(),
        outlet: if dateline.outlet.trim().is_empty() { newsroom.outlet.clone() } else { dateline.outlet.trim().to_string() },
    });
    let content = Content {
        section: fields.section.section(),
        headline: fields.headline.trim().to_string(),
        subheadlines: fields.subheadlines.iter().map(|line| line.trim().to_string()).filter(|line| !line.is_empty()).collect(),
        dateline: dateline.unwrap_or_default(),
        bylines: fields
            .bylines
            .iter()
            .map(|byline| Byline { name: byline.name.trim().into(), title: byline.title.trim().into(), email: byline.email.trim().into() })
            .collect(),
        body: document.body.to_string(),
        photos,
        tags: fields.tags.iter().map(|tag| tag.trim().to_string()).filter(|tag| !tag.is_empty()).collect(),
        related: fields.related.iter().map(|id| crate::article::ArticleId(*id)).collect(),
        embargo,
        source: fields.source.clone(),
    };
    for message in content.problems() {
        report(None, message);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ImportedArticle { source: source.to_path_buf(), content, status, first_published, last_modified, corrections, images })
}

fn photo_line(document: &Document, file: &str) -> Option<usize> {
    document
        .front_matter
        .lines()
        .position(|line| line.contains("file:") && line.contains(file))
        .map(|index| index + document.front_matter_line)
}

/// An instant with an offset, or a local date and time in the newsroom's zone.
pub fn parse_instant(text: &str, newsroom: &Newsroom) -> Option<Timestamp> {
    newsroom.parse_local(text).ok()
}

/// The most pixels a photo may have. A few kilobytes of PNG can claim gigapixels (a
/// decompression bomb); news photos have a few dozen megapixels at most.
pub const MAX_PHOTO_MEGAPIXELS: u64 = 100;

/// Decodes a photo once, so that what is stored is an image a page can show and not just bytes
/// with an image's header, and gives its true type and size. The bytes are kept as they came.
/// The error is the sentence that follows "the photo ...".
pub fn describe_image(bytes: Vec<u8>) -> Result<Image, String> {
    use image::{ImageError, ImageFormat, ImageReader, Limits};
    let reader = || ImageReader::new(std::io::Cursor::new(bytes.as_slice())).with_guessed_format();
    let unreadable = |error: std::io::Error| format!("cannot be read ({error}): add it again");
    let (media_type, name) = match reader().map_err(unreadable)?.format() {
        Some(ImageFormat::Jpeg) => ("image/jpeg", "JPEG"),
        Some(ImageFormat::Png) => ("image/png", "PNG"),
        Some(ImageFormat::Gif) => ("image/gif", "GIF"),
        Some(ImageFormat::WebP) => ("image/webp", "WebP"),
        // Decoding AVIF needs a native library; an image that cannot be checked is not taken.
        Some(ImageFormat::Avif) => {
            return Err(
                "is an AVIF image, which Copydesk cannot check: convert it to JPEG or PNG (any photo app exports both) and add it again"
                    .into(),
            );
        }
        _ => return Err("is not a JPEG, PNG, GIF or WebP image: convert it to one of these".into()),
    };
    let too_large = |width: u32, height: u32| {
        format!(
            "is {width}×{height} pixels, over the limit of {MAX_PHOTO_MEGAPIXELS} megapixels: scale it down (a news page needs a few \
             thousand pixels across at most) and add it again"
        )
    };
    let damaged = |error: ImageError| {
        format!(
            "cannot be decoded as a {name} image ({error}): the file is damaged or not what it says it is; open it in an image \
             editor, save it again as JPEG or PNG and add it again"
        )
    };
    let (width, height) = reader().map_err(unreadable)?.into_dimensions().map_err(damaged)?;
    if u64::from(width) * u64::from(height) > MAX_PHOTO_MEGAPIXELS * 1_000_000 {
        return Err(too_large(width, height));
    }
    let mut decoder = reader().map_err(unreadable)?;
    // The header's size is checked above; the limits hold the decoder to it and cap what it
    // allocates, whatever the rest of the file says.
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(512 * 1024 * 1024);
    decoder.limits(limits);
    // The decoders are third-party code fed whatever a file holds; if one has a bug that panics,
    // the photo is refused instead of taking the app (and the text being edited) down with it.
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decoder.decode()))
        .map_err(|_| format!("cannot be decoded as a {name} image (the decoder failed on it): save it again as JPEG or PNG"))?
        .map_err(|error| match error {
            ImageError::Limits(_) => too_large(width, height),
            error => damaged(error),
        })?;
    let (width, height) = (decoded.width(), decoded.height());
    drop(decoded);
    if width == 0 || height == 0 {
        return Err(format!("is a {name} image without pixels: add the photo itself"));
    }
    Ok(Image { image: ImageRef::of(&bytes), media_type: media_type.into(), width, height, bytes })
}
