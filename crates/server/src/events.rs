//! What changes in the newsroom, told to every signed-in client of every server process. A
//! change is announced with PostgreSQL's `NOTIFY` on the worker that made it; each process
//! keeps one connection `LISTEN`ing and hands what arrives to its clients' event streams. A
//! client that fell behind, or a listener that lost its database, gets a `resync`: load again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use copydesk::article::{Article, ArticleId};
use copydesk::user::User;
pub use copydesk_protocol::Event;
use jiff::Timestamp;
use postgres::fallible_iterator::FallibleIterator;
use tokio::sync::broadcast;

/// The PostgreSQL channel events travel on.
pub const CHANNEL: &str = "copydesk_events";

/// NOTIFY takes under 8000 bytes; headlines and notes are cut to fit with room to spare.
fn cut(text: &str) -> String {
    text.chars().take(600).collect()
}

pub trait Announce {
    fn about(kind: &str, article: &Article, by: &User, at: Timestamp) -> Event;
    fn presence(article: ArticleId, by: &User, editing: Option<bool>, at: Timestamp) -> Event;
    fn resync(at: Timestamp) -> Event;
}

impl Announce for Event {
    fn about(kind: &str, article: &Article, by: &User, at: Timestamp) -> Event {
        let note = match kind {
            "returned" | "corrected" | "killed" => article_note(article),
            _ => None,
        };
        Event {
            kind: kind.to_string(),
            at,
            article: Some(article.id),
            head: Some(article.head),
            status: Some(article.status),
            headline: Some(cut(&article.content.headline)),
            by: Some(by.id),
            by_name: Some(by.name.clone()),
            note,
            editing: None,
        }
    }

    fn presence(article: ArticleId, by: &User, editing: Option<bool>, at: Timestamp) -> Event {
        Event { article: Some(article), by: Some(by.id), by_name: Some(by.name.clone()), editing, ..Event::new("presence", at) }
    }

    fn resync(at: Timestamp) -> Event {
        Event::new("resync", at)
    }
}

fn article_note(article: &Article) -> Option<String> {
    // The workflow keeps the latest note on the article's corrections for a correction; other
    // notes travel on the revision, which the event carries by its number.
    article.corrections.last().filter(|correction| correction.revision == article.head).map(|correction| cut(&correction.note))
}

pub struct Hub {
    sender: broadcast::Sender<Arc<str>>,
    listening: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl Hub {
    /// Starts listening on its own connection and thread; it reconnects on its own.
    pub fn start(url: &str) -> Result<Hub, Box<dyn std::error::Error + Send + Sync>> {
        let (sender, _) = broadcast::channel(4096);
        let hub = Hub { sender, listening: Arc::new(AtomicBool::new(false)), stopped: Arc::new(AtomicBool::new(false)) };
        let (url, sender, listening, stopped) = (url.to_string(), hub.sender.clone(), hub.listening.clone(), hub.stopped.clone());
        std::thread::Builder::new().name("copydesk-events".into()).spawn(move || listen(&url, &sender, &listening, &stopped))?;
        Ok(hub)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.sender.subscribe()
    }

    /// Whether events from other processes reach this one now.
    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Relaxed)
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

fn listen(url: &str, sender: &broadcast::Sender<Arc<str>>, listening: &AtomicBool, stopped: &AtomicBool) {
    let mut first = true;
    while !stopped.load(Ordering::Relaxed) {
        let connected = postgres::Client::connect(url, postgres::NoTls).and_then(|mut client| {
            client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
            Ok(client)
        });
        let mut client = match connected {
            Ok(client) => client,
            Err(error) => {
                if listening.swap(false, Ordering::Relaxed) || first {
                    tracing::warn!(%error, "cannot listen for the newsroom's events; trying again");
                }
                first = false;
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        listening.store(true, Ordering::Relaxed);
        if !first {
            // Whatever happened while the listener was away is not known: clients load again.
            let _ = sender.send(Arc::from(serde_json::to_string(&Event::resync(Timestamp::now())).unwrap_or_default()));
            tracing::info!("listening for the newsroom's events again");
        }
        first = false;
        loop {
            // A fresh wait each time: the iterator's timeout runs once, and reused it would
            // return at once forever after, spinning without ever reading the socket.
            let next = client.notifications().timeout_iter(Duration::from_secs(1)).next();
            match next {
                Ok(Some(notification)) => {
                    let _ = sender.send(Arc::from(notification.payload()));
                }
                Ok(None) => {
                    if stopped.load(Ordering::Relaxed) {
                        return;
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "lost the newsroom's events; reconnecting");
                    break;
                }
            }
        }
        listening.store(false, Ordering::Relaxed);
    }
}
