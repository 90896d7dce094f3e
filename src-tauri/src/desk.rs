//! The app's state: the open workspace (a library file on this computer or a newsroom server),
//! and the remembered choice and profile (config.json in the user's config folder). Everything
//! else is in the library or on the server.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use copydesk::ErrorCode;
use copydesk::Library;
use copydesk::article::ArticleId;
use copydesk::clock::Clock;
use copydesk::newsroom::Newsroom;
use copydesk::store::{Budget, Location};
use copydesk::user::User;
use copydesk_client::{Client, Credentials};
use serde::{Deserialize, Serialize};

use crate::dto::IpcError;
use crate::server::Server;

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
    /// The newsroom server chosen last; `None` works on the library file. Its session token is
    /// kept where the `copydesk` command keeps it (`copydesk_client::Credentials`).
    pub server: Option<String>,
    /// The email signed in to `server` with.
    pub server_email: Option<String>,
    /// Who that is, and the newsroom's settings as last read, so a start without the server
    /// still knows whose text to keep and how to show it.
    pub server_user: Option<User>,
    pub server_newsroom: Option<Newsroom>,
}

/// Where the person works.
pub enum Workspace {
    /// The library file at `Desk::path`; `None` when it could not be opened.
    Local(Option<Library>),
    /// A newsroom server, signed in.
    Server(Arc<Server>),
    /// A newsroom server was chosen, but nobody is signed in to it.
    SignedOut,
}

pub struct Desk {
    pub workspace: Workspace,
    /// The library file (opened when working on this computer).
    pub path: PathBuf,
    pub config: Config,
    config_path: Option<PathBuf>,
    /// The app's data folder: the text typed offline is kept here.
    pub data: PathBuf,
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

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "Copydesk")
}

impl AppState {
    /// Reads the config and opens the workspace chosen last: the newsroom server with the kept
    /// session, or the library named by `COPYDESK_LIBRARY`, the config, or the default place in
    /// the user's data folder. A library that cannot be opened is reported by the first command,
    /// not by a crash.
    pub fn start() -> AppState {
        let dirs = project_dirs();
        let config_path = dirs.as_ref().map(|dirs| dirs.config_dir().join("config.json"));
        let data = dirs.as_ref().map(|dirs| dirs.data_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from("."));
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
        let mut desk = Desk { workspace: Workspace::Local(None), path: path.clone(), config, config_path, data, clock };
        if let Some(address) = desk.config.server.clone() {
            desk.workspace = match desk.resume(&address) {
                Ok(server) => Workspace::Server(Arc::new(server)),
                Err(error) => {
                    eprintln!("copydesk: {}", error.message);
                    Workspace::SignedOut
                }
            };
        } else if let Err(error) = desk.open(&path) {
            eprintln!("copydesk: {}", error.message);
        }
        AppState(Mutex::new(desk))
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Desk) -> Result<T, IpcError>) -> Result<T, IpcError> {
        f(&mut lock(&self.0))
    }

    /// Runs a command on the open workspace: `local` on the library file (holding the app's
    /// lock, as the library wants one caller at a time), `remote` on the server (without it: a
    /// slow or absent server must not hold up the window's other commands).
    pub fn run<T>(
        &self,
        local: impl FnOnce(&mut Desk) -> Result<T, IpcError>,
        remote: impl FnOnce(&Server) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let server = {
            let mut desk = lock(&self.0);
            match &desk.workspace {
                Workspace::Server(server) => server.clone(),
                Workspace::Local(_) | Workspace::SignedOut => return local(&mut desk),
            }
        };
        remote(&server)
    }

    /// The server workspace, if that is where the person works.
    pub fn server(&self) -> Option<Arc<Server>> {
        match &lock(&self.0).workspace {
            Workspace::Server(server) => Some(server.clone()),
            _ => None,
        }
    }

    /// Upkeep of the library within `budget` (see `Library::maintain`); true if more remains.
    /// A server keeps its own database.
    pub fn maintain(&self, budget: Budget) -> Result<bool, IpcError> {
        self.with(|desk| match &mut desk.workspace {
            Workspace::Local(Some(library)) => Ok(library.maintain(budget)?),
            _ => Ok(false),
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

    /// Releases the library's scheduled articles whose embargo passed. A server releases its
    /// own (once, whichever process gets there first), and says so in its events.
    pub fn release_due(&self) -> Result<Vec<ArticleId>, IpcError> {
        self.with(|desk| match &mut desk.workspace {
            Workspace::Local(Some(library)) => Ok(library.release_due()?.into_iter().map(|article| article.id).collect()),
            _ => Ok(Vec::new()),
        })
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
        self.leave_server();
        self.workspace = Workspace::Local(Some(library));
        self.path = path.to_path_buf();
        Ok(())
    }

    /// Signs in to the server at `address` and makes it the workspace; the session token is kept
    /// for the next start.
    pub fn sign_in_to_server(&mut self, address: &str, email: &str, password: &str) -> Result<Arc<Server>, IpcError> {
        let mut client = Client::new(address, None)?;
        let signed_in = client.sign_in(email.trim(), password)?;
        let server = Server::connect(client, &self.data, None, self.clock.clone())?;
        Credentials::of_this_user()?.keep(server.address(), &signed_in.token)?;
        let address = server.address().to_string();
        let me = server.me.clone();
        let newsroom = server.known_newsroom();
        self.remember(|config| {
            config.server = Some(address);
            config.server_email = Some(me.email.clone());
            config.server_user = Some(me);
            config.server_newsroom = Some(newsroom);
        })?;
        let server = Arc::new(server);
        self.leave_server();
        self.workspace = Workspace::Server(server.clone());
        Ok(server)
    }

    /// Opens the server at `address` with the session token kept from an earlier sign-in.
    fn resume(&self, address: &str) -> Result<Server, IpcError> {
        let token = Credentials::of_this_user()?.token(address)?.ok_or_else(|| {
            IpcError::new(ErrorCode::NotSignedIn, format!("not signed in to {address}; sign in with your email and password"))
        })?;
        let config = &self.config;
        let remembered =
            config.server_user.clone().filter(|user| Some(&user.email) == config.server_email.as_ref()).zip(config.server_newsroom.clone());
        Server::connect(Client::new(address, Some(token))?, &self.data, remembered, self.clock.clone())
    }

    /// Ends the session on the server (when it can be reached) and forgets its token; the
    /// choice of server stays, for the sign-in form.
    pub fn sign_out(&mut self) -> Result<(), IpcError> {
        if let Workspace::Server(server) = &self.workspace {
            let address = server.address().to_string();
            let mut client = Client::new(&address, server.client.token().map(str::to_string))?;
            // Unreachable, the token is forgotten here all the same; it ends on the server
            // after its idle time.
            let _ = client.sign_out();
            Credentials::of_this_user()?.forget(&address)?;
            self.leave_server();
            self.workspace = Workspace::SignedOut;
            self.remember(|config| config.server_user = None)?;
        } else {
            self.remember(|config| config.email = None)?;
        }
        Ok(())
    }

    /// Goes back to the library file on this computer.
    pub fn use_this_computer(&mut self) -> Result<(), IpcError> {
        let path = self.path.clone();
        self.open(&path)?;
        self.remember(|config| config.server = None)
    }

    fn leave_server(&mut self) {
        if let Workspace::Server(server) = &self.workspace {
            server.end();
        }
    }

    pub fn library(&mut self) -> Result<&mut Library, IpcError> {
        let path = self.path.display().to_string();
        match &mut self.workspace {
            Workspace::Local(Some(library)) => Ok(library),
            Workspace::Local(None) => Err(IpcError::new(
                ErrorCode::NoLibrary,
                format!("no library is open ({path} could not be opened); open or create one from the menu"),
            )),
            Workspace::Server(_) | Workspace::SignedOut => {
                Err(IpcError::new(ErrorCode::NotSignedIn, "not signed in to the newsroom server; sign in, or choose this computer"))
            }
        }
    }

    /// Where an export goes when no folder was chosen: `export/` beside the library (or in the
    /// app's data folder, working on a server).
    pub fn export_folder(&self) -> PathBuf {
        match self.workspace {
            Workspace::Server(_) | Workspace::SignedOut => self.data.join("export"),
            Workspace::Local(_) => self.path.parent().unwrap_or(Path::new(".")).join("export"),
        }
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

    fn desk(folder: &Path) -> Desk {
        let clock = Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap();
        Desk {
            workspace: Workspace::Local(None),
            path: PathBuf::new(),
            config: Config::default(),
            config_path: None,
            data: folder.join("data"),
            clock,
        }
    }

    #[test]
    fn a_command_that_panicked_does_not_break_the_next_ones() {
        let folder = tempfile::tempdir().unwrap();
        let mut desk = desk(folder.path());
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

    #[test]
    fn an_unreachable_server_is_reported_as_unavailable_and_the_library_stays_open() {
        let folder = tempfile::tempdir().unwrap();
        let mut desk = desk(folder.path());
        desk.open(&folder.path().join("library.sqlite3")).unwrap();
        // A port nobody listens on: bound, then let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let refused = desk.sign_in_to_server(&format!("http://127.0.0.1:{port}"), "rang@newspim.com", "password").err().unwrap();
        assert_eq!(refused.code, ErrorCode::Unavailable, "{}", refused.message);
        assert!(refused.message.contains("cannot reach"), "{}", refused.message);
        assert!(desk.library().is_ok(), "the library file is still the workspace");
        let garbled = desk.sign_in_to_server("desk.example.com", "rang@newspim.com", "password").err().unwrap();
        assert_eq!(garbled.code, ErrorCode::Invalid);
        assert!(garbled.message.contains("https://"), "{}", garbled.message);
    }
}
