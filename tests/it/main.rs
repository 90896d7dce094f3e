//! Copydesk's integration tests, one binary: each module drives the public API (or the CLI
//! binary) against a real library, one behaviour per test. Every library comes from
//! `common::new_library`: a temporary SQLite file, or with `COPYDESK_TEST_STORE=postgres` a
//! fresh database on a throwaway PostgreSQL server. The modules about library files themselves
//! (`crash_safety`, `sqlite_file`) run on the file store only; the CLI's tests are in
//! `crates/cli/tests/`.

mod common;
mod export_support;

mod crash_safety;
mod export;
mod hostile;
mod import;
mod library_copy;
mod merge;
mod never_panics;
mod photo_metadata;
mod photos;
mod revisions;
mod search;
mod search_archive;
mod search_recall;
mod seed_article;
mod sqlite_file;
mod transactions;
mod wire;
mod workflow;
