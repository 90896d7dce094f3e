//! Lists and search: newest first, filtered through the facet index, as the SQLite store does.

use copydesk::Result;
use copydesk::article::{ArticleId, ArticleSummary, Content};
use copydesk::search::{self, Filter, Terms};
use copydesk::store::SearchPage;
use postgres::Client;

use crate::articles::snapshot;
use crate::{Query, SUMMARY_COLUMNS, get, json, micros, storage, summary_from_row, terms};

pub fn list(client: &mut Client, filter: &Filter) -> Result<Vec<ArticleSummary>> {
    let (limit, offset) = filter.page();
    let mut query = Query::default();
    // A byline, tag or section drives the query from its facet index, newest first;
    // otherwise the articles' own newest-first indexes do.
    let driving = filter.facets().into_iter().next();
    let sql = match &driving {
        Some((kind, value)) => {
            let (kind, value) = (query.bind(kind.to_string()), query.bind(value.clone()));
            let clause = query.filter(filter, "a.id", driving.as_ref());
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM article_facets d JOIN articles a ON a.id = d.article_id \
                 WHERE d.kind = {kind} AND d.value = {value} AND {clause} ORDER BY d.updated_at DESC, d.article_id DESC"
            )
        }
        None => {
            let clause = query.filter(filter, "a.id", None);
            format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC")
        }
    };
    let sql = format!("{sql} LIMIT {} OFFSET {}", query.bind(limit), query.bind(offset));
    client.query(&sql, &query.params()).map_err(storage)?.iter().map(summary_from_row).collect()
}

pub fn count(client: &mut Client, filter: &Filter) -> Result<u64> {
    let mut query = Query::default();
    let clause = query.filter(filter, "a.id", None);
    let row = client.query_one(&format!("SELECT count(*) FROM articles a WHERE {clause}"), &query.params()).map_err(storage)?;
    Ok(get::<i64>(&row, 0)? as u64)
}

pub fn sections(client: &mut Client) -> Result<Vec<String>> {
    // One index seek per distinct section, as in the SQLite store: a loose index scan.
    let rows = client
        .query(
            "WITH RECURSIVE next (value) AS ( \
               (SELECT value FROM article_facets WHERE kind = 'section' ORDER BY value LIMIT 1) \
               UNION ALL \
               SELECT (SELECT f.value FROM article_facets f WHERE f.kind = 'section' AND f.value > n.value ORDER BY f.value LIMIT 1) \
               FROM next n WHERE n.value IS NOT NULL) \
             SELECT value FROM next WHERE value IS NOT NULL",
            &[],
        )
        .map_err(storage)?;
    rows.iter().map(|row| get(row, 0)).collect()
}

pub fn search(client: &mut Client, terms: &Terms, filter: &Filter) -> Result<SearchPage> {
    let (limit, offset) = filter.page();
    let mut tx = snapshot(client)?;
    let mut query = Query::default();
    let matching = query.bind(terms::query(terms));
    let clause = query.filter(filter, "t.article_id", None);
    let hits = format!("FROM article_terms t WHERE t.terms @@ {matching}::text::tsquery AND {clause}");
    let total: i64 = get(
        &tx.query_one(&format!("SELECT count(*) FROM (SELECT 1 {hits} LIMIT {}) capped", search::COUNT_LIMIT), &query.params())
            .map_err(storage)?,
        0,
    )?;
    // Headline hits first, newest (highest id) first, then the rest the same way.
    let in_headline = format!("t.headline @@ {matching}::text::tsquery");
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, a.content FROM ( \
           SELECT t.article_id, {in_headline} AS in_headline {hits} \
           ORDER BY {in_headline} DESC, t.article_id DESC LIMIT {} OFFSET {}) h \
         JOIN articles a ON a.id = h.article_id ORDER BY h.in_headline DESC, h.article_id DESC",
        query.bind(limit),
        query.bind(offset)
    );
    let rows = tx.query(&sql, &query.params()).map_err(storage)?;
    let hits = rows
        .iter()
        .map(|row| Ok((summary_from_row(row)?, json::<Content>(get(row, 10)?)?)))
        .collect::<Result<Vec<(ArticleSummary, Content)>>>()?;
    tx.commit().map_err(storage)?;
    Ok(SearchPage { total: total as u64, hits })
}

pub fn due_for_release(client: &mut Client, now: jiff::Timestamp) -> Result<Vec<ArticleId>> {
    let rows = client
        .query("SELECT id FROM articles WHERE status = 'scheduled' AND embargo <= $1 ORDER BY embargo, id", &[&micros(now)])
        .map_err(storage)?;
    rows.iter().map(|row| Ok(ArticleId(get(row, 0)?))).collect()
}
