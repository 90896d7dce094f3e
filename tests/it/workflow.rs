//! The desk's workflow, rule by rule, against a real library file.

use crate::common;

use common::{Desk, at, story};
use copydesk::workflow::{Action, NoteRule, Status};
use copydesk::{Change, Error};

fn refusal(error: Error) -> copydesk::workflow::Refusal {
    match error {
        Error::Refused(refusal) => refusal,
        other => panic!("expected a workflow refusal, got {other:?}"),
    }
}

#[test]
fn reporter_submits_their_own_draft() {
    let mut desk = Desk::new();
    let draft = desk.draft("협약 체결", "본문");
    let reporter = desk.reporter.clone();
    let submitted = desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    assert_eq!(submitted.status, Status::Submitted);
    assert_eq!(submitted.head.0, 2);
    let history = desk.library.revisions(draft.id).unwrap();
    assert_eq!(history.last().unwrap().author_name, "김기랑");
}

#[test]
fn submitting_needs_a_headline_a_byline_and_a_body() {
    let mut desk = Desk::new();
    let reporter = desk.reporter.clone();
    let draft = desk.library.create(&reporter, copydesk::article::Content::default()).unwrap();
    let refused = refusal(desk.library.submit(&reporter, draft.id, Change::default()).unwrap_err());
    assert_eq!(refused.status, Status::Draft);
    assert!(refused.to_string().contains("It still needs a headline, a byline, a body."), "{refused}");
}

#[test]
fn reporter_cannot_edit_a_submitted_story() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let reporter = desk.reporter.clone();
    let submitted = desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let error = desk.library.save(&reporter, draft.id, submitted.head, story("고친 제목", "본문")).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("it is submitted and you are reporter"), "{message}");
    assert!(message.contains("ask an editor to return it"), "{message}");
}

#[test]
fn reporter_cannot_publish() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let reporter = desk.reporter.clone();
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let refused = refusal(desk.library.publish(&reporter, draft.id, Change::default()).unwrap_err());
    assert_eq!((refused.action, refused.status), (Action::Publish, Status::Submitted));
    assert_eq!(refused.role, copydesk::user::Role::Reporter);
    assert!(refused.rule.contains("Only editors publish"));
}

#[test]
fn editor_returns_a_story_with_a_note() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let refused = refusal(desk.library.return_to_reporter(&editor, draft.id, Change::default()).unwrap_err());
    assert!(refused.rule.contains("needs a note"));
    let returned = desk.library.return_to_reporter(&editor, draft.id, Change::note("리드 문장을 줄여 주세요")).unwrap();
    assert_eq!(returned.status, Status::Draft);
    let last = desk.library.revisions(draft.id).unwrap().pop().unwrap();
    assert_eq!(last.note.as_deref(), Some("리드 문장을 줄여 주세요"));
    // Back in the reporter's hands, it can be edited again.
    desk.library.save(&reporter, draft.id, returned.head, story("제목", "짧은 리드")).unwrap();
}

#[test]
fn publishing_sets_first_published_and_last_modified() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    desk.set_now("2025-02-20T15:09:00+09:00");
    let published = desk.library.publish(&editor, draft.id, Change::default()).unwrap();
    assert_eq!(published.status, Status::Published);
    assert_eq!(published.first_published, Some(at("2025-02-20T15:09:00+09:00")));
    assert_eq!(published.last_modified, published.first_published);
    assert_eq!(published.published_revision, Some(published.head));
}

#[test]
fn publishing_before_embargo_schedules_and_release_uses_the_embargo() {
    let mut desk = Desk::new();
    let embargo = "2025-02-21T06:00:00+09:00";
    let content = copydesk::article::Content { embargo: Some(at(embargo)), ..story("엠바고 기사", "본문") };
    let reporter = desk.reporter.clone();
    let editor = desk.editor.clone();
    let draft = desk.library.create(&reporter, content).unwrap();
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let scheduled = desk.library.publish(&editor, draft.id, Change::default()).unwrap();
    assert_eq!(scheduled.status, Status::Scheduled);
    assert_eq!(scheduled.first_published, None);

    desk.set_now("2025-02-21T05:59:59+09:00");
    assert!(desk.library.release_due().unwrap().is_empty(), "nothing is released before the embargo");
    assert_eq!(desk.library.article(draft.id).unwrap().status, Status::Scheduled);

    // Released later than the embargo, 기사입력 is still the embargo instant.
    desk.set_now("2025-02-21T06:07:00+09:00");
    let released = desk.library.release_due().unwrap();
    assert_eq!(released.len(), 1);
    let article = desk.library.article(draft.id).unwrap();
    assert_eq!(article.status, Status::Published);
    assert_eq!(article.first_published, Some(at(embargo)));
    assert_eq!(article.last_modified, Some(at(embargo)));
    let last = desk.library.revisions(draft.id).unwrap().pop().unwrap();
    assert_eq!(last.kind, copydesk::revision::RevisionKind::Released);
    assert_eq!(last.author_name, "박데스크");
    assert!(desk.library.release_due().unwrap().is_empty(), "a release happens once");
}

#[test]
fn correction_needs_a_note_and_moves_only_last_modified() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let editor = desk.editor.clone();
    let refused = refusal(desk.library.correct(&editor, article.id, Change::default()).unwrap_err());
    assert!(refused.rule.contains("needs a note"));

    desk.set_now("2025-02-20T17:30:00+09:00");
    let mut fixed = article.content.clone();
    fixed.body = fixed.body.replace("20여명이", "30여명이");
    let change = Change { base: Some(article.head), content: Some(fixed), note: Some("참석자 수 정정".into()) };
    let corrected = desk.library.correct(&editor, article.id, change).unwrap();
    assert_eq!(corrected.first_published, Some(at("2025-02-20T15:09:00+09:00")));
    assert_eq!(corrected.last_modified, Some(at("2025-02-20T17:30:00+09:00")));
    assert_eq!(corrected.corrections.len(), 1);
    assert_eq!(corrected.corrections[0].note, "참석자 수 정정");
    assert_eq!(corrected.published_revision, Some(corrected.head));
    assert!(desk.library.published_content(&corrected).unwrap().body.contains("30여명이"));
}

#[test]
fn edits_to_a_published_article_wait_for_a_correction() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let editor = desk.editor.clone();
    let mut edited = article.content.clone();
    edited.headline = "아직 공개되지 않은 제목".into();
    let saved = desk.library.save(&editor, article.id, article.head, edited).unwrap();
    assert_eq!(saved.status, Status::Published);
    assert_eq!(saved.published_revision, Some(article.head));
    let readers_see = desk.library.published_content(&saved).unwrap();
    assert_eq!(readers_see.headline, article.content.headline);
    assert_eq!(saved.last_modified, article.last_modified);
}

#[test]
fn kill_keeps_the_article_and_ends_its_workflow() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let (editor, reporter) = (desk.editor.clone(), desk.reporter.clone());
    let refused = refusal(desk.library.kill(&reporter, article.id, Change::default()).unwrap_err());
    assert!(refused.rule.contains("Only editors kill"));
    let killed = desk.library.kill(&editor, article.id, Change::note("오보")).unwrap();
    assert_eq!(killed.status, Status::Killed);
    assert_eq!(killed.content, article.content, "killing keeps every word");
    let refused = refusal(desk.library.correct(&editor, article.id, Change::note("다시")).unwrap_err());
    assert_eq!(refused.status, Status::Killed);
    assert!(desk.library.save(&editor, article.id, killed.head, story("x", "y")).is_err());
    assert_eq!(desk.library.revisions(article.id).unwrap().len(), 2);
}

#[test]
fn reporters_may_not_import_published_stories() {
    let mut desk = Desk::new();
    let newsroom = desk.library.newsroom().unwrap();
    let imported = copydesk::import::read_file(std::path::Path::new(common::SEED_ARTICLE), &newsroom).unwrap();
    let reporter = desk.reporter.clone();
    let refused = refusal(desk.library.import(&reporter, imported).unwrap_err());
    assert_eq!(refused.action, Action::Import);
    assert!(desk.library.list(&Default::default()).unwrap().is_empty(), "nothing was stored");
}

#[test]
fn only_an_admin_adds_people_once_there_is_one() {
    let mut desk = Desk::new();
    let editor = desk.editor.clone();
    let new = copydesk::user::NewUser {
        name: "신입".into(),
        title: "기자".into(),
        email: "new@newspim.com".into(),
        role: copydesk::user::Role::Reporter,
    };
    let error = desk.library.add_user(Some(&editor), new.clone()).unwrap_err();
    assert_eq!(error.code(), "forbidden");
    assert_eq!(error.to_string(), "only an admin manages people and settings of this library; act as an admin");
    let admin = desk.admin.clone();
    desk.library.add_user(Some(&admin), new.clone()).unwrap();
    let duplicate = desk.library.add_user(Some(&admin), new).unwrap_err();
    assert!(duplicate.to_string().contains("another user already has it"));
}

#[test]
fn available_actions_follow_role_and_state() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let reporter = desk.reporter.clone();
    let actions = desk.library.available_actions(&reporter, &draft, &draft.content);
    let allowed: Vec<Action> = actions.iter().filter(|state| state.allowed).map(|state| state.action).collect();
    assert_eq!(allowed, vec![Action::Edit, Action::Submit]);
    let publish = actions.iter().find(|state| state.action == Action::Publish).unwrap();
    assert_eq!(publish.refusal.as_ref().map(|refusal| refusal.code), Some(copydesk::workflow::RefusalCode::NotAllowed));
    assert!(publish.reason.as_deref().is_some_and(|reason| reason.contains("Only editors publish")));
}

/// The app shows 예약 or 출고 and asks for a note from what the core says, for the text being
/// edited and by the library's clock at the time of asking, not a clock the app kept.
#[test]
fn available_actions_say_which_take_a_note_and_whether_publishing_schedules_now() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "본문");
    let reporter = desk.reporter.clone();
    let submitted = desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let editor = desk.editor.clone();
    let mut typed = submitted.content.clone();
    typed.embargo = Some(at("2025-02-20T18:00:00+09:00"));
    let state = |desk: &Desk, content: &copydesk::article::Content, action: Action| {
        desk.library.available_actions(&editor, &submitted, content).into_iter().find(|state| state.action == action).unwrap()
    };
    desk.set_now("2025-02-20T17:00:00+09:00");
    assert!(state(&desk, &typed, Action::Publish).schedules, "an embargo ahead schedules");
    assert!(!state(&desk, &submitted.content, Action::Publish).schedules, "the stored text has no embargo");
    desk.set_now("2025-02-20T18:30:00+09:00");
    assert!(!state(&desk, &typed, Action::Publish).schedules, "asked after the embargo passed, it publishes");
    assert_eq!(state(&desk, &typed, Action::Return).note, NoteRule::Required);
    assert_eq!(state(&desk, &typed, Action::Kill).note, NoteRule::Optional);
    assert_eq!(state(&desk, &typed, Action::Publish).note, NoteRule::None);
    let refused = desk.library.return_to_reporter(&editor, draft.id, Change::default()).unwrap_err();
    assert_eq!(refusal(refused).code, copydesk::workflow::RefusalCode::NoteMissing);
}

#[test]
fn a_reporter_cannot_take_over_a_draft_by_adding_their_byline() {
    let mut desk = Desk::new();
    let draft = desk.draft("남의 기사", "본문");
    let other = desk.other_reporter.clone();
    let mut claimed = story("가로챈 기사", "본문을 바꿨다");
    claimed.bylines.push(copydesk::article::Byline { name: other.name.clone(), title: "기자".into(), email: other.email.clone() });
    let refused = refusal(desk.library.save(&other, draft.id, draft.head, claimed).unwrap_err());
    assert!(refused.rule.contains("Reporters edit their own drafts only"), "{}", refused.rule);
    assert_eq!(desk.library.article(draft.id).unwrap().content.headline, "남의 기사");
}
