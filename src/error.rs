//! Every way a library operation can fail, each variant carrying what a user needs to fix it.
//! The app switches on [`Error::code`], never on message text. Messages say what was wrong in
//! words of the newsroom, not of one front end: the CLI adds its flags as hints
//! (`src/bin/copydesk/print.rs`), the app its buttons.

use std::path::PathBuf;

use crate::article::ArticleId;
use crate::import::ImportProblem;
use crate::merge::Merged;
use crate::revision::RevisionNo;
use crate::workflow::Refusal;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} is not valid: {fix}")]
    Invalid { what: String, fix: String },

    #[error("{what} does not exist in this library")]
    NotFound { what: String },

    /// A save or action based on a revision older than the newest. A save is merged into the
    /// newest revision first; `merged` carries that merge when some passages overlapped.
    #[error("{}", conflict_message(*.article, *.base, *.current, .merged.as_deref()))]
    Conflict { article: ArticleId, base: RevisionNo, current: RevisionNo, merged: Option<Box<Merged>> },

    #[error(transparent)]
    Refused(#[from] Refusal),

    #[error("{0}")]
    Forbidden(String),

    #[error("{}", ImportProblem::list(.0))]
    Import(Vec<ImportProblem>),

    #[error(
        "article {article} is {status}, so it cannot be exported publish-ready: {rule} To look at it \
         anyway, export it as a preview (the page is marked 미리보기 and kept out of search engines)"
    )]
    NotExportable { article: ArticleId, status: crate::workflow::Status, rule: String },

    #[error("{}{}: {message}; fix the template (its variables are listed in docs/export-templates.md) or use the house template", .file.display(), .line.map(|line| format!(" line {line}")).unwrap_or_default())]
    Template { file: PathBuf, line: Option<usize>, message: String },

    #[error("no acting user: say which person of the library you are")]
    NoActingUser,

    #[error("no user with the email {email} in this library; an admin adds people to it")]
    UnknownUser { email: String },

    #[error(
        "this library was written by a newer Copydesk (schema version {found}, this build knows up \
         to {supported}); open it with a newer Copydesk"
    )]
    NewerLibrary { found: usize, supported: usize },

    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("there is no library at {location}; create one there first")]
    NoLibrary { location: String },

    #[error(
        "the library at {location} is read-only here (a read-only file, folder or share): it can be read, but \
         not changed; open a writable copy to change it"
    )]
    ReadOnly { location: String },

    #[error("the library could not be read or written: {0}")]
    Storage(Box<dyn std::error::Error + Send + Sync>),

    #[error("the library schema could not be brought up to date: {0}")]
    Migration(String),

    #[error("the library holds data this build cannot read ({0}); check the library and repair its index")]
    Corrupt(String),

    /// A newsroom server's answer, carried back to the client as the server said it.
    #[error("{message}")]
    Remote { code: ErrorCode, message: String },
}

/// A stable machine-readable kind of failure, for the app (exported to TypeScript, where the
/// UI switches on it) and for `--json` error output. `NotGranted` and `Internal` are the app shell's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Conflict,
    Refused,
    Forbidden,
    Import,
    NotExportable,
    Template,
    NoActingUser,
    UnknownUser,
    NewerLibrary,
    Io,
    Storage,
    Migration,
    Corrupt,
    /// No library where one was looked for (and, in the app, none open).
    NoLibrary,
    /// The library can be read but not changed here.
    ReadOnly,
    /// The app was asked to act on a path it did not get from its own file dialog.
    NotGranted,
    /// A failure that is a bug, not something the user did.
    Internal,
    /// A newsroom server wants a signed-in person: no session, or one that expired or was revoked.
    NotSignedIn,
    /// Too many failed sign-ins for this account or address; wait before trying again.
    TooManyAttempts,
    /// A request larger than the server takes.
    TooLarge,
    /// The newsroom server cannot be reached or cannot reach its database now.
    Unavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Refused => "refused",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Import => "import",
            ErrorCode::NotExportable => "not_exportable",
            ErrorCode::Template => "template",
            ErrorCode::NoActingUser => "no_acting_user",
            ErrorCode::UnknownUser => "unknown_user",
            ErrorCode::NewerLibrary => "newer_library",
            ErrorCode::Io => "io",
            ErrorCode::Storage => "storage",
            ErrorCode::Migration => "migration",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::NoLibrary => "no_library",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::NotGranted => "not_granted",
            ErrorCode::Internal => "internal",
            ErrorCode::NotSignedIn => "not_signed_in",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

/// Lets a test or a caller compare with the wire form: `error.code() == "conflict"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// A stable machine-readable kind, for the app and for `--json` error output.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Refused(_) => ErrorCode::Refused,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Import(_) => ErrorCode::Import,
            Error::NotExportable { .. } => ErrorCode::NotExportable,
            Error::Template { .. } => ErrorCode::Template,
            Error::NoActingUser => ErrorCode::NoActingUser,
            Error::UnknownUser { .. } => ErrorCode::UnknownUser,
            Error::NewerLibrary { .. } => ErrorCode::NewerLibrary,
            Error::Io { .. } => ErrorCode::Io,
            Error::NoLibrary { .. } => ErrorCode::NoLibrary,
            Error::ReadOnly { .. } => ErrorCode::ReadOnly,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::Remote { code, .. } => *code,
        }
    }

    pub fn invalid(what: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::Invalid { what: what.into(), fix: fix.into() }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

fn conflict_message(article: ArticleId, base: RevisionNo, current: RevisionNo, merged: Option<&Merged>) -> String {
    let changed = format!(
        "article {article} changed since you started editing: your edit is based on revision {base}, the library already has revision {current}"
    );
    match merged {
        Some(merged) if !merged.conflicts.is_empty() => {
            let passages: Vec<String> = merged.conflicts.iter().map(MergeConflictName).map(|name| name.to_string()).collect();
            format!(
                "{changed}, and you both changed the same passages ({}). Nothing was overwritten; everything else \
                 merged. Keep your version or theirs of each, or rewrite it, and save again on top of revision {current}",
                passages.join(", ")
            )
        }
        _ => format!("{changed}. Nothing was overwritten; compare the two revisions and save again on top of revision {current}"),
    }
}

/// A conflicting passage as a sentence names it: `the body at line 3`, `the caption of photos/a.jpg`.
struct MergeConflictName<'a>(&'a crate::merge::MergeConflict);

impl std::fmt::Display for MergeConflictName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::merge::Place;
        match &self.0.place {
            Place::Field => write!(f, "the {}", self.0.field),
            Place::Lines { start, .. } if self.0.field == "body" => write!(f, "the body at line {}", start + 1),
            Place::Lines { start, .. } => write!(f, "subheadline {}", start + 1),
            Place::Photo { file, part } if part == "photo" => write!(f, "the photo {file}"),
            Place::Photo { file, part } => write!(f, "the {part} of the photo {file}"),
        }
    }
}
