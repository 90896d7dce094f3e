//! The search indexes and the facet rows lists filter on, written in the same transaction as
//! the article they describe, so they never disagree with it after a crash.

use rusqlite::{Transaction, params};

use super::rows::{ARTICLE_COLUMNS, article_from_row, micros};
use crate::Result;
use crate::article::{Article, ArticleId, Content};
use crate::search;

/// Writes the list's facet rows of an article; they carry its updated_at, so every commit
/// rewrites them.
pub fn index_facets(tx: &Transaction, article: &Article, replace: bool) -> Result<()> {
    if replace {
        tx.prepare_cached("DELETE FROM article_facets WHERE article_id = ?")?.execute([article.id.0])?;
    }
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO article_facets (kind, value, updated_at, article_id) VALUES (?, ?, ?, ?)")?;
    for (kind, value) in search::facets(article.status, &article.content) {
        insert.execute(params![kind, value, micros(article.updated_at), article.id.0])?;
    }
    Ok(())
}

/// Writes an article's terms into the search indexes.
pub fn index_text(tx: &Transaction, id: ArticleId, content: &Content, replace: bool) -> Result<()> {
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

/// Rebuilds every index from the articles' content, in one transaction.
pub fn rebuild(tx: &Transaction) -> Result<()> {
    tx.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", [])?;
    tx.execute("INSERT INTO headline_index (headline_index) VALUES ('delete-all')", [])?;
    tx.execute("DELETE FROM article_facets", [])?;
    let mut rows = tx.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a"))?;
    let mut rows = rows.query([])?;
    while let Some(row) = rows.next()? {
        let article = article_from_row(row)?;
        index_facets(tx, &article, false)?;
        index_text(tx, article.id, &article.content, false)?;
    }
    Ok(())
}
