//! Every library operation is one transaction, reads included: an admin's permission and the
//! change it allows, a revision and its chain.

use std::time::{Duration, Instant};

use crate::common;

use common::{Desk, story};
use copydesk::clock::Clock;
use copydesk::revision::RevisionNo;
use copydesk::store::ManagedBy;
use copydesk::user::{NewUser, Role};

#[test]
fn a_person_is_added_only_if_who_allowed_it_still_may() {
    let (_folder, mut store) = common::new_store();
    let person = |email: &str, role| NewUser { name: "기자".into(), title: String::new(), email: email.into(), role };
    let at = common::at("2025-02-20T09:00:00+09:00");
    // Two people set up a new library at once: both were told nobody is admin yet.
    let admin = store.add_user(&person("admin@newspim.com", Role::Admin), None, at, ManagedBy::NobodyYet).unwrap();
    let late = store.add_user(&person("late@newspim.com", Role::Admin), None, at, ManagedBy::NobodyYet).unwrap_err();
    assert_eq!(late.code(), "forbidden");
    let reporter = store.add_user(&person("rang@newspim.com", Role::Reporter), None, at, ManagedBy::Admin(admin.id)).unwrap();
    // A person who is not an admin (any more) cannot be the one who allowed it.
    let error = store.add_user(&person("x@newspim.com", Role::Admin), None, at, ManagedBy::Admin(reporter.id)).unwrap_err();
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
        let mut library = common::open(&location, Clock::System);
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

#[test]
fn of_many_saves_on_the_same_base_exactly_one_wins_and_nothing_is_overwritten() {
    let mut desk = Desk::new();
    let draft = desk.draft("경합", "원문");
    let editor = desk.editor.clone();
    let start = std::sync::Arc::new(std::sync::Barrier::new(20));
    let savers: Vec<_> = (0..20)
        .map(|n| {
            let (location, editor, start) = (desk.location.clone(), editor.clone(), start.clone());
            std::thread::spawn(move || {
                let mut library = common::open(&location, Clock::System);
                start.wait();
                library.save(&editor, draft.id, draft.head, story("경합", &format!("{n}번 데스크의 수정"))).map(|saved| (n, saved.head))
            })
        })
        .collect();
    let results: Vec<_> = savers.into_iter().map(|saver| saver.join().unwrap()).collect();
    let winners: Vec<_> = results.iter().filter_map(|result| result.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "exactly one save wins: {results:?}");
    for result in &results {
        if let Err(error) = result {
            assert_eq!(error.code(), "conflict", "{error}");
        }
    }
    let (winner, head) = winners[0];
    let stored = desk.library.article(draft.id).unwrap();
    assert_eq!((stored.head, stored.content.body.clone()), (*head, format!("{winner}번 데스크의 수정")));
    assert_eq!(desk.library.revision_content(draft.id, draft.head).unwrap().body, "원문");
}
