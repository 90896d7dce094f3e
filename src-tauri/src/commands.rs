//! One Tauri command per user action, each calling one core function on the open library, or
//! the same operation on the newsroom server (`copydesk_client`), which decides it there.
//! Arguments and results are core types or `dto` shapes; failures are `IpcError`.

use std::path::PathBuf;

use copydesk::ErrorCode;
use copydesk::article::{Article, ArticleId, Content, Photo};
use copydesk::export::{ExportOptions, Format};
use copydesk::merge::{Choice, Merged};
use copydesk::newsroom::Newsroom;
use copydesk::revision::{FieldChange, Revision, RevisionNo};
use copydesk::search::{Filter, SearchResults};
use copydesk::user::{NewUser, User};
use copydesk::workflow::ActionState;
use tauri::State;
use tauri::ipc::{InvokeBody, Request};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::AppState;
use crate::desk::Workspace;
use crate::dto::{
    ArticleView, ChangeInput, Exported, IpcError, LibraryDialog, ListPage, Mode, People, Picked, PresenceView, Preview, ServerStatus,
    Session,
};
use crate::grants::{Grants, Use};
use crate::offline::KeptList;

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Reply<Session> {
    let (language, server, server_email, export_folder) = state.with(|desk| {
        let config = &desk.config;
        Ok((config.language.clone(), config.server.clone(), config.server_email.clone(), desk.export_folder().display().to_string()))
    })?;
    state.run(
        |desk| {
            if let Workspace::SignedOut = desk.workspace {
                let library = server.clone().unwrap_or_default();
                let now = desk.clock.now().to_string();
                return Ok(Session {
                    library,
                    mode: Mode::Server,
                    online: false,
                    server: server.clone(),
                    server_email: server_email.clone(),
                    user: None,
                    users: Vec::new(),
                    newsroom: copydesk::newsroom::Newsroom::default(),
                    now,
                    language: language.clone(),
                    export_folder: export_folder.clone(),
                });
            }
            let library = desk.path.display().to_string();
            let email = desk.config.email.clone();
            let lib = desk.library()?;
            let user = email.as_deref().and_then(|email| lib.user(Some(email)).ok());
            Ok(Session {
                library,
                mode: Mode::Local,
                online: true,
                server: server.clone(),
                server_email: server_email.clone(),
                user,
                users: lib.users()?,
                newsroom: lib.newsroom()?,
                now: lib.now().to_string(),
                language: language.clone(),
                export_folder: export_folder.clone(),
            })
        },
        |remote| {
            let users = remote.users();
            let newsroom = remote.newsroom();
            Ok(Session {
                library: remote.address().to_string(),
                mode: Mode::Server,
                online: remote.online(),
                server: server.clone(),
                server_email: server_email.clone(),
                user: Some(remote.me.clone()),
                users,
                newsroom,
                now: remote.clock.now().to_string(),
                language: language.clone(),
                export_folder: export_folder.clone(),
            })
        },
    )
}

/// Signs in to the newsroom server at `address` and works there from now on (and at the next
/// start); the events of the newsroom start arriving.
#[tauri::command]
pub async fn sign_in_server(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    address: String,
    email: String,
    password: String,
) -> Reply<User> {
    let server = state.with(|desk| desk.sign_in_to_server(&address, &email, &password))?;
    server.tell(app.clone());
    crate::live::follow(app, server.clone());
    Ok(server.me.clone())
}

/// Signs out: of the server (its session ends; the address stays for the next sign-in), or of
/// the profile on this computer.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Reply<()> {
    state.with(|desk| desk.sign_out())
}

/// Works on the library file on this computer again.
#[tauri::command]
pub async fn use_this_computer(state: State<'_, AppState>) -> Reply<()> {
    state.with(|desk| desk.use_this_computer())
}

/// Whether the newsroom server answers now (always, on this computer).
#[tauri::command]
pub async fn server_status(state: State<'_, AppState>) -> Reply<ServerStatus> {
    Ok(ServerStatus { online: state.server().is_none_or(|server| server.online()) })
}

/// Says the signed-in person has article `id` open, editing or reading; the window repeats it
/// while the article stays open, below the server's time-out. Nothing to say on this computer.
#[tauri::command]
pub async fn open_article(state: State<'_, AppState>, id: ArticleId, editing: bool) -> Reply<()> {
    state.run(|_| Ok(()), |remote| remote.call(|client| client.open(id, editing)))
}

/// Says the article was closed.
#[tauri::command]
pub async fn close_article(state: State<'_, AppState>, id: ArticleId) -> Reply<()> {
    state.run(|_| Ok(()), |remote| remote.call(|client| client.close(id)))
}

/// Who else has which article open now, with their names.
#[tauri::command]
pub async fn presence(state: State<'_, AppState>) -> Reply<Vec<PresenceView>> {
    state.run(
        |_| Ok(Vec::new()),
        |remote| {
            let open = remote.call(|client| client.presence())?;
            let mut users = remote.known_users();
            // Someone not known here (a new colleague, or the app started offline and knows
            // only its own person): the people are read again, so the banner can name them.
            if open.iter().any(|presence| presence.user != remote.me.id && !users.iter().any(|user| user.id == presence.user)) {
                users = remote.users();
            }
            Ok(open
                .into_iter()
                .filter(|presence| presence.user != remote.me.id)
                .map(|presence| {
                    let name = users.iter().find(|user| user.id == presence.user).map(|user| user.name.clone()).unwrap_or_default();
                    PresenceView { article: presence.article, user: presence.user, name, editing: presence.editing }
                })
                .collect())
        },
    )
}

/// Opens the library file chosen in `pick_library` (its token), creating it when it does not
/// exist, and remembers it.
#[tauri::command]
pub async fn open_library(state: State<'_, AppState>, grants: State<'_, Grants>, token: String) -> Reply<()> {
    let path = grants.redeem(&token, Use::Library)?;
    state.with(|desk| {
        desk.open(&path)?;
        desk.remember(|config| config.library = Some(path))
    })
}

/// First run: adds the user's profile to the library and signs in as it.
#[tauri::command]
pub async fn setup_profile(state: State<'_, AppState>, user: NewUser) -> Reply<User> {
    state.run(
        |desk| {
            let actor = desk.actor().ok();
            let added = desk.library()?.add_user(actor.as_ref(), user)?;
            let email = added.email.clone();
            desk.remember(|config| config.email = Some(email))?;
            Ok(added)
        },
        |_| Err(IpcError::new(ErrorCode::Forbidden, "on a newsroom server an admin adds people; ask yours for an account")),
    )
}

/// Everyone in the library, and whether the signed-in profile may add people (`people`).
#[tauri::command]
pub async fn people(state: State<'_, AppState>) -> Reply<People> {
    state.run(
        |desk| {
            let actor = desk.actor().ok();
            let library = desk.library()?;
            let reason = crate::people::refusal(library, actor.as_ref());
            Ok(People { users: library.users()?, may_add: reason.is_none(), reason })
        },
        |remote| {
            let users = remote.call(|client| client.users())?;
            let reason = crate::people::server_refusal(&remote.me);
            Ok(People { users, may_add: reason.is_none(), reason })
        },
    )
}

/// Adds a person to the library; only an admin may (or anyone, while the library has no admin).
/// On a server, `password` lets them sign in at once.
#[tauri::command]
pub async fn add_user(state: State<'_, AppState>, user: NewUser, password: Option<String>) -> Reply<User> {
    state.run(
        |desk| {
            let actor = desk.actor().ok();
            Ok(desk.library()?.add_user(actor.as_ref(), user.clone())?)
        },
        |remote| {
            let password = password.filter(|password| !password.is_empty());
            let user = copydesk_protocol::AddUser {
                name: user.name.clone(),
                title: user.title.clone(),
                email: user.email.clone(),
                role: user.role,
                password,
            };
            remote.call(|client| client.add_user(&user))
        },
    )
}

/// Signs in as a person already in the library.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, email: String) -> Reply<User> {
    state.with(|desk| {
        let user = desk.library()?.user(Some(&email))?;
        desk.remember(|config| config.email = Some(user.email.clone()))?;
        Ok(user)
    })
}

#[tauri::command]
pub async fn set_newsroom(state: State<'_, AppState>, newsroom: Newsroom) -> Reply<Newsroom> {
    state.run(
        |desk| {
            let actor = desk.actor().ok();
            let library = desk.library()?;
            library.set_newsroom(actor.as_ref(), &newsroom)?;
            Ok(library.newsroom()?)
        },
        |remote| {
            let saved = remote.call(|client| client.set_newsroom(&newsroom))?;
            remote.remember_newsroom(saved.clone());
            Ok(saved)
        },
    )
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: String) -> Reply<()> {
    state.with(|desk| desk.remember(|config| config.language = Some(language)))
}

#[tauri::command]
pub async fn list(state: State<'_, AppState>, filter: Filter) -> Reply<ListPage> {
    state.run(
        |desk| {
            let library = desk.library()?;
            Ok(ListPage { total: library.count(&filter)?, articles: library.list(&filter)?, kept_at: None })
        },
        |remote| match remote.call(|client| Ok((client.count(&filter)?, client.list(&filter)?))) {
            Ok((total, articles)) => {
                let kept = KeptList { filter: filter.clone(), total, articles, kept_at: remote.clock.now() };
                if let Err(error) = remote.offline.keep_list(&kept) {
                    // Only a copy for a start without the server: the list shows all the same.
                    eprintln!("copydesk: {}", error.message);
                }
                Ok(ListPage { total: kept.total, articles: kept.articles, kept_at: None })
            }
            // Out of reach: the list it last sent, said to be that.
            Err(error) if error.code == ErrorCode::Unavailable => remote
                .offline
                .kept_list(&filter)
                .map(|kept| ListPage { total: kept.total, articles: kept.articles, kept_at: Some(kept.kept_at) })
                .ok_or(error),
            Err(error) => Err(error),
        },
    )
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, filter: Filter) -> Reply<SearchResults> {
    state.run(|desk| Ok(desk.library()?.search(&query, &filter)?), |remote| remote.call(|client| client.search(&query, &filter)))
}

/// The section paths the newest articles use, most used first (`copydesk::sections::in_use`).
#[tauri::command]
pub async fn sections(state: State<'_, AppState>) -> Reply<Vec<String>> {
    state.run(|desk| Ok(copydesk::sections::in_use(desk.library()?)?), |remote| remote.call(|client| client.sections()))
}

/// An article with what the signed-in user may do to it and any unsaved text to recover.
#[tauri::command]
pub async fn article(state: State<'_, AppState>, id: ArticleId) -> Reply<ArticleView> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            let library = desk.library()?;
            let article = library.article(id)?;
            let actions = library.available_actions(&actor, &article, &article.content);
            let recovered = library.recovered(&actor, id)?;
            Ok(ArticleView::new(article, actions, recovered, &library.newsroom()?))
        },
        |remote| {
            let article = remote.open(id)?;
            let actions = copydesk::workflow::available(&remote.me, &article, &article.content, remote.clock.now());
            // Text kept on this computer while offline is newer than any the server holds.
            // A kept file that cannot be read stays where it is, named in the log, and the
            // article still opens.
            let kept = remote.offline.kept(id).unwrap_or_else(|error| {
                eprintln!("copydesk: {}", error.message);
                None
            });
            let recovered = match kept {
                Some(kept) => Some(kept),
                None => match remote.call(|client| client.recovered(id)) {
                    // Out of reach: the server's working copy waits until it answers again.
                    Err(error) if error.code == ErrorCode::Unavailable => None,
                    recovered => recovered?,
                },
            };
            Ok(ArticleView::new(article, actions, recovered, &remote.known_newsroom()))
        },
    )
}

/// What the signed-in user may do to the article if it carried `content` (the text being
/// edited), by the library's clock now: whether publishing schedules depends on the embargo
/// typed and on the time of asking.
#[tauri::command]
pub async fn actions(state: State<'_, AppState>, id: ArticleId, content: Content) -> Reply<Vec<ActionState>> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            let library = desk.library()?;
            let article = library.article(id)?;
            Ok(library.available_actions(&actor, &article, &content))
        },
        // What the buttons offer; the server decides again when one is pressed.
        |remote| {
            let article = remote.article(id)?;
            Ok(copydesk::workflow::available(&remote.me, &article, &content, remote.clock.now()))
        },
    )
}

/// A new draft as every front end starts one (`copydesk::draft::new_draft`), by the signed-in
/// profile.
#[tauri::command]
pub async fn create_draft(state: State<'_, AppState>) -> Reply<Article> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            let library = desk.library()?;
            let newsroom = library.newsroom()?;
            Ok(library.create(&actor, copydesk::draft::new_draft(&actor, &newsroom))?)
        },
        |remote| {
            let draft = copydesk::draft::new_draft(&remote.me, &remote.newsroom());
            remote.call(|client| client.create(draft))
        },
    )
}

#[tauri::command]
pub async fn create(state: State<'_, AppState>, content: Content) -> Reply<Article> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            Ok(desk.library()?.create(&actor, content.clone())?)
        },
        |remote| remote.call(|client| client.create(content.clone())),
    )
}

/// A new revision on top of `base`; `merged_from`, when the text settles a conflict, is the
/// revision the refused save started from (`Library::save_settled` records it as a second parent).
/// On a server, the text kept on this computer while it was unreachable is forgotten once the
/// server has it.
#[tauri::command]
pub async fn save(
    state: State<'_, AppState>,
    id: ArticleId,
    base: RevisionNo,
    content: Content,
    merged_from: Option<RevisionNo>,
) -> Reply<Article> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            let library = desk.library()?;
            Ok(match merged_from {
                Some(started_from) => library.save_settled(&actor, id, base, started_from, content.clone())?,
                None => library.save(&actor, id, base, content.clone())?,
            })
        },
        |remote| {
            let saved = remote
                .call(|client| match merged_from {
                    Some(started_from) => client.save_settled(id, base, started_from, content.clone()),
                    None => client.save(id, base, content.clone()),
                })
                .map_err(kept_offline)?;
            remote.offline.forget(id)?;
            Ok(saved)
        },
    )
}

/// A save the server could not be reached for: the text is on this computer, say so.
fn kept_offline(error: IpcError) -> IpcError {
    if error.code != ErrorCode::Unavailable {
        return error;
    }
    IpcError::new(
        ErrorCode::Unavailable,
        format!("{}; your text is kept on this computer and is saved when the server answers again", error.message),
    )
}

/// Keeps the text being typed. On a server it is first written to this computer (so neither
/// a crash nor a server that went away loses it), then sent; unreachable, the copy here is
/// enough and the autosave succeeds: typing goes on offline.
#[tauri::command]
pub async fn autosave(state: State<'_, AppState>, id: ArticleId, base: RevisionNo, content: Content) -> Reply<()> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            Ok(desk.library()?.autosave(&actor, id, base, content.clone())?)
        },
        |remote| {
            remote.offline.keep(&crate::offline::autosave(id, remote.me.id, base, content.clone(), remote.clock.now()))?;
            // Known to be out of reach: the copy here is the autosave until the event stream
            // finds the server again (each try would wait out the client's retries).
            if !remote.online() {
                return Ok(());
            }
            match remote.call(|client| client.autosave(id, base, content.clone())) {
                Err(error) if error.code == ErrorCode::Unavailable => Ok(()),
                sent => sent,
            }
        },
    )
}

#[tauri::command]
pub async fn discard_recovered(state: State<'_, AppState>, id: ArticleId) -> Reply<()> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            Ok(desk.library()?.discard_recovered(&actor, id)?)
        },
        |remote| {
            remote.call(|client| client.discard_recovered(id))?;
            remote.offline.forget(id)
        },
    )
}

macro_rules! workflow_command {
    ($($name:ident => $action:literal),*) => {$(
        #[tauri::command]
        pub async fn $name(state: State<'_, AppState>, id: ArticleId, change: ChangeInput) -> Reply<Article> {
            let change: copydesk::Change = change.into();
            state.run(
                |desk| {
                    let actor = desk.actor()?;
                    Ok(desk.library()?.$name(&actor, id, change.clone())?)
                },
                |remote| {
                    let done = remote.call(|client| client.act(id, $action, &change)).map_err(kept_offline)?;
                    if change.content.is_some() {
                        remote.offline.forget(id)?;
                    }
                    Ok(done)
                },
            )
        }
    )*};
}

workflow_command!(submit => "submit", return_to_reporter => "return", publish => "publish", correct => "correct", kill => "kill");

#[tauri::command]
pub async fn revisions(state: State<'_, AppState>, id: ArticleId) -> Reply<Vec<Revision>> {
    state.run(|desk| Ok(desk.library()?.revisions(id)?), |remote| remote.call(|client| client.revisions(id)))
}

#[tauri::command]
pub async fn revision_content(state: State<'_, AppState>, id: ArticleId, number: RevisionNo) -> Reply<Content> {
    state.run(|desk| Ok(desk.library()?.revision_content(id, number)?), |remote| remote.call(|client| client.revision_content(id, number)))
}

#[tauri::command]
pub async fn compare(state: State<'_, AppState>, id: ArticleId, from: RevisionNo, to: RevisionNo) -> Reply<Vec<FieldChange>> {
    state.run(|desk| Ok(desk.library()?.compare(id, from, to)?), |remote| remote.call(|client| client.compare(id, from, to)))
}

/// The fields that differ from `before` to `after` (`revision::compare`), for the conflict view:
/// the library's newer revision against the text the user could not save.
#[tauri::command]
pub async fn compare_contents(before: Content, after: Content) -> Reply<Vec<FieldChange>> {
    Ok(copydesk::revision::compare(&before, &after))
}

/// The text to save after a conflict: the core's merge with the person's choice applied to
/// each overlapping passage, in order (`Merged::resolve`), so the page never merges text itself.
#[tauri::command]
pub async fn resolve_merge(merged: Merged, choices: Vec<Choice>) -> Reply<Content> {
    Ok(merged.resolve(&choices)?)
}

#[tauri::command]
pub async fn restore(state: State<'_, AppState>, id: ArticleId, number: RevisionNo, base: Option<RevisionNo>) -> Reply<Article> {
    state.run(
        |desk| {
            let actor = desk.actor()?;
            Ok(desk.library()?.restore(&actor, id, number, base)?)
        },
        |remote| remote.call(|client| client.restore(id, number, base)),
    )
}

#[tauri::command]
pub async fn release_due(state: State<'_, AppState>) -> Reply<Vec<ArticleId>> {
    state.release_due()
}

/// Stores a photo's bytes (the raw request body) and returns a photo entry for it, named
/// `photos/<file-name header>`.
#[tauri::command]
pub async fn add_photo(state: State<'_, AppState>, request: Request<'_>) -> Reply<Photo> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::new(ErrorCode::Invalid, "the photo must be sent as raw bytes"));
    };
    let name = request.headers().get("file-name").and_then(|value| value.to_str().ok()).map(crate::photos::decode_name);
    let file = crate::photos::file_name(name.as_deref().unwrap_or("photo"));
    let bytes = bytes.clone();
    store_photo(&state, &file, bytes)
}

/// Stores the photo file chosen in `pick_photos` (its token), as `add_photo` does.
#[tauri::command]
pub async fn add_photo_file(state: State<'_, AppState>, grants: State<'_, Grants>, token: String) -> Reply<Photo> {
    let path = grants.redeem(&token, Use::Photo)?;
    let bytes = copydesk::import::read_picked_photo(&path, copydesk::import::ImportOptions::default().max_photo_bytes)?;
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
    let file = crate::photos::file_name(name.as_deref().unwrap_or("photo"));
    store_photo(&state, &file, bytes)
}

fn store_photo(state: &AppState, file: &str, bytes: Vec<u8>) -> Reply<Photo> {
    state.run(
        |desk| {
            let library = desk.library()?;
            let image = library.add_image(bytes.clone())?;
            Ok(Photo::from_image(file, &image))
        },
        |remote| {
            let stored = remote.call(|client| client.add_image(&bytes))?;
            let image = copydesk::store::Image {
                image: stored.image,
                media_type: stored.media_type,
                width: stored.width,
                height: stored.height,
                bytes: bytes.clone(),
            };
            Ok(Photo::from_image(file, &image))
        },
    )
}

/// The page as the export would render it, from the text being edited.
#[tauri::command]
pub async fn preview(state: State<'_, AppState>, id: ArticleId, content: Content) -> Reply<Preview> {
    let (article, newsroom, resources) = state.run(
        |desk| crate::preview::gather(desk.library()?, id, &content),
        |remote| {
            let article = remote.article(id)?;
            Ok((article, remote.known_newsroom(), crate::preview::server_resources(remote, &content)?))
        },
    )?;
    crate::preview::preview(&article, &content, &newsroom, &resources)
}

/// A date and time typed in the newsroom's zone (`2025-02-20T15:09`) as an instant
/// (`Newsroom::parse_local`, the one reader of typed times).
#[tauri::command]
pub async fn to_instant(state: State<'_, AppState>, local: String) -> Reply<String> {
    let newsroom = newsroom(&state)?;
    Ok(newsroom.parse_local(&local)?.to_string())
}

/// The newsroom's settings, from the library or as last read from the server.
fn newsroom(state: &AppState) -> Reply<Newsroom> {
    state.run(|desk| Ok(desk.library()?.newsroom()?), |remote| Ok(remote.known_newsroom()))
}

/// A day typed in either of the app's languages as an ISO date (`Newsroom::parse_day`).
#[tauri::command]
pub async fn to_day(text: String) -> Reply<String> {
    Ok(copydesk::newsroom::Newsroom::parse_day(&text)?.to_string())
}

/// An instant as a date and time in the newsroom's zone, the form the picker shows.
#[tauri::command]
pub async fn to_local(state: State<'_, AppState>, instant: String) -> Reply<String> {
    let newsroom = newsroom(&state)?;
    let at: jiff::Timestamp = instant.parse().map_err(|_| IpcError::new(ErrorCode::Invalid, format!("{instant:?} is not an instant")))?;
    Ok(newsroom.local(at))
}

/// Exports one article in `format` (an HTML page with its photos beside it, or self-contained;
/// ninjs; Markdown) into the folder chosen in `pick_export_folder` (its token), or without one
/// into `export/` beside the library (`Session::export_folder`). `preview` marks a page of an
/// unpublished article as such.
#[tauri::command]
pub async fn export(
    state: State<'_, AppState>,
    grants: State<'_, Grants>,
    id: ArticleId,
    folder: Option<String>,
    format: Format,
    self_contained: bool,
    preview: bool,
) -> Reply<Exported> {
    let chosen = folder.map(|token| grants.redeem(&token, Use::ExportFolder)).transpose()?;
    let folder = match chosen {
        Some(folder) => folder,
        None => state.with(|desk| Ok(desk.export_folder()))?,
    };
    let files = state.run(
        |desk| {
            let options = ExportOptions { format, preview, self_contained, ..ExportOptions::default() };
            let report = copydesk::export::export(desk.library()?, &[id], &folder, &options, &mut |_, _| {})?;
            let files: Vec<PathBuf> = report.articles.iter().flat_map(|article| article.files.iter().cloned()).collect();
            Ok(files)
        },
        |remote| {
            let request = copydesk_protocol::ExportRequest { ids: vec![id], format, preview, self_contained, ..Default::default() };
            let exported = remote.call(|client| client.export(&request))?;
            crate::export::write(&folder, &exported)
        },
    )?;
    let first = files.first().cloned().unwrap_or_else(|| folder.clone());
    let open = grants.grant(Use::Exported, first.clone())?;
    Ok(Exported { path: first.display().to_string(), files: files.iter().map(|path| path.display().to_string()).collect(), open })
}

/// Opens what an export wrote (its `Exported::open` token) with the desktop's default program
/// (the browser, for a page). Nothing else: the page cannot have the desktop open any file.
#[tauri::command]
pub async fn open_path(app: tauri::AppHandle, grants: State<'_, Grants>, token: String) -> Reply<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = grants.redeem(&token, Use::Exported)?;
    app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|error| IpcError::new(ErrorCode::Io, error.to_string()))
}

/// A path chosen in a native dialog, for the page: `token` for the commands, `path` to show.
fn picked(grants: &Grants, purpose: Use, path: FilePath) -> Reply<Picked> {
    let path = path.into_path().map_err(|error| IpcError::new(ErrorCode::Io, error.to_string()))?;
    Ok(Picked { token: grants.grant(purpose, path.clone())?, path: path.display().to_string() })
}

/// The native dialog to open a library (`open`) or to name a new one (`create`), titled `title`;
/// `None` when the person cancels. Hand the token to `open_library`.
#[tauri::command]
pub async fn pick_library(window: tauri::Window, grants: State<'_, Grants>, mode: LibraryDialog, title: String) -> Reply<Option<Picked>> {
    let dialog = window.dialog().file().set_parent(&window).set_title(title).add_filter("Copydesk library", &["sqlite3"]);
    let chosen = match mode {
        LibraryDialog::Open => dialog.blocking_pick_file(),
        LibraryDialog::Create => dialog.set_file_name("library.sqlite3").blocking_save_file(),
    };
    chosen.map(|path| picked(&grants, Use::Library, path)).transpose()
}

/// The native folder dialog for an export, starting in the current export folder; hand the
/// token to `export`.
#[tauri::command]
pub async fn pick_export_folder(
    window: tauri::Window,
    state: State<'_, AppState>,
    grants: State<'_, Grants>,
    title: String,
) -> Reply<Option<Picked>> {
    let start = state.with(|desk| Ok(desk.export_folder()))?;
    let chosen = window.dialog().file().set_parent(&window).set_title(title).set_directory(start).blocking_pick_folder();
    chosen.map(|path| picked(&grants, Use::ExportFolder, path)).transpose()
}

/// The native dialog for photos; one token per file, each for one `add_photo_file`.
#[tauri::command]
pub async fn pick_photos(window: tauri::Window, grants: State<'_, Grants>, title: String) -> Reply<Vec<Picked>> {
    let chosen = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title(title)
        .add_filter("Photos", &["jpg", "jpeg", "png", "gif", "webp", "JPG", "JPEG", "PNG"])
        .blocking_pick_files();
    chosen.unwrap_or_default().into_iter().map(|path| picked(&grants, Use::Photo, path)).collect()
}
