//! Copydesk's core: articles as a newsroom writes them, the desk's workflow, revisions, search,
//! import and export, over one library file. It knows nothing of the desktop app or the CLI.

pub mod article;
pub mod clock;
pub mod draft;
pub mod error;
pub mod export;
pub mod frontmatter;
pub mod import;
pub mod library;
mod library_copy;
pub mod merge;
pub mod newsroom;
pub mod photo_metadata;
pub mod render;
pub mod revision;
pub mod search;
pub mod sections;
pub mod store;
pub mod synthetic;
pub mod user;
pub mod wire;
pub mod workflow;
pub mod xml;

pub use error::{Error, ErrorCode, Result};
pub use library::{Change, Library};
pub use library_copy::Copied;
