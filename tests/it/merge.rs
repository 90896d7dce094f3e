//! Editing the same article from two places: a save based on an older revision is merged three
//! ways into the newest; what does not overlap makes one revision with both parents, what
//! overlaps is a conflict that keeps both versions and saves nothing.

use crate::common;

use common::{Desk, story};
use copydesk::Error;
use copydesk::merge::{Choice, Merged, Place};
use copydesk::revision::{RevisionKind, RevisionNo};

const BODY: &str = "첫 문단이다.\n\n둘째 문단이다.\n\n셋째 문단이다.\n";

/// The merge a stale save was refused with.
fn refused_merge(error: Error) -> Box<Merged> {
    match error {
        Error::Conflict { merged: Some(merged), .. } => merged,
        other => panic!("expected a conflict carrying the merge, got {other:?}"),
    }
}

#[test]
fn saves_of_different_paragraphs_from_the_same_base_merge_into_one_revision_with_both_parents() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    let theirs =
        desk.library.save(&editor, draft.id, draft.head, story("제목", &BODY.replace("첫 문단이다", "첫 문단을 데스크가 고쳤다"))).unwrap();
    let merged = desk
        .library
        .save(&reporter, draft.id, draft.head, story("제목", &BODY.replace("셋째 문단이다", "셋째 문단을 기자가 고쳤다")))
        .unwrap();
    assert_eq!(merged.head, theirs.head.next());
    assert_eq!(merged.content.body, "첫 문단을 데스크가 고쳤다.\n\n둘째 문단이다.\n\n셋째 문단을 기자가 고쳤다.\n");
    let history = desk.library.revisions(draft.id).unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.number, last.kind, last.author, last.merged_from),
        (RevisionNo(3), RevisionKind::Saved, reporter.id, Some(draft.head))
    );
    assert_eq!(history[1].merged_from, None, "a save on the newest revision has one parent");
    assert_eq!(desk.library.revision_content(draft.id, theirs.head).unwrap().body, theirs.content.body, "history is untouched");
}

#[test]
fn non_overlapping_edits_in_headline_subheadlines_photos_tags_and_body_merge() {
    let mut desk = Desk::new();
    let seed = desk.import_seed();
    let editor = desk.editor.clone();
    let mut theirs = seed.content.clone();
    theirs.headline = "중진공-CMIC, 바이오 협력 맞손".into();
    theirs.photos[0].caption = "업무협약식 기념사진.".into();
    theirs.tags.retain(|tag| tag != "일본");
    theirs.body = theirs.body.replace("20여명이", "30여명이");
    desk.library.save(&editor, seed.id, seed.head, theirs).unwrap();

    let mut ours = seed.content.clone();
    ours.subheadlines[2] = "강석진 \"협업 모델 계속 발굴\"".into();
    ours.photos[1].credit = "중진공".into();
    ours.tags.push("임상시험".into());
    ours.body = ours.body.replace("맞손을 잡았다", "손을 잡았다");
    let merged = desk.library.save(&editor, seed.id, seed.head, ours).unwrap();

    let content = &merged.content;
    assert_eq!(content.headline, "중진공-CMIC, 바이오 협력 맞손");
    assert_eq!(content.subheadlines[2], "강석진 \"협업 모델 계속 발굴\"");
    assert_eq!((content.photos[0].caption.as_str(), content.photos[1].credit.as_str()), ("업무협약식 기념사진.", "중진공"));
    assert_eq!(content.tags, vec!["중진공", "CMIC", "바이오", "업무협약", "임상시험"]);
    assert!(content.body.contains("30여명이") && content.body.contains("손을 잡았다") && !content.body.contains("맞손을"));
    assert_eq!(merged.head, RevisionNo(3));
}

#[test]
fn the_same_sentence_changed_two_ways_is_a_conflict_with_both_versions_and_the_resolution_saves() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    let theirs = story("새 제목", &BODY.replace("둘째 문단이다", "둘째 문단을 데스크가 고쳤다"));
    let head = desk.library.save(&editor, draft.id, draft.head, theirs).unwrap().head;
    let ours = story("제목", &BODY.replace("둘째 문단이다", "둘째 문단을 기자가 고쳤다").replace("첫 문단이다", "첫 문단도 고쳤다"));
    let error = desk.library.save(&reporter, draft.id, draft.head, ours).unwrap_err();
    assert_eq!(error.code(), "conflict");
    let merged = refused_merge(error);
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    let conflict = &merged.conflicts[0];
    assert_eq!(conflict.field, "body");
    assert_eq!(conflict.place, Place::Lines { start: 2, count: 1 });
    assert_eq!(
        (conflict.base.as_str(), conflict.ours.as_str(), conflict.theirs.as_str()),
        ("둘째 문단이다.\n", "둘째 문단을 기자가 고쳤다.\n", "둘째 문단을 데스크가 고쳤다.\n")
    );
    assert_eq!(merged.content.headline, "새 제목", "what did not overlap is merged");
    assert_eq!(desk.library.article(draft.id).unwrap().head, head, "nothing was saved");

    // The reporter writes the passage anew and saves the resolution on the newest revision;
    // like a clean merge, it records the revision the reporter's text started from.
    let resolved = merged.resolve(&[Choice::Edited("둘째 문단을 함께 고쳤다.\n".into())]).unwrap();
    let saved = desk.library.save_settled(&reporter, draft.id, head, draft.head, resolved).unwrap();
    assert_eq!(saved.content.body, "첫 문단도 고쳤다.\n\n둘째 문단을 함께 고쳤다.\n\n셋째 문단이다.\n");
    assert_eq!(saved.content.headline, "새 제목");
    assert_eq!(saved.head, head.next());
    let last = desk.library.revisions(draft.id).unwrap().last().unwrap().clone();
    assert_eq!((last.number, last.author, last.merged_from), (saved.head, reporter.id, Some(draft.head)));
}

#[test]
fn a_settled_conflict_saved_after_yet_another_save_is_merged_into_it() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    let head = desk
        .library
        .save(&editor, draft.id, draft.head, story("제목", &BODY.replace("둘째 문단이다", "둘째 문단을 데스크가 고쳤다")))
        .unwrap()
        .head;
    let error = desk
        .library
        .save(&reporter, draft.id, draft.head, story("제목", &BODY.replace("둘째 문단이다", "둘째 문단을 기자가 고쳤다")))
        .unwrap_err();
    let resolved = refused_merge(error).resolve(&[Choice::Ours]).unwrap();
    // While the reporter chose, the editor changed another paragraph.
    let later = desk
        .library
        .save(
            &editor,
            draft.id,
            head,
            story("제목", &BODY.replace("둘째 문단이다", "둘째 문단을 데스크가 고쳤다").replace("셋째 문단이다", "셋째 문단도 데스크가")),
        )
        .unwrap();
    let saved = desk.library.save_settled(&reporter, draft.id, head, draft.head, resolved).unwrap();
    assert_eq!(saved.content.body, "첫 문단이다.\n\n둘째 문단을 기자가 고쳤다.\n\n셋째 문단도 데스크가.\n");
    assert_eq!(saved.head, later.head.next());
    assert_eq!(
        desk.library.revisions(draft.id).unwrap().last().unwrap().merged_from,
        Some(head),
        "merged from the revision the choices were made on"
    );
    // Settling on the newest revision with nothing older to record is a plain save.
    let plain = desk.library.save_settled(&reporter, draft.id, saved.head, saved.head, story("제목", "한 문단.\n")).unwrap();
    assert_eq!(desk.library.revisions(draft.id).unwrap().last().unwrap().merged_from, None);
    assert_eq!(plain.head, saved.head.next());
}

#[test]
fn deleting_a_paragraph_the_other_side_edited_is_a_conflict() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    desk.library.save(&editor, draft.id, draft.head, story("제목", &BODY.replace("둘째 문단이다.\n\n", ""))).unwrap();
    let error = desk
        .library
        .save(&reporter, draft.id, draft.head, story("제목", &BODY.replace("둘째 문단이다", "둘째 문단을 고쳤다")))
        .unwrap_err();
    let merged = refused_merge(error);
    let conflict = &merged.conflicts[0];
    assert!(conflict.ours.contains("둘째 문단을 고쳤다") && !conflict.theirs.contains("둘째"), "{conflict:?}");
    let theirs = merged.resolve(&[Choice::Theirs]).unwrap();
    assert_eq!(theirs.body, "첫 문단이다.\n\n셋째 문단이다.\n");
}

#[test]
fn a_photo_caption_changed_two_ways_is_a_conflict_on_that_photo() {
    let mut desk = Desk::new();
    let seed = desk.import_seed();
    let editor = desk.editor.clone();
    let file = seed.content.photos[0].file.clone();
    let mut theirs = seed.content.clone();
    theirs.photos[0].caption = "데스크가 고친 설명".into();
    theirs.photos[1].alt = "발언하는 부이사장".into();
    desk.library.save(&editor, seed.id, seed.head, theirs).unwrap();
    let mut ours = seed.content.clone();
    ours.photos[0].caption = "기자가 고친 설명".into();
    let merged = refused_merge(desk.library.save(&editor, seed.id, seed.head, ours).unwrap_err());
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].place, Place::Photo { file: file.clone(), part: "caption".into() });
    assert_eq!((merged.conflicts[0].ours.as_str(), merged.conflicts[0].theirs.as_str()), ("기자가 고친 설명", "데스크가 고친 설명"));
    assert_eq!(merged.content.photos[1].alt, "발언하는 부이사장");
    let resolved = merged.resolve(&[Choice::Theirs]).unwrap();
    assert_eq!(resolved.photos[0].caption, "데스크가 고친 설명");
}

#[test]
fn a_merged_save_still_follows_the_workflow() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let (reporter, other) = (desk.reporter.clone(), desk.other_reporter.clone());
    desk.library.save(&reporter, draft.id, draft.head, story("제목", &BODY.replace("첫 문단이다", "첫 문단을 고쳤다"))).unwrap();
    let error =
        desk.library.save(&other, draft.id, draft.head, story("제목", &BODY.replace("셋째 문단이다", "남의 기사를 고쳤다"))).unwrap_err();
    assert_eq!(error.code(), "refused", "{error}");
    assert_eq!(desk.library.article(draft.id).unwrap().head, RevisionNo(2));
}

#[test]
fn a_stale_save_already_in_the_newest_revision_makes_no_revision() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", BODY);
    let reporter = desk.reporter.clone();
    let edited = story("제목", &BODY.replace("첫 문단이다", "첫 문단을 고쳤다"));
    let saved = desk.library.save(&reporter, draft.id, draft.head, edited.clone()).unwrap();
    // The second window held the same edit.
    let again = desk.library.save(&reporter, draft.id, draft.head, edited).unwrap();
    assert_eq!(again.head, saved.head);
}
