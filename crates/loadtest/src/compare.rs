//! Copydesk's server beside a WordPress site holding the same archive: the same client, in the
//! same run, times saves and searches on both (alternating, so background load falls on both
//! alike) and measures each one's search recall against a brute-force scan of the articles'
//! texts.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine;
use copydesk::article::{ArticleId, Content, Dateline, Section};
use copydesk::search::Filter;
use copydesk_client::Client;

use crate::stats::{Samples, ms};
use crate::text::{self, Dice};

/// The same queries for both: words inside longer words (협약 in 업무협약식), words before
/// particles, a rare compound, an organisation, a number and two words together.
pub const QUERIES: &[&str] = &[
    "협약",
    "협약식",
    "업무협약",
    "협약을",
    "반도체",
    "금리",
    "인공지능",
    "탄소중립",
    "임상시험",
    "공급망",
    "서울시",
    "CMIC",
    "2.50%",
    "CMIC 협약",
];

#[derive(Debug, Clone)]
pub struct Settings {
    pub copydesk: String,
    pub email: String,
    pub password: String,
    pub wordpress: String,
    pub wp_user: String,
    pub wp_password: String,
    /// The articles as the library dump gives them (PostgreSQL's COPY text format).
    pub texts: std::path::PathBuf,
    pub saves: usize,
    pub searches: usize,
    /// The archive article both sides edit.
    pub article: i64,
}

/// One archive article: its id (the same on both sides), headline and the rest of its text.
pub struct Text {
    pub id: i64,
    pub headline: String,
    pub body: String,
}

/// Reads the dump: `id`, `headline`, `text` (subheadlines and body) and more columns, tab-separated,
/// with COPY's backslash escapes.
pub fn read_texts(path: &Path) -> Result<Vec<Text>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut texts = Vec::new();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        let fields: Vec<String> = line.split('\t').map(unescape).collect();
        let [id, headline, body, ..] = fields.as_slice() else {
            bail!("{}:{}: expected id, headline and text", path.display(), number + 1);
        };
        let id = id.parse().with_context(|| format!("{}:{}: the id", path.display(), number + 1))?;
        texts.push(Text { id, headline: headline.clone(), body: body.clone() });
    }
    Ok(texts)
}

fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The articles whose text holds every word of `query` (case aside), by scanning them all.
pub fn scan(texts: &[Text], query: &str) -> HashSet<i64> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    texts
        .iter()
        .filter(|text| {
            let (headline, body) = (text.headline.to_lowercase(), text.body.to_lowercase());
            words.iter().all(|word| headline.contains(word.as_str()) || body.contains(word.as_str()))
        })
        .map(|text| text.id)
        .collect()
}

struct WordPress {
    base: String,
    auth: String,
    agent: ureq::Agent,
}

impl WordPress {
    fn new(settings: &Settings) -> WordPress {
        let credentials = format!("{}:{}", settings.wp_user, settings.wp_password);
        WordPress {
            base: settings.wordpress.trim_end_matches('/').to_string(),
            auth: format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials)),
            agent: ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(300))).build().into(),
        }
    }

    /// `GET /wp-json/wp/v2/posts?search=…`: the ids of one page and WordPress's own total.
    fn search(&self, query: &str, per_page: usize, page: usize, fields: &str) -> Result<(Vec<i64>, usize)> {
        let mut response = self
            .agent
            .get(format!("{}/wp-json/wp/v2/posts", self.base))
            .header("Authorization", &self.auth)
            .query("search", query)
            .query("per_page", per_page.to_string())
            .query("page", page.to_string())
            .query("_fields", fields)
            .call()?;
        let total = response.headers().get("x-wp-total").and_then(|value| value.to_str().ok()).and_then(|value| value.parse().ok());
        let status = response.status();
        let body = response.body_mut().with_config().limit(1 << 30).read_to_string()?;
        if !status.is_success() {
            bail!("WordPress answered {status}: {}", body.chars().take(300).collect::<String>());
        }
        let posts: Vec<serde_json::Value> = serde_json::from_str(&body)?;
        let ids = posts.iter().filter_map(|post| post["id"].as_i64()).collect();
        Ok((ids, total.unwrap_or(0)))
    }

    /// `POST /wp-json/wp/v2/posts/{id}` with a new title and content.
    fn save(&self, id: i64, title: &str, content: &str) -> Result<()> {
        let mut response = self
            .agent
            .post(format!("{}/wp-json/wp/v2/posts/{id}", self.base))
            .header("Authorization", &self.auth)
            .send_json(serde_json::json!({ "title": title, "content": content }))?;
        let status = response.status();
        let body = response.body_mut().with_config().limit(1 << 30).read_to_string()?;
        if !status.is_success() {
            bail!("WordPress answered {status}: {}", body.chars().take(300).collect::<String>());
        }
        Ok(())
    }
}

/// Every id Copydesk finds for `query`, page by page.
fn copydesk_hits(client: &Client, query: &str) -> Result<HashSet<i64>> {
    const PAGE: u32 = 1000;
    let mut ids = HashSet::new();
    for page in 0.. {
        let filter = Filter { limit: Some(PAGE), offset: Some(page * PAGE), ..Filter::default() };
        let results = client.search(query, &filter)?;
        let count = results.hits.len();
        ids.extend(results.hits.iter().map(|hit| hit.article.id.0));
        if count < PAGE as usize {
            break;
        }
    }
    Ok(ids)
}

/// WordPress's hits for `query`: every id when there are at most `all_up_to`, else its own
/// count (each page scans every post, so paging through thousands takes minutes) with the
/// first page's ids checked against the scan.
fn wordpress_hits(wordpress: &WordPress, query: &str, all_up_to: usize) -> Result<(HashSet<i64>, usize, bool)> {
    let (first, total) = wordpress.search(query, 100, 1, "id")?;
    let mut ids: HashSet<i64> = first.into_iter().collect();
    if total > all_up_to {
        return Ok((ids, total, false));
    }
    for page in 2..=total.div_ceil(100) {
        ids.extend(wordpress.search(query, 100, page, "id")?.0);
    }
    Ok((ids, total, true))
}

fn recall(found: &HashSet<i64>, truth: &HashSet<i64>) -> f64 {
    if truth.is_empty() {
        return 100.0;
    }
    100.0 * found.intersection(truth).count() as f64 / truth.len() as f64
}

pub fn run(settings: &Settings) -> Result<()> {
    eprintln!("reading the archive's texts from {}", settings.texts.display());
    let texts = read_texts(&settings.texts)?;
    eprintln!("{} articles", texts.len());
    let mut client = Client::new(&settings.copydesk, None)?;
    client.sign_in(&settings.email, &settings.password).with_context(|| format!("signing in to Copydesk as {}", settings.email))?;
    let wordpress = WordPress::new(settings);

    // Recall first: the scan, then every hit of both.
    println!("| query | scan | Copydesk hits (recall) | WordPress hits (recall) |");
    println!("|---|---|---|---|");
    let (mut truth_total, mut copydesk_found, mut wordpress_found) = (0usize, 0usize, 0.0f64);
    for query in QUERIES {
        let truth = scan(&texts, query);
        let ours = copydesk_hits(&client, query)?;
        let (theirs, their_total, listed) = wordpress_hits(&wordpress, query, 1500)?;
        let ours_recall = recall(&ours, &truth);
        let (their_recall, note) = if listed {
            (recall(&theirs, &truth), String::new())
        } else {
            // WordPress's LIKE search finds substrings: with every id of its first page in the
            // scan, its count is its recall.
            let precise = theirs.iter().all(|id| truth.contains(id));
            let recall = 100.0 * their_total.min(truth.len()) as f64 / truth.len().max(1) as f64;
            (recall, format!(", by its count{}", if precise { "" } else { "; first page NOT all in the scan" }))
        };
        truth_total += truth.len();
        copydesk_found += ours.intersection(&truth).count();
        wordpress_found += their_recall / 100.0 * truth.len() as f64;
        println!(
            "| {query} | {} | {} ({:.2}%) | {} ({:.2}%{note}) |",
            truth.len(),
            ours.len(),
            ours_recall,
            their_total.max(theirs.len()),
            their_recall
        );
    }
    println!(
        "| all | {truth_total} | {:.2}% | {:.2}% |\n",
        100.0 * copydesk_found as f64 / truth_total.max(1) as f64,
        100.0 * wordpress_found / truth_total.max(1) as f64
    );

    // Searches, a page of 20, alternating.
    let (mut ours_search, mut theirs_search) = (Samples::default(), Samples::default());
    let page = Filter { limit: Some(20), ..Filter::default() };
    for round in 0..settings.searches {
        let query = QUERIES[round % QUERIES.len()];
        let began = Instant::now();
        client.search(query, &page)?;
        ours_search.add(began.elapsed());
        let began = Instant::now();
        wordpress.search(query, 20, 1, "id,title,date,status")?;
        theirs_search.add(began.elapsed());
    }

    // Saves of the same archive article's text, one sentence rewritten each time, alternating.
    let source = texts.iter().find(|text| text.id == settings.article).context("the article to edit is not in the dump")?;
    let mut content = Content {
        section: Section(vec!["경제".into()]),
        headline: source.headline.clone(),
        dateline: Dateline { place: "서울".into(), outlet: "뉴스핌".into() },
        body: source.body.clone(),
        ..Content::default()
    };
    let draft = client.create(content.clone())?;
    let (id, mut head): (ArticleId, _) = (draft.id, draft.head);
    let mut dice = Dice::new(42);
    let (mut ours_save, mut theirs_save) = (Samples::default(), Samples::default());
    for _ in 0..settings.saves {
        let sentence = text::sentence(&mut dice);
        let rest = source.body.split_once(". ").map(|(_, rest)| rest).unwrap_or(&source.body);
        content.body = format!("{sentence} {rest}");
        let began = Instant::now();
        head = client.save(id, head, content.clone())?.head;
        ours_save.add(began.elapsed());
        let began = Instant::now();
        wordpress.save(settings.article, &content.headline, &content.body)?;
        theirs_save.add(began.elapsed());
    }

    let ratio = |theirs: Option<f64>, ours: Option<f64>| match (theirs, ours) {
        (Some(theirs), Some(ours)) if ours > 0.0 && theirs / ours < 10.0 => format!("{:.1}x", theirs / ours),
        (Some(theirs), Some(ours)) if ours > 0.0 => format!("{:.0}x", theirs / ours),
        _ => "-".into(),
    };
    let cell = |value: Option<f64>| value.map(ms).map(|value| format!("{value} ms")).unwrap_or_else(|| "-".into());
    println!("| {} saves, {} searches | Copydesk | WordPress | WordPress / Copydesk |", settings.saves, settings.searches);
    println!("|---|---|---|---|");
    for (what, ours, theirs) in [
        ("save p50", ours_save.p50(), theirs_save.p50()),
        ("save p99", ours_save.p99(), theirs_save.p99()),
        ("search p50", ours_search.p50(), theirs_search.p50()),
        ("search p99", ours_search.p99(), theirs_search.p99()),
    ] {
        println!("| {what} | {} | {} | {} |", cell(ours), cell(theirs), ratio(theirs, ours));
    }
    println!(
        "| search recall | {:.2}% | {:.2}% | |",
        100.0 * copydesk_found as f64 / truth_total.max(1) as f64,
        100.0 * wordpress_found / truth_total.max(1) as f64
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dump_unescapes_like_copy() {
        assert_eq!(unescape(r"첫 줄\n둘째\t줄 \\ 끝"), "첫 줄\n둘째\t줄 \\ 끝");
    }

    #[test]
    fn the_scan_finds_words_inside_words_and_before_particles() {
        let texts = vec![
            Text { id: 1, headline: "업무협약식 열려".into(), body: String::new() },
            Text { id: 2, headline: String::new(), body: "CMIC와 협약을 맺었다".into() },
            Text { id: 3, headline: "협력".into(), body: "협 약".into() },
        ];
        assert_eq!(scan(&texts, "협약"), HashSet::from([1, 2]));
        assert_eq!(scan(&texts, "cmic 협약"), HashSet::from([2]));
    }
}
