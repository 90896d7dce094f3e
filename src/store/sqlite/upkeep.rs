//! What a library file needs besides reads and commits: bounded index merges and log
//! checkpoints left for idle time, giving back cached memory, checking the file, backups.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::articles;
use crate::article::ArticleId;
use crate::revision::{RevisionNo, SNAPSHOT_EVERY};
use crate::store::{Budget, Health};
use crate::{Error, Result};

/// One step of upkeep within `budget`; true if more remains.
pub fn maintain(connection: &mut Connection, budget: Budget) -> Result<bool> {
    // 64 pages of each index take a few milliseconds, the longest a save can wait behind it.
    let merge_pages = if budget == Budget::Step { 64 } else { 4096 };
    // FTS5 reports no result for 'merge'; its documented sign of work done is that the
    // connection's change counter moves by two or more.
    let tx = connection.transaction()?;
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
        connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    if budget == Budget::Idle {
        // The page cache fills again from the operating system's file cache as it is read.
        connection.execute_batch("PRAGMA shrink_memory")?;
    }
    Ok(false)
}

/// Checks the file and every revision chain, writing down what it finds instead of stopping at
/// the first damage, so a damaged library still gets a report.
pub fn check(connection: &Connection) -> Health {
    let mut problems = Vec::new();
    let failed = |what: &str, error: rusqlite::Error, problems: &mut Vec<String>| problems.push(format!("{what}: {}", Error::from(error)));
    let integrity: rusqlite::Result<Vec<String>> =
        connection.prepare("PRAGMA integrity_check").and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect());
    match integrity {
        Ok(lines) => problems.extend(lines.into_iter().filter(|line| line != "ok").map(|line| format!("the file is damaged: {line}"))),
        Err(error) => failed("the file's structure could not be checked", error, &mut problems),
    }
    let count = |table: &str, problems: &mut Vec<String>| match connection
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get::<_, i64>(0))
    {
        Ok(n) => n as u64,
        Err(error) => {
            failed(&format!("the {table} could not be counted"), error, problems);
            0
        }
    };
    let articles = count("articles", &mut problems);
    let revisions = count("revisions", &mut problems);
    let heads: rusqlite::Result<Vec<(i64, u32)>> = connection
        .prepare("SELECT id, head FROM articles ORDER BY id")
        .and_then(|mut statement| statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect());
    match heads {
        Ok(heads) => {
            for (id, head) in heads {
                // Reading the oldest revision walks every delta of the chain back from its snapshot.
                for number in (1..=head).filter(|n| *n == 1 || n % SNAPSHOT_EVERY == 0) {
                    if let Err(error) = articles::revision_content(connection, ArticleId(id), RevisionNo(number)) {
                        problems.push(format!("article {id} revision {number} cannot be read: {error}"));
                    }
                }
            }
        }
        Err(error) => failed("the articles could not be read", error, &mut problems),
    }
    Health { articles, revisions, problems }
}

/// A consistent copy of the whole library at `path`, taken while it stays in use.
pub fn backup(connection: &Connection, path: &Path) -> Result<()> {
    if path.exists() {
        return Err(Error::invalid(format!("the backup path {}", path.display()), "it already exists; choose a new file name"));
    }
    let mut target = Connection::open(path)?;
    let backup = rusqlite::backup::Backup::new(connection, &mut target)?;
    backup.run_to_completion(1024, Duration::from_millis(0), None)?;
    Ok(())
}
