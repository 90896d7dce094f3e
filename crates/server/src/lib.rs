//! `copydesk serve`: a newsroom's shared library on PostgreSQL, over HTTP. The server holds no
//! state of its own: every rule is decided by the core against the stored state, for the person
//! the session proves; several processes serve one database; events reach the clients of every
//! process through PostgreSQL's `LISTEN/NOTIFY`; embargoes are released once however many run.
//!
//! - `pool`: the blocking workers (a library and an accounts connection each) requests run on.
//! - `api`: the routes, `failure`: how errors become `{code, message}` with their status.
//! - `events`: the listener and the server-sent event stream; `release`: the embargo clock.

mod api;
mod events;
mod events_route;
mod failure;
mod openapi;
mod pool;
mod release;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use copydesk::clock::Clock;
use copydesk_store_postgres::accounts::Policy;

pub use events::{CHANNEL, Event};

/// How a server process runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The library's `postgres://` URL.
    pub library: String,
    pub listen: SocketAddr,
    pub tls: Option<Tls>,
    pub clock: Clock,
    pub policy: Policy,
    /// Requests carried out at once against the database; more wait their turn.
    pub workers: usize,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// How long a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// How often the process looks for embargoes that have passed.
    pub release_every: Duration,
    /// How long "has it open" lasts without a keep-alive.
    pub presence_ttl: Duration,
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For`.
    pub behind_proxy: bool,
}

#[derive(Debug, Clone)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Config {
    pub fn new(library: String, listen: SocketAddr) -> Config {
        Config {
            library,
            listen,
            tls: None,
            clock: Clock::System,
            policy: Policy::default(),
            workers: 16,
            max_body: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            release_every: Duration::from_secs(10),
            presence_ttl: Duration::from_secs(45),
            behind_proxy: false,
        }
    }
}

/// Everything a request may reach.
pub(crate) struct Shared {
    pub config: Config,
    pub pool: pool::Pool,
    pub events: events::Hub,
}

/// Serves until SIGINT or SIGTERM, then finishes the requests under way (for up to 30 s) and
/// returns. `ready` is called with the bound address once connections are taken.
pub async fn serve(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Connecting is blocking work: the core's PostgreSQL store is synchronous.
    let connecting = config.clone();
    let pool = tokio::task::spawn_blocking(move || pool::Pool::new(&connecting)).await??;
    let events = events::Hub::start(&config.library)?;
    let shared = Arc::new(Shared { config: config.clone(), pool, events });
    let router = api::router(shared.clone());

    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing the requests under way");
        shutdown.graceful_shutdown(Some(Duration::from_secs(30)));
    });
    tokio::spawn(release::run(shared.clone()));
    tokio::spawn(release::upkeep(shared.clone()));

    let listener = std::net::TcpListener::bind(config.listen).map_err(|error| format!("cannot listen on {}: {error}", config.listen))?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    match &config.tls {
        Some(tls) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rustls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key).await.map_err(|error| {
                format!("cannot use the TLS certificate {} with the key {}: {error}", tls.cert.display(), tls.key.display())
            })?;
            tracing::info!(address = %bound, "serving the newsroom over HTTPS");
            ready(bound);
            axum_server::from_tcp_rustls(listener, rustls)?.handle(handle).serve(service).await?;
        }
        None => {
            tracing::info!(address = %bound, "serving the newsroom over HTTP");
            ready(bound);
            axum_server::from_tcp(listener)?.handle(handle).serve(service).await?;
        }
    }
    shared.events.stop();
    // The workers' connections close on a blocking thread, as they were opened.
    tokio::task::spawn_blocking(move || drop(shared)).await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(terminate) => terminate,
            Err(_) => return interrupt.await.unwrap_or_default(),
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await.unwrap_or_default();
}
