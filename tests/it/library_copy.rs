//! Moving a whole library into a new one keeps everything: settings, people with their ids,
//! every article in its final state, every revision byte for byte, photos, search.

use crate::common;

use common::{Desk, story};
use copydesk::Change;
use copydesk::clock::Clock;
use copydesk::revision::{self, RevisionNo};
use copydesk::search::Filter;

#[test]
fn a_copied_library_has_every_revision_of_every_article() {
    let mut desk = Desk::new();
    let seed = desk.import_seed();
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    // Two windows on the seed: the second save is merged, a revision with two parents.
    let mut retitled = seed.content.clone();
    retitled.headline = "중진공-CMIC, 바이오 협력 맞손".into();
    desk.library.save(&editor, seed.id, seed.head, retitled).unwrap();
    let mut retagged = seed.content.clone();
    retagged.tags.push("임상시험".into());
    assert_eq!(desk.library.save(&editor, seed.id, seed.head, retagged).unwrap().head, RevisionNo(3));
    // A long chain (past a snapshot), then the desk's whole workflow on it.
    let mut draft = desk.draft("협약 속보", "첫 문단");
    for n in 0..40 {
        draft = desk
            .library
            .save(&reporter, draft.id, draft.head, story("협약 속보", &format!("{n}번째 고친 문단. 업무협약을 맺었다.")))
            .unwrap();
    }
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    desk.library.publish(&editor, draft.id, Change::default()).unwrap();
    desk.set_now("2025-02-20T10:00:00+09:00");
    desk.library.correct(&editor, draft.id, Change::note("참석자 수 정정")).unwrap();
    let withdrawn = desk.draft("오보", "틀린 기사");
    desk.library.kill(&editor, withdrawn.id, Change::note("오보")).unwrap();
    // Text two people typed and never saved, one of them on an older revision.
    let typed = story("협약 속보", "저장하지 않은 문단.");
    desk.library.autosave(&reporter, draft.id, desk.library.article(draft.id).unwrap().head, typed.clone()).unwrap();
    desk.library.autosave(&editor, seed.id, RevisionNo(2), story("중진공-CMIC", "편집자가 쓰던 문단.")).unwrap();

    let mut target = common::new_library(Clock::Fixed(common::at("2025-03-01T09:00:00+09:00")));
    let mut steps = Vec::new();
    let copied = desk.library.copy_into(&mut target.library, &mut |done, total| steps.push((done, total))).unwrap();
    assert_eq!((copied.people, copied.articles, copied.photos, copied.working_copies), (4, 3, 2, 2));
    assert_eq!(steps.last(), Some(&(3, 3)));

    let copy = common::open(&target.location, Clock::System);
    assert_eq!(copy.newsroom().unwrap(), desk.library.newsroom().unwrap());
    assert_eq!(copy.users().unwrap(), desk.library.users().unwrap());
    let mut revisions = 0;
    for id in [seed.id, draft.id, withdrawn.id] {
        assert_eq!(copy.article(id).unwrap(), desk.library.article(id).unwrap());
        let history = desk.library.revisions(id).unwrap();
        let copied_history = copy.revisions(id).unwrap();
        let without_size = |revisions: &[revision::Revision]| {
            revisions.iter().map(|r| (r.number, r.kind, r.author, r.at, r.note.clone(), r.status, r.merged_from)).collect::<Vec<_>>()
        };
        assert_eq!(without_size(&copied_history), without_size(&history));
        for number in 1..=history.len() as u32 {
            let original = revision::snapshot_text(&desk.library.revision_content(id, RevisionNo(number)).unwrap());
            assert_eq!(
                revision::snapshot_text(&copy.revision_content(id, RevisionNo(number)).unwrap()),
                original,
                "article {id} revision {number}"
            );
            revisions += 1;
        }
    }
    assert_eq!(copied.revisions, revisions);
    for (person, id) in [(&reporter, draft.id), (&editor, seed.id)] {
        assert_eq!(copy.recovered(person, id).unwrap(), desk.library.recovered(person, id).unwrap());
    }
    assert_eq!(copy.recovered(&reporter, draft.id).unwrap().unwrap().content, typed);
    assert_eq!(copy.recovered(&editor, draft.id).unwrap(), None);
    for photo in &seed.content.photos {
        assert_eq!(copy.image(&photo.image).unwrap(), desk.library.image(&photo.image).unwrap());
    }
    assert_eq!(copy.search("협약", &Filter::default()).unwrap().total, desk.library.search("협약", &Filter::default()).unwrap().total);
    assert_eq!(copy.list(&Filter::default()).unwrap(), desk.library.list(&Filter::default()).unwrap());
}

#[test]
fn a_library_is_copied_only_into_an_empty_one() {
    let mut desk = Desk::new();
    desk.import_seed();
    let mut target = Desk::new();
    let error = desk.library.copy_into(&mut target.library, &mut |_, _| {}).unwrap_err();
    assert!(error.to_string().contains("copy into a new, empty library"), "{error}");
    assert_eq!(target.library.count(&Filter::default()).unwrap(), 0);
}
