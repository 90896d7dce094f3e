//! Search at archive scale: 100,000 short articles, written in batches so that the archive
//! takes seconds, not the minutes full-length synthetic copy would. Every two-syllable word of
//! the vocabulary, from one in four articles to a handful, finds exactly the articles a
//! brute-force substring scan finds, filtered or not. On PostgreSQL the same archive is also
//! written to a library file, and every page of results, in order, and every total must be the
//! SQLite store's.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use copydesk::Library;
use copydesk::article::{ArticleId, Byline, Content, Section};
use copydesk::clock::Clock;
use copydesk::import::ImportedArticle;
use copydesk::search::Filter;
use copydesk::store::Location;
use copydesk::synthetic::Dice;
use copydesk::user::{NewUser, Role};
use copydesk::workflow::Status;

use crate::common;

const ARTICLES: usize = 100_000;

/// Two-syllable words, most common first: the first few are in a large share of articles.
const WORDS: &[&str] = &[
    "정부", "협약", "시장", "기업", "경제", "투자", "지원", "사업", "기술", "산업", "정책", "금리", "수출", "개발", "협력", "발표", "계획",
    "지역", "분야", "확대", "성장", "회의", "예산", "인력", "교육", "환경", "전략", "혁신", "노동", "물가", "주택", "금융", "의료", "통신",
    "항만", "철도", "전력", "원전", "해운", "농업", "어업", "관광", "문화", "체육", "과학", "우주", "항공", "국방", "외교", "통일",
];
/// Longer words built on them, in a few articles each: compounds and words before particles.
const COMPOUNDS: &[&str] = &["업무협약식", "탄소중립", "협약을", "정부지원금", "초격차반도체", "한중일협의체"];
const PARTICLES: &[&str] = &["", "", "은", "는", "이", "가", "을", "를", "의", "에서", "와", "로"];
const SECTIONS: &[&str] = &["경제 > 산업", "경제 > 금융", "경제 > 부동산", "정치 > 국회", "정치 > 외교", "사회", "문화", "국제"];
const STATUSES: &[Status] = &[Status::Published, Status::Published, Status::Published, Status::Draft, Status::Submitted];

fn word(dice: &mut Dice) -> String {
    // Zipf-like: a low index is far likelier than a high one.
    let bound = dice.below(WORDS.len()) + 1;
    let word = WORDS[dice.below(bound)];
    let particle = PARTICLES[dice.below(PARTICLES.len())];
    format!("{word}{particle}")
}

fn article(dice: &mut Dice, n: usize, newest: jiff::Timestamp) -> ImportedArticle {
    let status = STATUSES[dice.below(STATUSES.len())];
    let mut body: Vec<String> = (0..8 + dice.below(12)).map(|_| word(dice)).collect();
    if dice.chance(3) {
        body.insert(dice.below(body.len()), COMPOUNDS[dice.below(COMPOUNDS.len())].to_string());
    }
    let reporter = dice.below(40);
    let published = newest - jiff::SignedDuration::from_mins(3 * (ARTICLES - n) as i64);
    ImportedArticle {
        source: PathBuf::from(format!("archive/{n}.md")),
        content: Content {
            section: Section::parse(SECTIONS[dice.below(SECTIONS.len())]),
            headline: format!("{} {} 발표", word(dice), word(dice)),
            bylines: vec![Byline { name: format!("기자{reporter}"), title: "기자".into(), email: format!("r{reporter}@example.kr") }],
            body: format!("{}.", body.join(" ")),
            tags: if dice.chance(10) { vec![WORDS[dice.below(10)].to_string()] } else { Vec::new() },
            ..Content::default()
        },
        status,
        first_published: (status == Status::Published).then_some(published),
        last_modified: None,
        corrections: Vec::new(),
        images: Vec::new(),
    }
}

/// Fills `library` with the archive, 5,000 articles to a transaction, and returns each
/// article's searchable text, lowercased, for the scan.
fn fill(library: &mut Library) -> Vec<(ArticleId, String, Status, String)> {
    let desk = library
        .add_user(None, NewUser { name: "아카이브".into(), title: "데스크".into(), email: "archive@example.kr".into(), role: Role::Admin })
        .unwrap();
    let newest = library.now();
    let mut dice = Dice::new(100_000);
    let mut texts = Vec::with_capacity(ARTICLES);
    for start in (0..ARTICLES).step_by(5_000) {
        let batch: Vec<ImportedArticle> = (start..start + 5_000).map(|n| article(&mut dice, n, newest)).collect();
        let meta: Vec<(String, Status, String)> = batch
            .iter()
            .map(|imported| {
                let content = &imported.content;
                let text = [
                    content.headline.as_str(),
                    &content.body,
                    &content.tags.join("\n"),
                    &content.bylines[0].name,
                    &content.bylines[0].email,
                ]
                .join("\n")
                .to_lowercase();
                (text, imported.status, content.section.path())
            })
            .collect();
        let inserted = library.import_batch(&desk, batch).unwrap();
        texts.extend(inserted.into_iter().zip(meta).map(|(article, (text, status, section))| (article.id, text, status, section)));
    }
    library.settle().unwrap();
    texts
}

fn all_hits(library: &Library, query: &str, filter: &Filter) -> Vec<ArticleId> {
    let results = library.search(query, &Filter { limit: Some(ARTICLES as u32), ..filter.clone() }).unwrap();
    results.hits.into_iter().map(|hit| hit.article.id).collect()
}

#[test]
fn search_at_archive_scale_finds_exactly_what_a_scan_finds_and_pages_fast() {
    let clock = Clock::Fixed(common::at("2025-02-20T09:00:00+09:00"));
    let started = Instant::now();
    let common::TestLibrary { folder: _folder, location, mut library } = common::new_library(clock.clone());
    let texts = fill(&mut library);
    eprintln!("{ARTICLES} articles in {location} in {:.1} s", started.elapsed().as_secs_f64());

    let in_section = Filter { status: Some(Status::Published), section: Some("경제".into()), ..Filter::default() };
    let mut checked = 0;
    for word in WORDS {
        for filter in [&Filter::default(), &in_section] {
            let found: BTreeSet<ArticleId> = all_hits(&library, word, filter).into_iter().collect();
            let scanned: BTreeSet<ArticleId> = texts
                .iter()
                .filter(|(_, text, status, section)| {
                    text.contains(word) && (filter.status.is_none() || (*status == Status::Published && section.starts_with("경제")))
                })
                .map(|(id, ..)| *id)
                .collect();
            assert_eq!(found.len(), scanned.len(), "{word} ({filter:?}): the search found {} of {}", found.len(), scanned.len());
            assert_eq!(found, scanned, "{word} ({filter:?})");
            checked += scanned.len();
        }
    }
    assert!(checked > 500_000, "the words matched only {checked} articles");
    for compound in COMPOUNDS {
        let piece = compound.chars().take(4).collect::<String>();
        let found: BTreeSet<ArticleId> = all_hits(&library, &piece, &Filter::default()).into_iter().collect();
        let scanned: BTreeSet<ArticleId> = texts.iter().filter(|(_, text, ..)| text.contains(&piece)).map(|(id, ..)| *id).collect();
        assert!(!scanned.is_empty() && found == scanned, "{piece}: search {} hits, scan {}", found.len(), scanned.len());
    }

    // The first page of each query, as the app asks for it, timed.
    let first_page = Filter { limit: Some(20), ..Filter::default() };
    let filtered = Filter { limit: Some(20), ..in_section.clone() };
    let queries: Vec<(&str, &Filter)> =
        vec![("협약", &first_page), ("협약을", &first_page), ("탄소중립", &first_page), ("협약", &filtered), ("정부 협약", &first_page)];
    for (query, filter) in &queries {
        let mut timings: Vec<Duration> = (0..50)
            .map(|_| {
                let started = Instant::now();
                library.search(query, filter).unwrap();
                started.elapsed()
            })
            .collect();
        timings.sort_unstable();
        eprintln!("{query} ({:?}): p50 {:?}, p99 {:?}", filter.status, timings[25], timings[49]);
        // Ten times the target: a plan that sorts every hit of a common word takes far longer.
        assert!(timings[25] < Duration::from_millis(200), "{query}: the median page took {:?}", timings[25]);
    }

    // On PostgreSQL, the same archive in a library file must give the same pages and totals.
    if matches!(location, Location::Postgres(_)) {
        let folder = tempfile::tempdir().unwrap();
        let mut file = copydesk_store_postgres::init_library(&Location::File(folder.path().join("same.sqlite3")), clock).unwrap();
        let file_texts = fill(&mut file);
        assert_eq!(file_texts.len(), texts.len());
        let pages = [
            Filter { limit: Some(20), ..Filter::default() },
            Filter { limit: Some(20), offset: Some(40), ..Filter::default() },
            Filter { limit: Some(20), offset: Some(1_990), ..Filter::default() },
            Filter { limit: Some(50), ..in_section.clone() },
            Filter { limit: Some(20), byline: Some("기자7".into()), ..Filter::default() },
        ];
        for query in ["협약", "협약을", "탄소중립", "정부 협약", "업무협약식", "통일", "협", "r7"] {
            for filter in &pages {
                let ours = library.search(query, filter).unwrap();
                let theirs = file.search(query, filter).unwrap();
                assert_eq!((ours.total, ours.exact), (theirs.total, theirs.exact), "{query} ({filter:?}): totals");
                let ids = |results: &copydesk::search::SearchResults| results.hits.iter().map(|hit| hit.article.id).collect::<Vec<_>>();
                assert_eq!(ids(&ours), ids(&theirs), "{query} ({filter:?}): pages");
            }
        }
    }
}
