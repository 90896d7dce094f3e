//! Rows to domain types and back: instants as microseconds, content and lists as JSON, and
//! SQLite's errors as the core's.

use jiff::Timestamp;
use rusqlite::Row;

use crate::Error;
use crate::article::{Article, ArticleId, ArticleSummary};
use crate::revision::RevisionNo;
use crate::user::{Role, User, UserId};
use crate::workflow::Status;

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        Error::Storage(Box::new(error))
    }
}

pub fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

pub fn instant(micros: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))
}

pub fn optional_instant(micros: Option<i64>) -> rusqlite::Result<Option<Timestamp>> {
    micros.map(instant).transpose()
}

pub fn from_text<T: std::str::FromStr>(text: String) -> rusqlite::Result<T> {
    text.parse::<T>().map_err(|_| rusqlite::Error::InvalidColumnType(0, text, rusqlite::types::Type::Text))
}

pub fn json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|error| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error)))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub const USER_COLUMNS: &str = "id, name, title, email, role";

pub fn user_from_row(row: &Row) -> rusqlite::Result<User> {
    Ok(User { id: UserId(row.get(0)?), name: row.get(1)?, title: row.get(2)?, email: row.get(3)?, role: from_text::<Role>(row.get(4)?)? })
}

pub const ARTICLE_COLUMNS: &str = "a.id, a.status, a.content, a.head, a.published_revision, a.first_published, \
     a.last_modified, a.corrections, a.created_by, a.created_at, a.updated_at, a.scheduled_by";

pub fn article_from_row(row: &Row) -> rusqlite::Result<Article> {
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

pub const SUMMARY_COLUMNS: &str = "a.id, a.status, a.section, a.headline, a.bylines, \
     a.first_published, a.last_modified, a.embargo, a.updated_at, a.head";

pub fn summary_from_row(row: &Row) -> rusqlite::Result<ArticleSummary> {
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
