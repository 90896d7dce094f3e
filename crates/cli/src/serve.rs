//! `copydesk serve` and the admin commands that only a newsroom's database has: passwords,
//! disabled people and the audit log.

use std::io::BufRead;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use copydesk::clock::Clock;
use copydesk::store::Location;
use copydesk_server::{Config, Tls};
use copydesk_store_postgres::accounts::{Accounts, Policy};

use crate::ServeArgs;

fn database_url(location: &Location) -> Result<&str> {
    match location {
        Location::Postgres(url) => Ok(url),
        Location::File(path) => bail!(
            "{} is a library file for one computer; a newsroom server, its passwords and its audit log live in a PostgreSQL \
             database: give --library postgres://USER@HOST/DATABASE (move a file there with `copydesk copy-library`)",
            path.display()
        ),
    }
}

pub fn accounts(location: &Location) -> Result<Accounts> {
    Ok(Accounts::open(database_url(location)?, Policy::default())?)
}

/// A password from standard input: its first line, without the line ending.
pub fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!("no password on standard input; pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | copydesk ... --password-stdin`");
    }
    Ok(password)
}

pub fn run(location: &Location, args: ServeArgs, clock: Clock) -> Result<()> {
    let url = database_url(location)?.to_string();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COPYDESK_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let mut config = Config::new(url, args.listen);
    config.clock = clock;
    config.workers = args.workers.max(1);
    config.max_body = args.max_request_mb.max(1) * 1024 * 1024;
    config.request_timeout = Duration::from_secs(args.request_timeout.max(1));
    config.release_every = Duration::from_secs(args.release_every.max(1));
    config.policy.idle_timeout = jiff::SignedDuration::from_secs(args.session_idle.max(1) as i64);
    config.behind_proxy = args.behind_proxy;
    config.tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(Tls { cert, key }),
        _ => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the server's runtime")?;
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    runtime
        .block_on(copydesk_server::serve(config, |address| {
            // Scripts and tests wait for this line to know the server takes requests.
            println!("copydesk serving on {scheme}://{address}");
        }))
        .map_err(|error| anyhow::anyhow!("the server stopped: {error}"))?;
    Ok(())
}
