//! A Copydesk library in a PostgreSQL database: the shared library of a newsroom. It keeps the
//! same data the same way as the embedded SQLite store (the same revision chain, the same
//! facets, the core's search terms with their positions), so the one integration suite passes
//! on both. A commit locks its article's row, so of two processes saving on the same base
//! revision exactly one wins.

pub mod accounts;
mod articles;
mod lists;
mod people;
mod terms;
mod upkeep;

use std::cell::RefCell;

use copydesk::article::{Article, ArticleId, ArticleSummary, Content, ImageRef};
use copydesk::clock::Clock;
use copydesk::newsroom::Newsroom;
use copydesk::revision::{Revision, RevisionNo};
use copydesk::search::{Filter, Terms};
use copydesk::store::Location;
use copydesk::store::{Autosave, Budget, Commit, Health, Image, ManagedBy, NewArticle, SearchPage, Store};
use copydesk::user::{NewUser, Role, User, UserId};
use copydesk::workflow::Status;
use copydesk::{Error, Library, Result};
use jiff::Timestamp;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Taken while the schema is brought up to date, so two server processes starting together
/// do not both migrate ("CPDK").
const MIGRATION_LOCK: i64 = 0x4350_444B;
/// Taken by a change to people or settings, so the admin check and the change are one step.
const PEOPLE_LOCK: i64 = 0x4350_4450;

fn storage(error: postgres::Error) -> Error {
    Error::Storage(Box::new(error))
}

fn corrupt(what: impl std::fmt::Display) -> Error {
    Error::Corrupt(what.to_string())
}

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

fn instant(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(corrupt)
}

fn optional_instant(micros: Option<i64>) -> Result<Option<Timestamp>> {
    micros.map(instant).transpose()
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse::<T>().map_err(|_| corrupt(format!("the stored value {text:?}")))
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(corrupt)
}

fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T> {
    row.try_get(index).map_err(storage)
}

const USER_COLUMNS: &str = "id, name, title, email, role";

/// Moves `table`'s id sequence past `kept`, an id written explicitly (a copied library's), so
/// the next one the store gives is new; a sequence already past it is left alone.
fn keep_ids_past(tx: &mut impl postgres::GenericClient, table: &str, kept: i64) -> Result<()> {
    tx.execute(
        "SELECT setval(s::regclass, $2) FROM pg_get_serial_sequence($1, 'id') AS s \
         WHERE $2 > coalesce(pg_sequence_last_value(s::regclass), 0)",
        &[&table, &kept],
    )
    .map_err(storage)?;
    Ok(())
}

fn user_from_row(row: &Row) -> Result<User> {
    Ok(User { id: UserId(get(row, 0)?), name: get(row, 1)?, title: get(row, 2)?, email: get(row, 3)?, role: parse::<Role>(get(row, 4)?)? })
}

const ARTICLE_COLUMNS: &str = "a.id, a.status, a.content, a.head, a.published_revision, a.first_published, \
     a.last_modified, a.corrections, a.created_by, a.created_at, a.updated_at, a.scheduled_by";

fn article_from_row(row: &Row) -> Result<Article> {
    Ok(Article {
        id: ArticleId(get(row, 0)?),
        status: parse::<Status>(get(row, 1)?)?,
        content: json(get(row, 2)?)?,
        head: RevisionNo(get::<i32>(row, 3)? as u32),
        published_revision: get::<Option<i32>>(row, 4)?.map(|n| RevisionNo(n as u32)),
        first_published: optional_instant(get(row, 5)?)?,
        last_modified: optional_instant(get(row, 6)?)?,
        corrections: json(get(row, 7)?)?,
        created_by: UserId(get(row, 8)?),
        created_at: instant(get(row, 9)?)?,
        updated_at: instant(get(row, 10)?)?,
        scheduled_by: get::<Option<i64>>(row, 11)?.map(UserId),
    })
}

const SUMMARY_COLUMNS: &str = "a.id, a.status, a.section, a.headline, a.bylines, \
     a.first_published, a.last_modified, a.embargo, a.updated_at, a.head";

fn summary_from_row(row: &Row) -> Result<ArticleSummary> {
    let bylines: &str = get(row, 4)?;
    Ok(ArticleSummary {
        id: ArticleId(get(row, 0)?),
        status: parse::<Status>(get(row, 1)?)?,
        section: get(row, 2)?,
        headline: get(row, 3)?,
        bylines: bylines.split('\u{1f}').filter(|name| !name.is_empty()).map(String::from).collect(),
        first_published: optional_instant(get(row, 5)?)?,
        last_modified: optional_instant(get(row, 6)?)?,
        embargo: optional_instant(get(row, 7)?)?,
        updated_at: instant(get(row, 8)?)?,
        head: RevisionNo(get::<i32>(row, 9)? as u32),
    })
}

/// A value a statement binds, with the type it is sent as: a statement whose parameters are
/// typed goes to the server in one round trip (`query_typed`), where `query` prepares it, runs
/// it and closes it in three. A search runs several in a row.
trait Param: ToSql + Sync + Send + 'static {
    const TYPE: Type;
}

impl Param for String {
    const TYPE: Type = Type::TEXT;
}

impl Param for i64 {
    const TYPE: Type = Type::INT8;
}

/// A statement's text and its parameters, numbered as they are bound.
#[derive(Default)]
struct Query {
    params: Vec<(Box<dyn ToSql + Sync + Send>, Type)>,
}

impl Query {
    fn bind<P: Param>(&mut self, value: P) -> String {
        self.params.push((Box::new(value), P::TYPE));
        format!("${}", self.params.len())
    }

    fn params(&self) -> Vec<(&(dyn ToSql + Sync), Type)> {
        self.params.iter().map(|(param, kind)| (param.as_ref() as &(dyn ToSql + Sync), kind.clone())).collect()
    }

    /// The conditions `filter` puts on the article row `a` of a list: status and dates on its
    /// own columns, which its indexes answer (the newest drafts, the week's 기사입력), other
    /// facets through the facet index. `skip_facet` is the facet that already drives the query.
    fn article_conditions(&mut self, filter: &Filter, skip_facet: Option<&(&'static str, String)>) -> String {
        let mut clauses = vec!["true".to_string()];
        if let Some(status) = filter.status {
            clauses.push(format!("a.status = {}", self.bind(status.as_str().to_string())));
        }
        for (condition, bound) in date_bounds(filter) {
            clauses.push(format!("a.{condition} {}", self.bind(micros(bound))));
        }
        for (kind, value) in filter.facets() {
            if Some(&(kind, value.clone())) == skip_facet {
                continue;
            }
            let (kind, value) = (self.bind(kind.to_string()), self.bind(value));
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM article_facets f WHERE f.article_id = a.id AND f.kind = {kind} AND f.value = {value})"
            ));
        }
        clauses.join(" AND ")
    }

    /// The conditions `filter` puts on the dates of the article `id` (a search hit's), read
    /// from its row.
    fn dates(&mut self, filter: &Filter, id: &str) -> String {
        let mut dates = Vec::new();
        for (condition, bound) in date_bounds(filter) {
            dates.push(format!("r.{condition} {}", self.bind(micros(bound))));
        }
        if dates.is_empty() {
            return "true".to_string();
        }
        format!("EXISTS (SELECT 1 FROM articles r WHERE r.id = {id} AND {})", dates.join(" AND "))
    }
}

/// The date conditions `filter` sets, each as a column and comparison, and its bound.
fn date_bounds(filter: &Filter) -> impl Iterator<Item = (&'static str, Timestamp)> {
    [
        ("first_published >=", filter.published_from),
        ("first_published <", filter.published_to),
        ("last_modified >=", filter.modified_from),
        ("last_modified <", filter.modified_to),
    ]
    .into_iter()
    .filter_map(|(condition, bound)| bound.map(|bound| (condition, bound)))
}

pub struct PostgresStore {
    client: RefCell<Client>,
}

impl PostgresStore {
    /// Opens the library in the database at `url`, bringing its schema up to date. An empty
    /// database is no library yet (`init` makes one); a database holding other tables, or a
    /// library from a newer build, is refused before anything is written.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let mut client = Self::connect(url)?;
        match Self::found(&mut client, url)? {
            Found::Empty => Err(Error::NoLibrary { location: shown(url) }),
            Found::Library => Self::migrate(client),
        }
    }

    /// Makes a new library in the empty database at `url`.
    pub fn init(url: &str) -> Result<PostgresStore> {
        let mut client = Self::connect(url)?;
        match Self::found(&mut client, url)? {
            Found::Empty => Self::migrate(client),
            Found::Library => Err(Error::invalid(
                format!("a new library at {}", shown(url)),
                "that database already holds a library; open it, or give an empty database",
            )),
        }
    }

    pub(crate) fn connect(url: &str) -> Result<Client> {
        Client::connect(url, NoTls).map_err(|error| {
            Error::invalid(
                format!("the library at {}", shown(url)),
                format!("the database server cannot be reached or refused the connection ({error})"),
            )
        })
    }

    fn found(client: &mut Client, url: &str) -> Result<Found> {
        let tables: Vec<String> = client
            .query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", &[])
            .map_err(storage)?
            .iter()
            .map(|row| get::<String>(row, 0))
            .collect::<Result<_>>()?;
        if tables.is_empty() {
            return Ok(Found::Empty);
        }
        if !tables.iter().any(|table| table == "refinery_schema_history") || !tables.iter().any(|table| table == "articles") {
            return Err(Error::invalid(
                format!("{} as a library", shown(url)),
                "this database holds other tables and is not a Copydesk library; give an empty database or a library's",
            ));
        }
        let version: Option<i32> =
            client.query_one("SELECT max(version) FROM refinery_schema_history", &[]).map_err(storage).and_then(|row| get(&row, 0))?;
        let latest = Self::schema_version();
        let found = usize::try_from(version.unwrap_or(0)).unwrap_or(usize::MAX);
        if found > latest {
            return Err(Error::NewerLibrary { found, supported: latest });
        }
        Ok(Found::Library)
    }

    fn migrate(mut client: Client) -> Result<PostgresStore> {
        client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).map_err(storage)?;
        let migrated = embedded::migrations::runner()
            .run(&mut client)
            .map_err(|error| Error::Migration(error.to_string()))
            .and_then(|_| upkeep::fill_candidates(&mut client));
        client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).map_err(storage)?;
        migrated?;
        Ok(PostgresStore { client: RefCell::new(client) })
    }

    /// The schema version this build writes.
    pub fn schema_version() -> usize {
        // The highest number, not the count: numbers may skip one that another branch holds.
        embedded::migrations::runner().get_migrations().iter().map(|migration| migration.version() as usize).max().unwrap_or(0)
    }
}

/// Opens the library at `location`: a file (the embedded store) or a PostgreSQL database.
pub fn open_library(location: &Location, clock: Clock) -> Result<Library> {
    match location {
        Location::Postgres(url) => Ok(Library::with_store(Box::new(PostgresStore::open(url)?), clock)),
        Location::File(_) => Library::open(location, clock),
    }
}

/// Makes a new library at `location`: a file, or an empty PostgreSQL database.
pub fn init_library(location: &Location, clock: Clock) -> Result<Library> {
    match location {
        Location::Postgres(url) => Ok(Library::with_store(Box::new(PostgresStore::init(url)?), clock)),
        Location::File(_) => Library::init(location, clock),
    }
}

enum Found {
    Empty,
    Library,
}

/// `url` without its password, for messages.
fn shown(url: &str) -> String {
    Location::Postgres(url.to_string()).to_string()
}

impl Store for PostgresStore {
    fn newsroom(&self) -> Result<Newsroom> {
        people::newsroom(&mut self.client.borrow_mut())
    }

    fn set_newsroom(&mut self, newsroom: &Newsroom, by: ManagedBy) -> Result<()> {
        people::set_newsroom(self.client.get_mut(), newsroom, by)
    }

    fn add_user(&mut self, user: &NewUser, keep_id: Option<UserId>, at: Timestamp, by: ManagedBy) -> Result<User> {
        people::add_user(self.client.get_mut(), user, keep_id, at, by)
    }

    fn users(&self) -> Result<Vec<User>> {
        people::users(&mut self.client.borrow_mut())
    }

    fn user(&self, id: UserId) -> Result<User> {
        people::user(&mut self.client.borrow_mut(), id)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        people::user_by_email(&mut self.client.borrow_mut(), email)
    }

    fn insert_articles(&mut self, new: Vec<NewArticle>) -> Result<Vec<Article>> {
        articles::insert(self.client.get_mut(), new)
    }

    fn commit(&mut self, commit: Commit) -> Result<Article> {
        articles::commit(self.client.get_mut(), commit)
    }

    fn article(&self, id: ArticleId) -> Result<Article> {
        articles::article(&mut *self.client.borrow_mut(), id)
    }

    fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        articles::revisions(&mut self.client.borrow_mut(), id)
    }

    fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content> {
        articles::revision_content(&mut self.client.borrow_mut(), id, number)
    }

    fn image(&self, image: &ImageRef) -> Result<Image> {
        articles::image(&mut self.client.borrow_mut(), image)
    }

    fn has_image(&self, image: &ImageRef) -> Result<bool> {
        articles::has_image(&mut self.client.borrow_mut(), image)
    }

    fn put_image(&mut self, image: &Image) -> Result<()> {
        articles::put_image(self.client.get_mut(), image)
    }

    fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>> {
        lists::list(&mut self.client.borrow_mut(), filter)
    }

    fn count(&self, filter: &Filter) -> Result<u64> {
        lists::count(&mut self.client.borrow_mut(), filter)
    }

    fn sections(&self) -> Result<Vec<String>> {
        lists::sections(&mut self.client.borrow_mut())
    }

    fn search(&self, terms: &Terms, filter: &Filter) -> Result<SearchPage> {
        lists::search(&mut self.client.borrow_mut(), terms, filter)
    }

    fn due_for_release(&self, now: Timestamp) -> Result<Vec<ArticleId>> {
        lists::due_for_release(&mut self.client.borrow_mut(), now)
    }

    fn put_autosave(&mut self, autosave: &Autosave) -> Result<()> {
        articles::put_autosave(self.client.get_mut(), autosave)
    }

    fn autosave(&self, article: ArticleId, user: UserId) -> Result<Option<Autosave>> {
        articles::autosave(&mut self.client.borrow_mut(), article, user)
    }

    fn autosaves(&self, article: ArticleId) -> Result<Vec<Autosave>> {
        articles::autosaves(&mut self.client.borrow_mut(), article)
    }

    fn discard_autosave(&mut self, article: ArticleId, user: UserId) -> Result<()> {
        articles::discard_autosave(self.client.get_mut(), article, user)
    }

    fn check(&mut self, repair: bool) -> Result<Health> {
        let health = upkeep::check(self.client.get_mut());
        if repair {
            self.rebuild_index()?;
        }
        Ok(health)
    }

    fn rebuild_index(&mut self) -> Result<()> {
        upkeep::rebuild_index(self.client.get_mut())
    }

    fn maintain(&mut self, budget: Budget) -> Result<bool> {
        // Articles indexed by an older build are rewritten a few at a time, so an upgraded
        // archive never waits for all of them; autovacuum and the server's checkpointer do the
        // rest outside any save.
        let batch = match budget {
            Budget::Step => 100,
            Budget::Settle | Budget::Idle => 2_000,
        };
        upkeep::refresh_candidates(self.client.get_mut(), batch)?;
        upkeep::tidy_search_index(self.client.get_mut())?;
        Ok(false)
    }
}
