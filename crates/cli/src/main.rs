//! `copydesk`: the command line over a Copydesk library. Each command parses its input, calls one
//! library function and prints the result (as JSON with `--json`).

mod commands;
mod editing;
mod print;
mod remote;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "copydesk", version, about = "Draft, edit, approve and export news articles")]
pub struct Cli {
    /// The library: a file path, or a newsroom database as postgres://USER@HOST/DATABASE
    /// [default: library.sqlite3 in the user's data folder]
    #[arg(long, global = true, env = "COPYDESK_LIBRARY", value_name = "PATH|URL")]
    pub library: Option<copydesk::store::Location>,

    /// Work through a newsroom server (https://HOST[:PORT]) as the person signed in with `login`
    #[arg(long, global = true, env = "COPYDESK_SERVER", value_name = "URL", conflicts_with = "library")]
    pub server: Option<String>,

    /// Act as the user with this email (on a library; on a server you act as who signed in)
    #[arg(long, global = true, env = "COPYDESK_USER", value_name = "EMAIL")]
    pub user: Option<String>,

    /// Fix the clock at this instant (RFC 3339), for scripts and tests
    #[arg(long, global = true, env = "COPYDESK_NOW", value_name = "RFC3339")]
    pub now: Option<String>,

    /// Print data as JSON
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the library (the only command that makes one) or open it, and set the newsroom's outlet, time zone and site
    Init(Newsroom),
    /// Show or change the newsroom settings
    Settings(Newsroom),
    /// Manage the people who work in this library
    #[command(subcommand)]
    User(UserCommand),
    /// Import article files (Markdown with YAML front matter) or agency items (NewsML-G2, ninjs); prints each article's id (a later version of an item updates its article)
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The largest photo file an article may name, in MB
        #[arg(long, value_name = "MB", default_value_t = copydesk::import::ImportOptions::DEFAULT_MAX_PHOTO_MB)]
        max_photo_mb: u64,
    },
    /// Start a new draft in $EDITOR
    New,
    /// List articles, newest first
    List(FilterArgs),
    /// Show an article, or one of its revisions
    Show {
        id: String,
        #[arg(long)]
        revision: Option<String>,
    },
    /// Edit an article in $EDITOR and save it as a new revision
    Edit { id: String },
    /// Send a draft to the desk (송고)
    Submit {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Return a submitted story to its reporter (반려)
    Return {
        id: String,
        #[arg(long, required = true)]
        note: String,
    },
    /// Publish a submitted story, or schedule it when its embargo is ahead (출고)
    Publish { id: String },
    /// Publish the newest revision of a published article as a correction (정정)
    Correct {
        id: String,
        #[arg(long, required = true)]
        note: String,
    },
    /// Withdraw an article; it is kept, never deleted
    Kill {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Publish every scheduled article whose embargo has passed
    ReleaseDue,
    /// List an article's revisions
    History { id: String },
    /// Compare two revisions field by field, the body word by word
    Diff { id: String, from: String, to: String },
    /// Make a new revision with the content of an old one
    Restore { id: String, revision: String },
    /// Full-text search; Korean words are found inside longer words
    Search {
        query: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Export articles: publish-ready HTML pages (default), IPTC ninjs JSON or front matter Markdown
    Export(ExportArgs),
    /// Verify the library file and every revision
    Check {
        /// Rebuild the search index
        #[arg(long)]
        repair: bool,
    },
    /// Copy the library to a new file while it stays in use
    Backup { path: PathBuf },
    /// Move a whole library (settings, people, every revision, photos) into a new, empty one:
    /// a file into a newsroom's database, or back
    CopyLibrary {
        /// The library to copy: a file path or a postgres:// URL
        #[arg(long, value_name = "PATH|URL")]
        from: copydesk::store::Location,
        /// The new library: a file that does not exist yet, or an empty database
        #[arg(long, value_name = "PATH|URL")]
        to: copydesk::store::Location,
    },
    /// Serve the library in a PostgreSQL database to a newsroom over HTTP(S)
    Serve(ServeArgs),
    /// Sign in to the newsroom server given with --server; the session is kept for this user
    Login {
        #[arg(long)]
        email: String,
        /// Read the password from standard input (a line), so it stays out of the shell history
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Sign out of the newsroom server: the session ends everywhere it was used
    Logout,
    /// Fill a library with a synthetic Korean news archive, for benchmarks
    BenchArchive {
        #[arg(long, default_value_t = 10_000)]
        articles: u64,
        /// Generator seed; the same seed makes the same archive
        #[arg(long, default_value_t = 20250220)]
        seed: u64,
    },
}

#[derive(Args, Debug, Default)]
pub struct Newsroom {
    /// The outlet named in datelines, such as 뉴스핌
    #[arg(long)]
    pub outlet: Option<String>,
    /// IANA time zone, such as Asia/Seoul
    #[arg(long)]
    pub time_zone: Option<String>,
    /// The site's address, for canonical URLs
    #[arg(long)]
    pub base_url: Option<String>,
    /// The articles' language (BCP 47), such as ko
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The articles to export; or use --all or a filter
    pub ids: Vec<String>,
    /// The folder to write into (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// html, ninjs, newsml-g2 or markdown
    #[arg(long, default_value = "html")]
    pub format: String,
    /// Export every article the filters select (published ones unless --status or --preview)
    #[arg(long)]
    pub all: bool,
    /// Also export articles that are not published, marked 미리보기 and kept out of search engines
    #[arg(long)]
    pub preview: bool,
    /// Inline photos into each page instead of copying them beside it
    #[arg(long)]
    pub self_contained: bool,
    /// A folder with the outlet's own article.html / index.html / style.css
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
    #[command(flatten)]
    pub filter: MatchArgs,
}

impl Command {
    /// Whether the command may change the library (and so leave upkeep behind it).
    fn writes(&self) -> bool {
        match self {
            Command::Init(_)
            | Command::Settings(_)
            | Command::User(
                UserCommand::Add { .. } | UserCommand::Passwd { .. } | UserCommand::Disable { .. } | UserCommand::Enable { .. },
            )
            | Command::Import { .. }
            | Command::New
            | Command::Edit { .. }
            | Command::Submit { .. }
            | Command::Return { .. }
            | Command::Publish { .. }
            | Command::Correct { .. }
            | Command::Kill { .. }
            | Command::ReleaseDue
            | Command::Restore { .. } => true,
            // check --repair and bench-archive settle on their own.
            Command::User(_)
            | Command::List(_)
            | Command::Show { .. }
            | Command::History { .. }
            | Command::Diff { .. }
            | Command::Search { .. }
            | Command::Export(_)
            | Command::Check { .. }
            | Command::Backup { .. }
            | Command::CopyLibrary { .. }
            | Command::Serve(_)
            | Command::Login { .. }
            | Command::Logout
            | Command::BenchArchive { .. } => false,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a person
    Add {
        #[arg(long)]
        name: String,
        /// 기자, 특파원, 데스크, ...
        #[arg(long, default_value = "기자")]
        title: String,
        #[arg(long)]
        email: String,
        /// reporter, editor or admin
        #[arg(long)]
        role: String,
        /// Also set their password for a newsroom server, read from standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the people
    List,
    /// Set a person's password for the newsroom server (read from standard input); ends their sessions
    Passwd {
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Stop a person from signing in to the newsroom server; ends their sessions
    Disable { email: String },
    /// Let a disabled person sign in again
    Enable { email: String },
    /// Show the newsroom server's audit log: sign-ins, failed sign-ins, admin actions
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDRESS:PORT")]
    pub listen: std::net::SocketAddr,
    /// A PEM certificate chain, to serve HTTPS (with --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's PEM private key
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Requests carried out at once (each holds two database connections)
    #[arg(long, default_value_t = 16)]
    pub workers: usize,
    /// The largest request, in MB (an article with its photos goes in several)
    #[arg(long, default_value_t = 64, value_name = "MB")]
    pub max_request_mb: usize,
    /// How long a request may take, in seconds
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub request_timeout: u64,
    /// How often to look for embargoes that passed, in seconds
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub release_every: u64,
    /// How long a session lasts unused, in seconds (12 hours by default)
    #[arg(long, default_value_t = 43_200, value_name = "SECONDS")]
    pub session_idle: u64,
    /// Take the client's address from X-Forwarded-For (only behind a reverse proxy that sets it)
    #[arg(long)]
    pub behind_proxy: bool,
}

/// Which articles a command takes.
#[derive(Args, Debug, Default)]
pub struct MatchArgs {
    #[arg(long)]
    pub status: Option<String>,
    /// A section path such as "경제 > 경제일반"; subsections match too
    #[arg(long)]
    pub section: Option<String>,
    /// A byline's name or email
    #[arg(long)]
    pub byline: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    /// 기사입력 on or after (date, or date and time)
    #[arg(long, value_name = "WHEN")]
    pub published_from: Option<String>,
    /// 기사입력 before
    #[arg(long, value_name = "WHEN")]
    pub published_to: Option<String>,
    /// 최종수정 on or after
    #[arg(long, value_name = "WHEN")]
    pub modified_from: Option<String>,
    /// 최종수정 before
    #[arg(long, value_name = "WHEN")]
    pub modified_to: Option<String>,
}

/// Which articles a list or search shows, a page at a time.
#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    #[command(flatten)]
    pub matching: MatchArgs,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            print::error(&error, json);
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
