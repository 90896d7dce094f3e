//! What a Copydesk newsroom server and its clients say to each other: the JSON bodies of its
//! routes (described for everyone else in the server's `/openapi.json`) and its events. The
//! server (`copydesk-server`) and the client (`copydesk-client`) both use these types, so the
//! two cannot drift apart.

use std::collections::BTreeMap;

use copydesk::article::{ArticleId, Content, ImageRef};
use copydesk::error::ErrorCode;
use copydesk::export::Format;
use copydesk::merge::Merged;
use copydesk::revision::RevisionNo;
use copydesk::user::{Role, User, UserId};
use copydesk::workflow::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Every failure: what kind, in words, and for a conflict the revisions involved and, when a
/// stale save overlapped the newest revision, the merge with the conflicting passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<Box<Merged>>,
}

impl Failure {
    /// The body a server answers `error` with; `message` is the words it shows.
    pub fn of(error: &copydesk::Error, message: String) -> Failure {
        let mut failure = Failure { code: error.code(), message, article: None, base: None, current: None, merged: None };
        if let copydesk::Error::Conflict { article, base, current, merged } = error {
            (failure.article, failure.base, failure.current) = (Some(article.0), Some(base.0), Some(current.0));
            failure.merged = merged.clone();
        }
        failure
    }

    /// The core error a client rebuilds from the body, so it is handled as a local library's.
    pub fn into_error(self) -> copydesk::Error {
        match (self.code, self.article, self.base, self.current) {
            (ErrorCode::Conflict, Some(article), Some(base), Some(current)) => copydesk::Error::Conflict {
                article: ArticleId(article),
                base: RevisionNo(base),
                current: RevisionNo(current),
                merged: self.merged,
            },
            (code, ..) => copydesk::Error::Remote { code, message: self.message },
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// A new session: the token goes to the client once and is never stored on the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedIn {
    pub token: String,
    pub user: User,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AddUser {
    pub name: String,
    #[serde(default)]
    pub title: String,
    pub email: String,
    pub role: Role,
    /// Lets the person sign in at once; without one, an admin sets it later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetPassword {
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetDisabled {
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub actor: Option<UserId>,
    pub action: String,
    pub subject: String,
    pub address: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewArticle {
    pub content: Content,
}

/// A save (and an autosave): the content, on top of the revision the edit started from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Save {
    pub base: RevisionNo,
    pub content: Content,
    /// Set when the save settles a conflict (`Library::save_settled`): the older revision the
    /// person's own text started from, recorded as the new revision's second parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<RevisionNo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Restore {
    pub revision: RevisionNo,
    #[serde(default)]
    pub base: Option<RevisionNo>,
}

/// Who has an article open, and whether to edit it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Open {
    pub editing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub article: ArticleId,
    pub user: UserId,
    pub editing: bool,
    pub until: Timestamp,
}

/// An article a client read from a file, its photos already sent to `/api/images`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportItem {
    pub source: String,
    pub content: Content,
    pub status: Status,
    #[serde(default)]
    pub first_published: Option<Timestamp>,
    #[serde(default)]
    pub last_modified: Option<Timestamp>,
    #[serde(default)]
    pub corrections: Vec<(Timestamp, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Import {
    pub articles: Vec<ImportItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredImage {
    pub image: ImageRef,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExportRequest {
    pub ids: Vec<ArticleId>,
    #[serde(default)]
    pub format: Format,
    #[serde(default)]
    pub preview: bool,
    #[serde(default)]
    pub self_contained: bool,
    #[serde(default)]
    pub index: bool,
    /// An outlet's own templates, by file name (`article.html`, `index.html`, `style.css`).
    #[serde(default)]
    pub templates: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportedFile {
    /// Relative to the export folder.
    pub path: String,
    /// The file's bytes, in standard base64.
    pub data: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportedArticle {
    pub id: ArticleId,
    pub status: Status,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exported {
    pub articles: Vec<ExportedArticle>,
    pub batch_files: Vec<String>,
    pub files: Vec<ExportedFile>,
}

/// One thing that happened. `kind` is `created`, `imported`, `saved`, `submitted`, `returned`,
/// `published`, `scheduled`, `released`, `corrected`, `killed`, `restored`, `presence` (who
/// has an article open, and whether to edit it) or `resync` (load again: events were missed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<RevisionNo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// The note of a return, a correction or a kill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For `presence`: editing (true), reading (false) or gone (absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<bool>,
}

impl Event {
    pub fn new(kind: &str, at: Timestamp) -> Event {
        Event {
            kind: kind.into(),
            at,
            article: None,
            head: None,
            status: None,
            headline: None,
            by: None,
            by_name: None,
            note: None,
            editing: None,
        }
    }
}
