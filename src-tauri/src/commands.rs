//! One Tauri command per user action, each calling one core function on the open library.
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
use crate::dto::{ArticleView, ChangeInput, Exported, IpcError, LibraryDialog, ListPage, People, Picked, Preview, Session};
use crate::grants::{Grants, Use};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Reply<Session> {
    state.with(|desk| {
        let library = desk.path.display().to_string();
        let email = desk.config.email.clone();
        let language = desk.config.language.clone();
        let export_folder = desk.export_folder().display().to_string();
        let lib = desk.library()?;
        let user = email.as_deref().and_then(|email| lib.user(Some(email)).ok());
        Ok(Session { library, user, users: lib.users()?, newsroom: lib.newsroom()?, now: lib.now().to_string(), language, export_folder })
    })
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
    state.with(|desk| {
        let actor = desk.actor().ok();
        let added = desk.library()?.add_user(actor.as_ref(), user)?;
        let email = added.email.clone();
        desk.remember(|config| config.email = Some(email))?;
        Ok(added)
    })
}

/// Everyone in the library, and whether the signed-in profile may add people (`people`).
#[tauri::command]
pub async fn people(state: State<'_, AppState>) -> Reply<People> {
    state.with(|desk| {
        let actor = desk.actor().ok();
        let library = desk.library()?;
        let reason = crate::people::refusal(library, actor.as_ref());
        Ok(People { users: library.users()?, may_add: reason.is_none(), reason })
    })
}

/// Adds a person to the library; only an admin may (or anyone, while the library has no admin).
#[tauri::command]
pub async fn add_user(state: State<'_, AppState>, user: NewUser) -> Reply<User> {
    state.with(|desk| {
        let actor = desk.actor().ok();
        Ok(desk.library()?.add_user(actor.as_ref(), user)?)
    })
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
    state.with(|desk| {
        let actor = desk.actor().ok();
        let library = desk.library()?;
        library.set_newsroom(actor.as_ref(), &newsroom)?;
        Ok(library.newsroom()?)
    })
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: String) -> Reply<()> {
    state.with(|desk| desk.remember(|config| config.language = Some(language)))
}

#[tauri::command]
pub async fn list(state: State<'_, AppState>, filter: Filter) -> Reply<ListPage> {
    state.with(|desk| {
        let library = desk.library()?;
        Ok(ListPage { total: library.count(&filter)?, articles: library.list(&filter)? })
    })
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, filter: Filter) -> Reply<SearchResults> {
    state.with(|desk| Ok(desk.library()?.search(&query, &filter)?))
}

/// The section paths the newest articles use, most used first (`copydesk::sections::in_use`).
#[tauri::command]
pub async fn sections(state: State<'_, AppState>) -> Reply<Vec<String>> {
    state.with(|desk| Ok(copydesk::sections::in_use(desk.library()?)?))
}

/// An article with what the signed-in user may do to it and any unsaved text to recover.
#[tauri::command]
pub async fn article(state: State<'_, AppState>, id: ArticleId) -> Reply<ArticleView> {
    state.with(|desk| {
        let actor = desk.actor()?;
        let library = desk.library()?;
        let article = library.article(id)?;
        let actions = library.available_actions(&actor, &article, &article.content);
        let recovered = library.recovered(&actor, id)?;
        let newsroom = library.newsroom()?;
        Ok(ArticleView {
            first_published: article.first_published.map(|at| newsroom.display(at)),
            last_modified: article.last_modified.map(|at| newsroom.display(at)),
            article,
            actions,
            recovered,
        })
    })
}

/// What the signed-in user may do to the article if it carried `content` (the text being
/// edited), by the library's clock now: whether publishing schedules depends on the embargo
/// typed and on the time of asking.
#[tauri::command]
pub async fn actions(state: State<'_, AppState>, id: ArticleId, content: Content) -> Reply<Vec<ActionState>> {
    state.with(|desk| {
        let actor = desk.actor()?;
        let library = desk.library()?;
        let article = library.article(id)?;
        Ok(library.available_actions(&actor, &article, &content))
    })
}

/// A new draft as every front end starts one (`copydesk::draft::new_draft`), by the signed-in
/// profile.
#[tauri::command]
pub async fn create_draft(state: State<'_, AppState>) -> Reply<Article> {
    state.with(|desk| {
        let actor = desk.actor()?;
        let library = desk.library()?;
        let newsroom = library.newsroom()?;
        Ok(library.create(&actor, copydesk::draft::new_draft(&actor, &newsroom))?)
    })
}

#[tauri::command]
pub async fn create(state: State<'_, AppState>, content: Content) -> Reply<Article> {
    state.with(|desk| {
        let actor = desk.actor()?;
        Ok(desk.library()?.create(&actor, content)?)
    })
}

#[tauri::command]
pub async fn save(state: State<'_, AppState>, id: ArticleId, base: RevisionNo, content: Content) -> Reply<Article> {
    state.with(|desk| {
        let actor = desk.actor()?;
        Ok(desk.library()?.save(&actor, id, base, content)?)
    })
}

#[tauri::command]
pub async fn autosave(state: State<'_, AppState>, id: ArticleId, base: RevisionNo, content: Content) -> Reply<()> {
    state.with(|desk| {
        let actor = desk.actor()?;
        Ok(desk.library()?.autosave(&actor, id, base, content)?)
    })
}

#[tauri::command]
pub async fn discard_recovered(state: State<'_, AppState>, id: ArticleId) -> Reply<()> {
    state.with(|desk| {
        let actor = desk.actor()?;
        Ok(desk.library()?.discard_recovered(&actor, id)?)
    })
}

macro_rules! workflow_command {
    ($($name:ident),*) => {$(
        #[tauri::command]
        pub async fn $name(state: State<'_, AppState>, id: ArticleId, change: ChangeInput) -> Reply<Article> {
            state.with(|desk| {
                let actor = desk.actor()?;
                Ok(desk.library()?.$name(&actor, id, change.into())?)
            })
        }
    )*};
}

workflow_command!(submit, return_to_reporter, publish, correct, kill);

#[tauri::command]
pub async fn revisions(state: State<'_, AppState>, id: ArticleId) -> Reply<Vec<Revision>> {
    state.with(|desk| Ok(desk.library()?.revisions(id)?))
}

#[tauri::command]
pub async fn revision_content(state: State<'_, AppState>, id: ArticleId, number: RevisionNo) -> Reply<Content> {
    state.with(|desk| Ok(desk.library()?.revision_content(id, number)?))
}

#[tauri::command]
pub async fn compare(state: State<'_, AppState>, id: ArticleId, from: RevisionNo, to: RevisionNo) -> Reply<Vec<FieldChange>> {
    state.with(|desk| Ok(desk.library()?.compare(id, from, to)?))
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
    state.with(|desk| {
        let actor = desk.actor()?;
        Ok(desk.library()?.restore(&actor, id, number, base)?)
    })
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
    state.with(|desk| store_photo(desk, &file, bytes))
}

/// Stores the photo file chosen in `pick_photos` (its token), as `add_photo` does.
#[tauri::command]
pub async fn add_photo_file(state: State<'_, AppState>, grants: State<'_, Grants>, token: String) -> Reply<Photo> {
    let path = grants.redeem(&token, Use::Photo)?;
    let bytes = copydesk::import::read_picked_photo(&path, copydesk::import::ImportOptions::default().max_photo_bytes)?;
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
    let file = crate::photos::file_name(name.as_deref().unwrap_or("photo"));
    state.with(|desk| store_photo(desk, &file, bytes))
}

fn store_photo(desk: &mut crate::Desk, file: &str, bytes: Vec<u8>) -> Reply<Photo> {
    let library = desk.library()?;
    let image = library.add_image(bytes)?;
    Ok(library.photo(file, &image))
}

/// The page as the export would render it, from the text being edited.
#[tauri::command]
pub async fn preview(state: State<'_, AppState>, id: ArticleId, content: Content) -> Reply<Preview> {
    let (article, newsroom, resources) = state.with(|desk| crate::preview::gather(desk.library()?, id, &content))?;
    crate::preview::preview(&article, &content, &newsroom, &resources)
}

/// A date and time typed in the newsroom's zone (`2025-02-20T15:09`) as an instant
/// (`Newsroom::parse_local`, the one reader of typed times).
#[tauri::command]
pub async fn to_instant(state: State<'_, AppState>, local: String) -> Reply<String> {
    let newsroom = state.with(|desk| Ok(desk.library()?.newsroom()?))?;
    Ok(newsroom.parse_local(&local)?.to_string())
}

/// A day typed in either of the app's languages as an ISO date (`Newsroom::parse_day`).
#[tauri::command]
pub async fn to_day(text: String) -> Reply<String> {
    Ok(copydesk::newsroom::Newsroom::parse_day(&text)?.to_string())
}

/// An instant as a date and time in the newsroom's zone, the form the picker shows.
#[tauri::command]
pub async fn to_local(state: State<'_, AppState>, instant: String) -> Reply<String> {
    let newsroom = state.with(|desk| Ok(desk.library()?.newsroom()?))?;
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
    let (folder, files) = state.with(|desk| {
        let folder = chosen.unwrap_or_else(|| desk.export_folder());
        let options = ExportOptions { format, preview, self_contained, ..ExportOptions::default() };
        let report = copydesk::export::export(desk.library()?, &[id], &folder, &options, &mut |_, _| {})?;
        let files: Vec<PathBuf> = report.articles.iter().flat_map(|article| article.files.iter().cloned()).collect();
        Ok((folder, files))
    })?;
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
