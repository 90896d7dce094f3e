//! Copydesk's desktop shell: holds the open [`Library`] in Tauri state and exposes each of its
//! methods as one command (`commands`). It decides nothing: the core's workflow does.

mod commands;
mod desk;
pub mod dto;
mod export;
mod grants;
mod live;
mod offline;
mod people;
mod photos;
mod preview;
mod server;
mod webview;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod capabilities;

use std::time::Duration;

use copydesk::store::Budget;
use tauri::{Emitter, Manager};

pub use desk::{AppState, Desk};
pub use webview::before_start;

/// How often the running app releases scheduled articles whose embargo passed.
fn release_interval() -> Duration {
    let seconds = std::env::var("COPYDESK_RELEASE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    Duration::from_secs(seconds)
}

/// Keeps the library tidy between the user's saves, so that no save merges the search index
/// or copies the write-ahead log itself. Each step holds the library for a few milliseconds;
/// the pause between steps lets any command that is waiting go first. After half a minute with
/// nothing to tidy the library's page cache (up to 32 MB) is given back until it is needed.
fn tidy_while_idle(handle: &tauri::AppHandle) {
    const TICK: Duration = Duration::from_millis(500);
    const IDLE_TICKS_BEFORE_RELEASE: u32 = 60;
    let mut idle_ticks = 0;
    loop {
        let state = handle.state::<AppState>();
        match state.maintain(Budget::Step) {
            Ok(true) => {
                idle_ticks = 0;
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(false) => {
                idle_ticks += 1;
                if idle_ticks == IDLE_TICKS_BEFORE_RELEASE {
                    let _ = state.release_memory();
                }
                std::thread::sleep(TICK);
            }
            Err(error) => {
                eprintln!("copydesk: tidying the library failed: {}; trying again in a minute", error.message);
                std::thread::sleep(Duration::from_secs(60));
            }
        }
    }
}

pub fn run() {
    let state = AppState::start();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .manage(grants::Grants::default())
        .register_uri_scheme_protocol("photo", photos::serve)
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                loop {
                    let state = handle.state::<AppState>();
                    if let Ok(released) = state.release_due()
                        && !released.is_empty()
                    {
                        let _ = handle.emit("released", released);
                    }
                    std::thread::sleep(release_interval());
                }
            });
            let handle = app.handle().clone();
            std::thread::spawn(move || tidy_while_idle(&handle));
            // Started on a server (the choice remembered, the session kept): follow its events.
            if let Some(server) = app.state::<AppState>().server() {
                server.tell(app.handle().clone());
                live::follow(app.handle().clone(), server);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session,
            commands::sign_in_server,
            commands::sign_out,
            commands::use_this_computer,
            commands::server_status,
            commands::open_article,
            commands::close_article,
            commands::presence,
            commands::open_library,
            commands::setup_profile,
            commands::people,
            commands::add_user,
            commands::sign_in,
            commands::set_newsroom,
            commands::set_language,
            commands::list,
            commands::search,
            commands::sections,
            commands::article,
            commands::actions,
            commands::create,
            commands::create_draft,
            commands::save,
            commands::autosave,
            commands::discard_recovered,
            commands::submit,
            commands::return_to_reporter,
            commands::publish,
            commands::correct,
            commands::kill,
            commands::revisions,
            commands::revision_content,
            commands::compare,
            commands::compare_contents,
            commands::resolve_merge,
            commands::restore,
            commands::release_due,
            commands::add_photo,
            commands::add_photo_file,
            commands::preview,
            commands::to_instant,
            commands::to_local,
            commands::to_day,
            commands::export,
            commands::open_path,
            commands::pick_library,
            commands::pick_export_folder,
            commands::pick_photos,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("copydesk: the window could not start: {error}");
            std::process::exit(1);
        });
}
