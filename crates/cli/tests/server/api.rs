//! The API through real HTTP: who may do what, and what bad requests get.

use serde_json::{Value, json};

use crate::common::{self, Server, call, sign_in};

/// Every route of the OpenAPI document, with its placeholders filled.
fn documented_routes(server: &str) -> Vec<(String, String, bool)> {
    let (status, document) = call("GET", &format!("{server}/openapi.json"), None, None);
    assert_eq!(status, 200);
    assert_eq!(document["openapi"], "3.0.3");
    let mut routes = Vec::new();
    for (path, methods) in document["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            let public = operation.get("security").is_some_and(|security| security.as_array().is_some_and(Vec::is_empty));
            let path = path.replace("{id}", "1").replace("{number}", "1").replace("{action}", "submit").replace("{image}", "0000");
            routes.push((method.to_uppercase(), path, public));
        }
    }
    routes
}

#[test]
fn every_route_refuses_a_missing_wrong_expired_revoked_or_disabled_session() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    // A second process on the same database whose sessions expire after a second unused.
    let hasty = Server::start(&library, &["--session-idle", "1"]);
    let expired = sign_in(&hasty.url, "lee@newspim.com");
    let revoked = sign_in(&server.url, "rang@newspim.com");
    assert_eq!(call("DELETE", &format!("{}/api/session", server.url), Some(&revoked), None).0, 204);
    let disabled = sign_in(&server.url, "lee@newspim.com");
    let admin = sign_in(&server.url, "admin@newspim.com");
    let (_, users) = call("GET", &format!("{}/api/users", server.url), Some(&admin), None);
    let lee = users.as_array().unwrap().iter().find(|user| user["email"] == "lee@newspim.com").unwrap()["id"].as_i64().unwrap();
    let (status, _) = call("PUT", &format!("{}/api/users/{lee}/disabled", server.url), Some(&admin), Some(json!({ "disabled": true })));
    assert_eq!(status, 200);
    std::thread::sleep(std::time::Duration::from_millis(2100));

    let routes = documented_routes(&server.url);
    assert!(routes.len() >= 35, "{routes:?}");
    let mut checked = 0;
    for (method, path, public) in &routes {
        if *public {
            continue;
        }
        let tokens = [None, Some("not-a-token"), Some(expired.as_str()), Some(revoked.as_str()), Some(disabled.as_str())];
        for token in tokens {
            for url in [&server.url, &hasty.url] {
                let (status, body) = call(method, &format!("{url}{path}"), token, Some(json!({})));
                assert_eq!(status, 401, "{method} {path} with {token:?}: {body}");
                assert_eq!(body["code"], "not_signed_in", "{method} {path}: {body}");
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
    // The signed-in admin gets through the same door.
    assert_eq!(call("GET", &format!("{}/api/session", server.url), Some(&admin), None).0, 200);
}

fn draft(server: &str, token: &str, headline: &str) -> Value {
    draft_by(server, token, headline, ("김기랑", "rang@newspim.com"))
}

fn draft_by(server: &str, token: &str, headline: &str, (name, email): (&str, &str)) -> Value {
    let (_, seed) = call("GET", &format!("{server}/api/newsroom"), Some(token), None);
    assert!(seed.is_object());
    let content = json!({ "headline": headline, "body": "본문입니다.", "section": ["경제", "경제일반"],
        "bylines": [{ "name": name, "title": "기자", "email": email }] });
    let (status, article) = call("POST", &format!("{server}/api/articles"), Some(token), Some(json!({ "content": content })));
    assert_eq!(status, 200, "{article}");
    article
}

#[test]
fn a_reporter_cannot_publish_edit_anothers_draft_add_people_or_change_settings() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let url = &server.url;
    let rang = sign_in(url, "rang@newspim.com");
    let lee = sign_in(url, "lee@newspim.com");
    let desk = sign_in(url, "desk@newspim.com");

    let article = draft(url, &rang, "중진공, 日 CMIC와 협약");
    let id = article["id"].as_i64().unwrap();
    let (status, submitted) = call("POST", &format!("{url}/api/articles/{id}/submit"), Some(&rang), Some(json!({})));
    assert_eq!(status, 200, "{submitted}");
    let (status, refused) = call("POST", &format!("{url}/api/articles/{id}/publish"), Some(&rang), Some(json!({})));
    assert_eq!((status, refused["code"].as_str()), (403, Some("refused")), "{refused}");
    assert!(refused["message"].as_str().unwrap().len() > 20, "the rule is named: {refused}");

    let other = draft_by(url, &lee, "이기자의 초고", ("이기자", "lee@newspim.com"));
    let other_id = other["id"].as_i64().unwrap();
    let mut content = other["content"].clone();
    content["headline"] = json!("가로챈 제목");
    let (status, refused) =
        call("PUT", &format!("{url}/api/articles/{other_id}"), Some(&rang), Some(json!({ "base": 1, "content": content })));
    assert_eq!(status, 403, "{refused}");
    let (_, unchanged) = call("GET", &format!("{url}/api/articles/{other_id}"), Some(&desk), None);
    assert_eq!(unchanged["content"]["headline"], "이기자의 초고");

    let (status, refused) = call(
        "POST",
        &format!("{url}/api/users"),
        Some(&rang),
        Some(json!({ "name": "침입자", "email": "x@newspim.com", "role": "admin", "password": "long enough password" })),
    );
    assert_eq!((status, refused["code"].as_str()), (403, Some("forbidden")), "{refused}");
    let (status, _) = call("PUT", &format!("{url}/api/newsroom"), Some(&rang), Some(json!({ "outlet": "가짜", "time_zone": "UTC" })));
    assert_eq!(status, 403);
    let (status, _) = call("GET", &format!("{url}/api/audit"), Some(&rang), None);
    assert_eq!(status, 403);

    // The editor may: publish, and it is the session's person who acted, whatever a body says.
    let (status, published) =
        call("POST", &format!("{url}/api/articles/{id}/publish"), Some(&desk), Some(json!({ "author": 1, "user": "admin@newspim.com" })));
    assert_eq!((status, published["status"].as_str()), (200, Some("published")), "{published}");
    let (_, revisions) = call("GET", &format!("{url}/api/articles/{id}/revisions"), Some(&desk), None);
    let (_, me) = call("GET", &format!("{url}/api/session"), Some(&desk), None);
    assert_eq!(revisions.as_array().unwrap().last().unwrap()["author"], me["id"], "{revisions}");
}

#[test]
fn oversized_and_malformed_requests_get_413_and_422_never_500() {
    let library = common::newsroom();
    let server = Server::start(&library, &["--max-request-mb", "1"]);
    let url = &server.url;
    let rang = sign_in(url, "rang@newspim.com");
    let article = draft(url, &rang, "제목");
    let id = article["id"].as_i64().unwrap();

    let huge = "가".repeat(600_000);
    let (status, body) =
        call("PUT", &format!("{url}/api/articles/{id}"), Some(&rang), Some(json!({ "base": 1, "content": { "headline": huge } })));
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "{body}");

    let malformed: [(&str, String, Value); 6] = [
        ("PUT", format!("/api/articles/{id}"), json!({ "base": "one" })),
        ("PUT", format!("/api/articles/{id}"), json!([1, 2, 3])),
        ("POST", "/api/articles".into(), json!({ "content": { "headline": 7 } })),
        ("POST", format!("/api/articles/{id}/restore"), json!({ "revision": -1 })),
        ("PUT", format!("/api/articles/{id}/presence"), json!({ "editing": "yes" })),
        ("POST", "/api/users".into(), json!({ "name": "x" })),
    ];
    for (method, path, body) in malformed {
        let (status, answer) = call(method, &format!("{url}{path}"), Some(&rang), Some(body.clone()));
        assert_eq!((status, answer["code"].as_str()), (422, Some("invalid")), "{method} {path} {body}: {answer}");
    }
    // Not JSON at all.
    let mut response = common::agent()
        .put(format!("{url}/api/articles/{id}"))
        .header("Authorization", &format!("Bearer {rang}"))
        .header("Content-Type", "application/json")
        .send("{\"base\": 1, \"content\": {".as_bytes())
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.body_mut().read_json().unwrap();
    assert_eq!(body["code"], "invalid");

    let (status, body) = call("GET", &format!("{url}/api/articles/99999"), Some(&rang), None);
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, body) = call("GET", &format!("{url}/api/articles/not-a-number"), Some(&rang), None);
    assert!(status == 422 || status == 404, "{status} {body}");
    assert!(body["code"].is_string(), "{body}");
    let (status, body) = call("GET", &format!("{url}/api/articles?status=nonsense"), Some(&rang), None);
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid")), "{body}");
    let (status, body) = call("GET", &format!("{url}/no/such/route"), None, None);
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")), "{body}");
}

#[test]
fn a_stale_base_is_a_409_naming_both_revisions() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let url = &server.url;
    let rang = sign_in(url, "rang@newspim.com");
    let article = draft(url, &rang, "첫 제목");
    let id = article["id"].as_i64().unwrap();
    let mut content = article["content"].clone();
    content["headline"] = json!("둘째 제목");
    assert_eq!(call("PUT", &format!("{url}/api/articles/{id}"), Some(&rang), Some(json!({ "base": 1, "content": content }))).0, 200);
    content["headline"] = json!("셋째 제목");
    let (status, conflict) = call("PUT", &format!("{url}/api/articles/{id}"), Some(&rang), Some(json!({ "base": 1, "content": content })));
    assert_eq!(status, 409, "{conflict}");
    assert_eq!((conflict["code"].as_str(), conflict["base"].as_u64(), conflict["current"].as_u64()), (Some("conflict"), Some(1), Some(2)));
}

#[test]
fn saves_of_different_paragraphs_from_one_base_merge_and_the_same_sentence_is_a_409_with_both_versions() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let url = &server.url;
    let (desk, lee) = (sign_in(url, "desk@newspim.com"), sign_in(url, "lee@newspim.com"));
    // 이기자's draft; the desk and the reporter both edit it from revision 2.
    let article = draft_by(url, &lee, "제목", ("이기자", "lee@newspim.com"));
    let id = article["id"].as_i64().unwrap();
    let mut base = article["content"].clone();
    base["body"] = json!("첫 문단.\n\n둘째 문단.\n\n셋째 문단.\n");
    let (status, saved) = call("PUT", &format!("{url}/api/articles/{id}"), Some(&lee), Some(json!({ "base": 1, "content": base })));
    assert_eq!(status, 200, "{saved}");
    let save = |token: &str, body: &str| {
        let mut content = base.clone();
        content["body"] = json!(body);
        call("PUT", &format!("{url}/api/articles/{id}"), Some(token), Some(json!({ "base": 2, "content": content })))
    };
    assert_eq!(save(&desk, "첫 문단을 데스크가 고쳤다.\n\n둘째 문단.\n\n셋째 문단.\n").0, 200);
    let (status, merged) = save(&lee, "첫 문단.\n\n둘째 문단.\n\n셋째 문단을 이기자가 고쳤다.\n");
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["content"]["body"], "첫 문단을 데스크가 고쳤다.\n\n둘째 문단.\n\n셋째 문단을 이기자가 고쳤다.\n");
    let (_, revisions) = call("GET", &format!("{url}/api/articles/{id}/revisions"), Some(&desk), None);
    let last = &revisions[3];
    assert_eq!((&last["number"], &last["author_name"], &last["merged_from"]), (&json!(4), &json!("이기자"), &json!(2)), "{revisions}");

    let (status, conflict) = save(&lee, "첫 문단을 이기자도 고쳤다.\n\n둘째 문단.\n\n셋째 문단.\n");
    assert_eq!(status, 409, "{conflict}");
    assert_eq!((conflict["code"].as_str(), conflict["base"].as_u64(), conflict["current"].as_u64()), (Some("conflict"), Some(2), Some(4)));
    let passages = conflict["merged"]["conflicts"].as_array().unwrap();
    assert_eq!(passages.len(), 1, "{conflict}");
    assert_eq!(passages[0]["field"], "body");
    assert_eq!(passages[0]["place"], json!({ "kind": "lines", "start": 0, "count": 1 }));
    assert_eq!(
        (&passages[0]["ours"], &passages[0]["theirs"]),
        (&json!("첫 문단을 이기자도 고쳤다.\n"), &json!("첫 문단을 데스크가 고쳤다.\n"))
    );
    let (_, stored) = call("GET", &format!("{url}/api/articles/{id}"), Some(&desk), None);
    assert_eq!(stored["head"], 4, "nothing saved");

    // 이기자 settles the passage on revision 4, naming the revision the refused save started
    // from: the new revision records it as its second parent.
    let mut settled = conflict["merged"]["content"].clone();
    settled["body"] = json!("첫 문단을 둘이 함께 고쳤다.\n\n둘째 문단.\n\n셋째 문단을 이기자가 고쳤다.\n");
    let (status, saved) =
        call("PUT", &format!("{url}/api/articles/{id}"), Some(&lee), Some(json!({ "base": 4, "merged_from": 2, "content": settled })));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["content"]["body"], settled["body"]);
    let (_, revisions) = call("GET", &format!("{url}/api/articles/{id}/revisions"), Some(&desk), None);
    let last = &revisions[4];
    assert_eq!((&last["number"], &last["author_name"], &last["merged_from"]), (&json!(5), &json!("이기자"), &json!(2)), "{revisions}");
}

#[test]
fn sign_ins_are_slowed_down_after_failures_and_everything_is_in_the_audit_log() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let url = &server.url;
    for _ in 0..5 {
        let (status, body) =
            call("POST", &format!("{url}/api/session"), None, Some(json!({ "email": "rang@newspim.com", "password": "wrong guess 1" })));
        assert_eq!((status, body["code"].as_str()), (401, Some("not_signed_in")), "{body}");
    }
    // Past the allowance even the right password waits.
    let (status, body) =
        call("POST", &format!("{url}/api/session"), None, Some(json!({ "email": "rang@newspim.com", "password": common::PASSWORD })));
    assert_eq!((status, body["code"].as_str()), (429, Some("too_many_attempts")), "{body}");
    // Another account from the same address is not held up by it.
    sign_in(url, "lee@newspim.com");

    let admin = sign_in(url, "admin@newspim.com");
    let (status, log) = call("GET", &format!("{url}/api/audit?limit=100"), Some(&admin), None);
    assert_eq!(status, 200);
    let actions: Vec<&str> = log.as_array().unwrap().iter().map(|entry| entry["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|action| **action == "sign_in_failed").count(), 5, "{actions:?}");
    assert!(actions.contains(&"signed_in") && actions.contains(&"user_added") && actions.contains(&"password_set"), "{actions:?}");
    let failed = log.as_array().unwrap().iter().find(|entry| entry["action"] == "sign_in_failed").unwrap();
    assert_eq!(failed["address"], "127.0.0.1");
    assert_eq!(failed["subject"], "rang@newspim.com");
}

#[test]
fn health_ready_and_the_openapi_document_answer_without_a_session() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    assert_eq!(call("GET", &format!("{}/health", server.url), None, None).0, 200);
    let mut ready = 0;
    for _ in 0..50 {
        ready = call("GET", &format!("{}/ready", server.url), None, None).0;
        if ready == 200 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(ready, 200);
    let routes = documented_routes(&server.url);
    assert!(routes.iter().any(|(method, path, _)| method == "GET" && path == "/api/events"));
}
