//! Every way a library operation can fail, each variant carrying what a user needs to fix it.
//! The app switches on [`Error::code`], never on message text.

use std::path::PathBuf;

use crate::article::ArticleId;
use crate::import::ImportProblem;
use crate::revision::RevisionNo;
use crate::workflow::Refusal;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} is not valid: {fix}")]
    Invalid { what: String, fix: String },

    #[error("{what} does not exist in this library")]
    NotFound { what: String },

    #[error(
        "article {article} changed since you started editing: your edit is based on revision {base}, \
         the library already has revision {current}. Nothing was overwritten; compare the two \
         (`copydesk diff {article} {base} {current}`) and save again on top of revision {current}"
    )]
    Conflict { article: ArticleId, base: RevisionNo, current: RevisionNo },

    #[error(transparent)]
    Refused(#[from] Refusal),

    #[error("{0}")]
    Forbidden(String),

    #[error("{}", ImportProblem::list(.0))]
    Import(Vec<ImportProblem>),

    #[error(
        "article {article} is {status}, so it cannot be exported publish-ready: {rule} To look at it \
         anyway, export it with --preview (the page is marked 미리보기 and kept out of search engines)"
    )]
    NotExportable { article: ArticleId, status: crate::workflow::Status, rule: String },

    #[error("{}{}: {message}; fix the template (its variables are listed in docs/export-templates.md) or leave out --template to use the house template", .file.display(), .line.map(|line| format!(" line {line}")).unwrap_or_default())]
    Template { file: PathBuf, line: Option<usize>, message: String },

    #[error("no acting user: pass --user EMAIL or set COPYDESK_USER (see `copydesk user list`)")]
    NoActingUser,

    #[error("no user with the email {email} in this library; add one with `copydesk user add`")]
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

    #[error("the library holds data this build cannot read ({0}); run `copydesk check`")]
    Corrupt(String),
}

impl Error {
    /// A stable machine-readable kind, for the app and for `--json` error output.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::Refused(_) => "refused",
            Error::Forbidden(_) => "forbidden",
            Error::Import(_) => "import",
            Error::NotExportable { .. } => "not_exportable",
            Error::Template { .. } => "template",
            Error::NoActingUser => "no_acting_user",
            Error::UnknownUser { .. } => "unknown_user",
            Error::NewerLibrary { .. } => "newer_library",
            Error::Io { .. } => "io",
            Error::NoLibrary { .. } => "no_library",
            Error::ReadOnly { .. } => "read_only",
            Error::Storage(_) => "storage",
            Error::Migration(_) => "migration",
            Error::Corrupt(_) => "corrupt",
        }
    }

    pub fn invalid(what: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::Invalid { what: what.into(), fix: fix.into() }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}
