//! `copydesk --server URL …`: the command line as a client of a newsroom server, signed in as
//! one person, each user with their own HOME (where the sign-in is kept).

use std::os::unix::fs::PermissionsExt;

use serde_json::json;

use crate::common::{self, PASSWORD, Server, call};

struct Desk {
    home: tempfile::TempDir,
    server: String,
}

impl Desk {
    fn signed_in(server: &str, email: &str) -> Desk {
        let desk = Desk { home: tempfile::tempdir().unwrap(), server: server.to_string() };
        let said = desk.ok(&["login", "--email", email, "--password-stdin"], &format!("{PASSWORD}\n"));
        assert!(said.contains("signed in to"), "{said}");
        desk
    }

    fn env(&self) -> Vec<(&str, String)> {
        vec![
            ("HOME", self.home.path().display().to_string()),
            ("XDG_CONFIG_HOME", self.home.path().join(".config").display().to_string()),
            ("XDG_DATA_HOME", self.home.path().join(".local/share").display().to_string()),
            ("COPYDESK_SERVER", self.server.clone()),
        ]
    }

    fn run(&self, args: &[&str], stdin: &str, extra: &[(&str, &str)]) -> std::process::Output {
        let env = self.env();
        let mut all: Vec<(&str, &str)> = env.iter().map(|(key, value)| (*key, value.as_str())).collect();
        all.extend_from_slice(extra);
        common::copydesk(&all, args, stdin)
    }

    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let output = self.run(args, stdin, &[]);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn token(&self) -> String {
        let file = self.home.path().join(".config/copydesk/servers.json");
        let tokens: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        tokens.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string()
    }
}

#[test]
fn a_reporter_and_an_editor_work_through_the_server_from_the_command_line() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let rang = Desk::signed_in(&server.url, "rang@newspim.com");
    let desk = Desk::signed_in(&server.url, "desk@newspim.com");

    // The token is kept for this user alone.
    let kept = rang.home.path().join(".config/copydesk/servers.json");
    assert_eq!(std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(!std::fs::read_to_string(&kept).unwrap().contains(PASSWORD));

    let id = desk.ok(&["import", common::SEED_ARTICLE], "").trim().to_string();
    assert!(rang.ok(&["list"], "").contains("중진공-일본 CMIC"));
    assert!(rang.ok(&["search", "협약"], "").contains("중진공-일본 CMIC"));
    assert!(rang.ok(&["show", &id], "").contains("[세종=뉴스핌]"));
    let refused = rang.run(&["correct", &id, "--note", "기자의 정정"], "", &[]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("editor") || said.contains("데스크") || said.contains("refused"), "{said}");
    desk.ok(&["correct", &id, "--note", "참석자 수 정정"], "");
    assert!(rang.ok(&["history", &id], "").contains("corrected"));

    let out = tempfile::tempdir().unwrap();
    let exported = rang.ok(&["export", &id, "--out", out.path().to_str().unwrap()], "");
    assert!(exported.contains("exported 1 article"), "{exported}");
    let page = std::fs::read_to_string(out.path().join(format!("{id}.html"))).unwrap();
    assert!(page.contains("참석자 수 정정") && page.contains("중진공"), "the page the server rendered");
    let photos: Vec<_> = std::fs::read_dir(out.path()).unwrap().filter_map(|entry| entry.ok()).collect();
    assert!(photos.len() >= 2, "the page and its photo: {photos:?}");

    // Acting as someone else is not a thing on a server.
    let refused = rang.run(&["--user", "desk@newspim.com", "list"], "", &[]);
    assert!(!refused.status.success());

    // Signing out ends the session on the server, not only here.
    let token = rang.token();
    assert_eq!(call("GET", &format!("{}/api/session", server.url), Some(&token), None).0, 200);
    assert!(rang.ok(&["logout"], "").contains("signed out"));
    assert_eq!(call("GET", &format!("{}/api/session", server.url), Some(&token), None).0, 401);
    let refused = rang.run(&["list"], "", &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("login"), "{}", String::from_utf8_lossy(&refused.stderr));
}

#[test]
fn edit_through_the_server_saves_once_merges_what_does_not_overlap_and_keeps_the_text_when_it_does() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let rang = Desk::signed_in(&server.url, "desk@newspim.com");
    let lee = Desk::signed_in(&server.url, "admin@newspim.com");
    let id = rang.ok(&["import", common::SEED_ARTICLE], "").trim().to_string();

    let edited = rang.run(&["edit", &id], "", &[("VISUAL", "sed -i s/20여명이/30여명이/")]);
    assert!(edited.status.success(), "{}", String::from_utf8_lossy(&edited.stderr));
    assert!(rang.ok(&["show", &id], "").contains("30여명이"));

    // While the reporter is in the editor, someone saves first; `theirs` is the other
    // person's edit, `ours` the reporter's.
    let copydesk = env!("CARGO_BIN_EXE_copydesk");
    let lee_env: String = lee.env().iter().map(|(key, value)| format!("{key}='{value}' ")).collect();
    let slow_editor = |name: &str, theirs: &str, ours: &str| {
        let script = rang.home.path().join(name);
        std::fs::write(
            &script,
            format!("#!/bin/sh\n{lee_env} VISUAL='sed -i {theirs}' '{copydesk}' edit {id} >/dev/null || exit 9\nsed -i '{ours}' \"$1\"\n"),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    };
    // Different paragraphs: the server merges them into one revision.
    let script = slow_editor("different-paragraphs.sh", "s/맞손/협력/", "s/30여명이/40여명이/");
    let merged = rang.run(&["edit", &id], "", &[("VISUAL", script.to_str().unwrap())]);
    let said = String::from_utf8_lossy(&merged.stderr);
    assert!(merged.status.success() && said.contains("merged"), "{said}");
    let shown = rang.ok(&["show", &id], "");
    assert!(shown.contains("협력") && shown.contains("40여명이"), "both edits: {shown}");

    // The same sentence: refused as a conflict naming both revisions, both versions kept.
    let script = slow_editor("same-sentence.sh", "s/40여명이/45여명이/", "s/40여명이/50여명이/");
    let refused = rang.run(&["edit", &id], "", &[("VISUAL", script.to_str().unwrap())]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("revision 4") && said.contains("revision 5") && said.contains("the body at line"), "{said}");
    let kept = said.lines().find_map(|line| line.split("kept in ").nth(1)).expect("where the text is kept").trim();
    let kept = std::fs::read_to_string(kept).unwrap();
    assert!(kept.contains("<<<<<<< yours") && kept.contains("50여명이") && kept.contains("45여명이"), "{kept}");
    let shown = rang.ok(&["show", &id], "");
    assert!(shown.contains("45여명이") && !shown.contains("50여명이"), "nothing overwritten");
}

#[test]
fn a_save_retried_with_the_same_idempotency_key_makes_one_revision() {
    let library = common::newsroom();
    let server = Server::start(&library, &[]);
    let url = &server.url;
    let token = common::sign_in(url, "rang@newspim.com");
    let content =
        json!({ "headline": "제목", "body": "본문", "bylines": [{ "name": "김기랑", "title": "기자", "email": "rang@newspim.com" }] });
    let (_, article) = call("POST", &format!("{url}/api/articles"), Some(&token), Some(json!({ "content": content })));
    let id = article["id"].as_i64().unwrap();
    let mut content = article["content"].clone();
    content["headline"] = json!("고친 제목");
    let save = |key: &str, body: &serde_json::Value| {
        let mut response = common::agent()
            .put(format!("{url}/api/articles/{id}"))
            .header("Authorization", &format!("Bearer {token}"))
            .header("Idempotency-Key", key)
            .send_json(body)
            .unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_json::<serde_json::Value>().unwrap())
    };
    let body = json!({ "base": 1, "content": content });
    let first = save("retry-1", &body);
    let again = save("retry-1", &body);
    assert_eq!(first.0, 200);
    assert_eq!(first, again, "the retry gets the first answer");
    let (_, revisions) = call("GET", &format!("{url}/api/articles/{id}/revisions"), Some(&token), None);
    assert_eq!(revisions.as_array().unwrap().len(), 2, "one save, one new revision: {revisions}");
    // The same key for a different request is refused; a new key is a new request (here stale).
    content["headline"] = json!("또 고친 제목");
    let other = json!({ "base": 1, "content": content });
    assert_eq!(save("retry-1", &other).0, 422);
    assert_eq!(save("retry-2", &other).0, 409);
}

#[test]
fn the_server_speaks_https_with_the_certificate_it_is_given() {
    let library = common::newsroom();
    let folder = tempfile::tempdir().unwrap();
    // A newsroom's own certificate authority, and the server's certificate signed by it.
    let path = |name: &str| folder.path().join(name).display().to_string();
    let (ca, cert, key) = (path("ca.pem"), path("cert.pem"), path("key.pem"));
    std::fs::write(path("leaf.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    let steps: [Vec<String>; 3] = [
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Newsroom CA",
            "-keyout",
            &path("ca.key"),
            "-out",
            &ca,
        ]
        .map(String::from)
        .to_vec(),
        ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", &key, "-out", &path("cert.csr")]
            .map(String::from)
            .to_vec(),
        [
            "x509",
            "-req",
            "-in",
            &path("cert.csr"),
            "-CA",
            &ca,
            "-CAkey",
            &path("ca.key"),
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            &path("leaf.ext"),
            "-out",
            &cert,
        ]
        .map(String::from)
        .to_vec(),
    ];
    for step in steps {
        let made = std::process::Command::new("openssl").args(&step).output().unwrap();
        assert!(made.status.success(), "{step:?}: {}", String::from_utf8_lossy(&made.stderr));
    }
    let server = Server::start(&library, &["--tls-cert", &cert, "--tls-key", &key]);
    assert!(server.url.starts_with("https://"), "{}", server.url);

    // Trusting the newsroom's own certificate, the command line signs in and works.
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("HOME", home.path().to_str().unwrap()),
        ("XDG_CONFIG_HOME", &*home.path().join(".config").display().to_string()),
        ("COPYDESK_SERVER", server.url.as_str()),
        ("COPYDESK_CA_CERT", ca.as_str()),
    ]
    .map(|(key, value)| (key, value.to_string()));
    let env: Vec<(&str, &str)> = env.iter().map(|(key, value)| (*key, value.as_str())).collect();
    common::ok(&env, &["login", "--email", "rang@newspim.com", "--password-stdin"], &format!("{PASSWORD}\n"));
    common::ok(&env, &["list"], "");
    // Without it, the certificate is not trusted and nothing is sent.
    let untrusted: Vec<(&str, &str)> = env.iter().copied().filter(|(key, _)| *key != "COPYDESK_CA_CERT").collect();
    let refused = common::copydesk(&untrusted, &["list"], "");
    assert!(!refused.status.success());
    // Plain HTTP to the HTTPS port gets no answer a client could mistake for one.
    let (status, _) = call("GET", &format!("{}/health", server.url.replace("https://", "http://")), None, None);
    assert_ne!(status, 200);
}
