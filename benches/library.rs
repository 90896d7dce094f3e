//! The library at archive scale: fill, open-to-list, list, search, save, size, index rebuild,
//! and Korean search recall against a brute-force substring scan.
//!
//!     cargo bench --bench library                                   # 100,000 articles
//!     COPYDESK_BENCH_ARTICLES=1000000 COPYDESK_BENCH_LIBRARY=/big/archive.sqlite3 cargo bench --bench library
//!     COPYDESK_BENCH_ARTICLES=1000000 COPYDESK_BENCH_LIBRARY=postgres://copydesk@host/archive1m cargo bench --bench library
//!
//! Under `cargo test` it runs on 10,000 articles and fails if search misses a word.
//! A library named by COPYDESK_BENCH_LIBRARY (a file or a postgres:// URL) is reused when it
//! already holds the articles. COPYDESK_BENCH_STORE=postgres runs on a fresh database of a
//! throwaway PostgreSQL server instead of a file. COPYDESK_BENCH_REBUILD=0 skips timing the
//! search index rebuild, COPYDESK_BENCH_RECALL=0 the recall check and what follows it.
//! COPYDESK_BENCH_ONLY=search stops after the searches, to compare two
//! builds' searches back to back in one sitting. COPYDESK_BENCH_INDEX_AFTER_FILL=1 fills a
//! PostgreSQL library with the search index held back and builds it in one pass afterwards, as
//! a database administrator loads an archive (see `defer_search_index`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use copydesk::Library;
use copydesk::article::ArticleId;
use copydesk::clock::Clock;
use copydesk::search::Filter;
use copydesk::store::{Budget, Location};
use copydesk::synthetic::{self, Dice};
use copydesk::workflow::Status;
use copydesk_store_postgres::{init_library, open_library};

fn main() {
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let articles: u64 =
        std::env::var("COPYDESK_BENCH_ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(if benchmarking { 100_000 } else { 10_000 });
    let folder = tempfile::tempdir().expect("temporary folder");
    let location = match (std::env::var("COPYDESK_BENCH_LIBRARY"), std::env::var("COPYDESK_BENCH_STORE").as_deref()) {
        (Ok(named), _) => Location::parse(&named).expect("COPYDESK_BENCH_LIBRARY is a path or a postgres:// URL"),
        (Err(_), Ok("postgres")) => Location::Postgres(throwaway_postgres::fresh_database()),
        _ => Location::File(folder.path().join("archive.sqlite3")),
    };
    let iterations = if benchmarking { 200 } else { 20 };

    println!("# Copydesk library benchmark: {articles} articles in {location}");
    let mut library = match open_library(&location, Clock::System) {
        Err(copydesk::Error::NoLibrary { .. }) => init_library(&location, Clock::System),
        opened => opened,
    }
    .expect("library opens");
    let existing = library.count(&Filter::default()).expect("count");
    let index_after_fill = std::env::var("COPYDESK_BENCH_INDEX_AFTER_FILL").is_ok_and(|value| value == "1");
    if let (Location::Postgres(url), true) = (&location, index_after_fill && existing < articles) {
        defer_search_index(url);
    }
    if existing < articles {
        let started = Instant::now();
        // Progress every 50,000 articles, so a fill of a million shows its pace as it goes.
        let progress = |done: u64| {
            if done.is_multiple_of(50_000) {
                println!("  filled {done} articles in {:.0} s", started.elapsed().as_secs_f64());
            }
        };
        let filled = synthetic::fill(&mut library, articles - existing, 20250220, progress).expect("archive fills");
        let took = started.elapsed();
        println!(
            "fill: {} articles, {} edits, {} MB of text in {:.1} s ({:.0} articles/s)",
            filled.articles,
            filled.edits,
            filled.text_bytes / 1_000_000,
            took.as_secs_f64(),
            filled.articles as f64 / took.as_secs_f64()
        );
    }
    drop(library);
    if let Location::Postgres(url) = &location {
        build_deferred_search_index(url);
    }
    // A server's autovacuum would have visited the new rows by now: do its work before timing.
    if let Location::Postgres(url) = &location {
        let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
        client.batch_execute("VACUUM ANALYZE").expect("vacuums");
    }

    // Open the library and show the first page of the list, as the app does at start.
    let open_to_list = measure(iterations.min(50), || {
        let library = open_library(&location, Clock::System).expect("opens");
        assert_eq!(library.list(&Filter::default()).expect("lists").len(), 50);
    });
    report("open library + list newest 50", &open_to_list);

    let mut library = open_library(&location, Clock::System).expect("library opens");
    let newest_page = library.list(&Filter::default()).expect("list");
    let newest = newest_page[0].clone();
    // A library other tools wrote to (a load test's articles) may have unsigned articles on top.
    let byline = newest_page.iter().find_map(|article| article.bylines.first()).expect("a signed article among the newest 50").clone();
    let week_ago = newest.updated_at - jiff::SignedDuration::from_hours(24 * 7);
    let filters: [(&str, Filter); 6] = [
        ("list newest 50", Filter::default()),
        ("list newest 50, status", Filter { status: Some(Status::Draft), ..Filter::default() }),
        ("list newest 50, section", Filter { section: Some("경제".into()), ..Filter::default() }),
        ("list newest 50, byline", Filter { byline: Some(byline.clone()), ..Filter::default() }),
        ("list newest 50, tag", Filter { tag: Some("협약".into()), ..Filter::default() }),
        ("list newest 50, 기사입력 last week", Filter { published_from: Some(week_ago), ..Filter::default() }),
    ];
    for (name, filter) in &filters {
        report(name, &measure(iterations, || drop(library.list(filter).expect("lists"))));
    }

    let first_page = Filter { limit: Some(20), ..Filter::default() };
    let filtered = Filter { status: Some(Status::Published), section: Some("산업".into()), limit: Some(20), ..Filter::default() };
    let queries: [(&str, &str, &Filter); 7] = [
        ("search 2 syllables", "협약", &first_page),
        ("search 3 syllables", "협약식", &first_page),
        ("search multi-word", "CMIC 협약", &first_page),
        ("search filtered", "협약", &filtered),
        ("search number", "2.50%", &first_page),
        ("search 1 syllable", "협", &first_page),
        ("search rare word", "탄소중립", &first_page),
    ];
    for (name, query, filter) in queries {
        let mut total = String::new();
        let timings = measure(iterations, || {
            let results = library.search(query, filter).expect("searches");
            total = format!("{}{}", results.total, if results.exact { "" } else { "+" });
        });
        report(&format!("{name} ({query}: {total} hits)"), &timings);
    }
    if std::env::var("COPYDESK_BENCH_ONLY").is_ok_and(|only| only == "search") {
        return;
    }

    // Saves with the index on: a one-sentence edit to random articles.
    let editor = library.user(Some(synthetic::ARCHIVIST)).expect("archivist");
    // Articles are numbered from 1 and never deleted. (The newest in the list is the one edited
    // last, which after a run is a random article: no bound for picking among all of them.)
    let highest = library.count(&Filter::default()).expect("count").max(1) as usize;
    let mut edited_revisions = Vec::new();
    let run_salt = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let mut edits_made = 0u64;
    // Each run edits other articles, so a rerun measures first rewrites, not rewrites of its own edits.
    let mut dice = Dice::new(run_salt);
    // A reporter saves every few minutes, and the app tidies the library while they type
    // (Library::maintain), so each save runs on a tidy library; the tidying is timed on its own.
    // Then the same saves back to back, with no idle time for it.
    let mut tidy_steps = Vec::new();
    let mut save = |library: &mut Library, tidy_steps: Option<&mut Vec<Duration>>| {
        let article = loop {
            let candidate = library.article(ArticleId(1 + dice.below(highest) as i64)).expect("article");
            if candidate.status != Status::Killed {
                break candidate;
            }
        };
        let id = article.id;
        let mut content = article.content.clone();
        // Rewrite the article's first sentence, differently on every save and every run (an
        // unchanged save makes no revision and would measure nothing).
        let first_sentence = content.body.find(". ").map_or(content.body.len(), |end| end + 1);
        edits_made += 1;
        let sentence = format!("협약 당사자들은 다음 달 {}차 후속 회의를 열어 세부 계획을 논의하기로 했다.", run_salt + edits_made);
        content.body.replace_range(..first_sentence, &sentence);
        let started = Instant::now();
        let saved = library.save(&editor, id, article.head, content).expect("saves");
        let took = started.elapsed();
        assert_eq!(saved.head, article.head.next(), "every measured save makes a revision");
        edited_revisions.push((id, saved.head));
        if let Some(steps) = tidy_steps {
            loop {
                let started = Instant::now();
                let more = library.maintain(Budget::Step).expect("tidies");
                steps.push(started.elapsed());
                if !more {
                    break;
                }
            }
        }
        took
    };
    let saves = timed(iterations * 2, || save(&mut library, Some(&mut tidy_steps)));
    report("save (one-sentence edit, index on, tidied while idle)", &saves);
    tidy_steps.sort_unstable();
    report("one tidy step while idle (the longest a save waits behind it)", &tidy_steps);
    let back_to_back = timed(iterations * 2, || save(&mut library, None));
    report("save back to back, no idle time to tidy", &back_to_back);
    if let Location::Postgres(_) = &location {
        // A newsroom server does that upkeep from a connection of its own every second
        // (`UPKEEP_EVERY` in the server's release.rs), however busy it is.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let upkeep = std::thread::spawn({
            let (location, stop) = (location.clone(), stop.clone());
            move || {
                let mut library = open_library(&location, Clock::System).expect("opens");
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    library.maintain(Budget::Step).expect("tidies");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        });
        let beside_upkeep = timed(iterations * 2, || save(&mut library, None));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        upkeep.join().expect("the upkeep thread ends");
        report("save back to back, tidied every second from another connection as a server does", &beside_upkeep);
    }
    library.settle().expect("settles");
    let mut bytes: Vec<usize> = edited_revisions
        .iter()
        .filter_map(|(id, head)| {
            let revisions = library.revisions(*id).ok()?;
            revisions.iter().find(|revision| revision.number.0 + 1 == head.0).map(|revision| revision.stored_bytes)
        })
        .collect();
    bytes.sort_unstable();
    println!("bytes per revision for a one-sentence edit: median {} B, max {} B", bytes[bytes.len() / 2], bytes[bytes.len() - 1]);

    let on_disk = stored_size(&location);
    let raw = raw_text_bytes(&library);
    println!("library on disk: {} MB for {} MB of raw text ({:.2}x)", on_disk / 1_000_000, raw / 1_000_000, on_disk as f64 / raw as f64);
    if let Location::Postgres(url) = &location {
        let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
        let mut size = |sql: &str| client.query_one(sql, &[]).expect("sizes").get::<_, i64>(0) / 1_000_000;
        let index = size("SELECT pg_relation_size('article_terms_candidates')");
        let vectors = size("SELECT pg_table_size('article_terms')");
        println!("search index: {index} MB (GIN), {vectors} MB of search vectors (with TOAST)");
    }

    // COPYDESK_BENCH_RECALL=0 skips the recall check (a quarter of an hour at a million articles).
    if std::env::var("COPYDESK_BENCH_RECALL").is_ok_and(|value| value == "0") {
        return;
    }
    let recall = recall(&library, if benchmarking { 40 } else { 20 });
    println!(
        "search recall against a brute-force scan of {} articles: {:.2}% over {} queries ({} hits without the piece)",
        recall.sampled,
        recall.found_share * 100.0,
        recall.queries,
        recall.false_hits
    );
    assert!(recall.found_share >= 1.0, "Korean search missed articles a substring scan finds");

    // COPYDESK_BENCH_REBUILD=0 skips the rebuild (long at a million articles); =1 forces it.
    let rebuild = std::env::var("COPYDESK_BENCH_REBUILD").map(|value| value != "0").unwrap_or(benchmarking);
    if rebuild {
        let before = library.search("협약", &Filter::default()).expect("searches");
        let started = Instant::now();
        library.rebuild_index().expect("index rebuilds");
        println!("rebuild the search index from scratch: {:.1} s", started.elapsed().as_secs_f64());
        let after = library.search("협약", &Filter::default()).expect("searches");
        assert_eq!((after.total, after.exact), (before.total, before.exact), "the rebuilt index finds what the old one did");
    }
}

/// The search index's definition (migration V3), and the stand-in that takes its name while an
/// archive is loaded. Entries merged into a GIN index a batch at a time cost most of a fill
/// (about 90 articles/s at 100,000 articles, slower as the index grows), where one
/// `CREATE INDEX` sorts them all at once, and leaves the index as compact as a `REINDEX`. The
/// stand-in (a GIN index on no row) keeps the store's own upkeep of the index working.
const SEARCH_INDEX: &str = "CREATE INDEX article_terms_candidates ON article_terms USING gin ((candidates::tsvector))";
const NO_ROW: &str = " WHERE false";

fn defer_search_index(url: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
    client
        .batch_execute(&format!("BEGIN; DROP INDEX article_terms_candidates; {SEARCH_INDEX}{NO_ROW}; COMMIT"))
        .expect("the search index is held back");
    println!("search index held back until the archive is filled");
}

/// Builds the search index if a fill held it back (also one that was stopped before this).
fn build_deferred_search_index(url: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
    let definition: String = client
        .query_one("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_terms_candidates'", &[])
        .expect("the search index is there")
        .get(0);
    if !definition.to_lowercase().ends_with("where false") {
        return;
    }
    let started = Instant::now();
    client
        .batch_execute(&format!("SET maintenance_work_mem = '1GB'; BEGIN; DROP INDEX article_terms_candidates; {SEARCH_INDEX}; COMMIT"))
        .expect("the search index builds");
    println!("build the search index in one pass: {:.0} s", started.elapsed().as_secs_f64());
}

fn measure(iterations: usize, mut run: impl FnMut()) -> Vec<Duration> {
    timed(iterations, || {
        let started = Instant::now();
        run();
        started.elapsed()
    })
}

/// Sorted timings of `iterations` runs after one to warm up, each run timing itself (so it
/// may time only part of what it does).
fn timed(iterations: usize, mut run: impl FnMut() -> Duration) -> Vec<Duration> {
    run(); // warm up
    let mut timings: Vec<Duration> = (0..iterations).map(|_| run()).collect();
    timings.sort_unstable();
    timings
}

fn report(name: &str, sorted: &[Duration]) {
    let at = |share: f64| sorted[((sorted.len() as f64 * share) as usize).min(sorted.len() - 1)];
    println!("{name}: p50 {:.2} ms, p99 {:.2} ms", ms(at(0.50)), ms(at(0.99)));
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Bytes the library takes: the file and its log, or the database on its server.
fn stored_size(location: &Location) -> u64 {
    match location {
        Location::File(path) => {
            let wal = PathBuf::from(format!("{}-wal", path.display()));
            [path.to_path_buf(), wal].iter().filter_map(|file| std::fs::metadata(file).ok()).map(|meta| meta.len()).sum()
        }
        Location::Postgres(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
            client.query_one("SELECT pg_database_size(current_database())", &[]).expect("sizes").get::<_, i64>(0) as u64
        }
    }
}

/// Searchable text of articles (every article, or an evenly spread sample of them when
/// `sample` is smaller than the library), read through the library: the ground truth for recall.
fn texts(library: &Library, sample: usize) -> Vec<(i64, String)> {
    let articles = library.count(&Filter::default()).expect("counts") as i64;
    let every = (articles as usize / sample.max(1)).max(1) as i64;
    (1..=articles)
        .filter(|id| id % every == 0)
        .map(|id| {
            let content = library.article(ArticleId(id)).expect("article").content;
            let mut text = vec![content.headline.clone(), content.subheadlines.join("\n"), content.body.clone(), content.tags.join("\n")];
            text.extend(content.bylines.iter().map(|byline| format!("{} {}", byline.name, byline.email)));
            text.extend(content.photos.iter().map(|photo| format!("{} {} {}", photo.caption, photo.alt, photo.credit)));
            (id, text.join("\n").to_lowercase())
        })
        .collect()
}

fn raw_text_bytes(library: &Library) -> u64 {
    let articles = library.count(&Filter::default()).expect("counts") as i64;
    (1..=articles).map(|id| synthetic::text_bytes(&library.article(ArticleId(id)).expect("article").content) as u64).sum()
}

struct Recall {
    queries: usize,
    sampled: usize,
    found_share: f64,
    false_hits: usize,
}

/// Picks 2- to 4-syllable pieces of sampled articles' text, asks search for each, and checks
/// that every sampled article whose text contains the piece is among the hits.
fn recall(library: &Library, queries: usize) -> Recall {
    let texts = texts(library, 20_000);
    let mut dice = Dice::new(7);
    let (mut wanted, mut found, mut false_hits, mut asked) = (0usize, 0usize, 0usize, 0usize);
    while asked < queries {
        let (_, text) = &texts[dice.below(texts.len())];
        let chars: Vec<char> = text.chars().collect();
        let start = dice.below(chars.len().saturating_sub(5));
        let length = 2 + dice.below(3);
        let piece: String = chars[start..(start + length).min(chars.len())].iter().collect();
        if piece.chars().count() < 2 || !piece.chars().all(|c| ('가'..='힣').contains(&c)) {
            continue;
        }
        asked += 1;
        let truth: std::collections::HashSet<i64> = texts.iter().filter(|(_, text)| text.contains(&piece)).map(|(id, _)| *id).collect();
        let sampled: std::collections::HashSet<i64> = texts.iter().map(|(id, _)| *id).collect();
        let results = library.search(&piece, &Filter { limit: Some(u32::MAX), ..Filter::default() }).expect("searches");
        let hits: std::collections::HashSet<i64> =
            results.hits.iter().map(|hit| hit.article.id.0).filter(|id| sampled.contains(id)).collect();
        wanted += truth.len();
        found += truth.intersection(&hits).count();
        false_hits += hits.difference(&truth).count();
    }
    Recall { queries: asked, sampled: texts.len(), found_share: found as f64 / wanted.max(1) as f64, false_hits }
}
