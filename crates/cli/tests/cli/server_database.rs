//! `--library postgres://…`: every command works directly on a newsroom's database, for admins
//! and automation on the server host. The database is a real, throwaway PostgreSQL server.

use std::process::Command;

use crate::common;

fn copydesk(library: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .env("COPYDESK_LIBRARY", library)
        .env("COPYDESK_NOW", "2025-02-20T09:00:00+09:00")
        .env_remove("COPYDESK_USER")
        .output()
        .unwrap()
}

fn ok(library: &str, args: &[&str]) -> String {
    let output = copydesk(library, args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_command_works_on_a_library_in_postgresql() {
    let url = throwaway_postgres::fresh_database();
    let refused = copydesk(&url, &["list"]);
    assert!(!refused.status.success(), "an empty database is no library until init");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("copydesk init"));

    let settings = ok(&url, &["init", "--outlet", "뉴스핌", "--time-zone", "Asia/Seoul"]);
    assert!(settings.contains("뉴스핌") && !settings.contains("password"), "{settings}");
    ok(&url, &["user", "add", "--name", "관리자", "--email", "admin@newspim.com", "--role", "admin"]);
    let as_admin = ["--user", "admin@newspim.com"];
    ok(
        &url,
        &[&as_admin[..], &["user", "add", "--name", "김기랑", "--title", "기자", "--email", "rang@newspim.com", "--role", "reporter"]]
            .concat(),
    );
    ok(
        &url,
        &[&as_admin[..], &["user", "add", "--name", "박데스크", "--title", "데스크", "--email", "desk@newspim.com", "--role", "editor"]]
            .concat(),
    );

    let id = ok(&url, &["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    let id = id.trim();
    assert!(ok(&url, &["list"]).contains("중진공-일본 CMIC"));
    assert!(ok(&url, &["search", "협약"]).contains("중진공-일본 CMIC"));
    assert!(ok(&url, &["show", id]).contains("[세종=뉴스핌]"));
    ok(&url, &["--user", "desk@newspim.com", "correct", id, "--note", "참석자 수 정정"]);
    assert!(ok(&url, &["history", id]).contains("corrected"));
    assert!(ok(&url, &["check"]).ends_with("ok\n"));

    let out = tempfile::tempdir().unwrap();
    ok(&url, &["export", id, "--out", out.path().to_str().unwrap()]);
    let page = std::fs::read_to_string(out.path().join(format!("{id}.html"))).unwrap();
    assert!(page.contains("참석자 수 정정"));

    let backup = copydesk(&url, &["backup", out.path().join("copy.sqlite3").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&backup.stderr).contains("database's own tools"));
}

#[test]
fn a_reporters_library_file_moves_to_the_newsroom_database_with_every_revision() {
    let cli = crate::commands::Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    for note in ["참석자 수 정정", "직함 정정"] {
        cli.ok(&["--user", "desk@newspim.com", "correct", "1", "--note", note]);
    }
    let file = cli.library.to_str().unwrap().to_string();
    let url = throwaway_postgres::fresh_database();
    let moved = ok(&file, &["copy-library", "--from", &file, "--to", &url]);
    assert!(moved.contains("copied 3 people, 1 article with 3 revisions, 2 photos and 0 unsaved working copies"), "{moved}");
    assert!(moved.contains("user passwd EMAIL --password-stdin"), "a server's people need passwords: {moved}");

    let json =
        |library: &str, args: &[&str]| -> serde_json::Value { serde_json::from_str(&ok(library, &[&["--json"], args].concat())).unwrap() };
    assert_eq!(json(&url, &["user", "list"]), json(&file, &["user", "list"]));
    assert_eq!(json(&url, &["history", "1"]), json(&file, &["history", "1"]));
    for revision in ["1", "2", "3"] {
        assert_eq!(
            json(&url, &["show", "1", "--revision", revision]),
            json(&file, &["show", "1", "--revision", revision]),
            "revision {revision}"
        );
    }

    let again = copydesk(&file, &["copy-library", "--from", &file, "--to", &url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a library"), "{}", String::from_utf8_lossy(&again.stderr));

    // And back to a file, past what a copy stopped earlier left under the working name.
    let folder = tempfile::tempdir().unwrap();
    let back = folder.path().join("back.sqlite3");
    std::fs::write(folder.path().join("back.sqlite3.copying"), "half a library").unwrap();
    let moved_back = ok(&file, &["copy-library", "--from", &url, "--to", back.to_str().unwrap()]);
    assert!(moved_back.contains("1 article with 3 revisions"), "{moved_back}");
    let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(names, ["back.sqlite3"], "only the finished library is left");
    let back = back.to_str().unwrap();
    assert_eq!(json(back, &["show", "1", "--revision", "2"]), json(&file, &["show", "1", "--revision", "2"]));
    let over = copydesk(&file, &["copy-library", "--from", &url, "--to", back]);
    assert!(String::from_utf8_lossy(&over.stderr).contains("already exists"), "{}", String::from_utf8_lossy(&over.stderr));
    assert_eq!(json(back, &["history", "1"]), json(&file, &["history", "1"]), "the refused copy left the file alone");
}

#[test]
fn a_database_with_gaps_in_its_ids_copies_to_a_file_keeping_every_id() {
    let url = throwaway_postgres::fresh_database();
    ok(&url, &["init", "--outlet", "뉴스핌", "--time-zone", "Asia/Seoul"]);
    ok(&url, &["user", "add", "--name", "관리자", "--email", "admin@newspim.com", "--role", "admin"]);
    let as_admin = ["--user", "admin@newspim.com"];
    let add = |email: &str| {
        copydesk(&url, &[&as_admin[..], &["user", "add", "--name", "박데스크", "--email", email, "--role", "editor"]].concat())
    };
    assert!(add("desk@newspim.com").status.success());
    // An email added twice is refused, and PostgreSQL has spent an id on it all the same.
    assert!(!add("desk@newspim.com").status.success());
    assert!(add("rang@newspim.com").status.success());
    ok(&url, &["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    // An import rolled back after taking its id leaves the same kind of gap.
    let mut database = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    database.execute("SELECT nextval(pg_get_serial_sequence('articles', 'id'))", &[]).unwrap();
    let second = ok(&url, &["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    assert_eq!(second.trim(), "3");

    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("archive.sqlite3");
    let file = file.to_str().unwrap();
    let moved = ok(&url, &["copy-library", "--from", &url, "--to", file]);
    assert!(moved.contains("copied 3 people, 2 articles") && !moved.contains("passwd"), "{moved}");
    let json =
        |library: &str, args: &[&str]| -> serde_json::Value { serde_json::from_str(&ok(library, &[&["--json"], args].concat())).unwrap() };
    let people = json(file, &["user", "list"]);
    assert_eq!(people, json(&url, &["user", "list"]));
    let ids: Vec<_> = people.as_array().unwrap().iter().map(|person| person["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 4]);
    for id in ["1", "3"] {
        assert_eq!(json(file, &["show", id]), json(&url, &["show", id]), "article {id}");
    }
    // The copy goes on from past the highest id, in either direction.
    assert_eq!(ok(file, &["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]).trim(), "4");
    let again = throwaway_postgres::fresh_database();
    ok(file, &["copy-library", "--from", file, "--to", &again]);
    assert_eq!(json(&again, &["user", "list"]), people);
    assert_eq!(ok(&again, &["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]).trim(), "5");
    let added =
        ok(&again, &[&as_admin[..], &["user", "add", "--name", "새 기자", "--email", "new@newspim.com", "--role", "reporter"]].concat());
    assert!(
        json(&again, &["user", "list"]).as_array().unwrap().iter().any(|person| person["id"] == 5 && person["email"] == "new@newspim.com"),
        "{added}"
    );
}
