//! Search over the two FTS5 indexes: the core's terms become an FTS5 query here, and nowhere
//! else, and hits come back in the core's rank order (headline hits first, then the rest, each
//! newest first).

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::filters::search_filter_clause;
use super::rows::{SUMMARY_COLUMNS, json, summary_from_row};
use crate::Result;
use crate::article::{ArticleSummary, Content};
use crate::search::{self, Filter, Terms};
use crate::store::SearchPage;

/// The FTS5 query for `terms`: each phrase quoted (so nothing a user types is query syntax),
/// an open-ended last syllable as a prefix, all of them ANDed.
pub fn match_expression(terms: &Terms) -> String {
    terms
        .phrases
        .iter()
        .map(|phrase| format!("\"{}\"{}", phrase.terms.join(" "), if phrase.open_end { " *" } else { "" }))
        .collect::<Vec<_>>()
        .join(" AND ")
}

pub fn search(connection: &Connection, terms: &Terms, filter: &Filter) -> Result<SearchPage> {
    let matching = Value::Text(match_expression(terms));
    let (limit, offset) = filter.page();
    let with = |filter_values: &[Value], first: &[Value], rest: &[Value]| -> Vec<Value> {
        first.iter().chain(filter_values).chain(rest).cloned().collect()
    };
    // One read transaction: the count and the pages agree even while another process saves.
    let tx = connection.unchecked_transaction()?;

    // Every hit is in the full index (it holds the headline too), so the total is one capped
    // count there.
    let (in_full, full_values) = search_filter_clause(filter, "s.rowid");
    let total: i64 = tx
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM search_index s WHERE search_index MATCH ? AND {in_full} LIMIT {})",
            search::COUNT_LIMIT
        ))?
        .query_row(params_from_iter(with(&full_values, std::slice::from_ref(&matching), &[])), |row| row.get(0))?;

    // Headline hits come first: the small headline index finds them all cheaply.
    let (in_headlines, headline_values) = search_filter_clause(filter, "h.rowid");
    let headline_hits: i64 = tx
        .prepare_cached(&format!("SELECT count(*) FROM headline_index h WHERE headline_index MATCH ? AND {in_headlines}"))?
        .query_row(params_from_iter(with(&headline_values, std::slice::from_ref(&matching), &[])), |row| row.get(0))?;
    let in_headline = format!("FROM headline_index h JOIN articles a ON a.id = h.rowid WHERE headline_index MATCH ? AND {in_headlines}");
    // Then every other hit, newest first, streamed from the full index so a page costs about
    // its own size however common the word is.
    let elsewhere = format!(
        "FROM search_index s JOIN articles a ON a.id = s.rowid WHERE search_index MATCH ? \
         AND s.rowid NOT IN (SELECT rowid FROM headline_index WHERE headline_index MATCH ?) AND {in_full}"
    );

    let read = |sql: String, values: Vec<Value>| -> Result<Vec<(ArticleSummary, Content)>> {
        let mut statement = tx.prepare_cached(&sql)?;
        let rows = statement
            .query_map(params_from_iter(values), |row| Ok((summary_from_row(row)?, json::<Content>(&row.get::<_, String>(10)?)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    };
    let mut hits = Vec::new();
    if offset < headline_hits {
        let values = with(&headline_values, std::slice::from_ref(&matching), &[Value::Integer(limit), Value::Integer(offset)]);
        hits = read(format!("SELECT {SUMMARY_COLUMNS}, a.content {in_headline} ORDER BY h.rowid DESC LIMIT ? OFFSET ?"), values)?;
    }
    let still_wanted = limit - hits.len() as i64;
    if still_wanted > 0 {
        let skip = (offset - headline_hits).max(0);
        let values = with(&full_values, &[matching.clone(), matching.clone()], &[Value::Integer(still_wanted), Value::Integer(skip)]);
        hits.extend(read(format!("SELECT {SUMMARY_COLUMNS}, a.content {elsewhere} ORDER BY s.rowid DESC LIMIT ? OFFSET ?"), values)?);
    }
    Ok(SearchPage { total: total as u64, hits })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_quoted_and_anded() {
        assert_eq!(match_expression(&Terms::parse("협약식 CMIC")), "\"협약 약식\" AND \"cmic\"");
    }

    #[test]
    fn query_syntax_typed_by_a_user_is_only_text() {
        for hostile in ["\"unbalanced", "NEAR(a b)", "*", "a OR b", "col:협약", "^협약", "((("] {
            let expression = match_expression(&Terms::parse(hostile));
            assert!(!expression.contains("OR \"") && !expression.contains('('), "{hostile} -> {expression}");
        }
        assert!(Terms::parse("* ( ) \"").is_empty());
    }
}
