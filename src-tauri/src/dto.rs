//! Shapes that exist only on the IPC wire. Domain types (Article, Content, ...) cross as they
//! are; these wrap several of them for one screen, or flatten what JSON cannot say directly.
//! All derive `ts_rs::TS`; `bindings::tests` writes them to `ui/src/lib/bindings/`.

use copydesk::ErrorCode;
use copydesk::article::{Article, ArticleSummary, Length};
use copydesk::merge::Merged;
use copydesk::newsroom::Newsroom;
use copydesk::revision::RevisionNo;
use copydesk::store::Autosave;
use copydesk::user::User;
use copydesk::workflow::ActionState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A failed command: `code` is `copydesk::Error::code()` (or a shell kind such as `no_library`),
/// the UI switches on it; `message` is for people. A conflict also carries `conflict`, so the
/// UI can show the core's merge instead of working one out itself (boxed: every command's
/// `Result` carries this error, and a merge holds two whole articles).
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conflict: Option<Box<ConflictDetail>>,
}

/// Why an action on a stale base was refused: the revision the person started from, the
/// newest one, and for a save the core's three-way merge with the passages that overlap
/// (`None` for every other action, which the core does not merge).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConflictDetail {
    pub base: RevisionNo,
    pub current: RevisionNo,
    pub merged: Option<Merged>,
}

impl From<copydesk::Error> for IpcError {
    fn from(error: copydesk::Error) -> IpcError {
        let code = error.code();
        let message = error.to_string();
        let conflict = match error {
            copydesk::Error::Conflict { base, current, merged, .. } => {
                Some(Box::new(ConflictDetail { base, current, merged: merged.map(|merged| *merged) }))
            }
            _ => None,
        };
        IpcError { code, message, conflict }
    }
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError { code, message: message.into(), conflict: None }
    }
}

/// Where the person works: a library file on this computer, or a newsroom server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum Mode {
    Local,
    Server,
}

/// What the app knows at start: which library is open, who is signed in, the newsroom.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Session {
    /// The library file's path, or the server's address.
    pub library: String,
    pub mode: Mode,
    /// Whether the server answers now (always true on this computer).
    pub online: bool,
    /// The server address and email signed in with last, for the sign-in form.
    pub server: Option<String>,
    pub server_email: Option<String>,
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
    /// Set when the newsroom server cannot be reached and this is the list it last sent, kept
    /// on this computer: when it was received. `None` for a list read just now.
    #[ts(type = "string | null")]
    pub kept_at: Option<jiff::Timestamp>,
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

impl ArticleView {
    /// The view of `article` with its times as `newsroom` shows them.
    pub fn new(article: Article, actions: Vec<ActionState>, recovered: Option<Autosave>, newsroom: &Newsroom) -> ArticleView {
        ArticleView {
            first_published: article.first_published.map(|at| newsroom.display(at)),
            last_modified: article.last_modified.map(|at| newsroom.display(at)),
            article,
            actions,
            recovered,
        }
    }
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

/// Whether the newsroom server answers (the `server-status` event and `server_status`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ServerStatus {
    pub online: bool,
}

/// Who has an article open on the server, and whether to edit it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PresenceView {
    pub article: copydesk::article::ArticleId,
    pub user: copydesk::user::UserId,
    /// The person's name, as the newsroom's people list says it.
    pub name: String,
    pub editing: bool,
}

/// Something a colleague did, as the server told it (the `desk-event` event): `kind` is one of
/// `created`, `imported`, `saved`, `submitted`, `returned`, `published`, `scheduled`,
/// `released`, `corrected`, `killed`, `restored`, `presence` or `resync` (load everything again).
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeskEvent {
    pub kind: String,
    pub article: Option<copydesk::article::ArticleId>,
    pub head: Option<copydesk::revision::RevisionNo>,
    pub status: Option<copydesk::workflow::Status>,
    pub headline: Option<String>,
    pub by: Option<copydesk::user::UserId>,
    pub by_name: Option<String>,
    /// The note of a return, a correction or a kill.
    pub note: Option<String>,
    /// For `presence`: editing (true), reading (false) or closed (absent).
    pub editing: Option<bool>,
    /// The article is the signed-in person's own (they created it).
    pub mine: bool,
}

impl DeskEvent {
    pub fn from_event(event: copydesk_protocol::Event, mine: bool) -> DeskEvent {
        DeskEvent {
            kind: event.kind,
            article: event.article,
            head: event.head,
            status: event.status,
            headline: event.headline,
            by: event.by,
            by_name: event.by_name,
            note: event.note,
            editing: event.editing,
            mine,
        }
    }

    pub fn resync(at: jiff::Timestamp) -> DeskEvent {
        DeskEvent::from_event(copydesk_protocol::Event::new("resync", at), false)
    }
}

#[cfg(test)]
mod tests {
    use copydesk::Library;
    use copydesk::article::Content;
    use copydesk::clock::Clock;
    use copydesk::merge::{Choice, Place};
    use copydesk::user::{NewUser, Role};

    use super::*;

    fn content(body: &str) -> Content {
        Content { headline: "중진공-일본 CMIC 맞손".into(), body: body.into(), ..Content::default() }
    }

    /// Two people save from revision 1; both changed the second paragraph, only one the first.
    #[test]
    fn an_overlapping_save_reaches_the_page_with_the_cores_merge_and_resolves_there() {
        let folder = tempfile::tempdir().unwrap();
        let location = copydesk::store::Location::File(folder.path().join("library.sqlite3"));
        let mut library = Library::init(&location, Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap()).unwrap();
        let reporter = library
            .add_user(None, NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Reporter })
            .unwrap();
        let article = library.create(&reporter, content("첫 문단.\n\n둘째 문단.\n")).unwrap();
        library.save(&reporter, article.id, article.head, content("첫 문단.\n\n둘째 문단, 다른 창에서.\n")).unwrap();

        let refused = library.save(&reporter, article.id, article.head, content("첫 문단, 내가.\n\n둘째 문단, 내가.\n")).unwrap_err();
        let error = IpcError::from(refused);
        let wire = serde_json::to_value(&error).unwrap();
        assert_eq!(wire["code"], "conflict");
        assert_eq!(wire["conflict"]["base"], 1);
        assert_eq!(wire["conflict"]["current"], 2);
        let merged = error.conflict.and_then(|conflict| conflict.merged).expect("a save's conflict carries the merge");
        assert_eq!(merged.conflicts.len(), 1, "only the overlapping paragraph conflicts: {:?}", merged.conflicts);
        let passage = &merged.conflicts[0];
        assert_eq!((passage.field.as_str(), &passage.place), ("body", &Place::Lines { start: 2, count: 1 }));
        assert_eq!((passage.ours.trim(), passage.theirs.trim()), ("둘째 문단, 내가.", "둘째 문단, 다른 창에서."));

        let resolved = tauri::async_runtime::block_on(crate::commands::resolve_merge(merged, vec![Choice::Theirs])).unwrap();
        assert_eq!(resolved.body, "첫 문단, 내가.\n\n둘째 문단, 다른 창에서.\n", "the first paragraph merged, the second is theirs");
    }

    #[test]
    fn other_failures_carry_no_conflict() {
        let wire = serde_json::to_value(IpcError::new(ErrorCode::NoLibrary, "no library is open")).unwrap();
        assert_eq!(wire, serde_json::json!({ "code": "no_library", "message": "no library is open" }));
    }
}
