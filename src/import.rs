//! Reading article files (Markdown with YAML front matter, photos beside them) into articles.
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

/// Reads the article file at `path`; photos are looked up relative to its folder.
pub fn read_file(path: &Path, newsroom: &Newsroom) -> Result<ImportedArticle, Vec<ImportProblem>> {
    let problem = |line: Option<usize>, message: String| vec![ImportProblem { file: path.to_path_buf(), line, message }];
    let bytes = std::fs::read(path).map_err(|error| problem(None, format!("cannot be read: {error}")))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let line = error.as_bytes()[..valid].iter().filter(|byte| **byte == b'\n').count() + 1;
        problem(Some(line), format!("is not UTF-8 text (byte {valid}): save the file as UTF-8 and import it again"))
    })?;
    let folder = path.parent().unwrap_or(Path::new("."));
    parse(&text, path, newsroom, &mut |file| std::fs::read(folder.join(file)).map_err(|error| (folder.join(file), error)))
}

/// Gives the bytes of a photo an article file names, or where it looked and why it failed.
pub type ReadPhoto<'a> = dyn FnMut(&str) -> Result<Vec<u8>, (PathBuf, std::io::Error)> + 'a;

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
            Err((path, error)) => {
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
        };
        let Some(image) = describe_image(bytes) else {
            report(line, format!("the photo {:?} is not a JPEG, PNG, GIF, WebP or AVIF image: convert it to one of these", field.file));
            continue;
        };
        photos.push(Photo {
            file: field.file.trim().to_string(),
            image: image.image.clone(),
            media_type: image.media_type.clone(),
            width: image.width,
            height: image.height,
            caption: field.caption.trim().to_string(),
            credit: field.credit.trim().to_string(),
            date,
            email: field.email.trim().to_string(),
            alt: field.alt.trim().to_string(),
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

/// Sniffs an image's type and size; `None` when it is not a kind a page can show.
pub fn describe_image(bytes: Vec<u8>) -> Option<Image> {
    use imagesize::ImageType;
    let media_type = match imagesize::image_type(&bytes).ok()? {
        ImageType::Jpeg => "image/jpeg",
        ImageType::Png => "image/png",
        ImageType::Gif => "image/gif",
        ImageType::Webp => "image/webp",
        ImageType::Heif(imagesize::Compression::Av1) => "image/avif",
        _ => return None,
    };
    let size = imagesize::blob_size(&bytes).ok()?;
    let (width, height) = (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?);
    if width == 0 || height == 0 {
        return None;
    }
    Some(Image { image: ImageRef::of(&bytes), media_type: media_type.into(), width, height, bytes })
}
