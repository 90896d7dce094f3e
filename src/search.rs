//! Search that works for Korean. Korean glues particles and compounds onto words (협약식을,
//! 업무협약), so whole-word indexing misses them. Runs of Hangul (and other CJK scripts) are
//! indexed as overlapping two-syllable terms, and a query word becomes the phrase of its
//! bigrams, which matches exactly where the word occurs inside a longer one. Other letters and
//! digits are indexed as lowercase words. A lone syllable is indexed (and found) only where it
//! stands as a word of its own (등, 및, 전): as a piece of longer words it would match most of an
//! archive. The store keeps these terms in its full-text index.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::article::{ArticleSummary, Content, Section};
use crate::workflow::Status;

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7A3}'   // Hangul syllables
        | '\u{1100}'..='\u{11FF}' // Hangul Jamo
        | '\u{3130}'..='\u{318F}' // Hangul compatibility Jamo
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}')
}

/// Splits text into runs the index treats alike: CJK runs and runs of other letters or digits.
fn runs(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        rest = &rest[start..];
        let cjk = rest.chars().next().is_some_and(is_cjk);
        let end = rest.find(|c: char| !c.is_alphanumeric() || is_cjk(c) != cjk).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some((cjk, run))
    })
}

/// Appends the index terms of `text` to `out`, separated by spaces.
pub fn push_terms(text: &str, out: &mut String) {
    for (cjk, run) in runs(text) {
        if cjk {
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 {
                push_term(out, &chars[..]);
            }
            for pair in chars.windows(2) {
                push_term(out, pair);
            }
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(run.chars().flat_map(char::to_lowercase));
        }
    }
}

fn push_term(out: &mut String, chars: &[char]) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.extend(chars);
}

pub fn terms(text: &str) -> String {
    let mut out = String::new();
    push_terms(text, &mut out);
    out
}

/// The indexed text of an article, one entry per column of the index: headline, subheadlines,
/// body, captions, people (bylines and photo credits), tags.
pub fn document(content: &Content) -> [String; 6] {
    let mut people = String::new();
    for byline in &content.bylines {
        push_terms(&byline.name, &mut people);
        push_terms(&byline.email, &mut people);
    }
    let mut captions = String::new();
    for photo in &content.photos {
        push_terms(&photo.caption, &mut captions);
        push_terms(&photo.alt, &mut captions);
        push_terms(&photo.credit, &mut people);
    }
    [
        terms(&content.headline),
        terms(&content.subheadlines.join("\n")),
        terms(&content.body),
        captions,
        people,
        terms(&content.tags.join("\n")),
    ]
}

/// A user's query as index terms: every word must occur; a word is a phrase of its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// Each entry is one query word (or quoted phrase) as its index terms, in order.
    pub phrases: Vec<Phrase>,
    /// The words as the user typed them, for highlighting.
    pub words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub terms: Vec<String>,
    /// The last term is one syllable that ends a mixed word (CMIC와, 2.50%로): in the text it
    /// may begin a longer run (CMIC와의), so it matches as the first syllable of a term.
    pub open_end: bool,
}

impl Terms {
    pub fn parse(query: &str) -> Terms {
        let mut terms = Terms { phrases: Vec::new(), words: Vec::new() };
        for (index, part) in query.split('"').enumerate() {
            let quoted = index % 2 == 1;
            let words: Vec<&str> = if quoted { vec![part] } else { part.split_whitespace().collect() };
            for word in words {
                let word_terms: Vec<String> = self::terms(word).split(' ').filter(|t| !t.is_empty()).map(String::from).collect();
                if word_terms.is_empty() {
                    continue;
                }
                terms.words.extend(
                    word.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).filter(|w| !w.is_empty()),
                );
                let lone_syllable = |term: &str| {
                    let mut chars = term.chars();
                    chars.next().is_some_and(is_cjk) && chars.next().is_none()
                };
                let open_end = word_terms.len() > 1 && word_terms.last().is_some_and(|last| lone_syllable(last));
                terms.phrases.push(Phrase { terms: word_terms, open_end });
            }
        }
        terms
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// Which articles a list or search shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Filter {
    pub status: Option<Status>,
    /// A section path; its subsections match too.
    pub section: Option<String>,
    /// A byline's name or email.
    pub byline: Option<String>,
    pub tag: Option<String>,
    /// The id of the agency item an article was imported from ([`crate::article::Source`]).
    pub source: Option<String>,
    /// 기사입력 within [from, to).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub published_from: Option<Timestamp>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub published_to: Option<Timestamp>,
    /// 최종수정 within [from, to).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub modified_from: Option<Timestamp>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub modified_to: Option<Timestamp>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl Filter {
    pub const DEFAULT_LIMIT: u32 = 50;

    /// The facets this filter asks for besides status, each as (kind, value): what stores look
    /// up in their facet index. See [`facets`] for the facets an article has.
    pub fn facets(&self) -> Vec<(&'static str, String)> {
        let mut facets = Vec::new();
        if let Some(byline) = self.byline.as_deref().map(str::trim).filter(|byline| !byline.is_empty()) {
            facets.push(("byline", byline.to_lowercase()));
        }
        if let Some(tag) = self.tag.as_deref().map(str::trim).filter(|tag| !tag.is_empty()) {
            facets.push(("tag", tag.to_string()));
        }
        if let Some(section) = self.section.as_deref().map(|path| Section::parse(path).path()).filter(|path| !path.is_empty()) {
            facets.push(("section", section));
        }
        if let Some(source) = self.source.as_deref().map(str::trim).filter(|source| !source.is_empty()) {
            facets.push(("source", source.to_string()));
        }
        facets
    }

    /// The page asked for, as (limit, offset).
    pub fn page(&self) -> (i64, i64) {
        (i64::from(self.limit.unwrap_or(Filter::DEFAULT_LIMIT)), i64::from(self.offset.unwrap_or(0)))
    }
}

/// The facets an article has, each as (kind, value): its status, every level of its section
/// (경제 and 경제 > 경제일반), each byline's name and email in lowercase, each tag, the agency
/// item it came from. A filter
/// matches an article when the article has every facet the filter asks for.
pub fn facets(status: Status, content: &Content) -> Vec<(&'static str, String)> {
    let mut facets: Vec<(&'static str, String)> = vec![("status", status.as_str().to_string())];
    for depth in 1..=content.section.0.len() {
        facets.push(("section", Section(content.section.0[..depth].to_vec()).path()));
    }
    for byline in &content.bylines {
        facets.push(("byline", byline.name.trim().to_lowercase()));
        facets.push(("byline", byline.email.trim().to_lowercase()));
    }
    for tag in &content.tags {
        facets.push(("tag", tag.trim().to_string()));
    }
    if let Some(source) = &content.source {
        facets.push(("source", source.id.trim().to_string()));
    }
    facets.retain(|(_, value)| !value.is_empty());
    facets
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    pub article: ArticleSummary,
    /// Text around the first match, with the matching words marked.
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// How many hits are counted before the total is given as "at least".
pub const COUNT_LIMIT: i64 = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResults {
    /// Matching articles; at least this many when `exact` is false.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    pub exact: bool,
    /// Headline hits first, then the rest; each group newest first.
    pub hits: Vec<SearchHit>,
}

/// A window of `content`'s text around the first place a query word occurs, words marked.
pub fn snippet(content: &Content, words: &[String], width: usize) -> Vec<SnippetPart> {
    let words: Vec<String> = words.iter().map(|word| Folded::new(word).text).filter(|word| !word.is_empty()).collect();
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first_match = |text: &str| {
        let folded = Folded::new(text);
        let at = folded.find(&words)?.0;
        Some(text[..at].chars().count())
    };
    let (text, first) = [flat(&content.body), flat(&content.headline)]
        .into_iter()
        .find_map(|text| first_match(&text).map(|at| (text, at)))
        .unwrap_or_else(|| (flat(&content.body), 0));
    let chars: Vec<char> = text.chars().collect();
    let start = first.saturating_sub(width / 3).min(chars.len());
    let end = start.saturating_add(width).min(chars.len());
    let window: String = chars[start..end].iter().collect();
    let mut parts = Vec::new();
    if start > 0 {
        parts.push(SnippetPart { text: "…".into(), hit: false });
    }
    mark(&window, &words, &mut parts);
    if end < chars.len() {
        parts.push(SnippetPart { text: "…".into(), hit: false });
    }
    parts
}

/// Text folded for matching (lowercase, final sigma as sigma), with the way back: lowercasing
/// changes lengths (İ becomes i and a combining dot, ẞ becomes ß), so a match in the folded text
/// is mapped to the original characters it came from instead of reusing its byte offsets.
struct Folded {
    text: String,
    /// For each byte of `text`, the original character it came from, as a byte range.
    origin: Vec<(usize, usize)>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut folded = Folded { text: String::with_capacity(original.len()), origin: Vec::with_capacity(original.len()) };
        for (at, c) in original.char_indices() {
            let source = (at, at + c.len_utf8());
            for lower in c.to_lowercase() {
                // Which sigma a word ends in depends on where it stands; a search should not.
                let lower = if lower == 'ς' { 'σ' } else { lower };
                folded.text.push(lower);
                folded.origin.extend(std::iter::repeat_n(source, lower.len_utf8()));
            }
        }
        folded
    }

    /// The original byte range of the earliest (then longest) occurrence of any of `words`,
    /// widened to whole original characters.
    fn find(&self, words: &[String]) -> Option<(usize, usize)> {
        let (at, len) = words
            .iter()
            .filter(|word| !word.is_empty())
            .filter_map(|word| self.text.find(word.as_str()).map(|at| (at, word.len())))
            .min_by_key(|&(at, len)| (at, std::cmp::Reverse(len)))?;
        let start = self.origin.get(at)?.0;
        let end = self.origin.get(at + len - 1)?.1;
        Some((start, end))
    }
}

fn mark(window: &str, words: &[String], parts: &mut Vec<SnippetPart>) {
    let mut rest = window;
    while !rest.is_empty() {
        let Some((at, end)) = Folded::new(rest).find(words) else { break };
        if at > 0 {
            parts.push(SnippetPart { text: rest[..at].to_string(), hit: false });
        }
        parts.push(SnippetPart { text: rest[at..end].to_string(), hit: true });
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        parts.push(SnippetPart { text: rest.to_string(), hit: false });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_is_indexed_as_bigrams_and_latin_as_words() {
        assert_eq!(terms("협약식을"), "협약 약식 식을");
        assert_eq!(terms("CMIC와 협약"), "cmic 와 협약");
        assert_eq!(terms("2.50% 상승"), "2 50 상승");
        assert_eq!(terms("등"), "등");
    }

    #[test]
    fn query_words_become_phrases_of_their_bigrams() {
        let query = Terms::parse("협약식 CMIC");
        assert_eq!(phrases(&query), [("협약 약식".to_string(), false), ("cmic".to_string(), false)]);
    }

    #[test]
    fn punctuation_alone_is_no_query() {
        assert!(Terms::parse("* ( ) \"").is_empty());
    }

    fn phrases(terms: &Terms) -> Vec<(String, bool)> {
        terms.phrases.iter().map(|phrase| (phrase.terms.join(" "), phrase.open_end)).collect()
    }

    #[test]
    fn a_syllable_ending_a_mixed_word_may_begin_a_longer_run() {
        assert_eq!(phrases(&Terms::parse("CMIC와 2.50%로")), [("cmic 와".to_string(), true), ("2 50 로".to_string(), true)]);
    }

    #[test]
    fn one_syllable_is_a_word_of_its_own() {
        assert_eq!(phrases(&Terms::parse("등")), [("등".to_string(), false)]);
        assert_eq!(terms("협약 등 3개"), "협약 등 3 개");
    }

    #[test]
    fn snippet_marks_the_match() {
        let content = Content {
            body: "중진공은 20일 일본 도쿄에서 CMIC와 업무협약을 체결했다고 밝혔다.".into(), ..Content::default()
        };
        let parts = snippet(&content, &["협약".into()], 40);
        let hits: Vec<&str> = parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, vec!["협약"]);
    }

    #[test]
    fn snippet_maps_matches_back_where_lowercasing_changes_lengths() {
        // İ lowercases to i plus a combining dot: the lowered text is longer than the original.
        let content = Content { body: format!("{}협약식을 열었다", "İ".repeat(200)), ..Content::default() };
        let parts = snippet(&content, &["협약".into()], 40);
        let hits: Vec<&str> = parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, vec!["협약"]);
        // Words whose own case changes their length are marked in the original text.
        let content = Content { body: "Die STRAẞE und İSTANBUL, ΟΔΟΣ".into(), ..Content::default() };
        let parts = snippet(&content, &["straße".into(), "istanbul".into(), "İstanbul".into(), "οδος".into()], 80);
        let hits: Vec<&str> = parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, vec!["STRAẞE", "İSTANBUL", "ΟΔΟΣ"]);
    }
}
