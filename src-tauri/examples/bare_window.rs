//! A bare Tauri 2 window, to measure what the app adds to it: the same Tauri, wry and WebKitGTK,
//! no plugins, no library, a page with nothing but a `<main>`. `e2e/bench/bare-window.mjs`
//! launches it and reads its PSS the way `app-bench.mjs` reads the app's.
//!
//!     cargo build -p copydesk-app --example bare_window

use tauri::http::Response;

const PAGE: &str = "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>bare</title><main>빈 창</main></html>";

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("bare", |_, _| {
            Response::builder().header("Content-Type", "text/html; charset=utf-8").body(PAGE.as_bytes().to_vec()).unwrap_or_default()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("bare://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "main", url).title("bare").inner_size(1280.0, 860.0).build()?;
            Ok(())
        })
        .run(context)
        .unwrap_or_else(|error| {
            eprintln!("bare_window: {error}");
            std::process::exit(1);
        });
}
