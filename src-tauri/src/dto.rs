//! Shapes that exist only on the IPC wire. Domain types (Article, Content, ...) cross as they
//! are; these wrap several of them for one screen, or flatten what JSON cannot say directly.
//! All derive `ts_rs::TS`; `bindings::tests` writes them to `ui/src/lib/bindings/`.

use copydesk::ErrorCode;
use copydesk::article::{Article, ArticleSummary, Length};
use copydesk::newsroom::Newsroom;
use copydesk::store::Autosave;
use copydesk::user::User;
use copydesk::workflow::ActionState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A failed command: `code` is `copydesk::Error::code()` (or a shell kind such as `no_library`),
/// the UI switches on it; `message` is for people.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<copydesk::Error> for IpcError {
    fn from(error: copydesk::Error) -> IpcError {
        IpcError { code: error.code(), message: error.to_string() }
    }
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError { code, message: message.into() }
    }
}

/// What the app knows at start: which library is open, who is signed in, the newsroom.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Session {
    pub library: String,
    /// The signed-in profile, `None` until first-run setup.
    pub user: Option<User>,
    /// People already in the library, to sign in as one of them.
    pub users: Vec<User>,
    pub newsroom: Newsroom,
    /// The app's "now" (honours `COPYDESK_NOW`), RFC 3339.
    pub now: String,
    /// The UI language chosen last (`ko` or `en`), `None` for the default.
    pub language: Option<String>,
    /// Where an export goes until a folder is chosen: `export/` beside the library.
    pub export_folder: String,
}

/// One page of the article list, newest first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ListPage {
    #[ts(type = "number")]
    pub total: u64,
    pub articles: Vec<ArticleSummary>,
}

/// Everything the editor screen needs for one article.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArticleView {
    pub article: Article,
    pub actions: Vec<ActionState>,
    /// Unsaved text from an earlier session, offered for recovery.
    pub recovered: Option<Autosave>,
    /// 기사입력 / 최종수정 / embargo as the newsroom shows them.
    pub first_published: Option<String>,
    pub last_modified: Option<String>,
}

/// The live preview of the text being edited.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Preview {
    pub html: String,
    pub length: Length,
    /// Microseconds the render took, for the status line and the benchmark.
    #[ts(type = "number")]
    pub micros: u64,
}

/// What a workflow action carries: the revision the user saw, optional new content, a note.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChangeInput {
    pub base: Option<copydesk::revision::RevisionNo>,
    pub content: Option<copydesk::article::Content>,
    pub note: Option<String>,
}

impl From<ChangeInput> for copydesk::Change {
    fn from(change: ChangeInput) -> copydesk::Change {
        copydesk::Change { base: change.base, content: change.content, note: change.note }
    }
}

/// Where an export was written; `open` is the token `open_path` takes to show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Exported {
    pub path: String,
    pub files: Vec<String>,
    pub open: String,
}

/// A path the person chose in a native dialog the shell opened: commands take `token`, never a
/// path (see `grants`); `path` is only for showing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Picked {
    pub token: String,
    pub path: String,
}

/// Which library dialog `pick_library` opens.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LibraryDialog {
    Open,
    Create,
}

/// The people of the library, for the people screen, and whether the signed-in profile may add
/// one (with the core's reason when not).
#[derive(Debug, Clone, Serialize, TS)]
pub struct People {
    pub users: Vec<User>,
    pub may_add: bool,
    pub reason: Option<String>,
}
