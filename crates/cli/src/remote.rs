//! The commands with `--server URL`: the same commands, through a newsroom server's API, as the
//! person who signed in with `login`. The server decides every rule; this side reads files,
//! runs the editor and prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use copydesk::Change;
use copydesk::article::ArticleId;
use copydesk::import;
use copydesk::user::Role;
use copydesk_client::{Client, Credentials};
use copydesk_protocol::{AddUser, ExportRequest, ImportItem};

use crate::commands::export_request;
use crate::editing::edit_in_editor;
use crate::print;
use crate::{Cli, Command, UserCommand};

pub fn run(cli: Cli, server: &str) -> Result<()> {
    let json = cli.json;
    let credentials = Credentials::of_this_user()?;
    if cli.user.is_some() {
        bail!(
            "--user names a person of a library; on a server you act as who signed in (`copydesk --server {server} login --email EMAIL --password-stdin`)"
        );
    }
    match cli.command {
        Command::Login { email, password_stdin: _ } => {
            let mut client = Client::new(server, None)?;
            let password = crate::serve::read_password()?;
            let signed_in = client.sign_in(&email, &password)?;
            credentials.keep(client.base(), &signed_in.token)?;
            let user = signed_in.user;
            print::done(&format!("signed in to {} as {} {} <{}> ({})", client.base(), user.name, user.title, user.email, user.role), json);
            return Ok(());
        }
        Command::Logout => {
            let base = Client::new(server, None)?.base().to_string();
            let Some(token) = credentials.token(&base)? else {
                print::done(&format!("not signed in to {base}"), json);
                return Ok(());
            };
            let mut client = Client::new(&base, Some(token))?;
            // Forget the token even when the server no longer knows it.
            let ended = client.sign_out();
            credentials.forget(&base)?;
            match ended {
                Ok(()) | Err(copydesk::Error::Remote { code: copydesk::ErrorCode::NotSignedIn, .. }) => {
                    print::done(&format!("signed out of {base}"), json);
                }
                Err(error) => return Err(error.into()),
            }
            return Ok(());
        }
        _ => {}
    }
    let base = Client::new(server, None)?.base().to_string();
    let token = credentials
        .token(&base)?
        .ok_or_else(|| copydesk::Error::Remote { code: copydesk::ErrorCode::NotSignedIn, message: format!("not signed in to {base}") })?;
    let mut client = Client::new(&base, Some(token))?;

    match cli.command {
        Command::Login { .. } | Command::Logout => {}
        Command::Init(_) | Command::Backup { .. } | Command::CopyLibrary { .. } | Command::BenchArchive { .. } | Command::Serve(_) => {
            bail!("this command works on the library itself: run it on the server host with --library postgres://… instead of --server")
        }
        Command::Settings(settings) => {
            let mut newsroom = client.newsroom()?;
            let changed = settings.apply_to(&mut newsroom)?;
            if changed {
                newsroom = client.set_newsroom(&newsroom)?;
            }
            print::newsroom(&base, &newsroom, json);
        }
        Command::User(UserCommand::Add { name, title, email, role, password_stdin }) => {
            let role: Role = role.parse()?;
            let password = password_stdin.then(crate::serve::read_password).transpose()?;
            let user = client.add_user(&AddUser { name, title, email, role, password })?;
            print::users(&[user], json);
        }
        Command::User(UserCommand::List) => print::users(&client.users()?, json),
        Command::User(UserCommand::Passwd { email, password_stdin: _ }) => {
            let user = person(&client, &email)?;
            let password = crate::serve::read_password()?;
            client.set_password(user.id, &password)?;
            print::done(&format!("password set for {}; their sessions ended", user.email), json);
        }
        Command::User(UserCommand::Disable { email }) => {
            let user = person(&client, &email)?;
            client.set_disabled(user.id, true)?;
            print::done(&format!("{} disabled; their sessions ended", user.email), json);
        }
        Command::User(UserCommand::Enable { email }) => {
            let user = person(&client, &email)?;
            client.set_disabled(user.id, false)?;
            print::done(&format!("{} may sign in again", user.email), json);
        }
        Command::User(UserCommand::Audit { limit }) => {
            print::audit(&client.audit(limit)?, &client.users()?, &client.newsroom()?, json);
        }
        Command::Import { files, max_photo_mb } => {
            let newsroom = client.newsroom()?;
            let options = import::ImportOptions::with_max_photo_mb(max_photo_mb);
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
            let mut items = Vec::with_capacity(articles.len());
            for article in articles {
                // Photos first: the server takes an article only when its photos are there.
                for image in &article.images {
                    client.add_image(&image.bytes)?;
                }
                items.push(ImportItem {
                    source: article.source.display().to_string(),
                    content: article.content,
                    status: article.status,
                    first_published: article.first_published,
                    last_modified: article.last_modified,
                    corrections: article.corrections,
                });
            }
            let ids: Vec<ArticleId> = client.import(items)?.into_iter().map(|article| article.id).collect();
            print::ids(&ids, json);
        }
        Command::New => {
            let me = client.me()?;
            let newsroom = client.newsroom()?;
            let draft = client.create(copydesk::draft::new_draft(&me, &newsroom))?;
            edit_in_editor(&mut client, draft.id, json)?;
        }
        Command::List(filter) => {
            let newsroom = client.newsroom()?;
            let filter = filter.to_filter(&newsroom)?;
            let total = client.count(&copydesk::search::Filter { limit: None, offset: None, ..filter.clone() })?;
            print::list(&client.list(&filter)?, total, &newsroom, json);
        }
        Command::Show { id, revision } => {
            let article = client.article(id.parse()?)?;
            let newsroom = client.newsroom()?;
            let (number, content) = match revision {
                Some(number) => {
                    let number = number.parse()?;
                    (number, client.revision_content(article.id, number)?)
                }
                None => (article.head, article.content.clone()),
            };
            print::article(&article, number, &content, &newsroom, json);
        }
        Command::Edit { id } => edit_in_editor(&mut client, id.parse()?, json)?,
        Command::Submit { id, note } => act(&client, &id, "submit", Change { note, ..Change::default() }, json)?,
        Command::Return { id, note } => act(&client, &id, "return", Change::note(note), json)?,
        Command::Publish { id } => act(&client, &id, "publish", Change::default(), json)?,
        Command::Correct { id, note } => act(&client, &id, "correct", Change::note(note), json)?,
        Command::Kill { id, note } => act(&client, &id, "kill", Change { note, ..Change::default() }, json)?,
        Command::ReleaseDue => print::released(&client.release_due()?, &client.newsroom()?, json),
        Command::History { id } => print::history(&client.revisions(id.parse()?)?, &client.newsroom()?, json),
        Command::Diff { id, from, to } => print::diff(&client.compare(id.parse()?, from.parse()?, to.parse()?)?, json),
        Command::Restore { id, revision } => {
            let article = client.restore(id.parse()?, revision.parse()?, None)?;
            print::transition(&article, &client.newsroom()?, json);
        }
        Command::Search { query, filter } => {
            let newsroom = client.newsroom()?;
            print::search(&client.search(&query, &filter.to_filter(&newsroom)?)?, &newsroom, json);
        }
        Command::Export(args) => {
            let newsroom = client.newsroom()?;
            let (ids, options, folder) = export_request(&newsroom, &|filter| client.list(filter), args)?;
            let templates = match &options.template {
                Some(folder) => read_templates(folder)?,
                None => Default::default(),
            };
            let request = ExportRequest {
                ids,
                format: options.format,
                preview: options.preview,
                self_contained: options.self_contained,
                index: options.index,
                templates,
            };
            let exported = client.export(&request)?;
            for file in &exported.files {
                write_exported(&folder, &file.path, &copydesk_client::decode(&file.data)?)?;
            }
            let report = copydesk::export::ExportReport {
                format: options.format,
                folder: folder.clone(),
                articles: exported
                    .articles
                    .iter()
                    .map(|article| copydesk::export::ExportedArticle {
                        id: article.id,
                        status: article.status,
                        files: article.files.iter().map(|file| folder.join(file)).collect(),
                    })
                    .collect(),
                batch_files: exported.batch_files.iter().map(|file| folder.join(file)).collect(),
            };
            print::exported(&report, json);
        }
        Command::Check { repair } => {
            if repair {
                bail!("repairing works on the library itself: run `copydesk --library postgres://… check --repair` on the server host");
            }
            let health = client.check()?;
            print::health(&health, false, json);
            if !health.is_ok() {
                bail!("the newsroom's library has problems (see above); tell whoever runs the server");
            }
        }
    }
    Ok(())
}

fn person(client: &Client, email: &str) -> Result<copydesk::user::User> {
    client
        .users()?
        .into_iter()
        .find(|user| user.email.eq_ignore_ascii_case(email.trim()))
        .ok_or_else(|| copydesk::Error::UnknownUser { email: email.to_string() }.into())
}

fn act(client: &Client, id: &str, action: &str, change: Change, json: bool) -> Result<()> {
    let article = client.act(id.parse()?, action, &change)?;
    print::transition(&article, &client.newsroom()?, json);
    Ok(())
}

fn read_templates(folder: &Path) -> Result<std::collections::BTreeMap<String, String>> {
    let mut templates = std::collections::BTreeMap::new();
    for name in ["article.html", "index.html", "style.css"] {
        let path = folder.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                templates.insert(name.to_string(), text);
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }
    Ok(templates)
}

/// Writes one exported file under `folder`, whole or not at all, refusing paths that leave it.
fn write_exported(folder: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let relative = PathBuf::from(relative);
    if relative.is_absolute() || relative.components().any(|part| !matches!(part, std::path::Component::Normal(_))) {
        bail!("the server sent a file named {relative:?} outside the export folder; nothing of it was written");
    }
    let path = folder.join(&relative);
    let parent = path.parent().unwrap_or(folder);
    std::fs::create_dir_all(parent).with_context(|| format!("cannot make {}", parent.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(parent).with_context(|| format!("cannot write into {}", parent.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(&path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
