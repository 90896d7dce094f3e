//! Lists and search: newest first, filtered through the facet index, as the SQLite store does.

use copydesk::Result;
use copydesk::article::{ArticleId, ArticleSummary, Content};
use copydesk::search::{self, Filter, Terms};
use copydesk::store::SearchPage;
use postgres::types::Type;
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
            let clause = query.article_conditions(filter, driving.as_ref());
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM article_facets d JOIN articles a ON a.id = d.article_id \
                 WHERE d.kind = {kind} AND d.value = {value} AND {clause} ORDER BY d.updated_at DESC, d.article_id DESC"
            )
        }
        None => {
            let clause = query.article_conditions(filter, None);
            format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC")
        }
    };
    let sql = format!("{sql} LIMIT {} OFFSET {}", query.bind(limit), query.bind(offset));
    client.query_typed(&sql, &query.params()).map_err(storage)?.iter().map(summary_from_row).collect()
}

pub fn count(client: &mut Client, filter: &Filter) -> Result<u64> {
    let mut query = Query::default();
    let clause = query.article_conditions(filter, None);
    let row = client.query_typed_one(&format!("SELECT count(*) FROM articles a WHERE {clause}"), &query.params()).map_err(storage)?;
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

/// The longest run of slices a query that intersects posting lists (two words, a word and a
/// filter) reads at once, and how far a query of one list doubles before it reads every older
/// article at once (by then its word is rare enough that its hits are few). A run costs about
/// half a millisecond a slice up to here, and more per slice beyond, where GIN weighs every
/// slice's list against every item.
const LONGEST_RUN: i64 = 16;

/// How many hits expected in every older article make reading them at once cheaper than
/// another run: visiting a hit costs about 5 µs, a run of slices a few milliseconds.
const OLDER_BUDGET: i128 = 1_000;

/// What a query that intersects posting lists reads next, given that `found` hits came from
/// the newest `ids_read` ids and `ids_left` ids are older: every older article at once when the
/// hits expected there are few, or not many more than those still wanted (visiting each hit
/// is the cost, and runs would visit most of them anyway); otherwise enough slices for a quarter again the
/// hits still wanted at the rate seen so far, at least twice the last run, at most the longest.
/// Until something is found it doubles, as a query of one list does. The rate is counted in
/// ids, not slices, because the newest slice is only partly filled.
fn next_run(run: i64, ids_read: i64, ids_left: i64, found: usize, want: i64) -> Run {
    let doubled = run * 2;
    if found == 0 {
        return if doubled > LONGEST_RUN { Run::EveryOlder } else { Run::Slices(doubled) };
    }
    let (found, missing) = (found as i128, (want - found as i64).max(0) as i128);
    let expected_older = found * ids_left as i128 / ids_read.max(1) as i128;
    if expected_older <= (2 * missing).max(OLDER_BUDGET) {
        return Run::EveryOlder;
    }
    let ids = ceil_div(missing * ids_read as i128 * 5, found * 4);
    let slices = ceil_div(ids, 1 << terms::SLICE_BITS) as i64;
    Run::Slices(slices.max(doubled).min(LONGEST_RUN))
}

fn ceil_div(dividend: i128, divisor: i128) -> i128 {
    (dividend + divisor - 1) / divisor
}

/// The next read of a stream: a run of the newest slices left, or everything older at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Slices(i64),
    EveryOlder,
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

    /// The ids of the newest `want` hits, newest first (fewer when there are no more), reading
    /// `first` to begin with; and how many slices it read before it read every older article.
    fn newest(&mut self, tx: &mut Transaction, facets: &[String], newest_id: i64, want: i64, first: Run) -> Result<(Vec<i64>, i64)> {
        let mut found = Vec::new();
        let newest_slice = terms::slice_of(newest_id);
        let mut top = newest_slice;
        let mut run = first;
        let intersecting = self.matching.split(" & ").count() + facets.len() > 1;
        while (found.len() as i64) < want && top >= 0 {
            // A run over every slice left reads every older article.
            let slices = match run {
                Run::Slices(run) if run <= top => Some(top - run + 1..=top),
                _ => None,
            };
            let older = match slices {
                Some(_) => String::new(),
                None => format!(" AND t.article_id < {}", (top + 1) << terms::SLICE_BITS),
            };
            let tail = format!("{older} ORDER BY t.article_id DESC LIMIT {}", want - found.len() as i64);
            found.extend(self.hits(tx, facets, slices.clone(), &tail)?);
            let Some(slices) = slices else { break };
            top = slices.start() - 1;
            let read = slices.end() - slices.start() + 1;
            run = if intersecting {
                let ids_left = (top + 1) << terms::SLICE_BITS;
                next_run(read, newest_id + 1 - ids_left, ids_left, found.len(), want)
            } else if read * 2 > LONGEST_RUN {
                Run::EveryOlder
            } else {
                Run::Slices(read * 2)
            };
        }
        Ok((found, newest_slice - top))
    }

    /// Every hit, newest first, when there are fewer than `PROBE_LIMIT`; otherwise nothing,
    /// after visiting no more than that many.
    fn every_if_few(&mut self, tx: &mut Transaction, facets: &[String]) -> Result<Option<Vec<i64>>> {
        let mut found = self.hits(tx, facets, None, &format!(" LIMIT {PROBE_LIMIT}"))?;
        if found.len() >= PROBE_LIMIT {
            return Ok(None);
        }
        found.sort_unstable_by(|a, b| b.cmp(a));
        Ok(Some(found))
    }

    /// The ids of the hits in `slices` (every article when none), confirmed, with `tail` (more
    /// conditions, an order, a limit) after the conditions.
    fn hits(
        &mut self,
        tx: &mut Transaction,
        facets: &[String],
        slices: Option<std::ops::RangeInclusive<i64>>,
        tail: &str,
    ) -> Result<Vec<i64>> {
        self.values.params[0] = (Box::new(terms::restricted(&self.matching, facets, slices)), Type::TEXT);
        let sql = format!(
            "SELECT t.article_id FROM article_terms t WHERE t.candidates::tsvector @@ $1::text::tsquery AND {}{tail}",
            self.confirm
        );
        tx.query_typed(&sql, &self.values.params()).map_err(storage)?.iter().map(|row| get::<i64>(row, 0)).collect()
    }
}

/// How many slices the count reads before headline hits are first read from every article at
/// once, and how many hits that read may find before it gives up for runs of slices.
const HEADLINE_PROBE_AFTER: i64 = 4;
const PROBE_LIMIT: usize = 1_000;

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
    let newest: Option<i64> = get(&tx.query_typed_one("SELECT max(article_id) FROM article_terms", &[]).map_err(storage)?, 0)?;
    let Some(newest) = newest else {
        tx.commit().map_err(storage)?;
        return Ok(SearchPage { total: 0, hits: Vec::new() });
    };
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
    let older_form = !tx
        .query_typed("SELECT 1 FROM article_terms WHERE candidates_form < $1 LIMIT 1", &[(&terms::CANDIDATES_FORM, Type::INT2)])
        .map_err(storage)?
        .is_empty();
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
    let (counted, counted_slices) = all.newest(&mut tx, &facets, newest, search::COUNT_LIMIT, Run::Slices(1))?;
    let total = counted.len() as u64;
    // Headline hits and the others are among the counted ones. When those are all the hits,
    // one read of every article visits no more than the count did; otherwise the slices the
    // count read hold no more hits than it counted, and are read at once to begin with.
    let first = if (total as i64) < search::COUNT_LIMIT { Run::EveryOlder } else { Run::Slices(counted_slices.clamp(1, LONGEST_RUN)) };

    let mut headline = Stream::new(in_headline.matching.clone(), |query| {
        let mut clauses = vec![confirm_filter(query)];
        if !in_headline.exact {
            clauses.push(format!("t.headline @@ {}::text::tsquery", query.bind(phrases.clone())));
        }
        clauses.join(" AND ")
    });
    // Headlines are short: a word that takes the count several slices to find 1,000 times is
    // in a few hundred headlines of the whole archive, and one read of them all (stopped if it
    // passes a thousand) is cheaper than runs that each walk its list.
    let all_headline_hits =
        if first != Run::EveryOlder && counted_slices >= HEADLINE_PROBE_AFTER { headline.every_if_few(&mut tx, &facets)? } else { None };
    let mut ids = match all_headline_hits {
        Some(all) => all.into_iter().take((offset + limit) as usize).collect(),
        None => headline.newest(&mut tx, &facets, newest, offset + limit, first)?.0,
    };
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
        ids.extend(elsewhere.newest(&mut tx, &facets, newest, offset + limit - headline_hits, first)?.0);
    }
    let page: Vec<i64> = ids.into_iter().skip(offset as usize).take(limit as usize).collect();

    let rows = tx
        .query_typed(&format!("SELECT {SUMMARY_COLUMNS}, a.content FROM articles a WHERE a.id = ANY($1)"), &[(&page, Type::INT8_ARRAY)])
        .map_err(storage)?;
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
    use super::{Run, next_run};

    #[test]
    fn runs_double_until_hits_say_how_far_to_read() {
        const SLICE: i64 = 4_096;
        let archive = 244 * SLICE;
        assert_eq!(next_run(1, SLICE, archive, 0, 1_000), Run::Slices(2), "nothing found yet: twice the last run");
        assert_eq!(next_run(16, 31 * SLICE, archive, 0, 1_000), Run::EveryOlder, "rare: the rest at once");
        // A common word: 683 hits in the newest slice, 317 more wanted: the next slice or two.
        assert_eq!(next_run(1, SLICE, archive, 683, 1_000), Run::Slices(2));
        // A filtered word: 53 hits a slice, 947 more wanted: enough slices for 1,180 more, and
        // no more than the longest run, since tens of thousands of hits are older.
        assert_eq!(next_run(1, SLICE, archive, 53, 1_000), Run::Slices(16));
        assert_eq!(next_run(1, SLICE, 12 * SLICE, 53, 1_000), Run::EveryOlder, "a small archive: the rest at once");
        // The newest slice holds 576 articles and 10 hits: the rate is per article read.
        assert_eq!(next_run(1, 576, archive, 10, 1_000), Run::Slices(16));
        assert_eq!(next_run(1, 576, archive, 10, 200), Run::Slices(4));
        // A rare headline word: 5 hits in ten slices, about 120 older: the rest at once.
        assert_eq!(next_run(8, 10 * SLICE, archive, 5, 20), Run::EveryOlder);
        // Few hits wanted and some found: never less than twice the last run.
        assert_eq!(next_run(4, 7 * SLICE, archive, 190, 200), Run::Slices(8));
    }
}
