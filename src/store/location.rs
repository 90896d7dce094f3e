//! Where a library lives: a file on this computer or a database server's address.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An embedded library file.
    File(PathBuf),
    /// A library in a PostgreSQL database, as a `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// Where a library lives when none is named: `library.sqlite3` in the user's data folder.
    pub fn default_file() -> Option<Location> {
        Self::data_folder().map(|folder| Location::File(folder.join("library.sqlite3")))
    }

    /// The user's data folder for Copydesk (`~/.local/share/copydesk` on Linux).
    pub fn data_folder() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "Copydesk").map(|dirs| dirs.data_dir().to_path_buf())
    }

    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// Reads a location as a person gives it: a URL with a scheme, or a file path.
    pub fn parse(text: &str) -> Result<Location> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("an empty library location", "give a file path or a postgres:// address"));
        }
        match text.split_once("://") {
            Some(("postgres" | "postgresql", _)) => Ok(Location::Postgres(text.to_string())),
            Some(("file", path)) => Ok(Location::File(PathBuf::from(path))),
            Some((scheme, _)) if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => {
                Err(Error::invalid(
                    format!("the library location {text:?}"),
                    "a library is a file path or a postgres:// address; other kinds of address are not libraries",
                ))
            }
            _ => Ok(Location::File(PathBuf::from(text))),
        }
    }
}

impl std::str::FromStr for Location {
    type Err = Error;
    fn from_str(text: &str) -> Result<Location> {
        Location::parse(text)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => path.display().fmt(f),
            // The password stays out of anything shown or logged.
            Location::Postgres(url) => {
                let shown = url.split_once("://").and_then(|(scheme, rest)| {
                    let (credentials, host) = rest.rsplit_once('@')?;
                    let user = credentials.split(':').next().unwrap_or_default();
                    Some(format!("{scheme}://{user}@{host}"))
                });
                f.write_str(shown.as_deref().unwrap_or(url))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_urls() {
        assert_eq!(Location::parse("library.sqlite3").unwrap(), Location::File("library.sqlite3".into()));
        assert_eq!(Location::parse("/srv/뉴스/library.sqlite3").unwrap(), Location::File("/srv/뉴스/library.sqlite3".into()));
        assert_eq!(Location::parse("C:\\Users\\library.sqlite3").unwrap(), Location::File("C:\\Users\\library.sqlite3".into()));
        assert_eq!(Location::parse("file:///tmp/a.sqlite3").unwrap(), Location::File("/tmp/a.sqlite3".into()));
        let url = "postgres://desk:secret@db.example:5432/copydesk";
        assert_eq!(Location::parse(url).unwrap(), Location::Postgres(url.into()));
        assert_eq!(Location::parse(url).unwrap().to_string(), "postgres://desk@db.example:5432/copydesk");
        assert_eq!(Location::parse("https://example.com/lib").unwrap_err().code(), "invalid");
        assert_eq!(Location::parse("  ").unwrap_err().code(), "invalid");
    }
}
