/// Every command the app registers (`lib.rs`, `generate_handler!`). Tauri makes an
/// `allow-<command>` permission of each; `permissions/desk.toml` grants them to the window and
/// `capabilities/default.json` grants that set and nothing else. A command left out of this list
/// is refused to the page (`capabilities::tests` holds the three lists together).
const COMMANDS: &[&str] = &[
    "session",
    "sign_in_server",
    "sign_out",
    "use_this_computer",
    "server_status",
    "open_article",
    "close_article",
    "presence",
    "open_library",
    "setup_profile",
    "people",
    "add_user",
    "sign_in",
    "set_newsroom",
    "set_language",
    "list",
    "search",
    "sections",
    "article",
    "actions",
    "create",
    "create_draft",
    "save",
    "autosave",
    "discard_recovered",
    "submit",
    "return_to_reporter",
    "publish",
    "correct",
    "kill",
    "revisions",
    "revision_content",
    "compare",
    "compare_contents",
    "resolve_merge",
    "restore",
    "release_due",
    "add_photo",
    "add_photo_file",
    "preview",
    "to_instant",
    "to_local",
    "to_day",
    "export",
    "open_path",
    "pick_library",
    "pick_export_folder",
    "pick_photos",
];

fn main() {
    println!("cargo:rerun-if-changed=permissions");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(error) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        println!("cargo:warning=tauri-build: {error:#}");
        std::process::exit(1);
    }
}
