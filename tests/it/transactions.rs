//! Every library operation is one transaction, reads included: a save and the cleanup of its
//! working copy, an admin's permission and the change it allows, a revision and its chain.

use std::time::{Duration, Instant};

use crate::common;

use common::{Desk, story};
use copydesk::Library;
use copydesk::clock::Clock;
use copydesk::revision::RevisionNo;
use copydesk::store::sqlite::SqliteStore;
use copydesk::store::{ManagedBy, Store};
use copydesk::user::{NewUser, Role};

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

#[test]
fn a_person_is_added_only_if_who_allowed_it_still_may() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("library.sqlite3");
    let mut store = SqliteStore::create(&path).unwrap();
    let person = |email: &str, role| NewUser { name: "기자".into(), title: String::new(), email: email.into(), role };
    let at = common::at("2025-02-20T09:00:00+09:00");
    // Two people set up a new library at once: both were told nobody is admin yet.
    let admin = store.add_user(&person("admin@newspim.com", Role::Admin), at, ManagedBy::NobodyYet).unwrap();
    let late = store.add_user(&person("late@newspim.com", Role::Admin), at, ManagedBy::NobodyYet).unwrap_err();
    assert_eq!(late.code(), "forbidden");
    let reporter = store.add_user(&person("rang@newspim.com", Role::Reporter), at, ManagedBy::Admin(admin.id)).unwrap();
    // A person who is not an admin (any more) cannot be the one who allowed it.
    let error = store.add_user(&person("x@newspim.com", Role::Admin), at, ManagedBy::Admin(reporter.id)).unwrap_err();
    assert_eq!(error.code(), "forbidden");
    assert_eq!(store.users().unwrap().len(), 2);
}

/// The body revision `n` of the raced article has.
fn body_for(n: u32) -> String {
    format!("{n}번째 저장. {}", "협약식을 열었다. ".repeat((n % 7) as usize * 20))
}

#[test]
fn a_revision_read_while_another_process_saves_is_the_revision_that_was_saved() {
    let mut desk = Desk::new();
    let draft = desk.draft("경합", &body_for(1));
    let location = desk.location.clone();
    let reporter = desk.reporter.clone();
    let deadline = Instant::now() + Duration::from_secs(3);
    let writer = std::thread::spawn(move || {
        let mut library = Library::open(&location, Clock::System).unwrap();
        let mut article = library.article(draft.id).unwrap();
        while Instant::now() < deadline {
            let next = article.head.next();
            article = library.save(&reporter, article.id, article.head, story("경합", &body_for(next.0))).unwrap();
        }
        article.head
    });
    let mut reads = 0;
    while Instant::now() < deadline {
        let head = desk.library.article(draft.id).unwrap().head;
        for number in [head.0, head.0.saturating_sub(1).max(1), 1] {
            let content = desk.library.revision_content(draft.id, RevisionNo(number)).unwrap();
            assert_eq!(content.body, body_for(number), "revision {number} read while saves went on");
            reads += 1;
        }
    }
    let last = writer.join().unwrap();
    assert!(last.0 > 10 && reads > 10, "{} saves and {reads} reads raced", last.0);
}
