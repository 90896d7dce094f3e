//! Copies the write-ahead log back into the library file on a thread of its own, so that no
//! save pays for it. SQLite would otherwise checkpoint inside whichever commit crosses the
//! log's size limit, turning one save in twenty into a 30 ms one.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

const EVERY: Duration = Duration::from_millis(200);

pub struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the library at `path`. A passive checkpoint never blocks the
    /// writer; it copies what no reader still needs and leaves the rest for the next round.
    pub fn start(path: &Path) -> crate::Result<Checkpointer> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(Duration::from_millis(100))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("copydesk-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // A busy or failed round is retried on the next one; the log is never lost,
                    // only copied later.
                    let _ = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(|error| crate::Error::io(path, error))?;
        Ok(Checkpointer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
