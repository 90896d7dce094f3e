//! `copydesk-loadtest`: how many desks one `copydesk serve` holds, and how its saves and
//! searches compare with a WordPress site holding the same archive. `scripts/bench-server` and
//! `scripts/bench-wordpress` set up the servers and run it; figures go in BENCHMARKS.md.

mod compare;
mod desks;
mod stats;
mod text;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use copydesk::user::Role;
use copydesk_client::Client;
use copydesk_protocol::AddUser;

#[derive(Parser)]
#[command(name = "copydesk-loadtest", about = "Load a Copydesk newsroom server with simulated desks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add the desks' reporter accounts (desk0@loadtest.example, desk1@…) through the API, as an admin
    Accounts {
        #[arg(long)]
        server: String,
        #[arg(long)]
        admin: String,
        /// The admin's password, then the desks' (both from the environment, not the command line)
        #[arg(long, env = "LOADTEST_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
        #[arg(long, env = "LOADTEST_PASSWORD", hide_env_values = true)]
        password: String,
        /// Desks 0 (the event listener) to COUNT
        #[arg(long)]
        count: usize,
    },
    /// Raise the number of desks step by step until a 99th percentile passes the limit
    Desks {
        #[arg(long)]
        server: String,
        #[arg(long, env = "LOADTEST_PASSWORD", hide_env_values = true)]
        password: String,
        /// Desks at each step
        #[arg(long, value_delimiter = ',', default_value = "50,100,200,300,400,500,600")]
        steps: Vec<usize>,
        /// Seconds measured at each step
        #[arg(long, default_value_t = 60)]
        step_seconds: u64,
        /// Seconds after a step's desks started before measuring
        #[arg(long, default_value_t = 10)]
        warmup_seconds: u64,
        /// The p99 in milliseconds past which the run stops
        #[arg(long, default_value_t = 50.0)]
        limit_ms: f64,
        /// The operations whose p99 counts for stopping
        #[arg(long, value_delimiter = ',', default_value = "autosave,save,list,search")]
        limited: Vec<String>,
    },
    /// Time saves and searches on Copydesk and WordPress alike, and measure both one's recall
    Compare {
        #[arg(long)]
        copydesk: String,
        #[arg(long, default_value = "desk1@loadtest.example")]
        email: String,
        #[arg(long, env = "LOADTEST_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        wordpress: String,
        #[arg(long, default_value = "bench")]
        wp_user: String,
        /// A WordPress application password of that user
        #[arg(long, env = "LOADTEST_WP_PASSWORD", hide_env_values = true)]
        wp_password: String,
        /// The archive's texts, dumped from the library (see scripts/bench-wordpress)
        #[arg(long)]
        texts: PathBuf,
        #[arg(long, default_value_t = 200)]
        saves: usize,
        #[arg(long, default_value_t = 280)]
        searches: usize,
        /// The archive article both sides edit
        #[arg(long, default_value_t = 1000)]
        article: i64,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Accounts { server, admin, admin_password, password, count } => {
            accounts(&server, &admin, &admin_password, &password, count)
        }
        Command::Desks { server, password, steps, step_seconds, warmup_seconds, limit_ms, limited } => {
            let limited = limited
                .iter()
                .map(|name| desks::OPS.into_iter().find(|op| op.name() == name).with_context(|| format!("no operation {name:?}")))
                .collect::<Result<Vec<_>>>()?;
            let settings = desks::Settings {
                server,
                password,
                steps,
                step: Duration::from_secs(step_seconds),
                warmup: Duration::from_secs(warmup_seconds),
                limit_ms,
                limited,
            };
            desks::run(&settings).map(|_| ())
        }
        Command::Compare { copydesk, email, password, wordpress, wp_user, wp_password, texts, saves, searches, article } => {
            compare::run(&compare::Settings { copydesk, email, password, wordpress, wp_user, wp_password, texts, saves, searches, article })
        }
    }
}

fn accounts(server: &str, admin: &str, admin_password: &str, password: &str, count: usize) -> Result<()> {
    let mut client = Client::new(server, None)?;
    client.sign_in(admin, admin_password).with_context(|| format!("signing in as {admin}"))?;
    let existing: std::collections::HashSet<String> = client.users()?.into_iter().map(|user| user.email).collect();
    let mut added = 0;
    for n in 0..=count {
        let email = desks::email(n);
        if existing.contains(&email) {
            continue;
        }
        let user = AddUser {
            name: format!("부하시험{n}"),
            title: "기자".into(),
            email,
            role: Role::Reporter,
            password: Some(password.to_string()),
        };
        client.add_user(&user).with_context(|| format!("adding {}", user.email))?;
        added += 1;
    }
    eprintln!("{added} desk accounts added, {} there already", count + 1 - added);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
