//! Where a library is kept. [`Store`] is the whole interface the rest of Copydesk uses; the
//! embedded SQLite file ([`sqlite::SqliteStore`]) implements it, and a server database can
//! implement it for a shared newsroom. Only the stores speak SQL. A store enforces no newsroom
//! rule: it persists what it is given, atomically, and refuses a change whose precondition (the
//! base revision, the acting admin) no longer holds when it commits.

mod location;
pub mod sqlite;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use location::Location;

use crate::Result;
use crate::article::{Article, ArticleId, ArticleSummary, Content, Correction, ImageRef};
use crate::newsroom::Newsroom;
use crate::revision::{Revision, RevisionKind, RevisionNo};
use crate::search::{Filter, Terms};
use crate::user::{NewUser, User, UserId};
use crate::workflow::Status;

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
    /// The older revision a stale save was merged from, when this revision is such a merge.
    pub merged_from: Option<RevisionNo>,
}

/// An article the library does not have yet: everything but its head, which is its first
/// revision, and (unless it keeps one) its id, which the store gives it.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The id it keeps, when it comes from another library (a copy keeps every id, gaps and
    /// all); `None` takes the store's next.
    pub id: Option<ArticleId>,
    pub status: Status,
    pub content: Content,
    /// Whether the first revision is the one readers see (an imported published article).
    pub published: bool,
    pub first_published: Option<Timestamp>,
    pub last_modified: Option<Timestamp>,
    pub corrections: Vec<Correction>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub scheduled_by: Option<UserId>,
    pub revision: NewRevision,
    pub images: Vec<Image>,
}

impl NewArticle {
    /// The article as stored under `id`.
    pub fn into_article(self, id: ArticleId) -> Article {
        Article {
            id,
            status: self.status,
            content: self.content,
            head: RevisionNo::FIRST,
            published_revision: self.published.then_some(RevisionNo::FIRST),
            first_published: self.first_published,
            last_modified: self.last_modified,
            corrections: self.corrections,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.created_at,
            scheduled_by: self.scheduled_by,
        }
    }
}

/// One atomic change to one article: the new state, the revision that records it, and the
/// photos it brings. `article.head` is the new revision's number; the store refuses the commit
/// unless the current head is the one before it.
#[derive(Debug, Clone)]
pub struct Commit {
    pub article: Article,
    pub revision: NewRevision,
    pub images: Vec<Image>,
    /// Whose working copy of the article the revision replaces, dropped in the same transaction.
    pub replaces_autosave_of: Option<UserId>,
}

/// What must still hold, inside the transaction, for a person to be added or the settings to
/// change: the acting admin is still an admin, or the library still has no admin at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManagedBy {
    Admin(UserId),
    NobodyYet,
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

/// A page of search candidates in the order [`crate::search`] ranks them (headline hits first,
/// then the rest, each newest first), with the content the snippets are cut from.
#[derive(Debug, Clone, Default)]
pub struct SearchPage {
    /// Every match, counted up to [`crate::search::COUNT_LIMIT`].
    pub total: u64,
    pub hits: Vec<(ArticleSummary, Content)>,
}

/// What `check` found: counts, and every problem in words a person can act on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub articles: u64,
    pub revisions: u64,
    pub problems: Vec<String>,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How long upkeep may take before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// A few milliseconds: someone may be waiting to save.
    Step,
    /// Nobody waits (the CLI after a command, a bulk fill): bigger pieces.
    Settle,
    /// The app sits idle: also give back what the store caches in memory.
    Idle,
}

pub trait Store: Send {
    fn newsroom(&self) -> Result<Newsroom>;
    fn set_newsroom(&mut self, newsroom: &Newsroom, by: ManagedBy) -> Result<()>;

    /// Adds a person, under `keep_id` when they come from another library (a copy keeps every
    /// id, gaps and all), else under the store's next id.
    fn add_user(&mut self, user: &NewUser, keep_id: Option<UserId>, at: Timestamp, by: ManagedBy) -> Result<User>;
    fn users(&self) -> Result<Vec<User>>;
    fn user(&self, id: UserId) -> Result<User>;
    fn user_by_email(&self, email: &str) -> Result<Option<User>>;

    /// Stores new articles, each with its first revision, all or none.
    fn insert_articles(&mut self, articles: Vec<NewArticle>) -> Result<Vec<Article>>;
    /// Applies `commit` if the article's head is still `commit.article.head - 1`.
    fn commit(&mut self, commit: Commit) -> Result<Article>;
    fn article(&self, id: ArticleId) -> Result<Article>;
    fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>>;
    /// The content of revision `number`, rebuilt with [`crate::revision::rebuild`] from one
    /// consistent reading of the article and its revision chain.
    fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content>;
    fn image(&self, image: &ImageRef) -> Result<Image>;
    fn has_image(&self, image: &ImageRef) -> Result<bool>;
    fn put_image(&mut self, image: &Image) -> Result<()>;

    fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>>;
    fn count(&self, filter: &Filter) -> Result<u64>;
    /// The distinct section paths (every level) the articles use, in alphabetical order.
    fn sections(&self) -> Result<Vec<String>>;
    /// The articles holding every phrase of `terms` (each phrase's terms in a row, the last one
    /// as a prefix when it is open-ended) that pass `filter`, one page of them.
    fn search(&self, terms: &Terms, filter: &Filter) -> Result<SearchPage>;
    /// Scheduled articles whose embargo is at or before `now`, oldest embargo first.
    fn due_for_release(&self, now: Timestamp) -> Result<Vec<ArticleId>>;

    fn put_autosave(&mut self, autosave: &Autosave) -> Result<()>;
    fn autosave(&self, article: ArticleId, user: UserId) -> Result<Option<Autosave>>;
    /// Every person's working copy of `article`.
    fn autosaves(&self, article: ArticleId) -> Result<Vec<Autosave>>;
    fn discard_autosave(&mut self, article: ArticleId, user: UserId) -> Result<()>;

    /// Verifies the stored data and every revision, reporting what it finds rather than failing
    /// on it; `repair` rebuilds the search index.
    fn check(&mut self, repair: bool) -> Result<Health>;
    /// Rebuilds the search index and the facets lists filter on from the articles' content.
    fn rebuild_index(&mut self) -> Result<()>;
    /// Upkeep that saves leave for later, within `budget`. True if more remains.
    fn maintain(&mut self, budget: Budget) -> Result<bool>;
}
