//! Simulated desks against one server. Each desk signs in as its own reporter, makes its own
//! draft and then keeps the cadence of a person writing in the app: an autosave every 2 s, a
//! save every 30 s, the list every 10 s, a search every 30 s, each on a phase of its own so the
//! newsroom's requests spread out. One more client listens to `/api/events` and times each save
//! until its `saved` event arrives. The number of desks rises step by step until a 99th
//! percentile passes the limit.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use copydesk::article::{Byline, Content, Dateline, Section};
use copydesk::search::Filter;
use copydesk_client::Client;
use copydesk_protocol::Event;

use crate::stats::{Samples, ms};
use crate::text::{self, Dice};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Autosave,
    Save,
    List,
    Search,
}

pub const OPS: [Op; 4] = [Op::Autosave, Op::Save, Op::List, Op::Search];

impl Op {
    fn every(self) -> Duration {
        match self {
            Op::Autosave => Duration::from_secs(2),
            Op::Save => Duration::from_secs(30),
            Op::List => Duration::from_secs(10),
            Op::Search => Duration::from_secs(30),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Autosave => "autosave",
            Op::Save => "save",
            Op::List => "list",
            Op::Search => "search",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub server: String,
    pub password: String,
    pub steps: Vec<usize>,
    pub step: Duration,
    pub warmup: Duration,
    /// A step whose p99 of any of `limited` passes this ends the run.
    pub limit_ms: f64,
    pub limited: Vec<Op>,
}

/// The account of desk `n`; desk 0 is the event listener.
pub fn email(n: usize) -> String {
    format!("desk{n}@loadtest.example")
}

#[derive(Default)]
struct Window {
    samples: [Samples; 4],
    errors: [usize; 4],
    messages: Vec<String>,
    delays: Samples,
}

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    measuring: AtomicBool,
    ready: AtomicUsize,
    failed: AtomicUsize,
    window: Mutex<Window>,
    /// Saves sent, by (article, the head they make), with when they were sent.
    in_flight: Mutex<HashMap<(i64, u32), Instant>>,
    listening: AtomicBool,
}

impl Shared {
    fn window(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn record(&self, op: Op, started: Instant, outcome: &copydesk::Result<()>) {
        if !self.measuring.load(Ordering::Relaxed) {
            return;
        }
        let mut window = self.window();
        let index = OPS.iter().position(|o| *o == op).unwrap_or(0);
        match outcome {
            Ok(()) => window.samples[index].add(started.elapsed()),
            Err(error) => {
                window.errors[index] += 1;
                if window.messages.len() < 5 {
                    window.messages.push(format!("{}: {error}", op.name()));
                }
            }
        }
    }
}

/// One row of the table.
pub struct Row {
    pub desks: usize,
    pub ops_per_second: f64,
    pub cells: [String; 4],
    pub p99: [Option<f64>; 4],
    pub errors: usize,
    pub events: String,
    pub missed_events: usize,
    pub cpu_busy: Option<f64>,
}

pub fn header() -> String {
    "| desks | ops/s | autosave p50 / p99 | save p50 / p99 | list p50 / p99 | search p50 / p99 | errors | save→event p50 / p99 (missed) | CPU busy |\n\
     |---|---|---|---|---|---|---|---|---|"
        .to_string()
}

impl Row {
    pub fn line(&self) -> String {
        let cpu = self.cpu_busy.map(|busy| format!("{busy:.0}%")).unwrap_or_else(|| "-".into());
        format!(
            "| {} | {:.0} | {} | {} | {} | {} | {} | {} ({}) | {} |",
            self.desks,
            self.ops_per_second,
            self.cells[0],
            self.cells[1],
            self.cells[2],
            self.cells[3],
            self.errors,
            self.events,
            self.missed_events,
            cpu
        )
    }
}

pub fn run(settings: &Settings) -> Result<Vec<Row>> {
    let shared = Arc::new(Shared::default());
    let listener = {
        let mut client = Client::new(&settings.server, None)?;
        client.sign_in(&email(0), &settings.password).with_context(|| format!("signing in as {}", email(0)))?;
        let token = client.token().unwrap_or_default().to_string();
        let (server, shared) = (settings.server.clone(), shared.clone());
        std::thread::Builder::new().name("events".into()).spawn(move || listen(&server, &token, &shared))?
    };
    let started = Instant::now();
    while !shared.listening.load(Ordering::Relaxed) {
        if started.elapsed() > Duration::from_secs(10) || listener.is_finished() {
            bail!("the event stream did not open");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    println!("{}", header());
    let mut desks: Vec<JoinHandle<()>> = Vec::new();
    let mut rows = Vec::new();
    for &count in &settings.steps {
        eprintln!("step: {count} desks; signing in {} more", count.saturating_sub(desks.len()));
        while desks.len() < count {
            let n = desks.len() + 1;
            let (settings, shared) = (settings.clone(), shared.clone());
            desks.push(std::thread::Builder::new().name(format!("desk{n}")).stack_size(256 * 1024).spawn(move || {
                if let Err(error) = desk(n, &settings, &shared) {
                    eprintln!("desk {n} stopped: {error:#}");
                    shared.failed.fetch_add(1, Ordering::Relaxed);
                }
            })?);
            // Sign-ins hash a password on the server: a few at a time, not all at once.
            if desks.len().is_multiple_of(8) {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let waiting = Instant::now();
        while shared.ready.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed) < desks.len() {
            if waiting.elapsed() > Duration::from_secs(120) {
                bail!("desks did not start within two minutes");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if shared.failed.load(Ordering::Relaxed) > 0 {
            shared.stop.store(true, Ordering::Relaxed);
            bail!("{} desks could not start", shared.failed.load(Ordering::Relaxed));
        }
        std::thread::sleep(settings.warmup);
        *shared.window() = Window::default();
        let cpu_before = cpu_times();
        let window_start = Instant::now();
        shared.measuring.store(true, Ordering::Relaxed);
        std::thread::sleep(settings.step);
        shared.measuring.store(false, Ordering::Relaxed);
        let seconds = window_start.elapsed().as_secs_f64();
        let cpu_busy = cpu_before
            .zip(cpu_times())
            .map(|((busy0, total0), (busy1, total1))| 100.0 * (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64);
        // Saves older than five seconds whose event never came.
        let missed_events = {
            let mut in_flight = shared.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let before = in_flight.len();
            in_flight.retain(|_, sent| sent.elapsed() < Duration::from_secs(5));
            before - in_flight.len()
        };
        let window = std::mem::take(&mut *shared.window());
        let total: usize = window.samples.iter().map(Samples::len).sum::<usize>() + window.errors.iter().sum::<usize>();
        let row = Row {
            desks: count,
            ops_per_second: total as f64 / seconds,
            cells: std::array::from_fn(|i| window.samples[i].cell()),
            p99: std::array::from_fn(|i| window.samples[i].p99()),
            errors: window.errors.iter().sum(),
            events: window.delays.cell(),
            missed_events,
            cpu_busy,
        };
        println!("{}", row.line());
        for message in &window.messages {
            eprintln!("  error: {message}");
        }
        let over: Vec<String> = OPS
            .iter()
            .zip(row.p99)
            .filter(|(op, p99)| settings.limited.contains(op) && p99.is_some_and(|p99| p99 > settings.limit_ms))
            .map(|(op, p99)| format!("{} p99 {} ms", op.name(), ms(p99.unwrap_or_default())))
            .collect();
        rows.push(row);
        if !over.is_empty() {
            eprintln!("stopping: {} over {} ms at {count} desks", over.join(", "), settings.limit_ms);
            break;
        }
    }
    shared.stop.store(true, Ordering::Relaxed);
    for desk in desks {
        let _ = desk.join();
    }
    Ok(rows)
}

/// Busy and total jiffies of the whole machine, from `/proc/stat`.
fn cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|field| field.parse().ok()).collect();
    let total: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3)? + fields.get(4)?;
    Some((total - idle, total))
}

fn draft(dice: &mut Dice, n: usize) -> Content {
    let size = 2500 + dice.below(2500);
    Content {
        section: Section(vec!["경제".into(), "산업".into()]),
        headline: text::headline(dice),
        subheadlines: vec![text::sentence(dice)],
        dateline: Dateline { place: "서울".into(), outlet: "뉴스핌".into() },
        bylines: vec![Byline { name: format!("기자{n}"), title: "기자".into(), email: email(n) }],
        body: text::body(dice, size),
        tags: vec!["산업".into()],
        ..Content::default()
    }
}

fn desk(n: usize, settings: &Settings, shared: &Shared) -> Result<()> {
    let mut client = Client::new(&settings.server, None)?;
    client.sign_in(&email(n), &settings.password).with_context(|| format!("signing in as {}", email(n)))?;
    let mut dice = Dice::new(n as u64);
    let mut content = draft(&mut dice, n);
    let article = client.create(content.clone()).context("making the desk's draft")?;
    let (id, mut head) = (article.id, article.head);
    shared.ready.fetch_add(1, Ordering::Relaxed);

    // Each operation on a phase of its own within its period.
    let start = Instant::now();
    let mut due: Vec<Instant> = OPS.iter().map(|op| start + op.every().mul_f64(dice.unit())).collect();
    let list = Filter { limit: Some(50), ..Filter::default() };
    let found = Filter { limit: Some(20), ..Filter::default() };
    while !shared.stop.load(Ordering::Relaxed) {
        let (next, when) = due.iter().enumerate().min_by_key(|(_, when)| **when).map(|(i, when)| (i, *when)).unwrap_or((0, start));
        let now = Instant::now();
        if when > now {
            std::thread::sleep((when - now).min(Duration::from_millis(250)));
            continue;
        }
        let op = OPS[next];
        // A fixed rate: a late operation does not push the ones after it.
        due[next] += op.every();
        if due[next] < now {
            due[next] = now + op.every();
        }
        let began = Instant::now();
        let outcome = match op {
            Op::Autosave => {
                // Typing: a sentence more, and a long draft starts over.
                if content.body.len() > 9000 {
                    content.body = text::body(&mut dice, 2500);
                }
                content.body.push(' ');
                content.body.push_str(&text::sentence(&mut dice));
                client.autosave(id, head, content.clone())
            }
            Op::Save => {
                let made = (id.0, head.0 + 1);
                shared.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(made, began);
                let saved = client.save(id, head, content.clone());
                match saved {
                    Ok(article) => {
                        if article.head.0 != made.1 {
                            shared.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&made);
                        }
                        head = article.head;
                        Ok(())
                    }
                    Err(error) => {
                        shared.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&made);
                        // Start again from what the server has, as the app would.
                        if let Ok(article) = client.article(id) {
                            head = article.head;
                        }
                        Err(error)
                    }
                }
            }
            Op::List => client.list(&list).map(|_| ()),
            Op::Search => client.search(text::SEARCH_WORDS[dice.below(text::SEARCH_WORDS.len())], &found).map(|_| ()),
        };
        shared.record(op, began, &outcome);
    }
    Ok(())
}

/// Reads the event stream and times each `saved` against the save that made it.
fn listen(server: &str, token: &str, shared: &Shared) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(None).build().into();
    let url = format!("{}/api/events", server.trim_end_matches('/'));
    let response = match agent.get(&url).header("Authorization", &format!("Bearer {token}")).header("Accept", "text/event-stream").call() {
        Ok(response) if response.status().is_success() => response,
        Ok(response) => return eprintln!("the event stream answered {}", response.status()),
        Err(error) => return eprintln!("the event stream failed: {error}"),
    };
    shared.listening.store(true, Ordering::Relaxed);
    let reader = BufReader::new(response.into_body().into_reader());
    let (mut kind, mut data) = (String::new(), String::new());
    for line in reader.lines() {
        let Ok(line) = line else { break };
        if let Some(rest) = line.strip_prefix("event:") {
            kind = rest.trim().to_string();
        } else if let Some(rest) = line.strip_prefix("data:") {
            data.push_str(rest.trim_start());
        } else if line.is_empty() {
            if kind == "saved" {
                let arrived = Instant::now();
                if let Ok(Event { article: Some(article), head: Some(head), .. }) = serde_json::from_str::<Event>(&data) {
                    let sent = shared.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&(article.0, head.0));
                    if let Some(sent) = sent
                        && shared.measuring.load(Ordering::Relaxed)
                    {
                        shared.window().delays.add(arrived - sent);
                    }
                }
            } else if kind == "resync" {
                eprintln!("the event stream fell behind (resync)");
            }
            kind.clear();
            data.clear();
        }
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
    }
}
