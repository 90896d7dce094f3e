//! Every failure a client sees is JSON `{code, message}` with a status that says whose move it
//! is: 401 sign in, 403 the rule refuses (and says which), 404, 409 a stale base (naming both
//! revisions, and for a save whose changes overlap the newest revision's, the merge with the
//! conflicting passages side by side), 413, 422 what was sent is wrong, 429 wait, 503 try again later. A 500 is a bug.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use copydesk::{Error, ErrorCode};
use copydesk_protocol::Failure as Body;

pub struct Failure(pub Error);

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure(error)
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotSignedIn | ErrorCode::NoActingUser => StatusCode::UNAUTHORIZED,
        ErrorCode::Refused | ErrorCode::Forbidden | ErrorCode::NotGranted => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Invalid | ErrorCode::Import | ErrorCode::Template | ErrorCode::NotExportable | ErrorCode::UnknownUser => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Storage | ErrorCode::Unavailable | ErrorCode::NoLibrary | ErrorCode::ReadOnly => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::NewerLibrary | ErrorCode::Migration | ErrorCode::Corrupt | ErrorCode::Io | ErrorCode::Internal => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let code = self.0.code();
        let status = status_of(code);
        if status.is_server_error() {
            tracing::warn!(code = %code, error = %self.0, "request failed");
        }
        (status, Json(body_of(&self.0))).into_response()
    }
}

/// The JSON a client gets for `error`, also what an idempotent request's retry gets again.
pub fn body_of(error: &Error) -> Body {
    let message = match error {
        // The database's own words may name hosts and tables; the log keeps them.
        Error::Storage(_) => "the newsroom's database could not be reached or refused the request; try again shortly".to_string(),
        other => other.to_string(),
    };
    Body::of(error, message)
}

pub fn failure(code: ErrorCode, message: impl Into<String>) -> Failure {
    Failure(Error::Remote { code, message: message.into() })
}

impl From<JsonRejection> for Failure {
    fn from(rejection: JsonRejection) -> Failure {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return failure(ErrorCode::TooLarge, "the request is larger than this server takes; send less at once");
        }
        failure(ErrorCode::Invalid, format!("the request body is not what this route takes: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for Failure {
    fn from(rejection: QueryRejection) -> Failure {
        failure(ErrorCode::Invalid, format!("the query string is not what this route takes: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for Failure {
    fn from(rejection: PathRejection) -> Failure {
        failure(ErrorCode::Invalid, format!("the address is not what this route takes: {}", rejection.body_text()))
    }
}

/// Gives a JSON body to the answers the framework makes on its own (a wrong method, a body over
/// the limit, a request that took too long), so clients always read the same shape.
pub async fn as_json(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json") || value.as_bytes().starts_with(b"text/event-stream"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::TooLarge, "the request is larger than this server takes; send less at once"),
        StatusCode::METHOD_NOT_ALLOWED => (ErrorCode::NotFound, "this route does not take that method; see /openapi.json"),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such route; see /openapi.json"),
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            (ErrorCode::Unavailable, "the request took too long and was stopped; try again shortly")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (ErrorCode::Invalid, "send the body as application/json"),
        _ if status.is_client_error() => (ErrorCode::Invalid, "the request was not understood"),
        _ => (ErrorCode::Internal, "the server failed on a bug; the request may not have been carried out"),
    };
    let body = Body { code, message: message.into(), article: None, base: None, current: None, merged: None };
    let mut json = Json(body).into_response();
    *json.status_mut() = status;
    json
}
