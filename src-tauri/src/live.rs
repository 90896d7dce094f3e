//! The live desk: one thread per server workspace reads the newsroom's event stream and hands
//! each event to the window (`desk-event`), so lists and the editor follow what colleagues do
//! without reloading. A broken stream is opened again, sooner at first and then less often; a
//! stream that cannot be opened marks the server unreachable until it can. After a break the
//! window is told to load again (`resync`): events may have been missed meanwhile.

use std::sync::Arc;
use std::time::Duration;

use copydesk::ErrorCode;
use copydesk_protocol::Event;
use tauri::{AppHandle, Emitter};

use crate::dto::DeskEvent;
use crate::server::Server;

pub const DESK_EVENT: &str = "desk-event";
/// The session ended on the server (signed out elsewhere, password changed, account disabled).
pub const SIGNED_OUT_EVENT: &str = "signed-out";

const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(2);

pub fn follow(app: AppHandle, server: Arc<Server>) {
    std::thread::spawn(move || {
        let mut retry = FIRST_RETRY;
        let mut first = true;
        while !server.ended() {
            match server.client.events() {
                Ok(events) => {
                    server.set_online(true);
                    retry = FIRST_RETRY;
                    if !first {
                        tell(&app, &server, DeskEvent::resync(server.clock.now()));
                    }
                    first = false;
                    for event in events {
                        if server.ended() {
                            return;
                        }
                        match event {
                            Ok(event) => {
                                let event = describe(&server, event);
                                tell(&app, &server, event);
                            }
                            Err(error) if error.code() == ErrorCode::NotSignedIn => {
                                let _ = app.emit(SIGNED_OUT_EVENT, error.to_string());
                                return;
                            }
                            Err(_) => break,
                        }
                    }
                    // The stream ended: try again at once; only a failure to reconnect means
                    // the server is gone.
                }
                Err(error) if error.code() == ErrorCode::NotSignedIn => {
                    if !server.ended() {
                        let _ = app.emit(SIGNED_OUT_EVENT, error.to_string());
                    }
                    return;
                }
                Err(_) => {
                    server.set_online(false);
                    std::thread::sleep(retry);
                    retry = (retry * 2).min(LAST_RETRY);
                }
            }
        }
    });
}

fn tell(app: &AppHandle, server: &Server, event: DeskEvent) {
    if !server.ended() {
        let _ = app.emit(DESK_EVENT, event);
    }
}

/// The event as the window shows it: with whether it concerns the signed-in person's own
/// article (a return is a notification for its reporter only).
fn describe(server: &Server, event: Event) -> DeskEvent {
    let mine = match (event.kind.as_str(), event.article) {
        ("returned" | "published" | "corrected" | "killed" | "released", Some(article)) => {
            server.client.article(article).map(|article| article.created_by == server.me.id).unwrap_or(false)
        }
        _ => false,
    };
    DeskEvent::from_event(event, mine)
}
