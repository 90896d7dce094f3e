//! The embedded library: one SQLite file in WAL mode. Every operation is one transaction, so a
//! crash leaves the file as it was before or after it, never between.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};
use rusqlite_migration::{M, Migrations};

use super::{Autosave, Commit, Health, Image, NewRevision, Store};
use crate::article::{Article, ArticleId, ArticleSummary, Content, ImageRef, Section};
use crate::newsroom::Newsroom;
use crate::revision::{self, Delta, Revision, RevisionKind, RevisionNo, SNAPSHOT_EVERY};
use crate::search::{self, Filter, SearchHit, SearchResults, Terms};
use crate::user::{NewUser, Role, User, UserId};
use crate::workflow::Status;
use crate::{Error, Result};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("schema_v1.sql")),
    M::up(include_str!("schema_v2.sql")),
    M::up(include_str!("schema_v3.sql")),
    M::up(include_str!("schema_v4.sql")),
];

pub struct SqliteStore {
    connection: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the library at `path`, creating it (and its folder) when it does not exist, and
    /// brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::io(parent, source))?;
        }
        let not_a_library = |error: rusqlite::Error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::invalid(
                format!("{} as a library", path.display()),
                "this file is not a Copydesk library; give another path with --library",
            ),
            _ => Error::Storage(error),
        };
        let mut connection = Connection::open(path).map_err(not_a_library)?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())).map_err(not_a_library)?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        // Full-text inserts and big lists touch many pages; 32 MB of cache instead of 2 MB.
        connection.pragma_update(None, "cache_size", -32_768)?;
        Self::migrate(&mut connection)?;
        Ok(SqliteStore { connection, path: path.to_path_buf() })
    }

    fn migrate(connection: &mut Connection) -> Result<()> {
        let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let found = usize::try_from(found).unwrap_or(usize::MAX);
        if found > MIGRATIONS.len() {
            return Err(Error::NewerLibrary { found, supported: MIGRATIONS.len() });
        }
        Migrations::from_slice(MIGRATIONS).to_latest(connection).map_err(|error| Error::Migration(error.to_string()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this build writes.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }
}

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

fn instant(micros: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))
}

fn optional_instant(micros: Option<i64>) -> rusqlite::Result<Option<Timestamp>> {
    micros.map(instant).transpose()
}

fn from_text<T: std::str::FromStr>(text: String) -> rusqlite::Result<T> {
    text.parse::<T>().map_err(|_| rusqlite::Error::InvalidColumnType(0, text, rusqlite::types::Type::Text))
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|error| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error)))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn user_from_row(row: &Row) -> rusqlite::Result<User> {
    Ok(User { id: UserId(row.get(0)?), name: row.get(1)?, title: row.get(2)?, email: row.get(3)?, role: from_text::<Role>(row.get(4)?)? })
}

const ARTICLE_COLUMNS: &str = "a.id, a.status, a.content, a.head, a.published_revision, a.first_published, \
     a.last_modified, a.corrections, a.created_by, a.created_at, a.updated_at, a.scheduled_by";

fn article_from_row(row: &Row) -> rusqlite::Result<Article> {
    Ok(Article {
        id: ArticleId(row.get(0)?),
        status: from_text::<Status>(row.get(1)?)?,
        content: json(&row.get::<_, String>(2)?)?,
        head: RevisionNo(row.get(3)?),
        published_revision: row.get::<_, Option<u32>>(4)?.map(RevisionNo),
        first_published: optional_instant(row.get(5)?)?,
        last_modified: optional_instant(row.get(6)?)?,
        corrections: json(&row.get::<_, String>(7)?)?,
        created_by: UserId(row.get(8)?),
        created_at: instant(row.get(9)?)?,
        updated_at: instant(row.get(10)?)?,
        scheduled_by: row.get::<_, Option<i64>>(11)?.map(UserId),
    })
}

const SUMMARY_COLUMNS: &str = "a.id, a.status, a.section, a.headline, a.bylines, \
     a.first_published, a.last_modified, a.embargo, a.updated_at, a.head";

fn summary_from_row(row: &Row) -> rusqlite::Result<ArticleSummary> {
    let bylines: String = row.get(4)?;
    Ok(ArticleSummary {
        id: ArticleId(row.get(0)?),
        status: from_text::<Status>(row.get(1)?)?,
        section: row.get(2)?,
        headline: row.get(3)?,
        bylines: bylines.split('\u{1f}').filter(|name| !name.is_empty()).map(String::from).collect(),
        first_published: optional_instant(row.get(5)?)?,
        last_modified: optional_instant(row.get(6)?)?,
        embargo: optional_instant(row.get(7)?)?,
        updated_at: instant(row.get(8)?)?,
        head: RevisionNo(row.get(9)?),
    })
}

/// A facet value a filter asks for: (kind, value) in `article_facets`.
fn facets(filter: &Filter) -> Vec<(&'static str, String)> {
    let mut facets = Vec::new();
    if let Some(byline) = filter.byline.as_deref().map(str::trim).filter(|byline| !byline.is_empty()) {
        facets.push(("byline", byline.to_lowercase()));
    }
    if let Some(tag) = filter.tag.as_deref().map(str::trim).filter(|tag| !tag.is_empty()) {
        facets.push(("tag", tag.to_string()));
    }
    if let Some(section) = filter.section.as_deref().map(|path| Section::parse(path).path()).filter(|path| !path.is_empty()) {
        facets.push(("section", section));
    }
    facets
}

/// The WHERE clause (over `articles a`) and its parameters for a filter, leaving out the facet
/// that drives the query when there is one.
fn filter_clause(filter: &Filter, driving: Option<&(&'static str, String)>) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = vec!["1".into()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(status) = filter.status {
        clauses.push("a.status = ?".into());
        values.push(Value::Text(status.as_str().into()));
    }
    for facet in facets(filter) {
        if Some(&facet) != driving {
            clauses.push(has_facet("a.id"));
            values.push(Value::Text(facet.0.into()));
            values.push(Value::Text(facet.1));
        }
    }
    for (condition, bound) in date_bounds(filter) {
        clauses.push(format!("a.{condition}"));
        values.push(bound);
    }
    (clauses.join(" AND "), values)
}

/// The condition that article `id` has the facet given by the next two parameters (kind, value).
fn has_facet(id: &str) -> String {
    format!("EXISTS (SELECT 1 FROM article_facets f WHERE f.article_id = {id} AND f.kind = ? AND f.value = ?)")
}

/// The filter's 기사입력 and 최종수정 bounds, each as a condition on an articles column and its
/// parameter.
fn date_bounds(filter: &Filter) -> Vec<(&'static str, Value)> {
    [
        ("first_published >= ?", filter.published_from),
        ("first_published < ?", filter.published_to),
        ("last_modified >= ?", filter.modified_from),
        ("last_modified < ?", filter.modified_to),
    ]
    .into_iter()
    .filter_map(|(condition, bound)| Some((condition, Value::Integer(micros(bound?)))))
    .collect()
}

/// The WHERE clause and parameters a search hit with rowid `hit` must meet. Status, section,
/// byline and tag are each one lookup in the narrow facet index, so checking a hit never reads
/// its article row (one 4 KB page each, most of it text); only date ranges need that row.
fn search_filter_clause(filter: &Filter, hit: &str) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = vec!["1".into()];
    let mut values: Vec<Value> = Vec::new();
    let status = filter.status.map(|status| ("status", status.as_str().to_string()));
    for (kind, value) in status.into_iter().chain(facets(filter)) {
        clauses.push(has_facet(hit));
        values.push(Value::Text(kind.into()));
        values.push(Value::Text(value));
    }
    let (conditions, bounds): (Vec<&str>, Vec<Value>) = date_bounds(filter).into_iter().unzip();
    if !conditions.is_empty() {
        clauses.push(format!("EXISTS (SELECT 1 FROM articles r WHERE r.id = {hit} AND {})", conditions.join(" AND ")));
        values.extend(bounds);
    }
    (clauses.join(" AND "), values)
}

/// The list query for a filter led by a date range: the page's ids come from `index` alone.
fn date_ranged_page(index: &str, clause: &str) -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id IN \
         (SELECT a.id FROM articles a INDEXED BY {index} WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?) \
         ORDER BY a.updated_at DESC, a.id DESC"
    )
}

fn page(filter: &Filter) -> (i64, i64) {
    (i64::from(filter.limit.unwrap_or(Filter::DEFAULT_LIMIT)), i64::from(filter.offset.unwrap_or(0)))
}

/// Writes the list's facet rows of an article; they carry its updated_at, so every commit
/// rewrites them.
fn index_facets(tx: &rusqlite::Transaction, article: &Article, replace: bool) -> Result<()> {
    if replace {
        tx.prepare_cached("DELETE FROM article_facets WHERE article_id = ?")?.execute([article.id.0])?;
    }
    let content = &article.content;
    let mut facets: Vec<(&str, String)> = vec![("status", article.status.as_str().to_string())];
    for depth in 1..=content.section.0.len() {
        facets.push(("section", Section(content.section.0[..depth].to_vec()).path()));
    }
    for byline in &content.bylines {
        facets.push(("byline", byline.name.trim().to_lowercase()));
        facets.push(("byline", byline.email.trim().to_lowercase()));
    }
    for tag in &content.tags {
        facets.push(("tag", tag.trim().to_string()));
    }
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO article_facets (kind, value, updated_at, article_id) VALUES (?, ?, ?, ?)")?;
    for (kind, value) in facets.into_iter().filter(|(_, value)| !value.is_empty()) {
        insert.execute(params![kind, value, micros(article.updated_at), article.id.0])?;
    }
    Ok(())
}

/// Writes an article's terms into the search indexes.
fn index_text(tx: &rusqlite::Transaction, id: ArticleId, content: &Content, replace: bool) -> Result<()> {
    if replace {
        tx.prepare_cached("DELETE FROM search_index WHERE rowid = ?")?.execute([id.0])?;
        tx.prepare_cached("DELETE FROM headline_index WHERE rowid = ?")?.execute([id.0])?;
    }
    let [headline, subheadlines, body, captions, people, tags] = search::document(content);
    tx.prepare_cached(
        "INSERT INTO search_index (rowid, headline, subheadlines, body, captions, people, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![id.0, headline, subheadlines, body, captions, people, tags])?;
    tx.prepare_cached("INSERT INTO headline_index (rowid, headline) VALUES (?, ?)")?.execute(params![id.0, headline])?;
    Ok(())
}

fn put_images(tx: &rusqlite::Transaction, images: &[Image]) -> Result<()> {
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO images (ref, media_type, width, height, bytes) VALUES (?, ?, ?, ?, ?)")?;
    for image in images {
        insert.execute(params![image.image.0, image.media_type, image.width, image.height, image.bytes])?;
    }
    Ok(())
}

fn write_article_row(tx: &rusqlite::Transaction, article: &Article, insert: bool) -> Result<ArticleId> {
    let content = revision::snapshot_text(&article.content);
    let values = params![
        article.status.as_str(),
        article.content.section.path(),
        article.content.headline,
        article.content.bylines.iter().map(|byline| byline.name.trim()).collect::<Vec<_>>().join("\u{1f}"),
        content,
        article.head.0,
        article.published_revision.map(|n| n.0),
        article.first_published.map(micros),
        article.last_modified.map(micros),
        article.content.embargo.map(micros),
        to_json(&article.corrections),
        article.created_by.0,
        micros(article.created_at),
        micros(article.updated_at),
        article.scheduled_by.map(|user| user.0),
        article.id.0,
    ];
    if insert {
        tx.execute(
            "INSERT INTO articles (status, section, headline, bylines, content, head, published_revision, first_published, \
             last_modified, embargo, corrections, created_by, created_at, updated_at, scheduled_by, id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
            values,
        )?;
        Ok(ArticleId(tx.last_insert_rowid()))
    } else {
        tx.execute(
            "UPDATE articles SET status = ?, section = ?, headline = ?, bylines = ?, content = ?, head = ?, published_revision = ?, \
             first_published = ?, last_modified = ?, embargo = ?, corrections = ?, created_by = ?, created_at = ?, \
             updated_at = ?, scheduled_by = ? WHERE id = ?",
            values,
        )?;
        Ok(article.id)
    }
}

fn insert_revision(tx: &rusqlite::Transaction, id: ArticleId, number: RevisionNo, revision: &NewRevision, status: Status) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO revisions (article_id, number, kind, author, at, note, status, payload_kind, payload) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'head', NULL)",
    )?
    .execute(params![
        id.0,
        number.0,
        revision.kind.as_str(),
        revision.author.0,
        micros(revision.at),
        revision.note,
        status.as_str()
    ])?;
    Ok(())
}

impl Store for SqliteStore {
    fn newsroom(&self) -> Result<Newsroom> {
        let mut newsroom = Newsroom::default();
        let mut statement = self.connection.prepare("SELECT key, value FROM settings")?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, value) = row?;
            // A setting this build does not know (from a newer one) is kept in the file, unused here.
            let _ = newsroom.set(&key, &value);
        }
        Ok(newsroom)
    }

    fn set_newsroom(&mut self, newsroom: &Newsroom) -> Result<()> {
        let tx = self.connection.transaction()?;
        for key in Newsroom::KEYS {
            let value = newsroom.get(key).unwrap_or_default();
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn add_user(&mut self, user: &NewUser, at: Timestamp) -> Result<User> {
        let inserted = self.connection.execute(
            "INSERT INTO users (name, title, email, role, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
            params![user.name, user.title, user.email, user.role.as_str(), micros(at)],
        )?;
        if inserted == 0 {
            return Err(Error::invalid(
                format!("the email {}", user.email),
                "another user already has it; each person needs their own email",
            ));
        }
        self.user(UserId(self.connection.last_insert_rowid()))
    }

    fn users(&self) -> Result<Vec<User>> {
        let mut statement = self.connection.prepare("SELECT id, name, title, email, role FROM users ORDER BY id")?;
        let users = statement.query_map([], user_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(users)
    }

    fn user(&self, id: UserId) -> Result<User> {
        self.connection
            .query_row("SELECT id, name, title, email, role FROM users WHERE id = ?", [id.0], user_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound { what: format!("user {id}") })
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(self
            .connection
            .query_row("SELECT id, name, title, email, role FROM users WHERE email = ?", [email.trim()], user_from_row)
            .optional()?)
    }

    fn insert_articles(&mut self, commits: Vec<Commit>) -> Result<Vec<Article>> {
        let tx = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut inserted = Vec::with_capacity(commits.len());
        for commit in commits {
            put_images(&tx, &commit.images)?;
            let article = Article { head: RevisionNo::FIRST, ..commit.article };
            let id = write_article_row(&tx, &article, true)?;
            insert_revision(&tx, id, RevisionNo::FIRST, &commit.revision, article.status)?;
            let article = Article { id, ..article };
            index_facets(&tx, &article, false)?;
            index_text(&tx, id, &article.content, false)?;
            inserted.push(article);
        }
        tx.commit()?;
        Ok(inserted)
    }

    fn commit(&mut self, commit: Commit) -> Result<Article> {
        let article = commit.article;
        let base = RevisionNo(article.head.0.saturating_sub(1));
        let tx = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (current, old_text): (u32, String) = tx
            .query_row("SELECT head, content FROM articles WHERE id = ?", [article.id.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: format!("article {}", article.id) })?;
        if current != base.0 {
            return Err(Error::Conflict { article: article.id, base, current: RevisionNo(current) });
        }
        put_images(&tx, &commit.images)?;
        let new_text = revision::snapshot_text(&article.content);
        // The old head becomes a reverse delta from the new one, or a snapshot that cuts the chain.
        let (payload_kind, payload) = if base.0.is_multiple_of(SNAPSHOT_EVERY) {
            ("snapshot", old_text.clone())
        } else {
            let delta = Delta::between(&new_text, &old_text).encode();
            if delta.len() < old_text.len() { ("delta", delta) } else { ("snapshot", old_text.clone()) }
        };
        tx.prepare_cached("UPDATE revisions SET payload_kind = ?, payload = ? WHERE article_id = ? AND number = ?")?.execute(params![
            payload_kind,
            payload,
            article.id.0,
            base.0
        ])?;
        insert_revision(&tx, article.id, article.head, &commit.revision, article.status)?;
        write_article_row(&tx, &article, false)?;
        index_facets(&tx, &article, true)?;
        if new_text != old_text {
            index_text(&tx, article.id, &article.content, true)?;
        }
        tx.commit()?;
        Ok(article)
    }

    fn article(&self, id: ArticleId) -> Result<Article> {
        self.connection
            .query_row(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?"), [id.0], article_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound { what: format!("article {id}") })
    }

    fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        self.article(id)?;
        let mut statement = self.connection.prepare(
            "SELECT r.number, r.kind, r.author, u.name, r.at, r.note, r.status, \
             coalesce(length(CAST(r.payload AS BLOB)), length(CAST(a.content AS BLOB))) \
             FROM revisions r JOIN users u ON u.id = r.author JOIN articles a ON a.id = r.article_id \
             WHERE r.article_id = ? ORDER BY r.number",
        )?;
        let revisions = statement
            .query_map([id.0], |row| {
                let kind: String = row.get(1)?;
                Ok(Revision {
                    number: RevisionNo(row.get(0)?),
                    kind: RevisionKind::parse(&kind)
                        .ok_or_else(|| rusqlite::Error::InvalidColumnType(1, kind, rusqlite::types::Type::Text))?,
                    author: UserId(row.get(2)?),
                    author_name: row.get(3)?,
                    at: instant(row.get(4)?)?,
                    note: row.get(5)?,
                    status: from_text::<Status>(row.get(6)?)?,
                    stored_bytes: row.get::<_, i64>(7)? as usize,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(revisions)
    }

    fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content> {
        let article = self.article(id)?;
        if number > article.head || number.0 == 0 {
            return Err(Error::NotFound { what: format!("revision {number} of article {id} (it has 1 to {})", article.head) });
        }
        let mut statement = self
            .connection
            .prepare_cached("SELECT number, payload_kind, payload FROM revisions WHERE article_id = ? AND number >= ? ORDER BY number")?;
        let rows: Vec<(u32, String, Option<String>)> = statement
            .query_map(params![id.0, number.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // Start from the nearest full text at or after `number`, then walk the deltas back.
        let start = rows
            .iter()
            .position(|(_, kind, _)| kind != "delta")
            .ok_or_else(|| Error::Corrupt(format!("article {id} has no full revision after {number}")))?;
        let mut text = match rows[start].1.as_str() {
            "head" => revision::snapshot_text(&article.content),
            _ => rows[start].2.clone().unwrap_or_default(),
        };
        for (_, _, payload) in rows[..start].iter().rev() {
            text = Delta::decode(payload.as_deref().unwrap_or_default())?.apply(&text)?;
        }
        revision::content_from_snapshot(&text)
    }

    fn image(&self, image: &ImageRef) -> Result<Image> {
        self.connection
            .query_row("SELECT ref, media_type, width, height, bytes FROM images WHERE ref = ?", [&image.0], |row| {
                Ok(Image {
                    image: ImageRef(row.get(0)?),
                    media_type: row.get(1)?,
                    width: row.get(2)?,
                    height: row.get(3)?,
                    bytes: row.get(4)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::NotFound { what: format!("image {}", image.0) })
    }

    fn has_image(&self, image: &ImageRef) -> Result<bool> {
        Ok(self.connection.query_row("SELECT EXISTS (SELECT 1 FROM images WHERE ref = ?)", [&image.0], |row| row.get(0))?)
    }

    fn put_image(&mut self, image: &Image) -> Result<()> {
        let tx = self.connection.transaction()?;
        put_images(&tx, std::slice::from_ref(image))?;
        tx.commit()?;
        Ok(())
    }

    fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>> {
        let (limit, offset) = page(filter);
        // A byline, tag or section drives the query from its facet index, newest first;
        // otherwise the articles' own newest-first (or status) index does.
        let driving = facets(filter).into_iter().next();
        let (clause, mut values) = filter_clause(filter, driving.as_ref());
        let sql = match &driving {
            Some((kind, value)) => {
                let mut all = vec![Value::Text((*kind).into()), Value::Text(value.clone())];
                all.append(&mut values);
                values = all;
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM article_facets d JOIN articles a ON a.id = d.article_id \
                     WHERE d.kind = ? AND d.value = ? AND {clause} ORDER BY d.updated_at DESC, d.article_id DESC LIMIT ? OFFSET ?"
                )
            }
            // A date range picks its page inside its index (which carries status and the sort
            // key), so only the page's rows are read, however many articles the range holds.
            None if filter.published_from.is_some() || filter.published_to.is_some() => {
                date_ranged_page("articles_first_published", &clause)
            }
            None if filter.modified_from.is_some() || filter.modified_to.is_some() => date_ranged_page("articles_last_modified", &clause),
            None => {
                format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?")
            }
        };
        values.push(Value::Integer(limit));
        values.push(Value::Integer(offset));
        let mut statement = self.connection.prepare_cached(&sql)?;
        let summaries = statement.query_map(params_from_iter(values), summary_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(summaries)
    }

    fn count(&self, filter: &Filter) -> Result<u64> {
        let (clause, values) = filter_clause(filter, None);
        let count: i64 = self
            .connection
            .prepare_cached(&format!("SELECT count(*) FROM articles a WHERE {clause}"))?
            .query_row(params_from_iter(values), |row| row.get(0))?;
        Ok(count as u64)
    }

    fn sections(&self) -> Result<Vec<String>> {
        // One index seek per distinct section rather than a scan of every article's facet rows:
        // a library holds a few dozen sections and may hold millions of articles.
        let mut next = self
            .connection
            .prepare_cached("SELECT value FROM article_facets WHERE kind = 'section' AND value > ? ORDER BY value LIMIT 1")?;
        let mut sections: Vec<String> = Vec::new();
        while let Some(section) = next.query_row([sections.last().map_or("", String::as_str)], |row| row.get(0)).optional()? {
            sections.push(section);
        }
        Ok(sections)
    }

    fn search(&self, query: &str, filter: &Filter) -> Result<SearchResults> {
        let terms = Terms::parse(query);
        if terms.is_empty() {
            return Err(Error::invalid(format!("the search {query:?}"), "type at least one word or number to look for"));
        }
        let matching = Value::Text(terms.match_expression());
        let (limit, offset) = page(filter);
        let with = |filter_values: &[Value], first: &[Value], rest: &[Value]| -> Vec<Value> {
            first.iter().chain(filter_values).chain(rest).cloned().collect()
        };

        // Every hit is in the full index (it holds the headline too), so the total is one
        // capped count there.
        let (in_full, full_values) = search_filter_clause(filter, "s.rowid");
        let total: i64 = self
            .connection
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM search_index s WHERE search_index MATCH ? AND {in_full} LIMIT {})",
                search::COUNT_LIMIT
            ))?
            .query_row(params_from_iter(with(&full_values, std::slice::from_ref(&matching), &[])), |row| row.get(0))?;

        // Headline hits come first: the small headline index finds them all cheaply.
        let (in_headlines, headline_values) = search_filter_clause(filter, "h.rowid");
        let headline_hits: i64 = self
            .connection
            .prepare_cached(&format!("SELECT count(*) FROM headline_index h WHERE headline_index MATCH ? AND {in_headlines}"))?
            .query_row(params_from_iter(with(&headline_values, std::slice::from_ref(&matching), &[])), |row| row.get(0))?;
        let in_headline =
            format!("FROM headline_index h JOIN articles a ON a.id = h.rowid WHERE headline_index MATCH ? AND {in_headlines}");
        // Then every other hit, newest first, streamed from the full index so a page costs
        // about its own size however common the word is.
        let elsewhere = format!(
            "FROM search_index s JOIN articles a ON a.id = s.rowid WHERE search_index MATCH ? \
             AND s.rowid NOT IN (SELECT rowid FROM headline_index WHERE headline_index MATCH ?) AND {in_full}"
        );

        let read = |sql: String, values: Vec<Value>| -> Result<Vec<(ArticleSummary, Content)>> {
            let mut statement = self.connection.prepare_cached(&sql)?;
            let rows = statement
                .query_map(params_from_iter(values), |row| Ok((summary_from_row(row)?, json::<Content>(&row.get::<_, String>(10)?)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        };
        let mut rows = Vec::new();
        if offset < headline_hits {
            let values = with(&headline_values, std::slice::from_ref(&matching), &[Value::Integer(limit), Value::Integer(offset)]);
            rows = read(format!("SELECT {SUMMARY_COLUMNS}, a.content {in_headline} ORDER BY h.rowid DESC LIMIT ? OFFSET ?"), values)?;
        }
        let still_wanted = limit - rows.len() as i64;
        if still_wanted > 0 {
            let skip = (offset - headline_hits).max(0);
            let values = with(&full_values, &[matching.clone(), matching.clone()], &[Value::Integer(still_wanted), Value::Integer(skip)]);
            rows.extend(read(format!("SELECT {SUMMARY_COLUMNS}, a.content {elsewhere} ORDER BY s.rowid DESC LIMIT ? OFFSET ?"), values)?);
        }
        let hits = rows
            .into_iter()
            .map(|(article, content)| SearchHit { snippet: search::snippet(&content, &terms.words, 80), article })
            .collect();
        Ok(SearchResults { total: total as u64, exact: total < search::COUNT_LIMIT, hits })
    }

    fn due_for_release(&self, now: Timestamp) -> Result<Vec<ArticleId>> {
        let mut statement =
            self.connection.prepare_cached("SELECT id FROM articles WHERE status = 'scheduled' AND embargo <= ? ORDER BY embargo, id")?;
        let ids = statement.query_map([micros(now)], |row| Ok(ArticleId(row.get(0)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    fn put_autosave(&mut self, autosave: &Autosave) -> Result<()> {
        self.connection.prepare_cached(
            "INSERT INTO autosaves (article_id, user_id, base, content, saved_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET base = excluded.base, content = excluded.content, saved_at = excluded.saved_at",
        )?
        .execute(params![
            autosave.article.0,
            autosave.user.0,
            autosave.base.0,
            revision::snapshot_text(&autosave.content),
            micros(autosave.saved_at)
        ])?;
        Ok(())
    }

    fn autosave(&self, article: ArticleId, user: UserId) -> Result<Option<Autosave>> {
        Ok(self
            .connection
            .query_row("SELECT base, content, saved_at FROM autosaves WHERE article_id = ? AND user_id = ?", [article.0, user.0], |row| {
                Ok(Autosave {
                    article,
                    user,
                    base: RevisionNo(row.get(0)?),
                    content: json(&row.get::<_, String>(1)?)?,
                    saved_at: instant(row.get(2)?)?,
                })
            })
            .optional()?)
    }

    fn discard_autosave(&mut self, article: ArticleId, user: UserId) -> Result<()> {
        self.connection.execute("DELETE FROM autosaves WHERE article_id = ? AND user_id = ?", [article.0, user.0])?;
        Ok(())
    }

    fn check(&mut self, repair: bool) -> Result<Health> {
        let mut health = Health::default();
        let mut statement = self.connection.prepare("PRAGMA integrity_check")?;
        health.integrity = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
        drop(statement);
        health.articles = self.connection.query_row("SELECT count(*) FROM articles", [], |row| row.get::<_, i64>(0))? as u64;
        health.revisions = self.connection.query_row("SELECT count(*) FROM revisions", [], |row| row.get::<_, i64>(0))? as u64;
        let heads: Vec<(i64, u32)> = self
            .connection
            .prepare("SELECT id, head FROM articles ORDER BY id")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, head) in heads {
            // Reading the oldest revision walks every delta of the chain back from its snapshot.
            for number in (1..=head).filter(|n| *n == 1 || n % SNAPSHOT_EVERY == 0) {
                if let Err(error) = self.revision_content(ArticleId(id), RevisionNo(number)) {
                    health.unreadable_revisions.push(format!("article {id} revision {number}: {error}"));
                }
            }
        }
        if repair {
            self.rebuild_index()?;
        }
        Ok(health)
    }

    fn rebuild_index(&mut self) -> Result<()> {
        let tx = self.connection.transaction()?;
        tx.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", [])?;
        tx.execute("INSERT INTO headline_index (headline_index) VALUES ('delete-all')", [])?;
        tx.execute("DELETE FROM article_facets", [])?;
        {
            let mut rows = tx.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a"))?;
            let mut rows = rows.query([])?;
            while let Some(row) = rows.next()? {
                let article = article_from_row(row)?;
                index_facets(&tx, &article, false)?;
                index_text(&tx, article.id, &article.content, false)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn tidy(&mut self, merge_pages: u32) -> Result<bool> {
        // FTS5 reports no result for 'merge'; its documented sign of work done is that the
        // connection's change counter moves by two or more.
        let tx = self.connection.transaction()?;
        let mut merged = false;
        for index in ["search_index", "headline_index"] {
            let before = tx.total_changes();
            tx.prepare_cached(&format!("INSERT INTO {index} ({index}, rank) VALUES ('merge', ?)"))?.execute([merge_pages])?;
            merged |= tx.total_changes() - before >= 2;
        }
        tx.commit()?;
        if merged {
            return Ok(true);
        }
        // Copy the write-ahead log back into the file now, so no save has to.
        let (_busy, _log, _copied): (i64, i64, i64) =
            self.connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        Ok(false)
    }

    fn release_memory(&self) -> Result<()> {
        self.connection.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    fn backup(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(Error::invalid(format!("the backup path {}", path.display()), "it already exists; choose a new file name"));
        }
        let mut target = Connection::open(path)?;
        let backup = rusqlite::backup::Backup::new(&self.connection, &mut target)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
        Ok(())
    }
}
