//! Where a library is kept. [`Store`] is the whole interface the rest of Copydesk uses; the
//! embedded SQLite file ([`sqlite::SqliteStore`]) implements it, and a server database could
//! implement it for a shared newsroom. Only this folder speaks SQL. A store enforces no
//! newsroom rules: it persists what it is given, atomically, and refuses a commit whose base is
//! stale.

pub mod sqlite;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::article::{Article, ArticleId, ArticleSummary, Content, ImageRef};
use crate::newsroom::Newsroom;
use crate::revision::{Revision, RevisionKind, RevisionNo};
use crate::search::{Filter, SearchResults};
use crate::user::{NewUser, User, UserId};

/// A photo's bytes and what export needs to know about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub image: ImageRef,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The revision a commit adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    pub kind: RevisionKind,
    pub author: UserId,
    pub at: Timestamp,
    pub note: Option<String>,
}

/// One atomic change to one article: the new state, the revision that records it, and the
/// photos it brings. `article.head` is the new revision's number; the store refuses the commit
/// unless the current head is the one before it.
#[derive(Debug, Clone)]
pub struct Commit {
    pub article: Article,
    pub revision: NewRevision,
    pub images: Vec<Image>,
}

/// The working copy kept between explicit saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Autosave {
    pub article: ArticleId,
    pub user: UserId,
    pub base: RevisionNo,
    pub content: Content,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub saved_at: Timestamp,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub integrity: Vec<String>,
    pub articles: u64,
    pub revisions: u64,
    pub unreadable_revisions: Vec<String>,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"] && self.unreadable_revisions.is_empty()
    }
}

pub trait Store: Send {
    fn newsroom(&self) -> Result<Newsroom>;
    fn set_newsroom(&mut self, newsroom: &Newsroom) -> Result<()>;

    fn add_user(&mut self, user: &NewUser, at: Timestamp) -> Result<User>;
    fn users(&self) -> Result<Vec<User>>;
    fn user(&self, id: UserId) -> Result<User>;
    fn user_by_email(&self, email: &str) -> Result<Option<User>>;

    /// Stores new articles, each with its first revision, all or none (their ids are ignored).
    fn insert_articles(&mut self, commits: Vec<Commit>) -> Result<Vec<Article>>;
    /// Applies `commit` if the article's head is still `commit.article.head - 1`.
    fn commit(&mut self, commit: Commit) -> Result<Article>;
    fn article(&self, id: ArticleId) -> Result<Article>;
    fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>>;
    fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content>;
    fn image(&self, image: &ImageRef) -> Result<Image>;
    fn has_image(&self, image: &ImageRef) -> Result<bool>;
    fn put_image(&mut self, image: &Image) -> Result<()>;

    fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>>;
    fn count(&self, filter: &Filter) -> Result<u64>;
    /// The distinct section paths (every level) the articles use, in alphabetical order.
    fn sections(&self) -> Result<Vec<String>>;
    fn search(&self, query: &str, filter: &Filter) -> Result<SearchResults>;
    /// Scheduled articles whose embargo is at or before `now`, oldest embargo first.
    fn due_for_release(&self, now: Timestamp) -> Result<Vec<ArticleId>>;

    fn put_autosave(&mut self, autosave: &Autosave) -> Result<()>;
    fn autosave(&self, article: ArticleId, user: UserId) -> Result<Option<Autosave>>;
    fn discard_autosave(&mut self, article: ArticleId, user: UserId) -> Result<()>;

    /// Verifies the file and every revision; `repair` rebuilds the search index.
    fn check(&mut self, repair: bool) -> Result<Health>;
    /// Rebuilds the search index and the byline and tag lists from the articles' content.
    fn rebuild_index(&mut self) -> Result<()>;
    /// One bounded step of upkeep that saves leave for idle time: merging about `merge_pages`
    /// pages of the search index's small segments, or, with nothing left to merge, copying the
    /// write-ahead log into the file. True if it merged something, so more may remain.
    fn tidy(&mut self, merge_pages: u32) -> Result<bool>;
    /// Frees what the store caches in memory; it fills again as it is read.
    fn release_memory(&self) -> Result<()>;
    /// A consistent copy of the whole library at `path`, taken while it stays in use.
    fn backup(&self, path: &std::path::Path) -> Result<()>;
}
