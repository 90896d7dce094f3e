//! The seed article (tests/fixtures/seed-article) goes into a library and comes out with every
//! field exactly as expected.md lists it.

use crate::common;

use common::{Desk, at};
use copydesk::workflow::Status;

#[test]
fn seed_article_imports_with_every_field() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let newsroom = desk.library.newsroom().unwrap();
    let stored = desk.library.article(article.id).unwrap();
    let content = &stored.content;

    assert_eq!(stored.status, Status::Published);
    assert_eq!(content.section.path(), "경제 > 경제일반");
    assert_eq!(content.headline, "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손");
    assert_eq!(
        content.subheadlines,
        vec!["20일 일본 도쿄서 업무협약 체결", "바이오벤처 기업 진출 기반 마련", "강석진 \"협업모델 지속 발굴 노력\""]
    );
    assert_eq!(content.dateline.bracketed(), "[세종=뉴스핌]");
    assert_eq!(content.bylines.len(), 1);
    assert_eq!(content.bylines[0].credit(), "김기랑 기자");
    assert_eq!(content.bylines[0].email, "rang@newspim.com");
    assert_eq!(content.tags, vec!["중진공", "CMIC", "바이오", "일본", "업무협약"]);

    // 기사입력 / 최종수정 exactly as the seed page shows them, and machine-readable with offset.
    let first = stored.first_published.unwrap();
    assert_eq!(first, at("2025-02-20T15:09:00+09:00"));
    assert_eq!(newsroom.display(first), "2025년02월20일 15:09");
    assert_eq!(newsroom.iso(first), "2025-02-20T15:09:00+09:00");
    assert_eq!(stored.last_modified, Some(first));

    // The first paragraph begins with the lead-in.
    let first_paragraph = format!("{}{}", content.lead_in(), content.body.lines().next().unwrap());
    assert!(first_paragraph.starts_with("[세종=뉴스핌] 김기랑 기자 = 중소벤처기업진흥공단과 일본 CMIC홀딩스가"), "{first_paragraph}");

    // Photos: bytes stored in the library, captions with credit, date and sign-off.
    assert_eq!(content.photos.len(), 2);
    let photo = &content.photos[0];
    assert_eq!(photo.file, "photos/signing-ceremony.jpg");
    assert!(photo.caption.starts_with("20일(현지시간) 일본 도쿄에서 열린"));
    assert_eq!(photo.credit, "중소벤처기업진흥공단");
    assert_eq!(photo.date.unwrap().strftime("%Y.%m.%d").to_string(), "2025.02.20");
    assert_eq!(photo.email, "rang@newspim.com");
    assert_eq!(photo.alt, "업무협약식 참석자들의 기념사진");
    assert_eq!((photo.width, photo.height, photo.media_type.as_str()), (1200, 800, "image/jpeg"));
    let bytes = std::fs::read(format!("{}/tests/fixtures/seed-article/photos/signing-ceremony.jpg", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert_eq!(desk.library.image(&photo.image).unwrap().bytes, bytes);

    // The second photo sits after the paragraph that quotes 강석진 중진공 이사장.
    let quote = content.body.find("강석진 중진공 이사장은").unwrap();
    let second = content.body.find("](photos/vice-chairman-speech.jpg)").unwrap();
    assert!(second > quote);

    // The sign-off is the byline's email.
    assert_eq!(content.sign_off(), vec!["rang@newspim.com"]);
}

#[test]
fn seed_article_survives_reopening_the_library() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    desk.reopen();
    let reopened = desk.library.article(article.id).unwrap();
    assert_eq!(reopened, article);
}

#[test]
fn markdown_export_imports_back_to_the_same_article() {
    let mut desk = Desk::new();
    let article = desk.import_seed();
    let newsroom = desk.library.newsroom().unwrap();
    let text = copydesk::export::markdown::document(&article, &article.content, &newsroom);
    let library = &desk.library;
    let mut read_photo = |file: &str| {
        let photo = article.content.photos.iter().find(|photo| photo.file == file).unwrap();
        Ok(library.image(&photo.image).unwrap().bytes)
    };
    let again = copydesk::import::parse(&text, std::path::Path::new("again.md"), &newsroom, &mut read_photo).unwrap();
    assert_eq!(again.content, article.content);
    assert_eq!(again.status, article.status);
    assert_eq!(again.first_published, article.first_published);
    assert_eq!(again.last_modified, article.last_modified);
}
