//! `GET /api/events`: the newsroom's events as server-sent events, for as long as the session
//! lives. The stream checks the session again every half minute and ends when it was revoked.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event as Sse, KeepAlive};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;

use crate::Shared;
use crate::api::Caller;
use crate::events::{Announce, Event};

const RECHECK: Duration = Duration::from_secs(30);

pub async fn events(State(shared): State<Arc<Shared>>, Extension(caller): Extension<Caller>) -> Response {
    let token = Some(caller.token);
    let receiver = shared.events.subscribe();
    let next_check = tokio::time::Instant::now() + RECHECK;
    let events = stream::unfold(
        (receiver, shared, token, next_check, false),
        |(mut receiver, shared, token, mut next_check, ended)| async move {
            if ended {
                return None;
            }
            loop {
                tokio::select! {
                    received = receiver.recv() => {
                        let event = match received {
                            Ok(payload) => {
                                let kind = serde_json::from_str::<Event>(&payload).map(|event| event.kind).unwrap_or_else(|_| "message".into());
                                Sse::default().event(kind).data(payload.as_ref())
                            }
                            // Fell behind: what was missed is not known, so the client loads again.
                            Err(RecvError::Lagged(_)) => {
                                let resync = serde_json::to_string(&Event::resync(shared.config.clock.now())).unwrap_or_default();
                                Sse::default().event("resync").data(resync)
                            }
                            Err(RecvError::Closed) => return None,
                        };
                        return Some((Ok::<_, Infallible>(event), (receiver, shared, token, next_check, false)));
                    }
                    _ = tokio::time::sleep_until(next_check) => {
                        next_check = tokio::time::Instant::now() + RECHECK;
                        let at = shared.config.clock.now();
                        let check = token.clone();
                        if let Err(error) = shared.pool.run(move |worker| crate::api::person(worker, check.as_deref(), at)).await {
                            let body = serde_json::json!({ "code": error.code(), "message": error.to_string() }).to_string();
                            return Some((Ok(Sse::default().event("signed_out").data(body)), (receiver, shared, token, next_check, true)));
                        }
                    }
                }
            }
        },
    );
    axum::response::sse::Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
