//! The routes. Each one proves who is asking (a session token, never a name in the body), runs
//! one core operation on a worker, announces what changed and answers JSON. Requests that
//! change something may carry an `Idempotency-Key`: a retry with the same key gets the first
//! answer again instead of a second revision.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine;
use copydesk::article::{Article, ArticleId, ImageRef};
use copydesk::export::ExportOptions;
use copydesk::import::ImportedArticle;
use copydesk::newsroom::Newsroom;
use copydesk::revision::RevisionNo;
use copydesk::search::Filter;
use copydesk::user::{NewUser, Role, User, UserId};
use copydesk::workflow::Status;
use copydesk::{Change, Error, ErrorCode, Library};
use copydesk_store_postgres::accounts::Idempotent;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_http::timeout::TimeoutLayer;

use crate::Shared;
use crate::events::{Announce, CHANNEL, Event};
use crate::failure::{Failure, failure, status_of};
use crate::pool::Worker;
use copydesk_protocol::{
    AddUser, ExportRequest, Exported, ExportedArticle, ExportedFile, Import, NewArticle, Open, Restore, Save, SetDisabled, SetPassword,
    SignIn, StoredImage,
};

type Shared_ = State<Arc<Shared>>;

pub fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.config.max_body;
    let timeout = shared.config.request_timeout;
    let api = Router::new()
        .route("/session", post(sign_in).get(whoami).delete(sign_out))
        .route("/newsroom", get(newsroom).put(set_newsroom))
        .route("/users", get(users).post(add_user))
        .route("/users/{id}/password", put(set_password))
        .route("/users/{id}/disabled", put(set_disabled))
        .route("/audit", get(audit))
        .route("/check", get(check))
        .route("/sections", get(sections))
        .route("/articles", get(list).post(create))
        .route("/articles/count", get(count))
        .route("/search", get(search))
        .route("/import", post(import))
        .route("/articles/{id}", get(article).put(save))
        .route("/articles/{id}/published", get(published))
        .route("/articles/{id}/actions", get(actions))
        .route("/articles/{id}/revisions", get(revisions))
        .route("/articles/{id}/revisions/{number}", get(revision))
        .route("/articles/{id}/compare", get(compare))
        .route("/articles/{id}/restore", post(restore))
        .route("/articles/{id}/autosave", get(recovered).put(autosave).delete(discard_recovered))
        .route("/articles/{id}/presence", put(open_article).delete(close_article))
        .route("/articles/{id}/{action}", post(act))
        .route("/presence", get(presence))
        .route("/images", post(add_image))
        .route("/images/{image}", get(image))
        .route("/release-due", post(release_due))
        .route("/export", post(export))
        .route("/events", get(crate::events_route::events));
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/openapi.json", get(crate::openapi::document))
        .nest("/api", api.route_layer(axum::middleware::from_fn_with_state(shared.clone(), require_session)))
        .fallback(|| async { failure(ErrorCode::NotFound, "no such route; see /openapi.json").into_response() })
        .layer(axum::middleware::map_response(crate::failure::as_json))
        .layer(DefaultBodyLimit::max(limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(shared)
}

/// Where a request comes from, before anyone signed in.
pub struct Visitor {
    token: Option<String>,
    pub address: String,
    idempotency_key: Option<String>,
}

impl Visitor {
    fn of(headers: &HeaderMap, peer: SocketAddr, behind_proxy: bool) -> Visitor {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| token.trim().to_string())
            .filter(|token| !token.is_empty());
        // Behind a reverse proxy the peer is the proxy; the client is the last address it added.
        let forwarded = behind_proxy
            .then(|| headers.get("x-forwarded-for").and_then(|value| value.to_str().ok()))
            .flatten()
            .and_then(|list| list.rsplit(',').next())
            .map(|address| address.trim().to_string());
        let idempotency_key = headers
            .get("idempotency-key")
            .and_then(|value| value.to_str().ok())
            .map(|key| key.trim().chars().take(200).collect::<String>())
            .filter(|key| !key.is_empty());
        Visitor { token, address: forwarded.unwrap_or_else(|| peer.ip().to_string()), idempotency_key }
    }
}

/// Who is asking, proven by their session.
#[derive(Clone)]
pub struct Caller {
    pub user: User,
    pub token: String,
    pub address: String,
    idempotency_key: Option<String>,
}

/// Lets a request into `/api` only with a live session (signing in aside), and hands the
/// handlers the person it proves.
async fn require_session(
    State(shared): Shared_,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if request.method() == axum::http::Method::POST && request.uri().path().ends_with("/session") {
        return next.run(request).await;
    }
    let visitor = Visitor::of(request.headers(), peer, shared.config.behind_proxy);
    let at = now(&shared);
    let token = visitor.token.clone();
    let user = match shared.pool.run(move |worker| person(worker, token.as_deref(), at)).await {
        Ok(user) => user,
        Err(error) => return Failure(error).into_response(),
    };
    request.extensions_mut().insert(Caller {
        user,
        token: visitor.token.unwrap_or_default(),
        address: visitor.address,
        idempotency_key: visitor.idempotency_key,
    });
    next.run(request).await
}

/// The signed-in person behind `caller`.
pub(crate) fn person(worker: &mut Worker, caller_token: Option<&str>, now: Timestamp) -> copydesk::Result<User> {
    let token = caller_token.ok_or_else(|| Error::Remote {
        code: ErrorCode::NotSignedIn,
        message: "not signed in: send the session token as `Authorization: Bearer TOKEN` (POST /api/session gives one)".into(),
    })?;
    let id = worker.accounts.session(token, now)?;
    worker.library.user_with_id(id)
}

fn now(shared: &Shared) -> Timestamp {
    shared.config.clock.now()
}

fn announce(worker: &mut Worker, events: &[Event]) {
    for event in events {
        let payload = serde_json::to_string(event).unwrap_or_default();
        if let Err(error) = worker.accounts.notify(CHANNEL, &payload) {
            tracing::warn!(%error, "an event could not be announced");
        }
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Reads as the signed-in person.
async fn read<T: Serialize + Send + 'static>(
    shared: Arc<Shared>,
    caller: Caller,
    work: impl FnOnce(&mut Worker, &User) -> copydesk::Result<T> + Send + 'static,
) -> Response {
    let result = shared.pool.run(move |worker| work(worker, &caller.user)).await;
    match result {
        Ok(value) => Json(value).into_response(),
        Err(error) => Failure(error).into_response(),
    }
}

/// Changes something as the signed-in person, once per idempotency key, and announces it.
async fn change<T: Serialize + Send + 'static>(
    shared: Arc<Shared>,
    caller: Caller,
    fingerprint: Vec<u8>,
    work: impl FnOnce(&mut Worker, &User) -> copydesk::Result<(T, Vec<Event>)> + Send + 'static,
) -> Response {
    let at = now(&shared);
    let result = shared
        .pool
        .run(move |worker| {
            let user = caller.user;
            let key = caller.idempotency_key;
            if let Some(key) = &key {
                match worker.accounts.begin_idempotent(user.id, key, &fingerprint, at)? {
                    Idempotent::Fresh => {}
                    Idempotent::Replay { status, body } => return Ok((StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body)),
                    Idempotent::InProgress => {
                        return Err(Error::Remote {
                            code: ErrorCode::Conflict,
                            message: "the first request with this Idempotency-Key is still being carried out; retry in a moment".into(),
                        });
                    }
                    Idempotent::Mismatch => {
                        return Err(Error::invalid(
                            "the Idempotency-Key",
                            "it was used before for a different request; use a new key for each new request",
                        ));
                    }
                }
            }
            let outcome = work(worker, &user);
            let answer = match &outcome {
                Ok((value, events)) => {
                    announce(worker, events);
                    Some((StatusCode::OK, serde_json::to_string(value).unwrap_or_default()))
                }
                Err(error) => {
                    let status = status_of(error.code());
                    // A refusal is the answer again on a retry; a failure of the server is not.
                    (!status.is_server_error()).then(|| (status, failure_body(error)))
                }
            };
            if let Some(key) = &key {
                let kept = answer.as_ref().map(|(status, body)| (status.as_u16(), body.as_str()));
                worker.accounts.finish_idempotent(user.id, key, kept)?;
            }
            match (outcome, answer) {
                (Ok(_), Some(answer)) => Ok(answer),
                (Err(error), _) => Err(error),
                (Ok(_), None) => Err(crate::pool::internal("no answer")),
            }
        })
        .await;
    match result {
        Ok((status, body)) => json_response(status, body),
        Err(error) => Failure(error).into_response(),
    }
}

/// What a request asks, hashed: a key reused for a different request is refused.
fn fingerprint(request: &impl Serialize) -> Vec<u8> {
    Sha256::digest(serde_json::to_vec(request).unwrap_or_default()).to_vec()
}

fn failure_body(error: &Error) -> String {
    serde_json::to_string(&crate::failure::body_of(error)).unwrap_or_default()
}

// Service

async fn health() -> Response {
    Json(serde_json::json!({ "status": "ok" })).into_response()
}

/// Ready when the database answers and events from other processes arrive.
async fn ready(State(shared): Shared_) -> Response {
    let listening = shared.events.is_listening();
    let database = shared.pool.run(|worker| worker.accounts.ping()).await;
    match (database, listening) {
        (Ok(()), true) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        (Err(_), _) => failure(ErrorCode::Unavailable, "the newsroom's database does not answer").into_response(),
        (Ok(()), false) => failure(ErrorCode::Unavailable, "not listening for events yet").into_response(),
    }
}

// Sessions

async fn sign_in(
    State(shared): Shared_,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<SignIn>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(request) = body?;
    let caller = Visitor::of(&headers, peer, shared.config.behind_proxy);
    let at = now(&shared);
    let signed_in = shared.pool.run(move |worker| worker.accounts.sign_in(&request.email, &request.password, &caller.address, at)).await?;
    Ok(Json(signed_in).into_response())
}

async fn whoami(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    read(shared, caller, |_, user| Ok(user.clone())).await
}

async fn sign_out(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Result<Response, Failure> {
    let at = now(&shared);
    shared.pool.run(move |worker| worker.accounts.sign_out(&caller.token, at, &caller.address)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// People and settings

async fn newsroom(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    read(shared, caller, |worker, _| worker.library.newsroom()).await
}

async fn set_newsroom(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    body: Result<Json<Newsroom>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(settings) = body?;
    let address = caller.address.clone();
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&settings), move |worker, user| {
        worker.library.set_newsroom(Some(user), &settings)?;
        worker.accounts.audit(
            at,
            Some(user.id),
            "settings_changed",
            "",
            &address,
            &serde_json::to_string(&settings).unwrap_or_default(),
        )?;
        Ok((worker.library.newsroom()?, Vec::new()))
    })
    .await)
}

async fn users(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    read(shared, caller, |worker, _| worker.library.users()).await
}

async fn add_user(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    body: Result<Json<AddUser>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(request) = body?;
    let address = caller.address.clone();
    let at = now(&shared);
    let without_password = AddUser { password: None, ..request.clone() };
    Ok(change(shared, caller, fingerprint(&without_password), move |worker, actor| {
        if let Some(password) = &request.password {
            // Refuse a weak password before the person exists.
            copydesk_store_postgres::accounts::check_password(password)?;
        }
        let new = NewUser { name: request.name, title: request.title, email: request.email, role: request.role };
        let added = worker.library.add_user(Some(actor), new)?;
        worker.accounts.audit(at, Some(actor.id), "user_added", &added.email, &address, added.role.as_str())?;
        if let Some(password) = &request.password {
            worker.accounts.set_password(added.id, password, at, Some(actor.id))?;
        }
        Ok((added, Vec::new()))
    })
    .await)
}

async fn set_password(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<SetPassword>, JsonRejection>,
) -> Result<Response, Failure> {
    let (Path(id), Json(request)) = (id?, body?);
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&serde_json::json!({ "password_of": id })), move |worker, actor| {
        let target = worker.library.user_with_id(UserId(id))?;
        if target.id != actor.id {
            worker.library.may_manage(Some(actor))?;
        }
        worker.accounts.set_password(target.id, &request.password, at, Some(actor.id))?;
        Ok((serde_json::json!({ "user": target.id, "sessions_ended": true }), Vec::new()))
    })
    .await)
}

async fn set_disabled(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<SetDisabled>, JsonRejection>,
) -> Result<Response, Failure> {
    let (Path(id), Json(request)) = (id?, body?);
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&serde_json::json!({ "disable": id, "disabled": request.disabled })), move |worker, actor| {
        worker.library.may_manage(Some(actor))?;
        let target = worker.library.user_with_id(UserId(id))?;
        if target.id == actor.id && request.disabled {
            return Err(Error::invalid("disabling yourself", "another admin must do it, so the newsroom always keeps one"));
        }
        worker.accounts.set_disabled(target.id, request.disabled, at, Some(actor.id))?;
        Ok((serde_json::json!({ "user": target.id, "disabled": request.disabled }), Vec::new()))
    })
    .await)
}

#[derive(Debug, Deserialize)]
struct Limit {
    limit: Option<i64>,
}

async fn audit(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Limit>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(limit) = query?;
    Ok(read(shared, caller, move |worker, actor| {
        worker.library.may_manage(Some(actor))?;
        worker.accounts.audit_log(limit.limit.unwrap_or(200).clamp(1, 10_000))
    })
    .await)
}

async fn check(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    read(shared, caller, |worker, actor| {
        worker.library.may_manage(Some(actor))?;
        worker.library.check(false)
    })
    .await
}

// Lists and search

async fn sections(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    read(shared, caller, |worker, _| worker.library.sections()).await
}

async fn list(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Filter>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(filter) = query?;
    Ok(read(shared, caller, move |worker, _| worker.library.list(&filter)).await)
}

async fn count(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Filter>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(filter) = query?;
    Ok(read(shared, caller, move |worker, _| worker.library.count(&filter)).await)
}

async fn search(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, Failure> {
    // `q` beside the filter's own fields (a flattened struct would lose their types).
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
        .map_err(|error| failure(ErrorCode::Invalid, format!("the query string is not what this route takes: {error}")))?;
    let words = pairs.iter().find(|(key, _)| key == "q").map(|(_, value)| value.clone()).unwrap_or_default();
    let rest: Vec<_> = pairs.into_iter().filter(|(key, _)| key != "q").collect();
    let filter: Filter = serde_urlencoded::to_string(&rest)
        .ok()
        .and_then(|encoded| serde_urlencoded::from_str(&encoded).map_err(|error| tracing::debug!(%error)).ok())
        .ok_or_else(|| failure(ErrorCode::Invalid, "the search's filters are not what this route takes; see /openapi.json"))?;
    Ok(read(shared, caller, move |worker, _| worker.library.search(&words, &filter)).await)
}

// Articles

fn article_id(id: Result<Path<u64>, PathRejection>) -> Result<ArticleId, Failure> {
    let Path(id) = id?;
    i64::try_from(id).map(ArticleId).map_err(|_| failure(ErrorCode::NotFound, format!("article {id} does not exist in this library")))
}

async fn article(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, _| worker.library.article(id)).await)
}

async fn published(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, _| {
        let article = worker.library.article(id)?;
        worker.library.published_content(&article)
    })
    .await)
}

async fn actions(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, user| {
        let article = worker.library.article(id)?;
        Ok(worker.library.available_actions(user, &article, &article.content))
    })
    .await)
}

async fn revisions(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, _| worker.library.revisions(id)).await)
}

async fn revision(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(u64, u32)>, PathRejection>,
) -> Result<Response, Failure> {
    let Path((id, number)) = path?;
    let id = article_id(Ok(Path(id)))?;
    Ok(read(shared, caller, move |worker, _| worker.library.revision_content(id, RevisionNo(number))).await)
}

#[derive(Debug, Deserialize)]
struct Compare {
    from: u32,
    to: u32,
}

async fn compare(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
    query: Result<Query<Compare>, QueryRejection>,
) -> Result<Response, Failure> {
    let (id, Query(range)) = (article_id(id)?, query?);
    Ok(read(shared, caller, move |worker, _| worker.library.compare(id, RevisionNo(range.from), RevisionNo(range.to))).await)
}

async fn create(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    body: Result<Json<NewArticle>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(request) = body?;
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&request), move |worker, user| {
        let article = worker.library.create(user, request.content)?;
        let event = Event::about("created", &article, user, at);
        Ok((article, vec![event]))
    })
    .await)
}

async fn save(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<Save>, JsonRejection>,
) -> Result<Response, Failure> {
    let (id, Json(request)) = (article_id(id)?, body?);
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&(id, &request)), move |worker, user| {
        let before = worker.library.article(id)?.head;
        let article = match request.merged_from {
            Some(started_from) => worker.library.save_settled(user, id, request.base, started_from, request.content)?,
            None => worker.library.save(user, id, request.base, request.content)?,
        };
        let events = if article.head != before { vec![Event::about("saved", &article, user, at)] } else { Vec::new() };
        Ok((article, events))
    })
    .await)
}

async fn act(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(u64, String)>, PathRejection>,
    body: Result<Json<Change>, JsonRejection>,
) -> Result<Response, Failure> {
    let Path((id, action)) = path?;
    let id = article_id(Ok(Path(id)))?;
    type Act = fn(&mut Library, &User, ArticleId, Change) -> copydesk::Result<Article>;
    let act: Act = match action.as_str() {
        "submit" => Library::submit,
        "return" => Library::return_to_reporter,
        "publish" => Library::publish,
        "correct" => Library::correct,
        "kill" => Library::kill,
        _ => return Err(failure(ErrorCode::NotFound, format!("no action {action:?}: use submit, return, publish, correct or kill"))),
    };
    // An empty body is an action with no note.
    let change_request = match body {
        Ok(Json(change)) => change,
        Err(JsonRejection::MissingJsonContentType(_)) => Change::default(),
        Err(rejection) => return Err(rejection.into()),
    };
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&(id, &action, &change_request)), move |worker, user| {
        let article = act(&mut worker.library, user, id, change_request)?;
        let kind = match (action.as_str(), article.status) {
            ("submit", _) => "submitted",
            ("return", _) => "returned",
            ("publish", Status::Scheduled) => "scheduled",
            ("publish", _) => "published",
            ("correct", _) => "corrected",
            _ => "killed",
        };
        let mut event = Event::about(kind, &article, user, at);
        if event.note.is_none() {
            event.note = worker.library.revisions(id)?.last().and_then(|revision| revision.note.clone());
        }
        Ok((article, vec![event]))
    })
    .await)
}

async fn restore(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<Restore>, JsonRejection>,
) -> Result<Response, Failure> {
    let (id, Json(request)) = (article_id(id)?, body?);
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&(id, &request)), move |worker, user| {
        let article = worker.library.restore(user, id, request.revision, request.base)?;
        let event = Event::about("restored", &article, user, at);
        Ok((article, vec![event]))
    })
    .await)
}

async fn recovered(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, user| worker.library.recovered(user, id)).await)
}

async fn autosave(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<Save>, JsonRejection>,
) -> Result<Response, Failure> {
    let (id, Json(request)) = (article_id(id)?, body?);
    // Each autosave replaces the last one: repeating it is harmless, so it needs no key.
    Ok(read(shared, caller, move |worker, user| worker.library.autosave(user, id, request.base, request.content)).await)
}

async fn discard_recovered(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    Ok(read(shared, caller, move |worker, user| worker.library.discard_recovered(user, id)).await)
}

async fn open_article(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<Open>, JsonRejection>,
) -> Result<Response, Failure> {
    let (id, Json(request)) = (article_id(id)?, body?);
    let at = now(&shared);
    let until = at + jiff::SignedDuration::try_from(shared.config.presence_ttl).unwrap_or(jiff::SignedDuration::from_secs(45));
    Ok(read(shared, caller, move |worker, user| {
        worker.library.article(id)?;
        if worker.accounts.set_presence(id, user.id, request.editing, until)? {
            announce(worker, &[Event::presence(id, user, Some(request.editing), at)]);
        }
        Ok(serde_json::json!({ "until": until }))
    })
    .await)
}

async fn close_article(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Response, Failure> {
    let id = article_id(id)?;
    let at = now(&shared);
    Ok(read(shared, caller, move |worker, user| {
        if worker.accounts.clear_presence(id, user.id)? {
            announce(worker, &[Event::presence(id, user, None, at)]);
        }
        Ok(())
    })
    .await)
}

async fn presence(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    let at = now(&shared);
    read(shared, caller, move |worker, _| worker.accounts.presence(at)).await
}

async fn import(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    body: Result<Json<Import>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(request) = body?;
    let at = now(&shared);
    Ok(change(shared, caller, fingerprint(&request), move |worker, user| {
        let batch = request
            .articles
            .into_iter()
            .map(|item| ImportedArticle {
                source: item.source.into(),
                content: item.content,
                status: item.status,
                first_published: item.first_published,
                last_modified: item.last_modified,
                corrections: item.corrections,
                images: Vec::new(),
            })
            .collect();
        let articles = worker.library.import_batch(user, batch)?;
        let events = articles.iter().map(|article| Event::about("imported", article, user, at)).collect();
        Ok((articles, events))
    })
    .await)
}

async fn add_image(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, Failure> {
    let bytes = bytes.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            failure(ErrorCode::TooLarge, "the photo is larger than this server takes")
        } else {
            failure(ErrorCode::Invalid, rejection.body_text())
        }
    })?;
    // Storing the same photo twice stores it once: no key needed.
    Ok(read(shared, caller, move |worker, _| {
        let image = worker.library.add_image(bytes.to_vec())?;
        Ok(StoredImage { image: image.image, media_type: image.media_type, width: image.width, height: image.height })
    })
    .await)
}

/// Anyone signed in may see any photo (the session was checked on the way in).
async fn image(State(shared): Shared_, image: Result<Path<String>, PathRejection>) -> Result<Response, Failure> {
    let Path(image) = image?;
    let image = shared.pool.run(move |worker| worker.library.image(&ImageRef(image))).await?;
    let mut response = image.bytes.into_response();
    if let Ok(media_type) = HeaderValue::from_str(&image.media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, media_type);
    }
    // A photo's address is its content's hash: it never changes.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    Ok(response)
}

async fn release_due(State(shared): Shared_, Extension(caller): Extension<Caller>) -> Response {
    let at = now(&shared);
    change(shared, caller, fingerprint(&"release-due"), move |worker, user| {
        if user.role == Role::Reporter {
            return Err(Error::Forbidden(
                "only an editor or an admin releases embargoed articles by hand; they are released on time anyway".into(),
            ));
        }
        let released = worker.library.release_due()?;
        let events = released.iter().map(|article| crate::release::released_event(worker, article, at)).collect();
        Ok((released, events))
    })
    .await
}

async fn export(
    State(shared): Shared_,
    Extension(caller): Extension<Caller>,
    body: Result<Json<ExportRequest>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(request) = body?;
    Ok(read(shared, caller, move |worker, _| export_files(&worker.library, request)).await)
}

fn export_files(library: &Library, request: ExportRequest) -> copydesk::Result<Exported> {
    let io = |error: std::io::Error| Error::Storage(Box::new(error));
    let work = tempfile::Builder::new().prefix("copydesk-export-").tempdir().map_err(io)?;
    let template = if request.templates.is_empty() {
        None
    } else {
        let folder = work.path().join("template");
        std::fs::create_dir(&folder).map_err(io)?;
        for (name, text) in &request.templates {
            if !["article.html", "index.html", "style.css"].contains(&name.as_str()) {
                return Err(Error::invalid(
                    format!("the template file {name:?}"),
                    "a template folder holds article.html, index.html and style.css",
                ));
            }
            std::fs::write(folder.join(name), text).map_err(io)?;
        }
        Some(folder)
    };
    let out = work.path().join("out");
    let options = ExportOptions {
        format: request.format,
        preview: request.preview,
        self_contained: request.self_contained,
        template,
        index: request.index,
    };
    let report = copydesk::export::export(library, &request.ids, &out, &options, &mut |_, _| {})?;
    let relative = |path: &std::path::Path| path.strip_prefix(&out).unwrap_or(path).to_string_lossy().into_owned();
    let mut files = Vec::new();
    for path in report.articles.iter().flat_map(|article| article.files.iter()).chain(report.batch_files.iter()) {
        let bytes = std::fs::read(out.join(relative(path))).map_err(io)?;
        files.push(ExportedFile { path: relative(path), data: base64::engine::general_purpose::STANDARD.encode(bytes) });
    }
    Ok(Exported {
        articles: report
            .articles
            .iter()
            .map(|article| ExportedArticle {
                id: article.id,
                status: article.status,
                files: article.files.iter().map(|file| relative(file)).collect(),
            })
            .collect(),
        batch_files: report.batch_files.iter().map(|file| relative(file)).collect(),
        files,
    })
}
