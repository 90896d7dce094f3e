//! Every server process looks for embargoes that have passed, and does the upkeep of the store
//! and of the answers kept for retries. They race for the same articles,
//! and the store lets exactly one commit land for each: the others find it released already.

use std::sync::Arc;
use std::time::Duration;

use copydesk::article::Article;
use jiff::Timestamp;

use crate::Shared;
use crate::events::{Announce, CHANNEL, Event};
use crate::pool::Worker;

pub async fn run(shared: Arc<Shared>) {
    let mut ticks = tokio::time::interval(shared.config.release_every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let at = shared.config.clock.now();
        let released = shared
            .pool
            .run(move |worker| {
                let released = worker.library.release_due()?;
                for article in &released {
                    let event = released_event(worker, article, at);
                    let _ = worker.accounts.notify(CHANNEL, &serde_json::to_string(&event).unwrap_or_default());
                }
                worker.accounts.prune_idempotent(at)?;
                Ok(released.len())
            })
            .await;
        match released {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "released embargoed articles"),
            Err(error) => tracing::warn!(%error, "could not look for embargoes that passed"),
        }
    }
}

/// How often the store's upkeep runs between requests. On PostgreSQL it merges the entries
/// saves left in the search index's pending list: a second's worth is a few milliseconds of
/// work, where a save that fills the list to its limit merges megabytes itself and waits
/// seconds for it on a large archive (BENCHMARKS.md, "PostgreSQL at 1,000,000 articles").
pub const UPKEEP_EVERY: Duration = Duration::from_secs(1);

/// The store's upkeep, from a connection of the pool, so that no save pays for a large batch
/// of it. Merging waits for a merge another process is doing, never a save.
pub async fn upkeep(shared: Arc<Shared>) {
    let mut ticks = tokio::time::interval(UPKEEP_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let tidied = shared.pool.run(|worker| worker.library.maintain(copydesk::store::Budget::Step)).await;
        if let Err(error) = tidied {
            tracing::warn!(%error, "could not tidy the library between requests");
        }
    }
}

/// The event of a release, in the name of the editor who scheduled it.
pub fn released_event(worker: &mut Worker, article: &Article, at: Timestamp) -> Event {
    let releaser = article.scheduled_by.unwrap_or(article.created_by);
    match worker.library.user_with_id(releaser) {
        Ok(user) => Event::about("released", article, &user, at),
        Err(_) => Event {
            article: Some(article.id),
            head: Some(article.head),
            status: Some(article.status),
            headline: Some(article.content.headline.chars().take(600).collect()),
            ..Event::new("released", at)
        },
    }
}
