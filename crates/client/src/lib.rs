//! A newsroom server's API, blocking, for the `copydesk` command (and anything else in Rust).
//! Failures come back as the core's own [`copydesk::Error`]s, a stale base as
//! [`Error::Conflict`] with both revisions, so a caller handles a server like a local library.
//! Every request that changes something carries a fresh idempotency key and is retried with the
//! same key when the connection fails, so a save retried after a timeout is made once.

mod credentials;

use std::io::Read;
use std::time::Duration;

use base64::Engine;
use copydesk::article::{Article, ArticleId, ArticleSummary, Content, ImageRef};
use copydesk::newsroom::Newsroom;
use copydesk::revision::{FieldChange, Revision, RevisionNo};
use copydesk::search::{Filter, SearchResults};
use copydesk::store::{Autosave, Health};
use copydesk::user::{User, UserId};
use copydesk::{Change, Error, ErrorCode, Result};
use copydesk_protocol::{
    AddUser, AuditEntry, Event, ExportRequest, Exported, Import, ImportItem, NewArticle, Open, Presence, Restore, Save, SetDisabled,
    SetPassword, SignIn, SignedIn, StoredImage,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use credentials::Credentials;

/// How often a request that changes something is tried when the connection fails.
const ATTEMPTS: usize = 3;

pub struct Client {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

fn unavailable(message: String) -> Error {
    Error::Remote { code: ErrorCode::Unavailable, message }
}

impl Client {
    /// A client of the server at `base` (`https://desk.example.com`), signed in with `token` if given.
    pub fn new(base: &str, token: Option<String>) -> Result<Client> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::invalid(
                format!("the server address {base:?}"),
                "give it as https://HOST[:PORT] (or http:// on a trusted network)",
            ));
        }
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)));
        if let Some(file) = std::env::var_os("COPYDESK_CA_CERT") {
            config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(private_roots(std::path::Path::new(&file))?).build());
        }
        Ok(Client { base, token, agent: config.build().into() })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api{path}", self.base)
    }

    fn authorised<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    fn answer<T: DeserializeOwned>(&self, response: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<T> {
        let mut response = response.map_err(|error| self.unreachable(error))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|error| unavailable(format!("the answer of {} could not be read: {error}", self.base)))?;
        if status.is_success() {
            let text = if text.is_empty() { "null" } else { &text };
            return serde_json::from_str(text).map_err(|error| {
                Error::Corrupt(format!("the server at {} answered what this build does not understand ({error})", self.base))
            });
        }
        Err(match serde_json::from_str::<copydesk_protocol::Failure>(&text) {
            Ok(failure) => failure.into_error(),
            Err(_) => unavailable(format!("the server at {} answered {status} without saying why; is it a Copydesk server?", self.base)),
        })
    }

    fn unreachable(&self, error: ureq::Error) -> Error {
        unavailable(format!("cannot reach the newsroom server at {} ({error}); check the address and your network", self.base))
    }

    fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<T> {
        let mut request = self.authorised(self.agent.get(self.url(path)));
        for (key, value) in query {
            request = request.query(key, value);
        }
        self.answer(request.call())
    }

    /// Sends a change, once: retried with the same idempotency key while the connection fails.
    fn send<T: DeserializeOwned>(&self, method: &str, path: &str, body: &impl Serialize) -> Result<T> {
        let key = new_key()?;
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            let request = if method == "PUT" { self.agent.put(self.url(path)) } else { self.agent.post(self.url(path)) };
            let request = self.authorised(request).header("Idempotency-Key", &key);
            match request.send_json(body) {
                Err(error) if is_transient(&error) && attempt + 1 < ATTEMPTS => {
                    last = Some(error);
                    std::thread::sleep(Duration::from_millis(250 << attempt));
                }
                sent => return self.answer(sent),
            }
        }
        Err(self.unreachable(last.unwrap_or(ureq::Error::Timeout(ureq::Timeout::Global))))
    }

    fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.answer(self.authorised(self.agent.delete(self.url(path))).call())
    }

    // Sessions

    /// Signs in; the client keeps the token for its next requests.
    pub fn sign_in(&mut self, email: &str, password: &str) -> Result<SignedIn> {
        let signed_in: SignedIn = self.send("POST", "/session", &SignIn { email: email.into(), password: password.into() })?;
        self.token = Some(signed_in.token.clone());
        Ok(signed_in)
    }

    pub fn sign_out(&mut self) -> Result<()> {
        let _: Option<serde_json::Value> = self.delete("/session")?;
        self.token = None;
        Ok(())
    }

    pub fn me(&self) -> Result<User> {
        self.get("/session", &[])
    }

    // People and settings

    pub fn newsroom(&self) -> Result<Newsroom> {
        self.get("/newsroom", &[])
    }

    pub fn set_newsroom(&self, newsroom: &Newsroom) -> Result<Newsroom> {
        self.send("PUT", "/newsroom", newsroom)
    }

    pub fn users(&self) -> Result<Vec<User>> {
        self.get("/users", &[])
    }

    pub fn add_user(&self, user: &AddUser) -> Result<User> {
        self.send("POST", "/users", user)
    }

    pub fn set_password(&self, user: UserId, password: &str) -> Result<()> {
        let _: serde_json::Value = self.send("PUT", &format!("/users/{user}/password"), &SetPassword { password: password.into() })?;
        Ok(())
    }

    pub fn set_disabled(&self, user: UserId, disabled: bool) -> Result<()> {
        let _: serde_json::Value = self.send("PUT", &format!("/users/{user}/disabled"), &SetDisabled { disabled })?;
        Ok(())
    }

    pub fn audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        self.get("/audit", &[("limit", limit.to_string())])
    }

    pub fn check(&self) -> Result<Health> {
        self.get("/check", &[])
    }

    // Lists and search

    pub fn sections(&self) -> Result<Vec<String>> {
        self.get("/sections", &[])
    }

    pub fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>> {
        self.get("/articles", &filter_query(filter))
    }

    pub fn count(&self, filter: &Filter) -> Result<u64> {
        self.get("/articles/count", &filter_query(filter))
    }

    pub fn search(&self, query: &str, filter: &Filter) -> Result<SearchResults> {
        let mut params = filter_query(filter);
        params.push(("q", query.to_string()));
        self.get("/search", &params)
    }

    // Articles

    pub fn article(&self, id: ArticleId) -> Result<Article> {
        self.get(&format!("/articles/{id}"), &[])
    }

    pub fn published_content(&self, id: ArticleId) -> Result<Content> {
        self.get(&format!("/articles/{id}/published"), &[])
    }

    pub fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        self.get(&format!("/articles/{id}/revisions"), &[])
    }

    pub fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content> {
        self.get(&format!("/articles/{id}/revisions/{}", number.0), &[])
    }

    pub fn compare(&self, id: ArticleId, from: RevisionNo, to: RevisionNo) -> Result<Vec<FieldChange>> {
        self.get(&format!("/articles/{id}/compare"), &[("from", from.0.to_string()), ("to", to.0.to_string())])
    }

    pub fn create(&self, content: Content) -> Result<Article> {
        self.send("POST", "/articles", &NewArticle { content })
    }

    pub fn save(&self, id: ArticleId, base: RevisionNo, content: Content) -> Result<Article> {
        self.send("PUT", &format!("/articles/{id}"), &Save { base, content, merged_from: None })
    }

    /// Saves the text that settles a conflict on revision `base`, recording `started_from` (where
    /// the person's own text began) as its second parent (`Library::save_settled`).
    pub fn save_settled(&self, id: ArticleId, base: RevisionNo, started_from: RevisionNo, content: Content) -> Result<Article> {
        self.send("PUT", &format!("/articles/{id}"), &Save { base, content, merged_from: Some(started_from) })
    }

    /// A workflow step: `submit`, `return`, `publish`, `correct` or `kill`.
    pub fn act(&self, id: ArticleId, action: &str, change: &Change) -> Result<Article> {
        self.send("POST", &format!("/articles/{id}/{action}"), change)
    }

    pub fn restore(&self, id: ArticleId, revision: RevisionNo, base: Option<RevisionNo>) -> Result<Article> {
        self.send("POST", &format!("/articles/{id}/restore"), &Restore { revision, base })
    }

    pub fn release_due(&self) -> Result<Vec<Article>> {
        self.send("POST", "/release-due", &serde_json::Value::Null)
    }

    pub fn autosave(&self, id: ArticleId, base: RevisionNo, content: Content) -> Result<()> {
        self.send("PUT", &format!("/articles/{id}/autosave"), &Save { base, content, merged_from: None })
    }

    pub fn recovered(&self, id: ArticleId) -> Result<Option<Autosave>> {
        self.get(&format!("/articles/{id}/autosave"), &[])
    }

    /// Drops the signed-in person's unsaved text of article `id` on the server.
    pub fn discard_recovered(&self, id: ArticleId) -> Result<()> {
        let _: Option<serde_json::Value> = self.delete(&format!("/articles/{id}/autosave"))?;
        Ok(())
    }

    pub fn open(&self, id: ArticleId, editing: bool) -> Result<()> {
        let _: serde_json::Value = self.send("PUT", &format!("/articles/{id}/presence"), &Open { editing })?;
        Ok(())
    }

    pub fn close(&self, id: ArticleId) -> Result<()> {
        let _: Option<serde_json::Value> = self.delete(&format!("/articles/{id}/presence"))?;
        Ok(())
    }

    pub fn presence(&self) -> Result<Vec<Presence>> {
        self.get("/presence", &[])
    }

    /// The newsroom's events as they happen (`GET /api/events`), read as they arrive. The
    /// stream has no deadline of its own: it ends when the connection does (the server sends a
    /// keep-alive comment every 15 seconds).
    pub fn events(&self) -> Result<Events> {
        let request = self.authorised(self.agent.get(self.url("/events"))).header("Accept", "text/event-stream");
        let response = request.config().timeout_global(None).build().call().map_err(|error| self.unreachable(error))?;
        if !response.status().is_success() {
            // Always a failure: a successful answer here is the stream itself.
            return self
                .answer::<serde_json::Value>(Ok(response))
                .and_then(|_| Err(unavailable(format!("{} sent no event stream", self.base))));
        }
        Ok(Events { lines: Box::new(std::io::BufReader::new(response.into_body().into_reader())), base: self.base.clone() })
    }

    pub fn import(&self, articles: Vec<ImportItem>) -> Result<Vec<Article>> {
        self.send("POST", "/import", &Import { articles })
    }

    // Photos and export

    pub fn add_image(&self, bytes: &[u8]) -> Result<StoredImage> {
        let request = self.authorised(self.agent.post(self.url("/images"))).header("Content-Type", "application/octet-stream");
        self.answer(request.send(bytes))
    }

    pub fn image(&self, image: &ImageRef) -> Result<Vec<u8>> {
        let response = self.authorised(self.agent.get(self.url(&format!("/images/{}", image.0)))).call();
        let mut response = response.map_err(|error| self.unreachable(error))?;
        if !response.status().is_success() {
            return self.answer(Ok(response));
        }
        let mut bytes = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|error| unavailable(format!("the photo could not be read from {}: {error}", self.base)))?;
        Ok(bytes)
    }

    pub fn export(&self, request: &ExportRequest) -> Result<Exported> {
        // Exporting changes nothing: a plain retry is safe.
        self.send("POST", "/export", request)
    }
}

/// A server-sent event stream: each item is one event, `Err` when the connection broke.
pub struct Events {
    lines: Box<dyn std::io::BufRead + Send>,
    base: String,
}

impl Iterator for Events {
    type Item = Result<Event>;

    /// The next event; `None` when the server closed the stream. Comments (keep-alives) and
    /// events this build does not understand are passed over.
    fn next(&mut self) -> Option<Result<Event>> {
        use std::io::BufRead;
        let mut data = String::new();
        let mut name = String::new();
        loop {
            let mut line = String::new();
            match self.lines.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(error) => return Some(Err(unavailable(format!("the event stream of {} broke ({error})", self.base)))),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if data.is_empty() {
                    continue;
                }
                if name == "signed_out" {
                    let message = serde_json::from_str::<copydesk_protocol::Failure>(&data)
                        .map(|failure| failure.message)
                        .unwrap_or_else(|_| "the session ended; sign in again".to_string());
                    return Some(Err(Error::Remote { code: ErrorCode::NotSignedIn, message }));
                }
                match serde_json::from_str::<Event>(&data) {
                    Ok(event) => return Some(Ok(event)),
                    Err(_) => {
                        data.clear();
                        name.clear();
                    }
                }
            } else if let Some(value) = line.strip_prefix("event:") {
                name = value.trim().to_string();
            } else if let Some(value) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(value.strip_prefix(' ').unwrap_or(value));
            }
        }
    }
}

/// The bytes of an exported file.
pub fn decode(data: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|error| Error::Corrupt(format!("an exported file came back damaged ({error})")))
}

/// The certificates of a newsroom's own certificate authority (`COPYDESK_CA_CERT`, PEM), trusted
/// instead of the public ones.
fn private_roots(file: &std::path::Path) -> Result<ureq::tls::RootCerts> {
    let pem = std::fs::read(file).map_err(|error| Error::Io { path: file.to_path_buf(), source: error })?;
    let certificates: Vec<_> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(certificate),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return Err(Error::invalid(
            format!("COPYDESK_CA_CERT {}", file.display()),
            "it holds no PEM certificate; give the newsroom's CA certificate",
        ));
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&certificates))
}

fn filter_query(filter: &Filter) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    let mut text = |key: &'static str, value: &Option<String>| {
        if let Some(value) = value {
            query.push((key, value.clone()));
        }
    };
    text("section", &filter.section);
    text("byline", &filter.byline);
    text("tag", &filter.tag);
    if let Some(status) = filter.status {
        query.push(("status", status.as_str().to_string()));
    }
    let dates = [
        ("published_from", filter.published_from),
        ("published_to", filter.published_to),
        ("modified_from", filter.modified_from),
        ("modified_to", filter.modified_to),
    ];
    for (key, value) in dates {
        if let Some(value) = value {
            query.push((key, value.to_string()));
        }
    }
    if let Some(limit) = filter.limit {
        query.push(("limit", limit.to_string()));
    }
    if let Some(offset) = filter.offset {
        query.push(("offset", offset.to_string()));
    }
    query
}

fn is_transient(error: &ureq::Error) -> bool {
    matches!(error, ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed)
}

fn new_key() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| Error::Storage(format!("no randomness for a request key: {error}").into()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(stream: &str) -> Vec<Result<Event>> {
        let lines = Box::new(std::io::Cursor::new(stream.as_bytes().to_vec()));
        Events { lines, base: "http://127.0.0.1:7700".into() }.collect()
    }

    #[test]
    fn an_event_stream_gives_each_event_and_passes_over_keep_alives_and_strangers() {
        let stream = concat!(
            ": keep-alive\n\n",
            "event: submitted\ndata: {\"kind\":\"submitted\",\"at\":\"2025-02-20T06:09:00Z\",\"article\":7,\"by_name\":\"김기랑\"}\n\n",
            "event: future\ndata: {\"what\":1}\n\n",
            "event: returned\r\ndata: {\"kind\":\"returned\",\"at\":\"2025-02-20T06:10:00Z\",\"article\":7,\"note\":\"출처를 밝혀 주세요\"}\r\n\r\n",
        );
        let got: Vec<Event> = events(stream).into_iter().map(|event| event.unwrap()).collect();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].kind.as_str(), got[0].article, got[0].by_name.as_deref()), ("submitted", Some(ArticleId(7)), Some("김기랑")));
        assert_eq!((got[1].kind.as_str(), got[1].note.as_deref()), ("returned", Some("출처를 밝혀 주세요")));
    }

    #[test]
    fn a_session_the_server_ended_comes_back_as_not_signed_in() {
        let stream = "event: signed_out\ndata: {\"code\":\"not_signed_in\",\"message\":\"the session was revoked\"}\n\n";
        let got = events(stream);
        let Some(Err(error)) = got.first() else { panic!("expected a failure, got {}", got.len()) };
        assert_eq!(error.code(), ErrorCode::NotSignedIn);
        assert!(error.to_string().contains("revoked"), "{error}");
    }
}
