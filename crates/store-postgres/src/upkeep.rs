//! Checking every revision chain and rebuilding the search terms and facets. PostgreSQL does
//! its own upkeep (autovacuum, checkpoints); between saves the store only moves the search
//! index's pending entries into the index.

use copydesk::article::ArticleId;
use copydesk::revision::{RevisionNo, SNAPSHOT_EVERY};
use copydesk::store::Health;
use copydesk::{Result, search};
use postgres::Client;

use crate::articles::{self, index_article};
use crate::{ARTICLE_COLUMNS, article_from_row, get, micros, storage, terms};

pub fn check(client: &mut Client) -> Health {
    let mut problems = Vec::new();
    let mut count = |table: &str, problems: &mut Vec<String>| match client.query_one(&format!("SELECT count(*) FROM {table}"), &[]) {
        Ok(row) => get::<i64>(&row, 0).unwrap_or_default() as u64,
        Err(error) => {
            problems.push(format!("the {table} could not be counted: {}", storage(error)));
            0
        }
    };
    let articles = count("articles", &mut problems);
    let revisions = count("revisions", &mut problems);
    let heads = client
        .query("SELECT id, head FROM articles ORDER BY id", &[])
        .map_err(storage)
        .and_then(|rows| rows.iter().map(|row| Ok((get::<i64>(row, 0)?, get::<i32>(row, 1)? as u32))).collect::<Result<Vec<_>>>());
    match heads {
        Ok(heads) => {
            for (id, head) in heads {
                for number in (1..=head).filter(|n| *n == 1 || n % SNAPSHOT_EVERY == 0) {
                    if let Err(error) = articles::revision_content(client, ArticleId(id), RevisionNo(number)) {
                        problems.push(format!("article {id} revision {number} cannot be read: {error}"));
                    }
                }
            }
        }
        Err(error) => problems.push(format!("the articles could not be read: {error}")),
    }
    Health { articles, revisions, problems }
}

pub fn rebuild_index(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(storage)?;
    tx.batch_execute("DELETE FROM article_terms; DELETE FROM article_facets;").map_err(storage)?;
    let rows = tx.query(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a ORDER BY a.id"), &[]).map_err(storage)?;
    for row in rows {
        let article = article_from_row(&row)?;
        for (kind, value) in search::facets(article.status, &article.content) {
            tx.execute(
                "INSERT INTO article_facets (kind, value, updated_at, article_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&kind, &value, &micros(article.updated_at), &article.id.0],
            )
            .map_err(storage)?;
        }
        index_article(&mut tx, &article)?;
    }
    tx.commit().map_err(storage)
}

/// Fills the search candidates of articles indexed before the candidates' current form
/// (schema version 3), a batch per transaction: a large archive is filled with bounded
/// memory, and a fill that was stopped goes on where it stopped.
pub fn fill_candidates(client: &mut Client) -> Result<()> {
    const BATCH: i64 = 2_000;
    loop {
        // The partial index of unfilled rows finds them at once.
        let mut tx = client.transaction().map_err(storage)?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id IN \
                     (SELECT article_id FROM article_terms WHERE candidates IS NULL ORDER BY article_id LIMIT $1)"
                ),
                &[&BATCH],
            )
            .map_err(storage)?;
        if rows.is_empty() {
            return tx.commit().map_err(storage);
        }
        let articles = rows.iter().map(article_from_row).collect::<Result<Vec<_>>>()?;
        articles::rewrite_candidates(&mut tx, &articles)?;
        tx.commit().map_err(storage)?;
    }
}

/// Rewrites the search candidates of up to `batch` articles written in an older form
/// (`terms::CANDIDATES_FORM`), oldest ids first; true while older ones are left. Searches use
/// the new form once none is.
pub fn refresh_candidates(client: &mut Client, batch: i64) -> Result<bool> {
    let mut tx = client.transaction().map_err(storage)?;
    let rows = tx
        .query(
            &format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id IN \
                 (SELECT article_id FROM article_terms WHERE candidates_form < $1 ORDER BY article_id LIMIT $2)"
            ),
            &[&terms::CANDIDATES_FORM, &batch],
        )
        .map_err(storage)?;
    let articles = rows.iter().map(article_from_row).collect::<Result<Vec<_>>>()?;
    articles::rewrite_candidates(&mut tx, &articles)?;
    tx.commit().map_err(storage)?;
    Ok(rows.len() as i64 == batch)
}

/// Moves the entries saves left in the GIN index's pending list into the index, as the app
/// does between saves: a save appends its article's entries there (cheap), and the save that
/// finds the list past 4 MB would otherwise merge all of it while a reporter waits, and every
/// search reads the list until then. Without the index's ownership there is nothing to do
/// here; autovacuum still cleans the list.
pub fn tidy_search_index(client: &mut Client) -> Result<()> {
    match client.execute("SELECT gin_clean_pending_list('article_terms_candidates')", &[]) {
        Ok(_) => Ok(()),
        Err(error) if error.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => Ok(()),
        Err(error) => Err(storage(error)),
    }
}
