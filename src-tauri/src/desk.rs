//! The app's state: the open library, its path, and the remembered profile (config.json in the
//! user's config folder). Everything else is in the library.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use copydesk::ErrorCode;
use copydesk::Library;
use copydesk::article::ArticleId;
use copydesk::clock::Clock;
use copydesk::store::{Budget, Location};
use copydesk::user::User;
use serde::{Deserialize, Serialize};

use crate::dto::IpcError;

/// What the app remembers between runs, outside any library.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The library opened last (`COPYDESK_LIBRARY` overrides it).
    pub library: Option<PathBuf>,
    /// The signed-in profile's email.
    pub email: Option<String>,
    /// `ko` or `en`.
    pub language: Option<String>,
}

pub struct Desk {
    pub library: Option<Library>,
    pub path: PathBuf,
    pub config: Config,
    config_path: Option<PathBuf>,
    pub clock: Clock,
}

pub struct AppState(pub Mutex<Desk>);

/// Locks `mutex` even when a command panicked while holding it. A panic in one command must
/// not turn every later command into an error until restart: the library's own state lives in
/// its transactions (a panicked one is rolled back), and the rest of `Desk` is plain values that
/// a panic cannot leave half-written.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Copydesk").map(|dirs| dirs.config_dir().join("config.json"))
}

impl AppState {
    /// Reads the config and opens the library named by `COPYDESK_LIBRARY`, the config, or the
    /// default place in the user's data folder. A library that cannot be opened is reported by
    /// the first command, not by a crash.
    pub fn start() -> AppState {
        let config_path = config_path();
        let config: Config = config_path
            .as_ref()
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let clock = Clock::from_setting(std::env::var("COPYDESK_NOW").ok().as_deref()).unwrap_or_else(|error| {
            eprintln!("copydesk: {error}; using the system clock");
            Clock::System
        });
        let path = std::env::var_os("COPYDESK_LIBRARY")
            .map(PathBuf::from)
            .or_else(|| config.library.clone())
            .or_else(|| Location::default_file().and_then(|location| location.file().map(Path::to_path_buf)))
            .unwrap_or_else(|| PathBuf::from("library.sqlite3"));
        let mut desk = Desk { library: None, path: path.clone(), config, config_path, clock };
        if let Err(error) = desk.open(&path) {
            eprintln!("copydesk: {}", error.message);
        }
        AppState(Mutex::new(desk))
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Desk) -> Result<T, IpcError>) -> Result<T, IpcError> {
        f(&mut lock(&self.0))
    }

    /// Upkeep of the library within `budget` (see `Library::maintain`); true if more remains.
    pub fn maintain(&self, budget: Budget) -> Result<bool, IpcError> {
        self.with(|desk| match desk.library.as_mut() {
            Some(library) => Ok(library.maintain(budget)?),
            None => Ok(false),
        })
    }

    /// The library's idle upkeep, which gives back its page cache, and then glibc's.
    pub fn release_memory(&self) -> Result<(), IpcError> {
        self.maintain(Budget::Idle)?;
        // The cache's pages are many small allocations; glibc keeps freed ones in its heap
        // unless asked to hand them back.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only walks glibc's own heap; it takes no pointers.
        unsafe {
            libc::malloc_trim(0);
        }
        Ok(())
    }

    pub fn release_due(&self) -> Result<Vec<ArticleId>, IpcError> {
        self.with(|desk| Ok(desk.library()?.release_due()?.into_iter().map(|article| article.id).collect()))
    }
}

impl Desk {
    /// Opens the library at `path`, or makes a new one there when there is none (the first
    /// start, or a new library chosen in the save dialog).
    pub fn open(&mut self, path: &Path) -> Result<(), IpcError> {
        let location = Location::File(path.to_path_buf());
        let library = match Library::open(&location, self.clock.clone()) {
            Err(copydesk::Error::NoLibrary { .. }) => Library::init(&location, self.clock.clone())?,
            opened => opened?,
        };
        self.library = Some(library);
        self.path = path.to_path_buf();
        Ok(())
    }

    pub fn library(&mut self) -> Result<&mut Library, IpcError> {
        let path = self.path.display().to_string();
        self.library.as_mut().ok_or_else(|| {
            IpcError::new(
                ErrorCode::NoLibrary,
                format!("no library is open ({path} could not be opened); open or create one from the menu"),
            )
        })
    }

    /// Where an export goes when no folder was chosen: `export/` beside the library.
    pub fn export_folder(&self) -> PathBuf {
        self.path.parent().unwrap_or(Path::new(".")).join("export")
    }

    /// The signed-in profile, as the library knows it.
    pub fn actor(&mut self) -> Result<User, IpcError> {
        let email = self.config.email.clone();
        Ok(self.library()?.user(email.as_deref())?)
    }

    pub fn remember(&mut self, change: impl FnOnce(&mut Config)) -> Result<(), IpcError> {
        change(&mut self.config);
        let Some(path) = &self.config_path else { return Ok(()) };
        let io = |error: std::io::Error| IpcError::new(ErrorCode::Io, format!("{}: {error}", path.display()));
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(&self.config).unwrap_or_default();
        std::fs::write(path, text).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use super::*;

    #[test]
    fn a_command_that_panicked_does_not_break_the_next_ones() {
        let folder = tempfile::tempdir().unwrap();
        let clock = Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap();
        let mut desk = Desk { library: None, path: PathBuf::new(), config: Config::default(), config_path: None, clock };
        desk.open(&folder.path().join("library.sqlite3")).unwrap();
        let state = AppState(Mutex::new(desk));

        let panicked = catch_unwind(AssertUnwindSafe(|| state.with(|_| -> Result<(), IpcError> { panic!("a bug in one command") })));
        assert!(panicked.is_err());
        assert!(state.0.is_poisoned());

        let users = state.with(|desk| Ok(desk.library()?.users()?.len()));
        let tidied = state.maintain(Budget::Step);
        assert_eq!(users.map_err(|error| error.message), Ok(0));
        assert!(tidied.is_ok());
    }
}
