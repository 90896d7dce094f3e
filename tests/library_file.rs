//! The library file itself: created from nothing, migrated, refused when it is not ours or is
//! newer than this build, backed up while open, checked.

mod common;

use common::Desk;
use copydesk::Library;
use copydesk::clock::Clock;
use copydesk::store::sqlite::SqliteStore;

#[test]
fn an_empty_file_becomes_a_library() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("empty.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let library = Library::open(&path, Clock::System).unwrap();
    assert!(library.users().unwrap().is_empty());
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
    assert_eq!(version as usize, SqliteStore::schema_version());
    let mode: String = connection.pragma_query_value(None, "journal_mode", |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_missing_folder_is_created() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("deep/er/library.sqlite3");
    Library::open(&path, Clock::System).unwrap();
    assert!(path.exists());
}

#[test]
fn a_library_from_a_newer_build_is_refused_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("newer.sqlite3");
    Library::open(&path, Clock::System).unwrap();
    let newer = SqliteStore::schema_version() + 1;
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", newer as i64).unwrap();
    let error = Library::open(&path, Clock::System).err().expect("refused");
    assert_eq!(error.code(), "newer_library");
    assert!(error.to_string().contains("open it with a newer Copydesk"), "{error}");
}

#[test]
fn a_file_that_is_not_a_library_is_refused_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.txt");
    let text = "기사 메모: 이건 데이터베이스가 아니다. ".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let error = Library::open(&path, Clock::System).err().expect("refused");
    assert!(error.to_string().contains("not a Copydesk library"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn backup_is_a_complete_library_taken_while_open() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let copy = desk.folder.path().join("backup.sqlite3");
    desk.library.backup(&copy).unwrap();
    let restored = Library::open(&copy, Clock::System).unwrap();
    assert_eq!(restored.article(article.id).unwrap(), article);
    assert_eq!(restored.search("협약", &Default::default()).unwrap().total, 1);
    let again = desk.library.backup(&copy).unwrap_err();
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
    rusqlite::Connection::open(&desk.path)
        .unwrap()
        .execute("INSERT INTO search_index (search_index) VALUES ('delete-all')", [])
        .unwrap();
    assert_eq!(desk.library.search("협약", &Default::default()).unwrap().total, 0);
    assert!(desk.library.check(true).unwrap().is_ok());
    assert_eq!(desk.library.search("협약", &Default::default()).unwrap().total, 1);
}
