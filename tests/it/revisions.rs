//! Revisions: numbered, immutable, compact; stale saves refused; restore; diff; autosave.

use crate::common;

use common::{Desk, story};
use copydesk::Error;
use copydesk::revision::{RevisionKind, RevisionNo, SegmentChange};

#[test]
fn a_stale_save_that_overlaps_is_a_conflict_and_nothing_is_overwritten() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "첫 문단");
    let reporter = desk.reporter.clone();
    // Two windows open revision 1; the first saves, the second changed the same paragraph.
    let first = desk.library.save(&reporter, draft.id, draft.head, story("제목", "첫 창에서 고친 문단")).unwrap();
    let error = desk.library.save(&reporter, draft.id, draft.head, story("제목", "둘째 창에서 고친 문단")).unwrap_err();
    match &error {
        Error::Conflict { base, current, merged: Some(merged), .. } => {
            assert_eq!((base.0, current.0), (1, 2));
            assert_eq!(
                (merged.conflicts[0].ours.as_str(), merged.conflicts[0].theirs.as_str()),
                ("둘째 창에서 고친 문단", "첫 창에서 고친 문단")
            );
        }
        other => panic!("expected a conflict with the merge, got {other:?}"),
    }
    assert!(error.to_string().contains("based on revision 1, the library already has revision 2"), "{error}");
    assert!(error.to_string().contains("the body at line 1"), "{error}");
    let stored = desk.library.article(draft.id).unwrap();
    assert_eq!(stored.content.body, "첫 창에서 고친 문단");
    assert_eq!(stored.head, first.head);
}

#[test]
fn every_revision_reads_back_exactly_across_snapshot_boundaries() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "문단 0");
    let reporter = desk.reporter.clone();
    let mut head = draft.head;
    let mut bodies = vec!["문단 0".to_string()];
    for n in 1..75 {
        let body = format!("{}\n\n문단 {n}은 새로 쓴 문장이다.", bodies.last().unwrap());
        head = desk.library.save(&reporter, draft.id, head, story("제목", &body)).unwrap().head;
        bodies.push(body);
    }
    assert_eq!(head.0, 75);
    for (index, body) in bodies.iter().enumerate() {
        let content = desk.library.revision_content(draft.id, RevisionNo(index as u32 + 1)).unwrap();
        assert_eq!(&content.body, body, "revision {}", index + 1);
    }
    let missing = desk.library.revision_content(draft.id, RevisionNo(76)).unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[test]
fn a_one_sentence_edit_costs_less_than_a_kilobyte() {
    let mut desk = Desk::new();
    let seed = desk.import_seed();
    let editor = desk.editor.clone();
    let mut content = seed.content.clone();
    content.body = content.body.replace(
        "CMIC은 국내 기업에 대한 임상시험과 시장 진출, 규제 등 컨설팅을 지원한다.",
        "CMIC은 국내 기업을 위해 임상시험 설계와 일본 시장 진출, 인허가 규제 대응 컨설팅을 제공한다.",
    );
    let saved = desk.library.save(&editor, seed.id, seed.head, content).unwrap();
    let revisions = desk.library.revisions(seed.id).unwrap();
    let previous = &revisions[0];
    assert!(previous.stored_bytes < 1024, "the edited-over revision takes {} bytes", previous.stored_bytes);
    // Unchanged content, such as a workflow step, costs almost nothing.
    let killed = desk.library.kill(&editor, seed.id, Default::default()).unwrap();
    let revisions = desk.library.revisions(seed.id).unwrap();
    assert!(revisions[1].stored_bytes < 64, "{} bytes", revisions[1].stored_bytes);
    assert_eq!(killed.head.0, saved.head.0 + 1);
}

#[test]
fn restore_makes_a_new_revision_with_the_old_content() {
    let mut desk = Desk::new();
    let draft = desk.draft("원래 제목", "원래 본문");
    let reporter = desk.reporter.clone();
    let edited = desk.library.save(&reporter, draft.id, draft.head, story("바뀐 제목", "바뀐 본문")).unwrap();
    let restored = desk.library.restore(&reporter, draft.id, RevisionNo(1), Some(edited.head)).unwrap();
    assert_eq!(restored.head.0, 3);
    assert_eq!(restored.content.headline, "원래 제목");
    let history = desk.library.revisions(draft.id).unwrap();
    let kinds: Vec<RevisionKind> = history.iter().map(|revision| revision.kind).collect();
    assert_eq!(kinds, vec![RevisionKind::Created, RevisionKind::Saved, RevisionKind::Restored]);
    assert_eq!(history[2].note.as_deref(), Some("restored revision 1"));
    // History is never rewritten: revision 2 still reads as it was.
    assert_eq!(desk.library.revision_content(draft.id, RevisionNo(2)).unwrap().headline, "바뀐 제목");
}

#[test]
fn diff_names_fields_and_marks_words() {
    let mut desk = Desk::new();
    let draft = desk.draft("협약 체결", "중진공은 20일 협약을 체결했다.");
    let reporter = desk.reporter.clone();
    desk.library.save(&reporter, draft.id, draft.head, story("협약 체결", "중진공은 21일 협약을 맺었다.")).unwrap();
    let changes = desk.library.compare(draft.id, RevisionNo(1), RevisionNo(2)).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "body");
    let added: Vec<&str> = changes[0].segments.iter().filter(|s| s.change == SegmentChange::Added).map(|s| s.text.as_str()).collect();
    let removed: Vec<&str> = changes[0].segments.iter().filter(|s| s.change == SegmentChange::Removed).map(|s| s.text.as_str()).collect();
    assert_eq!(added, vec!["21일", "맺었다."]);
    assert_eq!(removed, vec!["20일", "체결했다."]);
}

#[test]
fn autosave_keeps_unsaved_text_until_an_explicit_save() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "저장한 본문");
    let reporter = desk.reporter.clone();
    desk.library.autosave(&reporter, draft.id, draft.head, story("제목", "저장 전에 친 문장")).unwrap();
    assert_eq!(desk.library.revisions(draft.id).unwrap().len(), 1, "autosave makes no revision");
    desk.reopen();
    let recovered = desk.library.recovered(&reporter, draft.id).unwrap().expect("the typing survives a restart");
    assert_eq!(recovered.content.body, "저장 전에 친 문장");
    assert_eq!(recovered.base, draft.head);
    desk.library.save(&reporter, draft.id, recovered.base, recovered.content).unwrap();
    assert!(desk.library.recovered(&reporter, draft.id).unwrap().is_none());
}

#[test]
fn saving_unchanged_content_makes_no_revision() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let reporter = desk.reporter.clone();
    let same = desk.library.save(&reporter, draft.id, draft.head, draft.content.clone()).unwrap();
    assert_eq!(same.head, draft.head);
}
