//! `/openapi.json`: the API described in OpenAPI 3, written by hand in `openapi.yaml` beside
//! this file (the tests hold every route to it) and served as JSON.

use std::sync::OnceLock;

use axum::Json;
use axum::response::{IntoResponse, Response};

pub fn value() -> &'static serde_json::Value {
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_yaml_ng::from_str(include_str!("openapi.yaml")).unwrap_or_else(|error| serde_json::json!({ "error": error.to_string() }))
    })
}

pub async fn document() -> Response {
    Json(value()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_parses_as_openapi_3() {
        let document = super::value();
        assert_eq!(document["openapi"], "3.0.3", "{document}");
        assert!(document["paths"]["/api/articles/{id}"]["put"].is_object());
    }
}
