//! The core and its PostgreSQL store are synchronous, so requests run on tokio's blocking
//! threads, each borrowing a worker: a library and an accounts connection. A worker whose
//! database failed is dropped and a fresh one connected for the next request, so a restarted
//! PostgreSQL costs the requests under way an error, never a hang.

use std::sync::{Arc, Mutex};

use copydesk::clock::Clock;
use copydesk::store::Location;
use copydesk::{Error, Library, Result};
use copydesk_store_postgres::accounts::{Accounts, Policy};
use tokio::sync::Semaphore;

use crate::Config;

pub struct Worker {
    pub library: Library,
    pub accounts: Accounts,
}

pub struct Pool {
    url: String,
    clock: Clock,
    policy: Policy,
    idle: Arc<Mutex<Vec<Worker>>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Connects one worker now, so a wrong URL or a missing library stops the server at start.
    pub fn new(config: &Config) -> Result<Pool> {
        let pool = Pool {
            url: config.library.clone(),
            clock: config.clock.clone(),
            policy: config.policy,
            idle: Arc::new(Mutex::new(Vec::new())),
            permits: Arc::new(Semaphore::new(config.workers.max(1))),
        };
        let first = pool.connect()?;
        pool.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(first);
        Ok(pool)
    }

    fn connect(&self) -> Result<Worker> {
        Self::connect_to(&self.url, &self.clock, self.policy)
    }

    fn connect_to(url: &str, clock: &Clock, policy: Policy) -> Result<Worker> {
        let library = copydesk_store_postgres::open_library(&Location::Postgres(url.to_string()), clock.clone())?;
        Ok(Worker { library, accounts: Accounts::open(url, policy)? })
    }

    /// Runs `work` on a worker, on a blocking thread.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut Worker) -> Result<T> + Send + 'static) -> Result<T> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| unavailable("the server is shutting down"))?;
        let (idle, url, clock, policy) = (self.idle.clone(), self.url.clone(), self.clock.clone(), self.policy);
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let reused = idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
            let mut worker = match reused {
                Some(worker) if !worker.accounts.is_closed() => worker,
                _ => Self::connect_to(&url, &clock, policy).map_err(|error| match error {
                    Error::Invalid { fix, .. } => unavailable(&format!("the newsroom's database cannot be reached now ({fix})")),
                    other => other,
                })?,
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&mut worker)));
            match result {
                // A storage failure may have broken the connection: start afresh next time.
                Ok(Err(Error::Storage(_))) | Err(_) => {}
                Ok(_) => idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(worker),
            }
            result.unwrap_or_else(|_| Err(internal("the request failed on a bug in the server; it was not carried out")))
        })
        .await;
        joined.unwrap_or_else(|_| Err(unavailable("the request was stopped")))
    }
}

pub fn unavailable(message: &str) -> Error {
    Error::Remote { code: copydesk::ErrorCode::Unavailable, message: message.to_string() }
}

pub fn internal(message: &str) -> Error {
    Error::Remote { code: copydesk::ErrorCode::Internal, message: message.to_string() }
}

impl Drop for Pool {
    /// The synchronous PostgreSQL client may not be dropped on a runtime's thread (it blocks to
    /// close its connection), and the last owner of the pool may be any task: close them on a
    /// thread of their own.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}
