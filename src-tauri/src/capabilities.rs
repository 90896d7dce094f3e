//! The window may call exactly the app's commands and the few core permissions the page uses.
//! Three lists must agree: the commands `lib.rs` registers, the ones `build.rs` makes
//! permissions of, and the `desk` set the capability grants; a command missing from either of
//! the last two would be refused to the page, one missing from `lib.rs` would be a permission
//! for nothing.

use std::collections::BTreeSet;

fn quoted_after(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text.find(start).map(|at| at + start.len()).unwrap_or(text.len());
    let to = text[from..].find(end).map(|at| from + at).unwrap_or(text.len());
    text[from..to].split('"').skip(1).step_by(2).map(String::from).collect()
}

#[test]
fn the_window_is_granted_exactly_the_apps_commands() {
    let lib = include_str!("lib.rs");
    let handler = &lib[lib.find("generate_handler![").unwrap_or(0)..];
    let handler = &handler[..handler.find("])").unwrap_or(handler.len())];
    let registered: BTreeSet<String> =
        handler.split("commands::").skip(1).map(|rest| rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()).collect();
    assert!(registered.len() > 30, "{registered:?}");

    let declared = quoted_after(include_str!("../build.rs"), "const COMMANDS", "];");
    assert_eq!(declared, registered, "build.rs COMMANDS must list every registered command");

    let set = quoted_after(include_str!("../permissions/desk.toml"), "permissions = [", "]");
    let allowed: BTreeSet<String> = registered.iter().map(|command| format!("allow-{}", command.replace('_', "-"))).collect();
    assert_eq!(set, allowed, "permissions/desk.toml must allow every command");

    let capability: serde_json::Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap_or_default();
    let granted: BTreeSet<&str> = capability["permissions"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
    assert_eq!(granted, BTreeSet::from(["desk", "core:event:default", "core:webview:allow-set-webview-zoom"]));
}
