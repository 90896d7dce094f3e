//! The embedded library: one SQLite file in WAL mode. Every operation is one transaction, reads
//! included, so a crash leaves the file as it was before or after it, never between, and a
//! reader never sees half of another process's save.
//!
//! By concern: `migrations` (schema versions and the read-only look before opening), `rows`
//! (row mapping), `filters` (lists), `index` (search index and facet writers), `articles`
//! (articles, revision chains, photos, autosaves), `search`, `people` (people and settings),
//! `upkeep` (index merges, checkpoints, check, backup).

mod articles;
mod filters;
mod index;
mod migrations;
mod people;
mod rows;
mod search;
mod upkeep;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags};

pub use migrations::APPLICATION_ID;
use migrations::Found;

use super::{Autosave, Budget, Commit, Health, Image, ManagedBy, NewArticle, SearchPage, Store};
use crate::article::{Article, ArticleId, ArticleSummary, Content, ImageRef};
use crate::newsroom::Newsroom;
use crate::revision::{Revision, RevisionNo};
use crate::search::{Filter, Terms};
use crate::user::{NewUser, User, UserId};
use crate::{Error, Result};

pub struct SqliteStore {
    connection: Connection,
    path: PathBuf,
    read_only: bool,
}

impl SqliteStore {
    /// Opens the library at `path`, bringing its schema up to date. A missing file, a file that
    /// is not a Copydesk library and a library from a newer build are refused before anything
    /// is written to them. A library on a read-only file, folder or share opens for reading.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let missing = || Error::NoLibrary { location: path.display().to_string() };
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() => {}
            Ok(_) => return Err(Error::invalid(format!("{} as a library", path.display()), "it is a folder, not a library file")),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
            Err(error) => return Err(Error::io(path, error)),
        }
        let version = match migrations::inspect(path)? {
            Found::Library(version) => version,
            Found::Empty => return Err(missing()),
        };
        match Self::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
            Ok(mut store) => {
                migrations::migrate(&mut store.connection)?;
                Ok(store)
            }
            Err(Error::ReadOnly { .. }) if version < migrations::latest() => Err(Error::invalid(
                format!("the library at {}", path.display()),
                "it was written by an older Copydesk and must be upgraded, which needs write access; open a writable copy of it",
            )),
            Err(Error::ReadOnly { .. }) => {
                let mut connection = migrations::read_only(path)?;
                Self::configure(&mut connection, false)?;
                Ok(SqliteStore { connection, path: path.to_path_buf(), read_only: true })
            }
            Err(error) => Err(error),
        }
    }

    /// Makes a new library at `path`: the file must not exist yet, or be empty. Its folder is
    /// created when missing.
    pub fn create(path: &Path) -> Result<SqliteStore> {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() && metadata.len() == 0 => {}
            Ok(_) => {
                return Err(Error::invalid(
                    format!("a new library at {}", path.display()),
                    "something is already there; open it, or choose a new file name",
                ));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(Error::io(path, error)),
        }
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
        }
        let mut store = Self::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
        migrations::migrate(&mut store.connection)?;
        Ok(store)
    }

    /// A writable connection in WAL mode, or `ReadOnly` when the file or its folder cannot be
    /// written (WAL needs to create its log beside the file).
    fn connect(path: &Path, flags: OpenFlags) -> Result<SqliteStore> {
        let read_only = || Error::ReadOnly { location: path.display().to_string() };
        let mut connection = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        if connection.is_readonly(rusqlite::MAIN_DB)? {
            return Err(read_only());
        }
        match connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => {}
            Ok(_) => return Err(read_only()),
            Err(error)
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied)
                ) =>
            {
                return Err(read_only());
            }
            Err(error) => return Err(error.into()),
        }
        Self::configure(&mut connection, true)?;
        Ok(SqliteStore { connection, path: path.to_path_buf(), read_only: false })
    }

    fn configure(connection: &mut Connection, writable: bool) -> Result<()> {
        connection.busy_timeout(Duration::from_secs(5))?;
        if writable {
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            connection.pragma_update(None, "foreign_keys", "ON")?;
        }
        // Full-text inserts and big lists touch many pages; 32 MB of cache instead of 2 MB.
        connection.pragma_update(None, "cache_size", -32_768)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The schema version this build writes.
    pub fn schema_version() -> usize {
        migrations::latest()
    }

    /// A consistent copy of the whole library at `path`, taken while it stays in use.
    pub fn backup(&self, path: &Path) -> Result<()> {
        upkeep::backup(&self.connection, path)
    }

    /// Refuses a change to a library opened read-only, naming it, before SQLite would.
    fn writable(&mut self) -> Result<&mut Connection> {
        if self.read_only {
            return Err(Error::ReadOnly { location: self.path.display().to_string() });
        }
        Ok(&mut self.connection)
    }
}

impl Store for SqliteStore {
    fn newsroom(&self) -> Result<Newsroom> {
        people::newsroom(&self.connection)
    }

    fn set_newsroom(&mut self, newsroom: &Newsroom, by: ManagedBy) -> Result<()> {
        people::set_newsroom(self.writable()?, newsroom, by)
    }

    fn add_user(&mut self, user: &NewUser, keep_id: Option<UserId>, at: Timestamp, by: ManagedBy) -> Result<User> {
        people::add_user(self.writable()?, user, keep_id, at, by)
    }

    fn users(&self) -> Result<Vec<User>> {
        people::users(&self.connection)
    }

    fn user(&self, id: UserId) -> Result<User> {
        people::user(&self.connection, id)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        people::user_by_email(&self.connection, email)
    }

    fn insert_articles(&mut self, new: Vec<NewArticle>) -> Result<Vec<Article>> {
        articles::insert(self.writable()?, new)
    }

    fn commit(&mut self, commit: Commit) -> Result<Article> {
        articles::commit(self.writable()?, commit)
    }

    fn article(&self, id: ArticleId) -> Result<Article> {
        articles::article(&self.connection, id)
    }

    fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        articles::revisions(&self.connection, id)
    }

    fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content> {
        articles::revision_content(&self.connection, id, number)
    }

    fn image(&self, image: &ImageRef) -> Result<Image> {
        articles::image(&self.connection, image)
    }

    fn has_image(&self, image: &ImageRef) -> Result<bool> {
        articles::has_image(&self.connection, image)
    }

    fn put_image(&mut self, image: &Image) -> Result<()> {
        articles::put_image(self.writable()?, image)
    }

    fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>> {
        filters::list(&self.connection, filter)
    }

    fn count(&self, filter: &Filter) -> Result<u64> {
        filters::count(&self.connection, filter)
    }

    fn sections(&self) -> Result<Vec<String>> {
        filters::sections(&self.connection)
    }

    fn search(&self, terms: &Terms, filter: &Filter) -> Result<SearchPage> {
        search::search(&self.connection, terms, filter)
    }

    fn due_for_release(&self, now: Timestamp) -> Result<Vec<ArticleId>> {
        articles::due_for_release(&self.connection, now)
    }

    fn put_autosave(&mut self, autosave: &Autosave) -> Result<()> {
        articles::put_autosave(self.writable()?, autosave)
    }

    fn autosave(&self, article: ArticleId, user: UserId) -> Result<Option<Autosave>> {
        articles::autosave(&self.connection, article, user)
    }

    fn autosaves(&self, article: ArticleId) -> Result<Vec<Autosave>> {
        articles::autosaves(&self.connection, article)
    }

    fn discard_autosave(&mut self, article: ArticleId, user: UserId) -> Result<()> {
        articles::discard_autosave(self.writable()?, article, user)
    }

    fn check(&mut self, repair: bool) -> Result<Health> {
        let health = upkeep::check(&self.connection);
        if repair {
            self.rebuild_index()?;
        }
        Ok(health)
    }

    fn rebuild_index(&mut self) -> Result<()> {
        let tx = self.writable()?.transaction()?;
        index::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn maintain(&mut self, budget: Budget) -> Result<bool> {
        if self.read_only {
            return Ok(false);
        }
        upkeep::maintain(&mut self.connection, budget)
    }
}
