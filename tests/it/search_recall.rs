//! Korean search never silently misses a word: on a generated archive with planted words, every
//! query finds exactly the articles a brute-force substring scan finds.

use crate::common;

use copydesk::store::Location;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use copydesk::Library;
use copydesk::article::ArticleId;
use copydesk::clock::Clock;
use copydesk::search::Filter;
use copydesk::synthetic::{self, Dice};

/// Planted in headlines, bodies, captions, tags and bylines of random articles.
const PLANTED: &[&str] = &["탄소중립세를", "업무협약식에서", "협약을", "CMIC와", "금리 2.50%로", "초격차반도체", "한중일협의체"];

struct Archive {
    library: Library,
    texts: Vec<(ArticleId, String)>,
}

/// The archive file is generated once and shared by the tests, each reading it with its own
/// connection.
fn archive() -> Archive {
    type Built = (tempfile::TempDir, Location, Vec<(ArticleId, String)>);
    static BUILT: OnceLock<Built> = OnceLock::new();
    let (_, location, texts) = BUILT.get_or_init(|| {
        let common::TestLibrary { folder, location, library } = common::new_library(Clock::Fixed(common::at("2025-02-20T09:00:00+09:00")));
        let texts = build(library);
        (folder, location, texts)
    });
    Archive { library: common::open(location, Clock::System), texts: texts.clone() }
}

fn build(mut library: Library) -> Vec<(ArticleId, String)> {
    synthetic::fill(&mut library, 2_000, 99, |_| {}).unwrap();
    let editor = library.user(Some(synthetic::ARCHIVIST)).unwrap();
    let mut dice = Dice::new(5);
    for n in 0..300 {
        let id = ArticleId(1 + dice.below(2_000) as i64);
        let article = library.article(id).unwrap();
        if article.status == copydesk::workflow::Status::Killed {
            continue;
        }
        let word = PLANTED[n % PLANTED.len()];
        let mut content = article.content.clone();
        match dice.below(5) {
            0 => content.headline = format!("{} {word}", content.headline),
            1 => content.tags.push(word.to_string()),
            2 if !content.photos.is_empty() => content.photos[0].caption.push_str(&format!(" {word}")),
            3 => content.bylines[0].name = format!("{}{word}", content.bylines[0].name),
            _ => content.body.push_str(&format!("\n\n관계자는 {word} 설명했다.")),
        }
        library.save(&editor, id, article.head, content).unwrap();
    }
    library
        .list(&Filter { limit: Some(10_000), ..Filter::default() })
        .unwrap()
        .into_iter()
        .map(|summary| {
            let content = library.article(summary.id).unwrap().content;
            let mut text = vec![content.headline, content.subheadlines.join("\n"), content.body, content.tags.join("\n")];
            text.extend(content.bylines.iter().map(|byline| format!("{} {}", byline.name, byline.email)));
            text.extend(content.photos.iter().map(|photo| format!("{} {} {}", photo.caption, photo.alt, photo.credit)));
            (summary.id, text.join("\n").to_lowercase())
        })
        .collect()
}

fn searched(archive: &Archive, query: &str) -> BTreeSet<ArticleId> {
    let results = archive.library.search(query, &Filter { limit: Some(100_000), ..Filter::default() }).unwrap();
    if results.exact {
        assert_eq!(results.total as usize, results.hits.len(), "{query}: the total counts the hits");
    } else {
        assert!(
            results.total as usize >= copydesk::search::COUNT_LIMIT as usize && results.hits.len() >= results.total as usize,
            "{query}"
        );
    }
    results.hits.into_iter().map(|hit| hit.article.id).collect()
}

/// Articles containing every whitespace-separated word of `query` (lowercased) as a substring.
fn scanned(archive: &Archive, words: &[&str]) -> BTreeSet<ArticleId> {
    archive.texts.iter().filter(|(_, text)| words.iter().all(|word| text.contains(&word.to_lowercase()))).map(|(id, _)| *id).collect()
}

#[test]
fn search_finds_exactly_what_a_substring_scan_finds() {
    let archive = archive();
    // Planted words and their pieces: compounds, words before particles, Latin and numbers.
    let queries: &[&[&str]] = &[
        &["탄소중립세"],
        &["탄소중립"],
        &["중립"],
        &["업무협약식"],
        &["협약식"],
        &["협약"],
        &["cmic"],
        &["초격차"],
        &["격차반도"],
        &["한중일"],
        &["협의체"],
        &["cmic", "협약"],
        &["탄소중립", "협약"],
        &["반도체"],
    ];
    let mut checked = 0;
    for words in queries {
        let query = words.join(" ");
        let expected = scanned(&archive, words);
        assert_eq!(searched(&archive, &query), expected, "{query}");
        checked += expected.len();
    }
    assert!(checked > 500, "the queries matched only {checked} articles");

    // 2.50% finds every article with 2.50 in it (2.50%, 2.50%로).
    assert_eq!(searched(&archive, "2.50%"), scanned(&archive, &["2.50"]));

    // Random pieces of random articles, two to four syllables long.
    let mut dice = Dice::new(11);
    let mut asked = 0;
    while asked < 60 {
        let (_, text) = &archive.texts[dice.below(archive.texts.len())];
        let chars: Vec<char> = text.chars().collect();
        let start = dice.below(chars.len().saturating_sub(5));
        let piece: String = chars[start..(start + 2 + dice.below(3)).min(chars.len())].iter().collect();
        if piece.chars().count() < 2 || !piece.chars().all(|c| ('가'..='힣').contains(&c)) {
            continue;
        }
        asked += 1;
        let found = searched(&archive, &piece);
        let expected = scanned(&archive, &[&piece]);
        assert!(expected.is_subset(&found), "{piece}: search missed {:?}", expected.difference(&found).collect::<Vec<_>>());
    }
}

#[test]
fn quoted_phrases_match_only_together() {
    let archive = archive();
    let phrase = searched(&archive, "\"금리 2.50%로\"");
    assert_eq!(phrase, scanned(&archive, &["금리 2.50%로"]));
    assert!(!phrase.is_empty());
    let apart = searched(&archive, "금리 2.50%로");
    assert!(apart.is_superset(&phrase));
}

#[test]
fn pages_follow_one_stable_order() {
    let archive = archive();
    let all = archive.library.search("협약", &Filter { limit: Some(100_000), ..Filter::default() }).unwrap();
    let mut paged = Vec::new();
    for page in 0.. {
        let filter = Filter { limit: Some(7), offset: Some(page * 7), ..Filter::default() };
        let hits = archive.library.search("협약", &filter).unwrap().hits;
        if hits.is_empty() {
            break;
        }
        paged.extend(hits.into_iter().map(|hit| hit.article.id));
    }
    assert_eq!(paged, all.hits.iter().map(|hit| hit.article.id).collect::<Vec<_>>());
    // Headline hits come first, then the rest; each group newest first.
    let in_headline: Vec<bool> = all.hits.iter().map(|hit| hit.article.headline.contains("협약")).collect();
    let first_other = in_headline.iter().position(|hit| !hit).unwrap_or(in_headline.len());
    assert!(in_headline[first_other..].iter().all(|hit| !hit), "a headline hit came after the others");
    assert!(first_other > 0, "some headlines contain 협약");
}
