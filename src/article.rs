//! What an article is: the fields a reporter writes ([`Content`]) and the state the desk's
//! workflow gives it ([`Article`]). See DESIGN.md's table; the seed article fills every field.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::revision::RevisionNo;
use crate::user::UserId;
use crate::workflow::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct ArticleId(#[cfg_attr(feature = "ts", ts(type = "number"))] pub i64);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for ArticleId {
    type Err = crate::Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse::<i64>().ok().filter(|id| *id > 0).map(ArticleId).ok_or_else(|| {
            crate::Error::invalid(format!("the article id {text:?}"), "give an article number, as the article list shows it")
        })
    }
}

/// Where the article sits on the site, outermost first: `경제 > 경제일반`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Section(pub Vec<String>);

impl Section {
    pub const SEPARATOR: &'static str = " > ";

    pub fn parse(path: &str) -> Section {
        Section(path.split('>').map(str::trim).filter(|level| !level.is_empty()).map(String::from).collect())
    }

    pub fn path(&self) -> String {
        self.0.join(Self::SEPARATOR)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The innermost level, the one a reader's breadcrumb ends on.
    pub fn leaf(&self) -> Option<&str> {
        self.0.last().map(String::as_str)
    }
}

/// `[세종=뉴스핌]`: where the story was filed and by which outlet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Dateline {
    pub place: String,
    pub outlet: String,
}

impl Dateline {
    /// The bracketed form a reader sees, `[세종=뉴스핌]`; empty when neither part is known.
    pub fn bracketed(&self) -> String {
        match (self.place.trim(), self.outlet.trim()) {
            ("", "") => String::new(),
            (place, "") => format!("[{place}]"),
            ("", outlet) => format!("[{outlet}]"),
            (place, outlet) => format!("[{place}={outlet}]"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Byline {
    pub name: String,
    /// 기자, 특파원, 통일전문기자, ...
    pub title: String,
    pub email: String,
}

impl Byline {
    /// `김기랑 기자`
    pub fn credit(&self) -> String {
        format!("{} {}", self.name.trim(), self.title.trim()).trim().to_string()
    }
}

/// The SHA-256 of an image's bytes, in hex: photos are stored once per library however many
/// revisions or articles use them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct ImageRef(pub String);

impl ImageRef {
    pub fn of(bytes: &[u8]) -> ImageRef {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(bytes);
        ImageRef(digest.iter().map(|byte| format!("{byte:02x}")).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Photo {
    /// The name the body refers to in `![alt](file)`, such as `photos/signing-ceremony.jpg`.
    pub file: String,
    pub image: ImageRef,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub caption: String,
    /// Who owns the picture, shown as `[사진=credit]`.
    #[serde(default)]
    pub credit: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub date: Option<Date>,
    /// The sign-off under the caption, usually the reporter's email.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub alt: String,
    /// The photographer, as the photo's embedded metadata (By-line, `dc:creator`) names them;
    /// written back into exported photos, with the article's bylines when empty.
    #[serde(default)]
    pub creator: String,
}

impl Photo {
    /// A photo entry for a stored image, its caption, credit, date, photographer and alt text
    /// filled from what the file's IPTC metadata says (see [`crate::photo_metadata`]), ready for
    /// the reporter to change.
    pub fn from_image(file: &str, image: &crate::store::Image) -> Photo {
        let read = crate::photo_metadata::read(&image.bytes);
        Photo {
            file: file.to_string(),
            image: image.image.clone(),
            media_type: image.media_type.clone(),
            width: image.width,
            height: image.height,
            caption: read.caption,
            credit: read.credit,
            date: read.date,
            email: read.email,
            alt: read.alt,
            creator: read.creator,
        }
    }
}

/// Everything a reporter writes. A revision is a snapshot of this.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Content {
    pub section: Section,
    pub headline: String,
    /// Zero to [`Content::MAX_SUBHEADLINES`] short lines under the headline.
    pub subheadlines: Vec<String>,
    pub dateline: Dateline,
    pub bylines: Vec<Byline>,
    /// CommonMark with tables, strikethrough and footnotes.
    pub body: String,
    pub photos: Vec<Photo>,
    pub tags: Vec<String>,
    pub related: Vec<ArticleId>,
    /// The article must not appear before this instant.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub embargo: Option<Timestamp>,
    /// The agency item this article came from (NewsML-G2 or ninjs), so that a later version of
    /// the same item updates the article instead of adding another.
    pub source: Option<Source>,
}

/// An agency item an article was imported from: its id, version and provider as the item
/// gives them, and the urgency the agency set (1 most urgent, 9 least).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Source {
    /// The item's globally unique id (NewsML-G2 `guid`, ninjs `uri`).
    pub id: String,
    pub version: u32,
    pub provider: String,
    pub urgency: Option<u8>,
    /// The agency's publishing status: `usable`, `withheld` or `canceled`.
    pub pub_status: String,
}

impl Content {
    pub const MAX_SUBHEADLINES: usize = 5;

    /// What makes this content unfit to be stored at all, each as a sentence a reporter can act
    /// on. Readiness to be sent to the desk is the workflow's business, not this.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.subheadlines.len() > Self::MAX_SUBHEADLINES {
            problems.push(format!(
                "{} subheadlines: an article has at most {}; merge or drop some",
                self.subheadlines.len(),
                Self::MAX_SUBHEADLINES
            ));
        }
        if self.headline.contains('\n') {
            problems.push("the headline spans several lines: write it on one line".into());
        }
        for (index, byline) in self.bylines.iter().enumerate() {
            if byline.name.trim().is_empty() {
                problems.push(format!("byline {} has no name", index + 1));
            }
            if !byline.email.is_empty() && !plausible_email(&byline.email) {
                problems.push(format!("byline {} has the email {:?}, which is not an address", index + 1, byline.email));
            }
        }
        let mut files = std::collections::HashSet::new();
        for photo in &self.photos {
            if !files.insert(photo.file.as_str()) {
                problems.push(format!("two photos are both called {:?}: give each its own file name", photo.file));
            }
            if !photo.email.is_empty() && !plausible_email(&photo.email) {
                problems.push(format!("the photo {:?} has the sign-off {:?}, which is not an address", photo.file, photo.email));
            }
        }
        problems
    }

    /// The emails that sign the article off at its end, one per byline that has one.
    pub fn sign_off(&self) -> Vec<&str> {
        self.bylines.iter().map(|byline| byline.email.trim()).filter(|email| !email.is_empty()).collect()
    }

    /// `[세종=뉴스핌] 김기랑 기자 = `, rendered before the first paragraph.
    pub fn lead_in(&self) -> String {
        let dateline = self.dateline.bracketed();
        let credit = self.bylines.first().map(Byline::credit).unwrap_or_default();
        match (dateline.is_empty(), credit.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("{dateline} "),
            (true, false) => format!("{credit} = "),
            (false, false) => format!("{dateline} {credit} = "),
        }
    }
}

fn plausible_email(text: &str) -> bool {
    let text = text.trim();
    match text.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace),
        None => false,
    }
}

/// A correction published after the article went out, shown to readers with its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Correction {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: Timestamp,
    pub note: String,
    pub by: String,
    pub revision: RevisionNo,
}

/// An article as the library holds it now: its newest content and where the workflow has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Article {
    pub id: ArticleId,
    pub status: Status,
    pub content: Content,
    /// The newest revision; a save must be based on it.
    pub head: RevisionNo,
    /// The revision readers see (or will see, when scheduled); later saves wait for a correction.
    pub published_revision: Option<RevisionNo>,
    /// 기사입력: set by the first publication, never changed afterwards.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub first_published: Option<Timestamp>,
    /// 최종수정: the latest published revision's instant.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_modified: Option<Timestamp>,
    pub corrections: Vec<Correction>,
    pub created_by: UserId,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated_at: Timestamp,
    /// Who scheduled it, so the release is recorded in their name.
    pub scheduled_by: Option<UserId>,
}

/// One row of the article list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub status: Status,
    pub section: String,
    pub headline: String,
    pub bylines: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub first_published: Option<Timestamp>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_modified: Option<Timestamp>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub embargo: Option<Timestamp>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated_at: Timestamp,
    pub head: RevisionNo,
}

/// Characters with and without spaces, and 200-character manuscript pages (원고지 매수), the
/// way Korean desks measure length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Length {
    pub with_spaces: usize,
    pub without_spaces: usize,
    pub manuscript_pages: usize,
}

impl Length {
    pub const MANUSCRIPT_PAGE: usize = 200;

    pub fn of(text: &str) -> Length {
        let with_spaces = text.chars().filter(|c| *c != '\n' && *c != '\r').count();
        let without_spaces = text.chars().filter(|c| !c.is_whitespace()).count();
        Length { with_spaces, without_spaces, manuscript_pages: with_spaces.div_ceil(Self::MANUSCRIPT_PAGE) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_in_reads_like_the_seed() {
        let content = Content {
            dateline: Dateline { place: "세종".into(), outlet: "뉴스핌".into() },
            bylines: vec![Byline { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into() }],
            ..Content::default()
        };
        assert_eq!(content.lead_in(), "[세종=뉴스핌] 김기랑 기자 = ");
        assert_eq!(content.sign_off(), vec!["rang@newspim.com"]);
    }

    #[test]
    fn section_path_round_trips() {
        let section = Section::parse(" 경제 >경제일반 ");
        assert_eq!(section.0, vec!["경제", "경제일반"]);
        assert_eq!(section.path(), "경제 > 경제일반");
        assert_eq!(section.leaf(), Some("경제일반"));
    }

    #[test]
    fn too_many_subheadlines_is_a_problem() {
        let content = Content { subheadlines: vec!["줄".into(); 6], ..Content::default() };
        assert!(content.problems()[0].contains("at most 5"));
    }

    #[test]
    fn length_counts_manuscript_pages() {
        let length = Length::of(&"가 ".repeat(150));
        assert_eq!(length.with_spaces, 300);
        assert_eq!(length.without_spaces, 150);
        assert_eq!(length.manuscript_pages, 2);
    }
}
