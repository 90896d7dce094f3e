//! Lists: the WHERE clauses a [`Filter`] becomes, and the queries that page through articles
//! newest first, each driven by the narrowest index the filter allows.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::rows::{SUMMARY_COLUMNS, micros, summary_from_row};
use crate::Result;
use crate::article::ArticleSummary;
use crate::search::Filter;

/// The WHERE clause (over `articles a`) and its parameters for a filter, leaving out the facet
/// that drives the query when there is one.
fn filter_clause(filter: &Filter, driving: Option<&(&'static str, String)>) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = vec!["1".into()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(status) = filter.status {
        clauses.push("a.status = ?".into());
        values.push(Value::Text(status.as_str().into()));
    }
    for facet in filter.facets() {
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
pub fn search_filter_clause(filter: &Filter, hit: &str) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = vec!["1".into()];
    let mut values: Vec<Value> = Vec::new();
    let status = filter.status.map(|status| ("status", status.as_str().to_string()));
    for (kind, value) in status.into_iter().chain(filter.facets()) {
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

pub fn list(connection: &Connection, filter: &Filter) -> Result<Vec<ArticleSummary>> {
    let (limit, offset) = filter.page();
    // A byline, tag or section drives the query from its facet index, newest first;
    // otherwise the articles' own newest-first (or status) index does.
    let driving = filter.facets().into_iter().next();
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
        None if filter.published_from.is_some() || filter.published_to.is_some() => date_ranged_page("articles_first_published", &clause),
        None if filter.modified_from.is_some() || filter.modified_to.is_some() => date_ranged_page("articles_last_modified", &clause),
        None => format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?"),
    };
    values.push(Value::Integer(limit));
    values.push(Value::Integer(offset));
    let mut statement = connection.prepare_cached(&sql)?;
    let summaries = statement.query_map(params_from_iter(values), summary_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(summaries)
}

pub fn count(connection: &Connection, filter: &Filter) -> Result<u64> {
    let (clause, values) = filter_clause(filter, None);
    let count: i64 = connection
        .prepare_cached(&format!("SELECT count(*) FROM articles a WHERE {clause}"))?
        .query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(count as u64)
}

pub fn sections(connection: &Connection) -> Result<Vec<String>> {
    // One index seek per distinct section rather than a scan of every article's facet rows:
    // a library holds a few dozen sections and may hold millions of articles.
    let mut next =
        connection.prepare_cached("SELECT value FROM article_facets WHERE kind = 'section' AND value > ? ORDER BY value LIMIT 1")?;
    let mut sections: Vec<String> = Vec::new();
    while let Some(section) = next.query_row([sections.last().map_or("", String::as_str)], |row| row.get(0)).optional()? {
        sections.push(section);
    }
    Ok(sections)
}
