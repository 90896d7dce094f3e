//! The schema's versions, and the look at a file that decides whether it is a library this
//! build may open, taken read-only before anything is written to it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use crate::{Error, Result};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("schema_v1.sql")),
    M::up(include_str!("schema_v2.sql")),
    M::up(include_str!("schema_v3.sql")),
    M::up(include_str!("schema_v4.sql")),
    M::up(include_str!("schema_v5.sql")),
    M::up(include_str!("schema_v6.sql")),
];

/// "CPDK" in the file header (`PRAGMA application_id`), set by schema v5.
pub const APPLICATION_ID: i64 = 0x4350_444B;

/// The schema version this build writes.
pub fn latest() -> usize {
    MIGRATIONS.len()
}

/// What a file holds, as far as opening it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// No tables at all: an empty file, or an empty database.
    Empty,
    /// A Copydesk library at this schema version.
    Library(usize),
}

/// Reads the header and table names of `path` through a read-only connection, so a file that
/// is not a library, or is newer than this build, is refused exactly as it was.
pub fn inspect(path: &Path) -> Result<Found> {
    let not_a_library =
        || Error::invalid(format!("{} as a library", path.display()), "this file is not a Copydesk library; give the path of a library");
    let connection = read_only(path)?;
    let header = |pragma: &str| connection.pragma_query_value(None, pragma, |row| row.get::<_, i64>(0));
    let (application_id, version) = match (header("application_id"), header("user_version")) {
        (Ok(id), Ok(version)) => (id, version),
        (Err(error), _) | (_, Err(error)) => {
            return Err(match error.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => not_a_library(),
                _ => error.into(),
            });
        }
    };
    let tables: i64 = connection
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('articles', 'revisions', 'settings')", [], |row| {
            row.get(0)
        })
        .map_err(|error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => not_a_library(),
            _ => error.into(),
        })?;
    let any_table: bool = connection.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema)", [], |row| row.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    // Libraries written before schema v5 carry no application id; they have our tables.
    let ours = application_id == APPLICATION_ID || (application_id == 0 && tables == 3 && version >= 1);
    if version > latest() && ours {
        return Err(Error::NewerLibrary { found: version, supported: latest() });
    }
    match (ours, any_table) {
        (true, _) => Ok(Found::Library(version)),
        (false, false) if application_id == 0 && version == 0 => Ok(Found::Empty),
        _ => Err(not_a_library()),
    }
}

/// A connection that cannot write. A library on a read-only folder or share has no room for
/// SQLite's shared-memory file; `immutable` reads it without one.
pub fn read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    match connection.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get::<_, i64>(0)) {
        // Without write access to the folder SQLite can neither make nor map that file.
        Err(error) if matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)) => {
            Ok(Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags)?)
        }
        _ => Ok(connection),
    }
}

/// `path` escaped for a `file:` URI.
fn uri_path(path: &Path) -> String {
    path.to_string_lossy().replace('%', "%25").replace('?', "%3F").replace('#', "%23")
}

/// Brings the schema of a writable connection up to this build's version.
pub fn migrate(connection: &mut Connection) -> Result<()> {
    Migrations::from_slice(MIGRATIONS).to_latest(connection).map_err(|error| Error::Migration(error.to_string()))
}
