//! The embedded store's library file itself: created from nothing, migrated, refused when it is not ours or is
//! newer than this build, backed up while open, checked.

use crate::common;

use std::path::Path;

use common::{Desk, story};
use copydesk::Library;
use copydesk::clock::Clock;
use copydesk::search::Filter;
use copydesk::store::sqlite::{APPLICATION_ID, SqliteStore};
use copydesk::store::{Budget, Location};

fn file(path: &Path) -> Location {
    Location::File(path.to_path_buf())
}

fn pragma(path: &Path, name: &str) -> String {
    let connection = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    connection.pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0)).map(|value| format!("{value:?}")).unwrap()
}

#[test]
fn init_makes_a_library_in_wal_mode_marked_as_copydesk() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("empty.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let library = Library::init(&file(&path), Clock::System).unwrap();
    assert!(library.users().unwrap().is_empty());
    drop(library);
    assert_eq!(pragma(&path, "user_version"), format!("Integer({})", SqliteStore::schema_version()));
    assert_eq!(pragma(&path, "journal_mode"), "Text(\"wal\")");
    assert_eq!(pragma(&path, "application_id"), format!("Integer({APPLICATION_ID})"));
}

#[test]
fn init_creates_a_missing_folder() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("deep/er/library.sqlite3");
    Library::init(&file(&path), Clock::System).unwrap();
    assert!(path.exists());
}

#[test]
fn opening_makes_no_library_where_there_is_none() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("typo/library.sqlite3");
    let error = Library::open(&file(&missing), Clock::System).err().expect("refused");
    assert_eq!(error.code(), "no_library");
    assert!(!folder.path().join("typo").exists(), "nothing is created on the way");
    let empty = folder.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(Library::open(&file(&empty), Clock::System).err().expect("refused").code(), "no_library");
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    let existing = folder.path().join("existing.sqlite3");
    Library::init(&file(&existing), Clock::System).unwrap();
    assert_eq!(Library::init(&file(&existing), Clock::System).err().expect("refused").code(), "invalid");
}

/// A library file as an older or newer build, or another program, would have left it: in
/// rollback-journal mode, so switching it to WAL would show in its bytes.
fn rollback_mode_file(path: &Path, setup: &str) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.execute_batch(setup).unwrap();
    connection.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

#[test]
fn a_library_from_a_newer_build_is_refused_byte_for_byte_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("newer.sqlite3");
    Library::init(&file(&path), Clock::System).unwrap();
    let newer = SqliteStore::schema_version() + 1;
    rollback_mode_file(&path, &format!("PRAGMA user_version = {newer};"));
    let before = std::fs::read(&path).unwrap();
    let error = Library::open(&file(&path), Clock::System).err().expect("refused");
    assert_eq!(error.code(), "newer_library");
    assert!(error.to_string().contains("open it with a newer Copydesk"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the newer library is exactly as it was");
    assert!(!folder.path().join("newer.sqlite3-wal").exists());
}

#[test]
fn another_programs_database_is_refused_byte_for_byte_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("photos.db");
    rollback_mode_file(&path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('a.jpg');");
    let before = std::fs::read(&path).unwrap();
    let error = Library::open(&file(&path), Clock::System).err().expect("refused");
    assert!(error.to_string().contains("not a Copydesk library"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Nor is it taken for a newer Copydesk library because it keeps a schema version of its own.
    rollback_mode_file(&path, "PRAGMA user_version = 99;");
    let error = Library::open(&file(&path), Clock::System).err().expect("refused");
    assert!(error.to_string().contains("not a Copydesk library"), "{error}");
    // And a file with another program's application id is refused as well.
    rollback_mode_file(&path, "PRAGMA application_id = 1;");
    let before = std::fs::read(&path).unwrap();
    assert!(Library::open(&file(&path), Clock::System).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_library_is_refused_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.txt");
    let text = "기사 메모: 이건 데이터베이스가 아니다. ".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let error = Library::open(&file(&path), Clock::System).err().expect("refused");
    assert!(error.to_string().contains("not a Copydesk library"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_library_written_before_the_application_id_still_opens_and_gains_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("v4.sqlite3");
    Library::init(&file(&path), Clock::System).unwrap();
    // What a version 4 build left: no application id, no merged revisions (schema v6).
    rollback_mode_file(&path, "PRAGMA application_id = 0; PRAGMA user_version = 4; ALTER TABLE revisions DROP COLUMN merged_from;");
    Library::open(&file(&path), Clock::System).unwrap();
    assert_eq!(pragma(&path, "application_id"), format!("Integer({APPLICATION_ID})"));
}

#[test]
fn a_damaged_library_gets_a_report_instead_of_an_error() {
    let mut desk = Desk::new();
    for n in 0..30 {
        desk.draft(&format!("기사 {n}"), &"협약식을 열었다. ".repeat(200));
    }
    desk.library.settle().unwrap();
    let location = desk.location.clone();
    let path = desk.path.clone();
    drop(desk.library);
    // Overwrite the root page of the articles table with garbage, as a failing disk might.
    let root: u32 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'articles'", [], |row| row.get(0))
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for (at, byte) in bytes.iter_mut().enumerate().skip((root as usize - 1) * page).take(page) {
        *byte = (at * 7 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let mut library = Library::open(&location, Clock::System).unwrap();
    let health = library.check(false).expect("check reports what it found");
    assert!(!health.is_ok());
    assert!(health.problems.iter().any(|problem| problem.contains("damaged") || problem.contains("malformed")), "{health:?}");
}

#[test]
fn backup_is_a_complete_library_taken_while_open() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let copy = desk.folder.path().join("backup.sqlite3");
    let store = SqliteStore::open(&desk.path).unwrap();
    store.backup(&copy).unwrap();
    let restored = Library::open(&file(&copy), Clock::System).unwrap();
    assert_eq!(restored.article(article.id).unwrap(), article);
    assert_eq!(restored.search("협약", &Default::default()).unwrap().total, 1);
    let again = store.backup(&copy).unwrap_err();
    assert!(again.to_string().contains("already exists"));
}

#[test]
fn check_finds_a_healthy_library_and_repair_rebuilds_the_index() {
    let mut desk = Desk::new();
    desk.import_seed();
    let health = desk.library.check(false).unwrap();
    assert!(health.is_ok(), "{health:?}");
    assert_eq!((health.articles, health.revisions), (1, 1));
    // Empty the index behind the library's back, then repair it.
    rusqlite::Connection::open(&desk.path).unwrap().execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", []).unwrap();
    assert_eq!(desk.library.search("협약", &Default::default()).unwrap().total, 0);
    assert!(desk.library.check(true).unwrap().is_ok());
    assert_eq!(desk.library.search("협약", &Default::default()).unwrap().total, 1);
}

#[test]
fn a_version_1_library_is_brought_up_to_date() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("v1.sqlite3");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch(include_str!("../../src/store/sqlite/schema_v1.sql")).unwrap();
        connection.pragma_update(None, "user_version", 1).unwrap();
    }
    let library = Library::open(&file(&path), Clock::System).unwrap();
    assert!(library.users().unwrap().is_empty());
    drop(library);
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
    assert_eq!(version as usize, SqliteStore::schema_version());
    for index in ["search_index", "headline_index"] {
        let automerge: i64 =
            connection.query_row(&format!("SELECT v FROM {index}_config WHERE k = 'automerge'"), [], |row| row.get(0)).unwrap();
        assert_eq!(automerge, 0, "{index}: saves must not merge segments themselves");
    }
}

/// How many b-trees (segments) the full-text index is made of; each save adds one.
fn search_segments(desk: &Desk) -> i64 {
    let connection = rusqlite::Connection::open(&desk.path).unwrap();
    connection.query_row("SELECT count(DISTINCT segid) FROM search_index_idx", [], |row| row.get(0)).unwrap()
}

#[test]
fn tidying_merges_what_saves_left_behind_and_search_still_finds_the_newest_words() {
    let mut desk = Desk::new();
    let reporter = desk.reporter.clone();
    let mut article = desk.draft("협약식 개최", "첫 문장.");
    for n in 0..40 {
        let mut content = article.content.clone();
        content.body = format!("제{n}차 업무협약을 맺었다. 후속회의{n}도 열린다.");
        article = desk.library.save(&reporter, article.id, article.head, content).unwrap();
    }
    let before = search_segments(&desk);
    assert!(before > 8, "40 saves with nobody tidying leave many segments, found {before}");
    let mut steps = 0;
    while desk.library.maintain(Budget::Step).unwrap() {
        steps += 1;
        assert!(steps < 1000, "tidying must finish");
    }
    assert!(steps > 0, "there was merging to do");
    let after = search_segments(&desk);
    assert!(after < before && after <= 4, "tidied from {before} segments to {after}");
    assert!(!desk.library.maintain(Budget::Step).unwrap(), "a tidy library has nothing left to merge");

    let found = |desk: &Desk, query: &str| desk.library.search(query, &Filter::default()).unwrap().total;
    assert_eq!(found(&desk, "후속회의39"), 1);
    assert_eq!(found(&desk, "협약"), 1);
    assert_eq!(found(&desk, "후속회의38"), 0, "a word only an older revision had is gone from the index");
    let health = desk.library.check(false).unwrap();
    assert!(health.is_ok(), "{health:?}");

    // An idle app gives its page cache back; reading fills it again.
    assert!(!desk.library.maintain(Budget::Idle).unwrap());
    assert_eq!(found(&desk, "후속회의39"), 1);
}

#[test]
fn a_version_2_library_gains_the_status_facets_search_filters_use() {
    let mut desk = Desk::new();
    desk.import_seed();
    {
        // Back to what a version 2 build left: no status facets, no merged revisions (v6).
        let connection = rusqlite::Connection::open(&desk.path).unwrap();
        connection.execute("DELETE FROM article_facets WHERE kind = 'status'", []).unwrap();
        connection.execute("ALTER TABLE revisions DROP COLUMN merged_from", []).unwrap();
        connection.pragma_update(None, "user_version", 2).unwrap();
    }
    desk.reopen();
    let published = Filter { status: Some(copydesk::workflow::Status::Published), ..Filter::default() };
    assert_eq!(desk.library.search("협약", &published).unwrap().total, 1);
    assert_eq!(desk.library.search("협약", &Filter::default()).unwrap().total, 1);
}

/// A save and the end of its working copy are one transaction in the file.
#[test]
fn a_save_and_the_end_of_its_working_copy_commit_together_or_not_at_all() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "첫 문단");
    let reporter = desk.reporter.clone();
    desk.library.autosave(&reporter, draft.id, draft.head, story("제목", "고친 문단")).unwrap();
    // The working copy cannot be dropped (as when the disk fills between two statements).
    rusqlite::Connection::open(&desk.path)
        .unwrap()
        .execute_batch("CREATE TRIGGER keep_autosaves BEFORE DELETE ON autosaves BEGIN SELECT RAISE(ABORT, 'disk full'); END;")
        .unwrap();
    assert!(desk.library.save(&reporter, draft.id, draft.head, story("제목", "고친 문단")).is_err());
    let stored = desk.library.article(draft.id).unwrap();
    assert_eq!((stored.head, stored.content.body.as_str()), (draft.head, "첫 문단"), "a failed save leaves no revision behind");
    assert!(desk.library.recovered(&reporter, draft.id).unwrap().is_some(), "and the typed text is still safe");
}
