//! The core's search terms as PostgreSQL text-search values. All are written as literals
//! (`'협약':1 '약식':2`, `'협약' <-> '약식'`) and cast, so no text-search parser or locale decides
//! what a word is: the core's terms go in exactly as the SQLite store indexes them.
//!
//! Two vectors per article. `terms` keeps every term with its position, to confirm a phrase
//! of three or more terms; it is never indexed, and read only for those. `candidates` is what
//! the GIN index holds, without positions, so the index answers most queries exactly and never
//! has to read a vector back from TOAST (it is stored as text, half the size, and indexed as
//! the vector it spells):
//! - every term (`협약`) and every pair of neighbouring terms in a column (`협약 약식`, which is
//!   the phrase `협약 <-> 약식`: a three-syllable word, or a number such as `2 50`);
//! - every run of three overlapping bigrams (`탄소 소중 중립`, a four-syllable word), so the
//!   commonest phrase of three terms is exact in the index too and never read back to confirm;
//! - the same for the headline, marked `^` (`^협약`), for headline hits first;
//! - the article's facets (`|status:published`, `|section:산업`), so a filter is one more
//!   posting list the index intersects, not a look-up per hit;
//! - its slice of ids (`#24` for ids 98,304 to 102,399), so a page can be read newest slice
//!   first and stop, instead of sorting every hit of a common word.
//!
//! Terms are letters and digits only, so `^`, `|`, `#` and the space in a pair never collide
//! with a term.

use std::collections::BTreeSet;

use copydesk::search::{Phrase, Terms};

/// Positions stop at 16,383 in a tsvector; terms past that share the last position.
const LAST_POSITION: usize = 16_383;

/// Ids per slice: 4,096 articles, a few hundred hits of the commonest words.
pub const SLICE_BITS: u32 = 12;

/// A lexeme holds at most 2,047 bytes. Longer pairs (of absurdly long words) are left out of
/// `candidates`, and a query finds them by their terms and confirms the phrase.
const LONGEST_LEXEME: usize = 2_047;

/// The form of `candidates` this build writes (`article_terms.candidates_form`): 4 holds runs
/// of three overlapping bigrams, 3 did not.
pub const CANDIDATES_FORM: i16 = 4;

/// Facet values longer than this are indexed by a hash.
const LONGEST_FACET: usize = 256;

fn lexeme(term: &str) -> String {
    format!("'{}'", term.replace('\\', "\\\\").replace('\'', "''"))
}

/// A tsvector literal of the columns' terms (each column's terms separated by spaces), their
/// positions counted across columns with a gap between columns, so a phrase never runs from
/// the end of one column into the next.
pub fn vector<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut position = 0;
    for column in columns {
        for term in column.split(' ').filter(|term| !term.is_empty()) {
            position += 1;
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&lexeme(term));
            out.push(':');
            out.push_str(&position.min(LAST_POSITION).to_string());
        }
        position += 1;
    }
    out
}

/// Whether the pair of neighbouring terms `a b` is a lexeme of `candidates`: when they overlap
/// (`협약 약식`, the bigrams of one word) or either is not a bigram (a number, a word, a lone
/// syllable: `2 50`, `50 로서`, `cmic 와`). Two bigrams of neighbouring words (`협약 체결`) are
/// not: no query word makes that pair, so it would only grow the index by a key for nearly
/// every two words of the archive. A quoted phrase that needs it is found by its terms and
/// confirmed.
fn paired(a: &str, b: &str) -> bool {
    overlap(a, b) || !bigram(a) || !bigram(b)
}

/// Whether three neighbouring terms are overlapping bigrams of one word (`탄소 소중 중립`): the
/// runs `candidates` holds whole.
fn chained(three: &[impl AsRef<str>]) -> bool {
    let [a, b, c] = three else { return false };
    let (a, b, c) = (a.as_ref(), b.as_ref(), c.as_ref());
    bigram(a) && bigram(b) && bigram(c) && overlap(a, b) && overlap(b, c)
}

fn overlap(a: &str, b: &str) -> bool {
    a.chars().last() == b.chars().next()
}

/// Two letters of no ASCII: a CJK bigram (or, rarely, a two-letter word of another script,
/// which is then treated as one; both sides of the index agree, so nothing is missed).
fn bigram(term: &str) -> bool {
    term.chars().count() == 2 && !term.chars().any(|c| c.is_ascii())
}

/// The lexeme of a facet (kind, value) in `candidates`.
pub fn facet(kind: &str, value: &str) -> String {
    if value.len() <= LONGEST_FACET { format!("|{kind}:{value}") } else { format!("|{kind}#{:016x}", fnv1a(value)) }
}

/// Whether the facet's lexeme is a hash, which a filter confirms in `article_facets`.
pub fn facet_is_hashed(value: &str) -> bool {
    value.len() > LONGEST_FACET
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The slice of ids `id` belongs to.
pub fn slice_of(id: i64) -> i64 {
    id >> SLICE_BITS
}

fn slice(slice: i64) -> String {
    format!("#{slice}")
}

/// The `candidates` tsvector literal of an article: its terms and neighbouring pairs (the
/// headline's again, marked), its facets and its slice. `columns` are the core's indexed
/// columns, the headline first.
pub fn candidates<'a>(id: i64, columns: impl IntoIterator<Item = &'a str>, facets: &[(&str, String)]) -> String {
    let mut lexemes = BTreeSet::new();
    for (index, column) in columns.into_iter().enumerate() {
        let terms: Vec<&str> = column.split(' ').filter(|term| !term.is_empty()).collect();
        let marks: &[&str] = if index == 0 { &["", "^"] } else { &[""] };
        for mark in marks {
            lexemes.extend(terms.iter().map(|term| format!("{mark}{term}")));
            lexemes.extend(terms.windows(2).filter(|pair| paired(pair[0], pair[1])).map(|pair| format!("{mark}{} {}", pair[0], pair[1])));
            lexemes.extend(terms.windows(3).filter(|three| chained(three)).map(|three| format!("{mark}{}", three.join(" "))));
        }
    }
    lexemes.extend(facets.iter().map(|(kind, value)| facet(kind, value)));
    lexemes.insert(slice(slice_of(id)));
    lexemes.iter().filter(|lexeme| lexeme.len() <= LONGEST_LEXEME).map(|lexeme| self::lexeme(lexeme)).collect::<Vec<_>>().join(" ")
}

/// A tsquery literal over `terms`: each phrase's terms in a row (`<->`), an open-ended last
/// syllable as a prefix (`:*`), the phrases ANDed.
pub fn query(terms: &Terms) -> String {
    terms
        .phrases
        .iter()
        .map(|phrase| {
            let mut lexemes: Vec<String> = phrase.terms.iter().map(|term| lexeme(term)).collect();
            if phrase.open_end
                && let Some(last) = lexemes.last_mut()
            {
                last.push_str(":*");
            }
            format!("({})", lexemes.join(" <-> "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// A query over `candidates`, as a tsquery literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    /// Every phrase as its term, or as the pairs in it; the headline's marked when asked.
    pub matching: String,
    /// Whether every match is a hit. A phrase of three or more terms is found by its pairs,
    /// which may stand apart (`a b` here, `b c` there): its hits are confirmed by `terms`.
    pub exact: bool,
}

/// The query that finds the candidates for `terms`, in the whole article or (`headline`) in
/// its headline alone. `runs_of_three`: every article's candidates are of the current form
/// and hold the runs of three; until then a four-syllable word is found by its pairs.
pub fn candidate_query(terms: &Terms, headline: bool, runs_of_three: bool) -> Candidates {
    let mark = if headline { "^" } else { "" };
    let mut exact = true;
    let mut parts = Vec::new();
    for Phrase { terms, open_end } in &terms.phrases {
        if let [term] = terms.as_slice() {
            let marked = format!("{mark}{term}");
            if marked.len() <= LONGEST_LEXEME {
                parts.push(lexeme(&marked));
            } else {
                // Only the unmarked term fits (or fails as the positional vector does).
                parts.push(lexeme(term));
                exact = false;
            }
            continue;
        }
        // Three overlapping bigrams (a four-syllable word) are one lexeme, unless the last is
        // open-ended: the text may have a longer term there.
        if runs_of_three && !*open_end && chained(terms) {
            let joined = format!("{mark}{}", terms.join(" "));
            if joined.len() <= LONGEST_LEXEME {
                parts.push(lexeme(&joined));
                continue;
            }
        }
        exact &= terms.len() == 2;
        let pairs = terms.windows(2).count();
        for (index, pair) in terms.windows(2).enumerate() {
            let open = *open_end && index + 1 == pairs;
            let prefix = if open { ":*" } else { "" };
            // An open end may begin a longer term in the text (로 of 로서), and the index holds
            // the pair only if it would with that term too.
            let indexed = if open { !bigram(&pair[0]) || overlap(&pair[0], &pair[1]) } else { paired(&pair[0], &pair[1]) };
            let joined = format!("{mark}{} {}", pair[0], pair[1]);
            if joined.len() > LONGEST_LEXEME || !indexed {
                parts.push(lexeme(&format!("{mark}{}", pair[0])));
                parts.push(format!("{}{prefix}", lexeme(&format!("{mark}{}", pair[1]))));
                exact = false;
            } else {
                parts.push(format!("{}{prefix}", lexeme(&joined)));
            }
        }
    }
    Candidates { matching: parts.join(" & "), exact }
}

/// `matching` and every facet lexeme, and when `slices` are given, one of those slices.
pub fn restricted(matching: &str, facets: &[String], slices: Option<std::ops::RangeInclusive<i64>>) -> String {
    let mut out = format!("({matching})");
    for facet in facets {
        out.push_str(" & ");
        out.push_str(&lexeme(facet));
    }
    if let Some(slices) = slices {
        let any: Vec<String> = slices.rev().map(|n| lexeme(&slice(n))).collect();
        out.push_str(&format!(" & ({})", any.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_apart_and_terms_quoted() {
        assert_eq!(vector(["협약 약식", "it's"]), "'협약':1 '약식':2 'it''s':4");
        assert_eq!(query(&Terms::parse("협약식 CMIC와")), "('협약' <-> '약식') & ('cmic' <-> '와':*)");
    }

    #[test]
    fn candidates_hold_terms_pairs_headline_facets_and_slice() {
        let vector = candidates(4097, ["협약 약식", "it's 2 50"], &[("status", "draft".into()), ("tag", "x".repeat(300))]);
        let lexemes: Vec<&str> = vector.split("' '").collect();
        for wanted in ["협약", "약식", "협약 약식", "^협약", "^협약 약식", "it''s 2", "2 50", "|status:draft", "#1"] {
            assert!(lexemes.iter().any(|lexeme| lexeme.trim_matches('\'') == wanted), "{wanted} in {vector}");
        }
        assert!(!vector.contains("^2"), "only the headline is marked");
        assert!(!vector.contains("약식 it"), "no pair spans two columns");
        assert!(!candidates(1, ["협약 체결"], &[]).contains("협약 체결"), "bigrams of two words make no pair");
        let word = candidates(1, ["탄소 소중 중립 투자"], &[]);
        assert!(word.contains("'탄소 소중 중립'"), "a four-syllable word is one lexeme: {word}");
        assert!(!word.contains("소중 중립 투자"), "runs stop where the word does: {word}");
        assert!(vector.contains("|tag#"), "a long facet is hashed");
    }

    #[test]
    fn phrases_become_pairs_and_only_long_ones_need_confirming() {
        let check = |query: &str, headline: bool, matching: &str, exact: bool| {
            assert_eq!(candidate_query(&Terms::parse(query), headline, true), Candidates { matching: matching.into(), exact }, "{query}");
        };
        check("협약", false, "'협약'", true);
        check("협약식 CMIC와", false, "'협약 약식' & 'cmic 와':*", true);
        check("탄소중립", true, "'^탄소 소중 중립'", true);
        assert_eq!(
            candidate_query(&Terms::parse("탄소중립"), false, false),
            Candidates { matching: "'탄소 소중' & '소중 중립'".into(), exact: false },
            "older rows have no runs of three: pairs, confirmed"
        );
        check("탄소중립이", false, "'탄소 소중' & '소중 중립' & '중립 립이'", false);
        check("\"협약 체결\"", false, "'협약' & '체결'", false);
        // 로 of 2.50%로 may be 로서 in the text: the pair 50 로서 is in the index.
        assert!(candidates(1, ["2 50 로서"], &[]).contains("'50 로서'"));
        check("2.50%로", false, "'2 50' & '50 로':*", false);
        check("ab로", false, "'ab 로':*", true);
        check("\"협약 체결로\"", false, "'협약' & '체결' & '체결 결로'", false);
        assert_eq!(restricted("'협약'", &["|status:draft".into()], Some(3..=4)), "('협약') & '|status:draft' & ('#4' | '#3')");
    }
}
