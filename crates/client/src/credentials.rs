//! The session tokens of the servers this user signed in to, kept in the user's config folder
//! in a file only they can read (a token is as good as the password until it is revoked).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use copydesk::{Error, Result};

pub struct Credentials {
    file: PathBuf,
}

impl Credentials {
    /// `servers.json` in the user's config folder (`$XDG_CONFIG_HOME/copydesk` on Linux).
    pub fn of_this_user() -> Result<Credentials> {
        let folder = directories::ProjectDirs::from("", "", "copydesk")
            .map(|dirs| dirs.config_dir().to_path_buf())
            .ok_or_else(|| Error::invalid("this user's config folder", "set HOME so Copydesk can keep the sign-in"))?;
        Ok(Credentials { file: folder.join("servers.json") })
    }

    pub fn file(&self) -> &std::path::Path {
        &self.file
    }

    fn read(&self) -> Result<BTreeMap<String, String>> {
        match std::fs::read(&self.file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                Error::invalid(
                    format!("{}", self.file.display()),
                    format!("it is not a list of sign-ins ({error}); delete it and sign in again"),
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(error) => Err(Error::Io { path: self.file.clone(), source: error }),
        }
    }

    fn write(&self, tokens: &BTreeMap<String, String>) -> Result<()> {
        let io = |error: std::io::Error| Error::Io { path: self.file.clone(), source: error };
        let folder = self.file.parent().unwrap_or(std::path::Path::new("."));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(folder).map_err(io)?;
        // tempfile creates it 0600; the rename replaces the old file whole.
        let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
        file.write_all(serde_json::to_string_pretty(tokens).unwrap_or_default().as_bytes()).map_err(io)?;
        file.as_file().sync_all().map_err(io)?;
        file.persist(&self.file).map_err(|error| io(error.error))?;
        Ok(())
    }

    pub fn token(&self, server: &str) -> Result<Option<String>> {
        Ok(self.read()?.get(&key(server)).cloned())
    }

    pub fn keep(&self, server: &str, token: &str) -> Result<()> {
        let mut tokens = self.read()?;
        tokens.insert(key(server), token.to_string());
        self.write(&tokens)
    }

    pub fn forget(&self, server: &str) -> Result<()> {
        let mut tokens = self.read()?;
        if tokens.remove(&key(server)).is_some() {
            self.write(&tokens)?;
        }
        Ok(())
    }
}

fn key(server: &str) -> String {
    server.trim().trim_end_matches('/').to_lowercase()
}
