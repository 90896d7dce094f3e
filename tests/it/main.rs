//! Copydesk's integration tests, one binary: each module drives the public API (or the CLI
//! binary) against real temporary library files, one behaviour per test.

mod common;
mod export_support;

mod cli;
mod cli_safety;
mod crash_safety;
mod export;
mod hostile;
mod import;
mod library_file;
mod never_panics;
mod photos;
mod revisions;
mod search;
mod search_recall;
mod seed_article;
mod transactions;
mod workflow;
