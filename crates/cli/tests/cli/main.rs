//! The `copydesk` command as a newsroom script or a person at a terminal uses it, one binary
//! run per step, on real library files in temporary folders.

mod commands;
mod safety;
mod server_database;

mod common {
    pub const SEED_ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seed-article/article.md");
}
