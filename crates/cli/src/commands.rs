//! One function per command: parse what the user typed, call the library, print.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use copydesk::article::{ArticleId, ArticleSummary};
use copydesk::clock::Clock;
use copydesk::import::{self, parse_instant};
use copydesk::newsroom::Newsroom;
use copydesk::revision::RevisionNo;
use copydesk::search::Filter;
use copydesk::store::Location;
use copydesk::store::sqlite::SqliteStore;
use copydesk::user::{NewUser, Role, User};
use copydesk::{Change, Library};
use copydesk_store_postgres::{init_library, open_library};

use crate::editing::{OnLibrary, edit_in_editor};
use crate::print;
use crate::{Cli, Command, ExportArgs, FilterArgs, MatchArgs, UserCommand};

pub fn run(cli: Cli) -> Result<()> {
    let clock = Clock::from_setting(cli.now.as_deref())?;
    if let Some(server) = cli.server.clone() {
        return crate::remote::run(cli, &server);
    }
    if matches!(cli.command, Command::Login { .. } | Command::Logout) {
        bail!("name the newsroom server to sign in to with --server URL (or COPYDESK_SERVER)");
    }
    let location = match &cli.library {
        Some(location) => location.clone(),
        None => Location::default_file().context("no data folder for this user; give the library with --library PATH")?,
    };
    let json = cli.json;
    let initialising = matches!(cli.command, Command::Init(_));
    if let Command::Serve(args) = cli.command {
        return crate::serve::run(&location, args, clock);
    }
    if let Command::CopyLibrary { from, to } = &cli.command {
        return copy_library(from, to, clock, json);
    }
    let mut library = match open_library(&location, clock.clone()) {
        Err(copydesk::Error::NoLibrary { .. }) if initialising => init_library(&location, clock)?,
        opened => opened?,
    };
    let writes = cli.command.writes();
    let acting = |library: &Library| -> copydesk::Result<User> { library.user(cli.user.as_deref()) };
    // People and settings may be managed before anyone exists; then there is nobody to act as.
    let maybe_acting = |library: &Library| -> copydesk::Result<Option<User>> {
        match cli.user.as_deref() {
            Some(email) => library.user(Some(email)).map(Some),
            None => Ok(None),
        }
    };

    match cli.command {
        Command::Init(settings) | Command::Settings(settings) => {
            let mut newsroom = library.newsroom()?;
            let changed = settings.apply_to(&mut newsroom)?;
            if changed || initialising {
                library.set_newsroom(maybe_acting(&library)?.as_ref(), &newsroom)?;
            }
            print::newsroom(&location, &newsroom, json);
        }
        Command::User(UserCommand::Add { name, title, email, role, password_stdin }) => {
            let role: Role = role.parse()?;
            let actor = maybe_acting(&library)?;
            // Read and checked before the person exists, so a bad password adds nobody.
            let password = if password_stdin {
                let password = crate::serve::read_password()?;
                copydesk_store_postgres::accounts::check_password(&password)?;
                Some((crate::serve::accounts(&location)?, password))
            } else {
                None
            };
            let user = library.add_user(actor.as_ref(), NewUser { name, title, email, role })?;
            let by = actor.as_ref().map(|actor| actor.id);
            if let Some((mut accounts, password)) = password {
                accounts.audit(library.now(), by, "user_added", &user.email, "", user.role.as_str())?;
                accounts.set_password(user.id, &password, library.now(), by)?;
            } else if matches!(location, Location::Postgres(_)) {
                crate::serve::accounts(&location)?.audit(library.now(), by, "user_added", &user.email, "", user.role.as_str())?;
            }
            print::users(&[user], json);
        }
        Command::User(UserCommand::Passwd { email, password_stdin: _ }) => {
            let mut accounts = crate::serve::accounts(&location)?;
            let user = library.user(Some(&email))?;
            let password = crate::serve::read_password()?;
            accounts.set_password(user.id, &password, library.now(), maybe_acting(&library)?.map(|actor| actor.id))?;
            print::done(&format!("password set for {}; their sessions ended", user.email), json);
        }
        Command::User(UserCommand::Disable { email }) => set_disabled(&location, &library, &email, true, maybe_acting(&library)?, json)?,
        Command::User(UserCommand::Enable { email }) => set_disabled(&location, &library, &email, false, maybe_acting(&library)?, json)?,
        Command::User(UserCommand::Audit { limit }) => {
            let mut accounts = crate::serve::accounts(&location)?;
            print::audit(&accounts.audit_log(limit)?, &library.users()?, &library.newsroom()?, json);
        }
        Command::User(UserCommand::List) => print::users(&library.users()?, json),
        Command::Import { files, max_photo_mb } => {
            let actor = acting(&library)?;
            let newsroom = library.newsroom()?;
            let options = import::ImportOptions::with_max_photo_mb(max_photo_mb);
            // Read every file first: one bad file imports nothing, so a batch can simply be rerun.
            let mut articles = Vec::new();
            let mut problems = Vec::new();
            for file in &files {
                match import::read_file_with(file, &newsroom, &options) {
                    Ok(article) => articles.push(article),
                    Err(found) => problems.extend(found),
                }
            }
            if !problems.is_empty() {
                return Err(copydesk::Error::Import(problems).into());
            }
            let ids: Vec<ArticleId> = library.import_batch(&actor, articles)?.into_iter().map(|article| article.id).collect();
            print::ids(&ids, json);
        }
        Command::New => {
            let actor = acting(&library)?;
            let newsroom = library.newsroom()?;
            let draft = library.create(&actor, copydesk::draft::new_draft(&actor, &newsroom))?;
            edit_in_editor(&mut OnLibrary { library: &mut library, actor: &actor }, draft.id, json)?;
        }
        Command::List(filter) => {
            let newsroom = library.newsroom()?;
            let filter = filter.to_filter(&newsroom)?;
            let total = library.count(&filter)?;
            print::list(&library.list(&filter)?, total, &newsroom, json);
        }
        Command::Show { id, revision } => {
            let article = library.article(id.parse()?)?;
            let newsroom = library.newsroom()?;
            let (number, content) = match revision {
                Some(number) => {
                    let number: RevisionNo = number.parse()?;
                    (number, library.revision_content(article.id, number)?)
                }
                None => (article.head, article.content.clone()),
            };
            print::article(&article, number, &content, &newsroom, json);
        }
        Command::Edit { id } => {
            let actor = acting(&library)?;
            edit_in_editor(&mut OnLibrary { library: &mut library, actor: &actor }, id.parse()?, json)?;
        }
        Command::Submit { id, note } => {
            let actor = acting(&library)?;
            let article = library.submit(&actor, id.parse()?, Change { note, ..Change::default() })?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::Return { id, note } => {
            let actor = acting(&library)?;
            let article = library.return_to_reporter(&actor, id.parse()?, Change::note(note))?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::Publish { id } => {
            let actor = acting(&library)?;
            let article = library.publish(&actor, id.parse()?, Change::default())?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::Correct { id, note } => {
            let actor = acting(&library)?;
            let article = library.correct(&actor, id.parse()?, Change::note(note))?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::Kill { id, note } => {
            let actor = acting(&library)?;
            let article = library.kill(&actor, id.parse()?, Change { note, ..Change::default() })?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::ReleaseDue => {
            let released = library.release_due()?;
            let newsroom = library.newsroom()?;
            print::released(&released, &newsroom, json);
        }
        Command::History { id } => {
            let newsroom = library.newsroom()?;
            print::history(&library.revisions(id.parse()?)?, &newsroom, json);
        }
        Command::Diff { id, from, to } => {
            let changes = library.compare(id.parse()?, from.parse()?, to.parse()?)?;
            print::diff(&changes, json);
        }
        Command::Restore { id, revision } => {
            let actor = acting(&library)?;
            let article = library.restore(&actor, id.parse()?, revision.parse()?, None)?;
            print::transition(&article, &library.newsroom()?, json);
        }
        Command::Search { query, filter } => {
            let newsroom = library.newsroom()?;
            let results = library.search(&query, &filter.to_filter(&newsroom)?)?;
            print::search(&results, &newsroom, json);
        }
        Command::Export(args) => {
            let (ids, options, folder) = export_request(&library.newsroom()?, &|filter| library.list(filter), args)?;
            let report =
                print::with_progress(ids.len(), json, |progress| copydesk::export::export(&library, &ids, &folder, &options, progress))?;
            print::exported(&report, json);
        }
        Command::Check { repair } => {
            let health = library.check(repair)?;
            print::health(&health, repair, json);
            if !health.is_ok() {
                bail!("the library has problems (see above); keep a backup of the file and run `copydesk check --repair`");
            }
        }
        Command::BenchArchive { articles, seed } => {
            let bar = print::progress(articles, "articles");
            let started = std::time::Instant::now();
            let filled = copydesk::synthetic::fill(&mut library, articles, seed, |done| bar.set_position(done))?;
            bar.finish_and_clear();
            print::filled(&filled, started.elapsed(), json);
        }
        // Handled above: they open libraries of their own, or none.
        Command::CopyLibrary { .. } | Command::Serve(_) | Command::Login { .. } | Command::Logout => {}
        Command::Backup { path } => {
            // A backup copies the file itself; a server database is backed up by its own tools.
            let Location::File(file) = &location else {
                bail!("{location} is not a library file; back up a server library with its database's own tools")
            };
            SqliteStore::open(file)?.backup(&path)?;
            print::done(&format!("backed up to {}", path.display()), json);
        }
    }
    if writes {
        // Each command is its own short-lived process with no idle time after it: leave the
        // index merged and the log copied back for whoever opens the library next.
        library.settle()?;
    }
    Ok(())
}

/// Disables a person on a newsroom's database (ending their sessions), or enables them again.
fn set_disabled(location: &Location, library: &Library, email: &str, disable: bool, actor: Option<User>, json: bool) -> Result<()> {
    let mut accounts = crate::serve::accounts(location)?;
    let user = library.user(Some(email))?;
    accounts.set_disabled(user.id, disable, library.now(), actor.map(|actor| actor.id))?;
    let done = if disable { "disabled; their sessions ended" } else { "may sign in again" };
    print::done(&format!("{} {done}", user.email), json);
    Ok(())
}

impl crate::Newsroom {
    /// Sets the settings given on the command line; whether any was.
    pub(crate) fn apply_to(self, newsroom: &mut Newsroom) -> copydesk::Result<bool> {
        let changes = [("outlet", self.outlet), ("time_zone", self.time_zone), ("base_url", self.base_url), ("language", self.language)];
        let mut changed = false;
        for (key, value) in changes {
            if let Some(value) = value {
                newsroom.set(key, &value)?;
                changed = true;
            }
        }
        Ok(changed)
    }
}

impl MatchArgs {
    pub(crate) fn to_filter(&self, newsroom: &Newsroom) -> copydesk::Result<Filter> {
        let when = |text: &Option<String>| text.as_deref().map(|text| parse_when(text, newsroom)).transpose();
        Ok(Filter {
            status: self.status.as_deref().map(str::parse).transpose()?,
            section: self.section.clone(),
            byline: self.byline.clone(),
            tag: self.tag.clone(),
            published_from: when(&self.published_from)?,
            published_to: when(&self.published_to)?,
            modified_from: when(&self.modified_from)?,
            modified_to: when(&self.modified_to)?,
            limit: None,
            offset: None,
            source: None,
        })
    }

    fn is_empty(&self) -> bool {
        let MatchArgs { status, section, byline, tag, published_from, published_to, modified_from, modified_to } = self;
        [status, section, byline, tag, published_from, published_to, modified_from, modified_to].iter().all(|value| value.is_none())
    }
}

impl FilterArgs {
    pub(crate) fn to_filter(&self, newsroom: &Newsroom) -> copydesk::Result<Filter> {
        Ok(Filter { limit: Some(self.limit), offset: Some(self.offset), ..self.matching.to_filter(newsroom)? })
    }
}

/// The articles an export takes and how: the ids given, or every article the filters select
/// (published ones unless a status is named or it is a preview).
pub(crate) fn export_request(
    newsroom: &Newsroom,
    list: &dyn Fn(&Filter) -> copydesk::Result<Vec<ArticleSummary>>,
    args: ExportArgs,
) -> Result<(Vec<ArticleId>, copydesk::export::ExportOptions, PathBuf)> {
    let format: copydesk::export::Format = args.format.parse()?;
    let batch = args.all || !args.filter.is_empty();
    if args.ids.is_empty() && !batch {
        bail!(
            "name the articles to export (`copydesk export 3 7 --out site`), or export a batch with --all or a filter such as --section 경제"
        );
    }
    if !args.ids.is_empty() && batch {
        bail!("give either article ids or --all/filters, not both");
    }
    let mut ids: Vec<ArticleId> = args.ids.iter().map(|id| id.parse()).collect::<copydesk::Result<_>>()?;
    if batch {
        let mut matching = args.filter;
        if matching.status.is_none() && !args.preview {
            matching.status = Some("published".to_string());
        }
        let filter = Filter { limit: Some(u32::MAX), ..matching.to_filter(newsroom)? };
        let mut summaries = list(&filter)?;
        // Oldest first, so that a rerun over a growing archive writes the index in a stable order.
        summaries.reverse();
        ids = summaries.into_iter().map(|summary| summary.id).collect();
        if ids.is_empty() {
            bail!("no article matches; `copydesk list` with the same filters shows what there is");
        }
    }
    let options = copydesk::export::ExportOptions {
        format,
        preview: args.preview,
        self_contained: args.self_contained,
        template: args.template,
        index: batch || ids.len() > 1,
    };
    Ok((ids, options, args.out))
}

/// A date (midnight in the newsroom's zone), a local date and time, or an instant with offset.
fn parse_when(text: &str, newsroom: &Newsroom) -> copydesk::Result<jiff::Timestamp> {
    let from_date = || {
        let date = text.trim().parse::<jiff::civil::Date>().ok()?;
        date.to_datetime(jiff::civil::Time::midnight()).to_zoned_datetime(newsroom.zone().ok()?).ok().map(|zoned| zoned.timestamp())
    };
    parse_instant(text, newsroom).or_else(from_date).ok_or_else(|| copydesk::Error::Invalid {
        what: format!("the date {text:?}"),
        fix: "write it as 2025-02-20, 2025-02-20T15:09 or 2025-02-20T15:09:00+09:00".into(),
    })
}

/// Copies a whole library into a new one: the target is made here, so it must not exist yet
/// (a file) or be empty (a database). A copy that stops (a full disk, a dropped connection)
/// leaves nothing a retry would refuse: a file is written under another name and moved into
/// place only once every revision has read back, and a database is named as partly filled.
fn copy_library(from: &Location, to: &Location, clock: Clock, json: bool) -> Result<()> {
    let source = open_library(from, clock.clone()).with_context(|| format!("cannot open the library to copy, {from}"))?;
    let started = std::time::Instant::now();
    let total = source.count(&Filter::default())? as usize;
    let copy = |target: &mut Library| print::with_progress(total, json, |progress| source.copy_into(target, progress));
    let copied = match to {
        Location::File(path) => {
            if std::fs::metadata(path).is_ok_and(|metadata| metadata.len() > 0) {
                bail!("{} already exists; copy into a new file name, or move that file away first", path.display());
            }
            let mut name = path.file_name().context("the new library needs a file name")?.to_os_string();
            name.push(".copying");
            let partial = path.with_file_name(name);
            // What a copy stopped earlier left behind is only ever a part of this one.
            remove_library_file(&partial);
            let copied = init_library(&Location::File(partial.clone()), clock)
                .with_context(|| format!("cannot make the new library at {to}"))
                .and_then(|mut target| Ok(copy(&mut target)?));
            let copied = copied.and_then(|copied| {
                std::fs::rename(&partial, path).with_context(|| format!("cannot move the finished copy to {}", path.display()))?;
                Ok(copied)
            });
            if copied.is_err() {
                remove_library_file(&partial);
            }
            copied?
        }
        Location::Postgres(_) => {
            let mut target = init_library(to, clock).with_context(|| format!("cannot make the new library at {to}"))?;
            let was_empty = target.users()?.is_empty() && target.count(&Filter::default())? == 0;
            copy(&mut target).with_context(|| {
                if was_empty {
                    format!(
                        "the copy stopped, so the database {to} holds part of the library: drop it and create it empty again \
                         (dropdb, createdb) before you copy again"
                    )
                } else {
                    format!("cannot copy into {to}")
                }
            })?
        }
    };
    print::copied(&copied, to, started.elapsed(), json);
    Ok(())
}

/// Removes a library file with the log SQLite keeps beside it.
fn remove_library_file(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}
