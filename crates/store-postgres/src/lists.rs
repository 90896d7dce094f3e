//! Lists and search: newest first, filtered through the facet index, as the SQLite store does.

use copydesk::Result;
use copydesk::article::{ArticleId, ArticleSummary, Content};
use copydesk::search::{self, Filter, Terms};
use copydesk::store::SearchPage;
use postgres::{Client, Transaction};

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

/// The longest run of slices a stream reads before it reads every older article at once (by
/// then a word is rare enough that its hits are few).
const LONGEST_RUN: i64 = 16;

/// How many slices the next run of a query that intersects posting lists (two words, a word
/// and a filter) reads: twice the last, or, once some hits are found, enough for half again
/// the hits still wanted at the rate seen so far. Each run walks those lists whole, so a
/// filtered word with a few hits a slice reads the rest in one go rather than in four more
/// runs. A query of one list pays per hit, not per run, and keeps doubling: reading past the
/// hits it needs would cost more than a run saves.
fn next_run(run: i64, slices_read: i64, found: usize, want: i64) -> i64 {
    let doubled = run * 2;
    if found == 0 {
        return doubled;
    }
    let missing = want - found as i64;
    let projected = (missing * slices_read * 3) as u64;
    let projected = projected.div_ceil(found as u64 * 2) as i64;
    doubled.max(projected)
}

/// One kind of hit (headline hits, other hits, all hits) read newest first.
struct Stream {
    /// The tsquery over `candidates`, filter facets included, slices not yet.
    matching: String,
    /// Conditions the index cannot decide: long phrases, dates, hashed facets, headlines.
    confirm: String,
    /// `$2`... of `confirm`; `$1` is the tsquery.
    values: Query,
}

impl Stream {
    fn new(matching: String, confirm: impl FnOnce(&mut Query) -> String) -> Stream {
        let mut values = Query::default();
        values.bind(String::new());
        let confirm = confirm(&mut values);
        Stream { matching, confirm, values }
    }

    /// The ids of the newest `want` hits, newest first; fewer when there are no more.
    fn newest(&mut self, tx: &mut Transaction, facets: &[String], newest_slice: i64, want: i64) -> Result<Vec<i64>> {
        let mut found = Vec::new();
        let mut top = newest_slice;
        let mut run = 1;
        let intersecting = self.matching.split(" & ").count() + facets.len() > 1;
        while (found.len() as i64) < want && top >= 0 {
            // A run over every slice left, or past the longest, reads every older article.
            let every_older = run > top || run > LONGEST_RUN;
            let (slices, older) = if every_older {
                (None, format!(" AND t.article_id < {}", (top + 1) << terms::SLICE_BITS))
            } else {
                (Some(top - run + 1..=top), String::new())
            };
            self.values.params[0] = Box::new(terms::restricted(&self.matching, facets, slices));
            let sql = format!(
                "SELECT t.article_id FROM article_terms t WHERE t.candidates::tsvector @@ $1::text::tsquery AND {}{older} \
                 ORDER BY t.article_id DESC LIMIT {}",
                self.confirm,
                want - found.len() as i64
            );
            let rows = tx.query(&sql, &self.values.params()).map_err(storage)?;
            for row in rows {
                found.push(get::<i64>(&row, 0)?);
            }
            if every_older {
                break;
            }
            top -= run;
            run = if intersecting { next_run(run, newest_slice - top, found.len(), want) } else { run * 2 };
        }
        Ok(found)
    }
}

/// A page of hits in the core's rank order, as the SQLite store reads it: headline hits first,
/// then the rest, each newest first, and a total counted up to 1,000. Every part reads the
/// GIN index of `candidates` one run of the newest slices at a time and stops when it has
/// enough, so a page of a word in every tenth article costs about what a rare word's does,
/// and a filter is a posting list the index intersects, not a look-up per hit.
pub fn search(client: &mut Client, terms: &Terms, filter: &Filter) -> Result<SearchPage> {
    if terms.is_empty() {
        return Ok(SearchPage { total: 0, hits: Vec::new() });
    }
    let (limit, offset) = filter.page();
    let mut tx = snapshot(client)?;
    let newest: Option<i64> = get(&tx.query_one("SELECT max(article_id) FROM article_terms", &[]).map_err(storage)?, 0)?;
    let Some(newest) = newest else {
        tx.commit().map_err(storage)?;
        return Ok(SearchPage { total: 0, hits: Vec::new() });
    };
    let newest_slice = terms::slice_of(newest);
    // Hits come from the GIN index's bitmap, never from walking the id index and reading each
    // article's vectors: a plan that does that for a common word reads thousands of them.
    tx.batch_execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off").map_err(storage)?;

    let status = filter.status.map(|status| ("status", status.as_str().to_string()));
    let wanted: Vec<(&str, String)> = status.into_iter().chain(filter.facets()).collect();
    let facets: Vec<String> = wanted.iter().map(|(kind, value)| terms::facet(kind, value)).collect();
    // A hashed facet is confirmed in the facet index, dates in the article's row.
    let confirm_filter = |query: &mut Query| {
        let mut clauses = vec![query.dates(filter, "t.article_id")];
        for (kind, value) in wanted.iter().filter(|(_, value)| terms::facet_is_hashed(value)) {
            let (kind, value) = (query.bind(kind.to_string()), query.bind(value.clone()));
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM article_facets f WHERE f.article_id = t.article_id AND f.kind = {kind} AND f.value = {value})"
            ));
        }
        clauses.join(" AND ")
    };
    let phrases = terms::query(terms);
    // The partial index of older rows answers at once, and is empty once they are rewritten.
    let older_form = tx
        .query_opt("SELECT 1 FROM article_terms WHERE candidates_form < $1 LIMIT 1", &[&terms::CANDIDATES_FORM])
        .map_err(storage)?
        .is_some();
    let anywhere = terms::candidate_query(terms, false, !older_form);
    let in_headline = terms::candidate_query(terms, true, !older_form);
    let confirm_anywhere = |query: &mut Query| {
        let mut clauses = vec![confirm_filter(query)];
        if !anywhere.exact {
            clauses.push(format!("t.terms @@ {}::text::tsquery", query.bind(phrases.clone())));
        }
        clauses.join(" AND ")
    };

    let mut all = Stream::new(anywhere.matching.clone(), confirm_anywhere);
    let counted = all.newest(&mut tx, &facets, newest_slice, search::COUNT_LIMIT)?;
    let total = counted.len() as u64;

    let mut headline = Stream::new(in_headline.matching.clone(), |query| {
        let mut clauses = vec![confirm_filter(query)];
        if !in_headline.exact {
            clauses.push(format!("t.headline @@ {}::text::tsquery", query.bind(phrases.clone())));
        }
        clauses.join(" AND ")
    });
    let mut ids = headline.newest(&mut tx, &facets, newest_slice, offset + limit)?;
    let headline_hits = ids.len() as i64;
    // Fewer headline hits than the page wants means these are all of them, and the other hits
    // are the counted ones without them, newest first: no need to read the index again, unless
    // the count stopped before the page's end.
    let wanted_elsewhere = (offset + limit - headline_hits).max(0) as usize;
    let headline_ids: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let counted_elsewhere: Vec<i64> = counted.iter().copied().filter(|id| !headline_ids.contains(id)).take(wanted_elsewhere).collect();
    if headline_hits < offset + limit && (counted_elsewhere.len() == wanted_elsewhere || (total as i64) < search::COUNT_LIMIT) {
        ids.extend(counted_elsewhere);
    } else if headline_hits < offset + limit {
        let mut elsewhere = Stream::new(anywhere.matching.clone(), |query| {
            let confirm = confirm_anywhere(query);
            format!("{confirm} AND NOT t.headline @@ {}::text::tsquery", query.bind(phrases.clone()))
        });
        ids.extend(elsewhere.newest(&mut tx, &facets, newest_slice, offset + limit - headline_hits)?);
    }
    let page: Vec<i64> = ids.into_iter().skip(offset as usize).take(limit as usize).collect();

    let rows = tx.query(&format!("SELECT {SUMMARY_COLUMNS}, a.content FROM articles a WHERE a.id = ANY($1)"), &[&page]).map_err(storage)?;
    let mut found = rows
        .iter()
        .map(|row| Ok((summary_from_row(row)?, json::<Content>(get(row, 10)?)?)))
        .collect::<Result<Vec<(ArticleSummary, Content)>>>()?;
    let rank: std::collections::HashMap<i64, usize> = page.iter().enumerate().map(|(rank, id)| (*id, rank)).collect();
    found.sort_by_key(|(summary, _)| rank.get(&summary.id.0).copied());
    tx.commit().map_err(storage)?;
    Ok(SearchPage { total, hits: found })
}

pub fn due_for_release(client: &mut Client, now: jiff::Timestamp) -> Result<Vec<ArticleId>> {
    let rows = client
        .query("SELECT id FROM articles WHERE status = 'scheduled' AND embargo <= $1 ORDER BY embargo, id", &[&micros(now)])
        .map_err(storage)?;
    rows.iter().map(|row| Ok(ArticleId(get(row, 0)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::next_run;

    #[test]
    fn runs_double_until_hits_say_how_far_to_read() {
        assert_eq!(next_run(1, 1, 0, 1_000), 2, "nothing found yet: twice the last run");
        assert_eq!(next_run(2, 3, 0, 1_000), 4);
        // A common word: 683 hits in the newest slice, 317 more wanted: the next slice or two.
        assert_eq!(next_run(1, 1, 683, 1_000), 2);
        // A filtered word: 53 hits a slice, 947 more wanted: enough slices for 1,420 more.
        assert_eq!(next_run(1, 1, 53, 1_000), 27);
        // Few hits wanted and some found: never less than twice the last run.
        assert_eq!(next_run(4, 7, 19, 20), 8);
    }
}
