//! Two server processes on one database: races, events across processes, embargoes released
//! once, and a server killed in the middle of saves.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, Server, call, sign_in};

fn new_draft(url: &str, token: &str, headline: &str) -> Value {
    let content = json!({ "headline": headline, "body": "첫 문단.", "section": ["경제", "경제일반"],
        "bylines": [{ "name": "박데스크", "title": "데스크", "email": "desk@newspim.com" }] });
    let (status, article) = call("POST", &format!("{url}/api/articles"), Some(token), Some(json!({ "content": content })));
    assert_eq!(status, 200, "{article}");
    article
}

#[test]
fn fifty_saves_on_the_same_base_through_two_processes_make_one_revision_and_49_conflicts() {
    let library = common::newsroom();
    let (one, two) = (Server::start(&library, &[]), Server::start(&library, &[]));
    let token = sign_in(&one.url, "desk@newspim.com");
    let article = new_draft(&one.url, &token, "경쟁");
    let id = article["id"].as_i64().unwrap();
    let handles: Vec<_> = (0..50)
        .map(|client| {
            let url = if client % 2 == 0 { one.url.clone() } else { two.url.clone() };
            let (token, mut content) = (token.clone(), article["content"].clone());
            std::thread::spawn(move || {
                content["body"] = json!(format!("{client}번 클라이언트의 문단."));
                call("PUT", &format!("{url}/api/articles/{id}"), Some(&token), Some(json!({ "base": 1, "content": content })))
            })
        })
        .collect();
    let answers: Vec<(u16, Value)> = handles.into_iter().map(|handle| handle.join().unwrap()).collect();
    let won: Vec<_> = answers.iter().filter(|(status, _)| *status == 200).collect();
    let lost = answers.iter().filter(|(status, body)| *status == 409 && body["current"] == 2).count();
    assert_eq!((won.len(), lost), (1, 49), "{answers:?}");
    let (_, stored) = call("GET", &format!("{}/api/articles/{id}", two.url), Some(&token), None);
    assert_eq!(stored["head"], 2);
    assert_eq!(stored["content"]["body"], won[0].1["content"]["body"], "the winner's text, nothing overwritten");
}

/// Reads a server's event stream on a thread: each event's kind and JSON, as they arrive.
fn events(url: &str, token: &str) -> mpsc::Receiver<(String, Value)> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let response = agent.get(format!("{url}/api/events")).header("Authorization", &format!("Bearer {token}")).call().unwrap();
    assert_eq!(response.status(), 200);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kind = String::new();
        for line in BufReader::new(response.into_body().into_reader()).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ") {
                kind = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && sender.send((kind.clone(), serde_json::from_str(data).unwrap_or(Value::Null))).is_err()
            {
                break;
            }
        }
    });
    receiver
}

fn next_of(events: &mpsc::Receiver<(String, Value)>, kind: &str, deadline: Duration) -> Value {
    let until = Instant::now() + deadline;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok((got, event)) if got == kind => return event,
            Ok(_) => continue,
            Err(_) => panic!("no {kind} event within {deadline:?}"),
        }
    }
}

#[test]
fn what_one_process_does_reaches_the_clients_of_the_other() {
    let library = common::newsroom();
    let (one, two) = (Server::start(&library, &[]), Server::start(&library, &[]));
    let reporter = sign_in(&one.url, "rang@newspim.com");
    let editor = sign_in(&two.url, "desk@newspim.com");
    let at_the_desk = events(&two.url, &editor);
    // Longer than the listener's wait, so events must also arrive after a quiet spell.
    std::thread::sleep(Duration::from_millis(2500));

    let content = json!({ "headline": "송고할 기사", "body": "본문.", "bylines": [{ "name": "김기랑", "title": "기자", "email": "rang@newspim.com" }] });
    let (_, article) = call("POST", &format!("{}/api/articles", one.url), Some(&reporter), Some(json!({ "content": content })));
    let id = article["id"].as_i64().unwrap();
    let created = next_of(&at_the_desk, "created", Duration::from_secs(5));
    assert_eq!((created["article"].as_i64(), created["by_name"].as_str()), (Some(id), Some("김기랑")));

    let started = Instant::now();
    call("POST", &format!("{}/api/articles/{id}/submit", one.url), Some(&reporter), Some(json!({})));
    let submitted = next_of(&at_the_desk, "submitted", Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(submitted["status"], "submitted");

    let at_the_reporter = events(&one.url, &reporter);
    std::thread::sleep(Duration::from_millis(300));
    call("PUT", &format!("{}/api/articles/{id}/presence", two.url), Some(&editor), Some(json!({ "editing": true })));
    let presence = next_of(&at_the_reporter, "presence", Duration::from_secs(5));
    assert_eq!((presence["editing"].as_bool(), presence["by_name"].as_str()), (Some(true), Some("박데스크")));
    let (_, open) = call("GET", &format!("{}/api/presence", one.url), Some(&reporter), None);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");

    call("POST", &format!("{}/api/articles/{id}/return", two.url), Some(&editor), Some(json!({ "note": "출처를 밝혀 주세요" })));
    let returned = next_of(&at_the_reporter, "returned", Duration::from_secs(5));
    assert_eq!(returned["note"], "출처를 밝혀 주세요", "{returned}");
}

#[test]
fn an_embargo_due_while_two_processes_run_is_released_once() {
    let library = common::newsroom();
    let (one, two) = (Server::start(&library, &[]), Server::start(&library, &[]));
    let editor = sign_in(&one.url, "desk@newspim.com");
    let mut ids = Vec::new();
    for n in 0..5 {
        let article = new_draft(&one.url, &editor, &format!("엠바고 {n}"));
        let id = article["id"].as_i64().unwrap();
        let mut content = article["content"].clone();
        content["embargo"] = json!((jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3)).to_string());
        let (status, saved) =
            call("PUT", &format!("{}/api/articles/{id}", one.url), Some(&editor), Some(json!({ "base": 1, "content": content })));
        assert_eq!(status, 200, "{saved}");
        assert_eq!(call("POST", &format!("{}/api/articles/{id}/submit", two.url), Some(&editor), Some(json!({}))).0, 200);
        let (status, scheduled) = call("POST", &format!("{}/api/articles/{id}/publish", two.url), Some(&editor), Some(json!({})));
        assert_eq!((status, scheduled["status"].as_str()), (200, Some("scheduled")), "{scheduled}");
        ids.push(id);
    }
    std::thread::sleep(Duration::from_secs(6));
    for id in ids {
        let (_, article) = call("GET", &format!("{}/api/articles/{id}", two.url), Some(&editor), None);
        assert_eq!(article["status"], "published", "{article}");
        let (_, revisions) = call("GET", &format!("{}/api/articles/{id}/revisions", one.url), Some(&editor), None);
        let released = revisions.as_array().unwrap().iter().filter(|revision| revision["kind"] == "released").count();
        assert_eq!(released, 1, "{revisions}");
    }
}

/// Saves one after another, `rounds` times (or until 100 fail in a row); each save's revision
/// and number when it was acknowledged, and how many failed.
fn save_loop(
    url: String,
    token: String,
    id: i64,
    mut content: Value,
    rounds: usize,
) -> std::thread::JoinHandle<(Vec<(u64, usize)>, usize)> {
    std::thread::spawn(move || {
        let (mut base, mut acknowledged, mut failed, mut failing) = (1u64, Vec::new(), 0, 0);
        for n in 0..rounds {
            content["body"] = json!(format!("{n}번째 저장."));
            let asked = Instant::now();
            let (status, saved) =
                call("PUT", &format!("{url}/api/articles/{id}"), Some(&token), Some(json!({ "base": base, "content": content })));
            assert!(asked.elapsed() < Duration::from_secs(30), "a request hung");
            match status {
                200 => {
                    base = saved["head"].as_u64().unwrap();
                    acknowledged.push((base, n));
                    failing = 0;
                }
                // A save that may have landed before its answer was lost: go on from the newest.
                409 => base = saved["current"].as_u64().unwrap_or(base),
                _ => {
                    failed += 1;
                    failing += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            if failing > 100 {
                break;
            }
        }
        (acknowledged, failed)
    })
}

fn every_acknowledged_save_is_kept(url: &str, token: &str, id: i64, acknowledged: Vec<(u64, usize)>) {
    for (revision, n) in acknowledged {
        let (status, content) = call("GET", &format!("{url}/api/articles/{id}/revisions/{revision}"), Some(token), None);
        assert_eq!(status, 200);
        assert_eq!(content["body"], format!("{n}번째 저장."));
    }
}

#[test]
fn a_server_killed_in_the_middle_of_saves_loses_no_acknowledged_save_and_never_hangs() {
    let library = common::newsroom();
    let mut one = Server::start(&library, &[]);
    let two = Server::start(&library, &[]);
    let token = sign_in(&one.url, "desk@newspim.com");
    let article = new_draft(&one.url, &token, "저장 도중에");
    let id = article["id"].as_i64().unwrap();
    let saver = save_loop(one.url.clone(), token.clone(), id, article["content"].clone(), 400);
    std::thread::sleep(Duration::from_millis(700));
    one.kill();
    let (acknowledged, failed) = saver.join().unwrap();
    assert!(acknowledged.len() > 5 && failed > 0, "saves before the kill: {}, failures after: {failed}", acknowledged.len());
    // Every save the first process acknowledged is a revision, with its text, on the other.
    every_acknowledged_save_is_kept(&two.url, &token, id, acknowledged);
}

#[test]
fn a_postgresql_restart_in_the_middle_of_saves_loses_no_acknowledged_save_and_the_server_recovers() {
    let database = throwaway_postgres::Dedicated::start();
    let library = common::newsroom_on(database.fresh_database());
    let server = Server::start(&library, &[]);
    let token = sign_in(&server.url, "desk@newspim.com");
    let article = new_draft(&server.url, &token, "데이터베이스 재시작");
    let id = article["id"].as_i64().unwrap();
    let saver = save_loop(server.url.clone(), token.clone(), id, article["content"].clone(), 400);
    std::thread::sleep(Duration::from_millis(300));
    database.restart();
    let (acknowledged, failed) = saver.join().unwrap();
    let last = acknowledged.last().map(|(_, n)| *n).unwrap_or_default();
    assert!(last > 300 && failed > 0, "saves went on after the restart: the last acknowledged was {last}, {failed} failed");
    // The session outlived the restart: it is in the database, not the process.
    every_acknowledged_save_is_kept(&server.url, &token, id, acknowledged);
    assert_eq!(call("GET", &format!("{}/ready", server.url), None, None).0, 200);
}

/// Entries saves left in the search index's pending list, waiting to be merged into it.
fn pending_search_entries(client: &mut postgres::Client) -> i64 {
    client.query_one("SELECT pending_tuples::bigint FROM pgstatginindex('article_terms_candidates')", &[]).unwrap().get(0)
}

#[test]
fn a_server_merges_what_saves_leave_in_the_search_index_within_seconds() {
    // A save that finds the pending list full merges it itself, for seconds on a large
    // archive; the server's upkeep keeps the list short so that no save does.
    let library = common::newsroom();
    let mut database = postgres::Client::connect(&library, postgres::NoTls).unwrap();
    database.batch_execute("CREATE EXTENSION IF NOT EXISTS pgstattuple").unwrap();
    let token = {
        let server = Server::start(&library, &[]);
        let token = sign_in(&server.url, "rang@newspim.com");
        for number in 0..3 {
            new_draft(&server.url, &token, &format!("협약 체결 {number}"));
        }
        token
    };
    // With no server running, entries written now stay pending.
    database.batch_execute("UPDATE article_terms SET candidates = candidates || ' ''|upkeep'''").unwrap();
    let left = pending_search_entries(&mut database);
    assert!(left > 0, "the rewrite left entries to merge");

    let server = Server::start(&library, &[]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while pending_search_entries(&mut database) > 0 {
        assert!(Instant::now() < deadline, "{} entries still pending after 10 s", pending_search_entries(&mut database));
        std::thread::sleep(Duration::from_millis(100));
    }
    // The merged entries are in the index: a search through the server finds the articles.
    let (status, found) = call("GET", &format!("{}/api/search?q=%ED%98%91%EC%95%BD", server.url), Some(&token), None);
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total"], 3, "{found}");
}
