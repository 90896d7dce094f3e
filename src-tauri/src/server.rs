//! A newsroom server as the app's workspace: the signed-in client, who that is, what was last
//! read from it (the newsroom, the people) so the app keeps working while it cannot be reached,
//! and whether it can be reached now. Every rule is still decided on the server; this only
//! carries the person's requests there and notices when it is gone.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use copydesk::ErrorCode;
use copydesk::article::{Article, ArticleId};
use copydesk::clock::Clock;
use copydesk::newsroom::Newsroom;
use copydesk::user::User;
use copydesk_client::Client;
use tauri::{AppHandle, Emitter};

use crate::desk::lock;
use crate::dto::{IpcError, ServerStatus};
use crate::offline::OfflineCache;

/// The Tauri event that tells the window the server became reachable or not (`ServerStatus`).
pub const STATUS_EVENT: &str = "server-status";

pub struct Server {
    pub client: Client,
    pub me: User,
    pub offline: OfflineCache,
    /// The app's clock (`COPYDESK_NOW` fixes it), for when text was kept and what is offered.
    pub clock: Clock,
    newsroom: Mutex<Newsroom>,
    users: Mutex<Vec<User>>,
    /// The articles as last read, so the preview and the workflow buttons keep working offline.
    articles: Mutex<HashMap<ArticleId, Article>>,
    online: AtomicBool,
    /// Set when the person signs out or changes workspace: the event thread stops.
    ended: AtomicBool,
    window: OnceLock<AppHandle>,
}

impl Server {
    /// Opens the workspace of the person `client` is signed in as. Unreachable, it opens
    /// offline as `remembered` (the person last signed in here, and the newsroom as last read),
    /// if there is one: the app then works from what this computer kept until the server answers.
    pub fn connect(client: Client, data: &Path, remembered: Option<(User, Newsroom)>, clock: Clock) -> Result<Server, IpcError> {
        let (me, newsroom, users, online) = match client.me() {
            Ok(me) => {
                let newsroom = client.newsroom()?;
                let users = client.users()?;
                (me, newsroom, users, true)
            }
            Err(error) if error.code() == ErrorCode::Unavailable => match remembered {
                Some((me, newsroom)) => (me.clone(), newsroom, vec![me], false),
                None => return Err(error.into()),
            },
            Err(error) => return Err(error.into()),
        };
        Ok(Server {
            offline: OfflineCache::new(data, client.base(), me.id),
            clock,
            client,
            me,
            newsroom: Mutex::new(newsroom),
            users: Mutex::new(users),
            articles: Mutex::new(HashMap::new()),
            online: AtomicBool::new(online),
            ended: AtomicBool::new(false),
            window: OnceLock::new(),
        })
    }

    /// Where status changes are told from now on.
    pub fn tell(&self, app: AppHandle) {
        let _ = self.window.set(app);
    }

    pub fn address(&self) -> &str {
        self.client.base()
    }

    /// Runs one request, noting whether the server answered: a failure to reach it marks the
    /// workspace offline, any answer (a refusal too) marks it online.
    pub fn call<T>(&self, request: impl FnOnce(&Client) -> copydesk::Result<T>) -> Result<T, IpcError> {
        match request(&self.client) {
            Ok(value) => {
                self.set_online(true);
                Ok(value)
            }
            Err(error) => {
                self.set_online(error.code() != ErrorCode::Unavailable);
                Err(error.into())
            }
        }
    }

    /// Article `id` from the server, remembered; out of reach, as it was last read, in this
    /// run or (when it was opened) an earlier one.
    pub fn article(&self, id: ArticleId) -> Result<Article, IpcError> {
        match self.call(|client| client.article(id)) {
            Ok(article) => {
                lock(&self.articles).insert(id, article.clone());
                Ok(article)
            }
            Err(error) if error.code == ErrorCode::Unavailable => {
                if let Some(article) = lock(&self.articles).get(&id) {
                    return Ok(article.clone());
                }
                let kept = self.offline.opened(id).ok_or_else(|| not_kept(id, error))?;
                lock(&self.articles).insert(id, kept.clone());
                Ok(kept)
            }
            Err(error) => Err(error),
        }
    }

    /// Article `id` being opened: as `article`, and kept on this computer, so that it opens
    /// after a restart while the server cannot be reached.
    pub fn open(&self, id: ArticleId) -> Result<Article, IpcError> {
        let article = self.article(id)?;
        if self.online()
            && let Err(error) = self.offline.keep_opened(&article)
        {
            // Only a copy for later: the article is open all the same.
            eprintln!("copydesk: {}", error.message);
        }
        Ok(article)
    }

    pub fn online(&self) -> bool {
        self.online.load(Ordering::SeqCst)
    }

    pub fn set_online(&self, online: bool) {
        if self.online.swap(online, Ordering::SeqCst) != online
            && let Some(app) = self.window.get()
            && !self.ended()
        {
            let _ = app.emit(STATUS_EVENT, ServerStatus { online });
        }
    }

    pub fn end(&self) {
        self.ended.store(true, Ordering::SeqCst);
    }

    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }

    /// The newsroom's settings, as last read (refreshed when the server answers).
    pub fn newsroom(&self) -> Newsroom {
        if self.online()
            && let Ok(newsroom) = self.call(|client| client.newsroom())
        {
            *lock(&self.newsroom) = newsroom;
        }
        lock(&self.newsroom).clone()
    }

    pub fn remember_newsroom(&self, newsroom: Newsroom) {
        *lock(&self.newsroom) = newsroom;
    }

    /// The newsroom's settings as last read, without asking the server.
    pub fn known_newsroom(&self) -> Newsroom {
        lock(&self.newsroom).clone()
    }

    /// The newsroom's people, as last read (refreshed when the server answers).
    pub fn users(&self) -> Vec<User> {
        if self.online()
            && let Ok(users) = self.call(|client| client.users())
        {
            *lock(&self.users) = users;
        }
        lock(&self.users).clone()
    }

    pub fn known_users(&self) -> Vec<User> {
        lock(&self.users).clone()
    }
}

/// The server is out of reach and this computer has no copy of article `id`.
fn not_kept(id: ArticleId, unreachable: IpcError) -> IpcError {
    IpcError::new(
        ErrorCode::Unavailable,
        format!(
            "article {id} was not opened on this computer before the server went out of reach, so there is no copy of it here; it opens when the server answers again ({})",
            unreachable.message
        ),
    )
}
