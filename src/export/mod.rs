//! Turning articles into files for other people and systems.

pub mod markdown;
