//! Korean full-text search against a real library: words inside longer words, before particles,
//! several words at once, ranked, filtered.

use crate::common;

use common::{Desk, at, story};
use copydesk::Change;
use copydesk::search::Filter;
use copydesk::workflow::Status;

fn headlines(desk: &Desk, query: &str, filter: &Filter) -> Vec<String> {
    let results = desk.library.search(query, filter).unwrap();
    assert_eq!(results.total as usize, results.hits.len(), "{query}: a small library fits on one page");
    results.hits.into_iter().map(|hit| hit.article.headline).collect()
}

#[test]
fn a_two_syllable_word_is_found_inside_longer_words_and_before_particles() {
    let mut desk = Desk::new();
    desk.draft("협약식 열려", "이날 협약식을 열었다.");
    desk.draft("양해각서", "두 기관은 협약을 맺었다.");
    desk.draft("업무협약", "중진공과 CMIC가 업무협약했다.");
    desk.draft("무관한 기사", "협의를 이어가기로 했다.");
    let mut found = headlines(&desk, "협약", &Filter::default());
    found.sort();
    assert_eq!(found, vec!["양해각서", "업무협약", "협약식 열려"]);
}

#[test]
fn longer_words_match_as_substrings_not_as_scattered_syllables() {
    let mut desk = Desk::new();
    desk.draft("하나", "협약식을 열었다.");
    desk.draft("둘", "협약 식을 올렸다."); // 협약 and 식을 apart do not make 협약식
    assert_eq!(headlines(&desk, "협약식", &Filter::default()), vec!["하나"]);
}

#[test]
fn several_words_must_all_occur() {
    let mut desk = Desk::new();
    desk.draft("둘 다", "CMIC와 중진공이 협약을 맺었다.");
    desk.draft("하나만", "CMIC 단독 발표.");
    assert_eq!(headlines(&desk, "CMIC 협약", &Filter::default()), vec!["둘 다"]);
    assert_eq!(headlines(&desk, "cmic", &Filter::default()).len(), 2, "Latin letters match in any case");
}

#[test]
fn headline_hits_rank_first() {
    let mut desk = Desk::new();
    desk.draft("바이오 협력", "협력 기사 본문입니다.");
    desk.draft("다른 기사", "본문에서만 바이오를 언급한다.");
    let found = headlines(&desk, "바이오", &Filter::default());
    assert_eq!(found, vec!["바이오 협력", "다른 기사"]);
}

#[test]
fn the_seed_article_is_found_by_its_words_and_captions() {
    let mut desk = Desk::new();
    desk.import_seed();
    for query in ["협약", "협약식", "업무협약", "맞손", "CMIC 협약", "중소벤처기업진흥공단", "기념사진", "김기랑", "바이오벤처"]
    {
        let results = desk.library.search(query, &Filter::default()).unwrap();
        assert_eq!(results.total, 1, "{query}");
    }
    let results = desk.library.search("협약식", &Filter::default()).unwrap();
    assert!(results.hits[0].snippet.iter().any(|part| part.hit && part.text == "협약식"));
}

#[test]
fn the_index_follows_every_save() {
    let mut desk = Desk::new();
    let draft = desk.draft("제목", "예전 낱말");
    let reporter = desk.reporter.clone();
    desk.library.save(&reporter, draft.id, draft.head, story("제목", "새로운 낱말")).unwrap();
    assert!(desk.library.search("예전", &Filter::default()).unwrap().hits.is_empty());
    assert_eq!(desk.library.search("새로운", &Filter::default()).unwrap().total, 1);
}

#[test]
fn filters_narrow_search_and_list() {
    let mut desk = Desk::new();
    desk.import_seed();
    let draft = desk.draft("협약 초안", "협약 관련 초안");
    let reporter = desk.reporter.clone();
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();

    let by_status = |status| Filter { status: Some(status), ..Filter::default() };
    assert_eq!(headlines(&desk, "협약", &by_status(Status::Submitted)), vec!["협약 초안"]);
    assert_eq!(headlines(&desk, "협약", &by_status(Status::Published)).len(), 1);

    let section = Filter { section: Some("경제".into()), ..Filter::default() };
    assert_eq!(desk.library.list(&section).unwrap().len(), 2, "a section matches its subsections");
    let other_section = Filter { section: Some("경제일반".into()), ..Filter::default() };
    assert!(desk.library.list(&other_section).unwrap().is_empty(), "a section is a path from the top");

    let byline = Filter { byline: Some("rang@newspim.com".into()), ..Filter::default() };
    assert_eq!(desk.library.count(&byline).unwrap(), 2);
    let by_name = Filter { byline: Some("김기랑".into()), ..Filter::default() };
    assert_eq!(desk.library.count(&by_name).unwrap(), 2);

    let february = Filter {
        published_from: Some(at("2025-02-20T00:00:00+09:00")),
        published_to: Some(at("2025-02-21T00:00:00+09:00")),
        ..Filter::default()
    };
    assert_eq!(desk.library.list(&february).unwrap().len(), 1, "only the published seed has a 기사입력");
    let tag = Filter { tag: Some("업무협약".into()), ..Filter::default() };
    assert_eq!(headlines(&desk, "협약", &tag).len(), 1);
}

#[test]
fn hostile_queries_give_results_or_a_clear_error() {
    let mut desk = Desk::new();
    desk.import_seed();
    for query in [
        "\"협약",
        "협약\"",
        "NEAR(협약 체결)",
        "*",
        "협약*",
        "a OR b",
        "headline:협약",
        "^",
        "-협약",
        "(((",
        "''",
        "\\",
        &"협약 ".repeat(500),
    ] {
        match desk.library.search(query, &Filter::default()) {
            Ok(_) => {}
            Err(error) => assert_eq!(error.code(), "invalid", "{query}: {error}"),
        }
    }
    let error = desk.library.search("* ( )", &Filter::default()).unwrap_err();
    assert!(error.to_string().contains("type at least one word"), "{error}");
}

#[test]
fn list_is_newest_first() {
    let mut desk = Desk::new();
    desk.draft("첫째", "본문");
    desk.set_now("2025-02-20T10:00:00+09:00");
    desk.draft("둘째", "본문");
    let list = desk.library.list(&Filter::default()).unwrap();
    let order: Vec<&str> = list.iter().map(|summary| summary.headline.as_str()).collect();
    assert_eq!(order, vec!["둘째", "첫째"]);
    assert_eq!(list[0].bylines, vec!["김기랑"]);
}

#[test]
fn search_filters_follow_the_workflow_and_the_dates() {
    let mut desk = Desk::new();
    desk.import_seed();
    let draft = desk.draft("협약 초안", "협약 관련 초안");
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
    let search = |desk: &Desk, filter: Filter| {
        let results = desk.library.search("협약", &filter).unwrap();
        assert_eq!(results.total as usize, results.hits.len(), "the total counts the filtered hits only");
        results.hits.into_iter().map(|hit| hit.article.headline).collect::<Vec<_>>()
    };
    let by_status = |status| Filter { status: Some(status), ..Filter::default() };
    assert_eq!(search(&desk, by_status(Status::Submitted)), vec!["협약 초안"]);

    desk.set_now("2025-03-02T10:00:00+09:00");
    desk.library.publish(&editor, draft.id, Change::default()).unwrap();
    assert!(search(&desk, by_status(Status::Submitted)).is_empty(), "publishing moves the article out of submitted");
    assert_eq!(search(&desk, by_status(Status::Published)).len(), 2);

    let published_in = |from: &str, to: &str| Filter {
        status: Some(Status::Published),
        section: Some("경제".into()),
        published_from: Some(at(from)),
        published_to: Some(at(to)),
        ..Filter::default()
    };
    assert_eq!(search(&desk, published_in("2025-03-01T00:00:00+09:00", "2025-04-01T00:00:00+09:00")), vec!["협약 초안"]);
    let february = search(&desk, published_in("2025-02-01T00:00:00+09:00", "2025-03-01T00:00:00+09:00"));
    assert_eq!(february.len(), 1);
    assert_ne!(february, vec!["협약 초안"]);
    let killed = Filter { status: Some(Status::Killed), ..Filter::default() };
    assert!(search(&desk, killed).is_empty());
}

#[test]
fn sections_are_every_path_the_articles_use_each_once() {
    let mut desk = Desk::new();
    let reporter = desk.reporter.clone();
    for section in ["정치", "문화 > 공연", "경제 > 경제일반", "정치", ""] {
        let mut content = story("협약", "본문");
        content.section = copydesk::article::Section::parse(section);
        desk.library.create(&reporter, content).unwrap();
    }
    assert_eq!(desk.library.sections().unwrap(), ["경제", "경제 > 경제일반", "문화", "문화 > 공연", "정치"]);
}

#[test]
fn a_date_range_lists_newest_first_page_by_page() {
    let mut desk = Desk::new();
    let (reporter, editor) = (desk.reporter.clone(), desk.editor.clone());
    let mut published = Vec::new();
    for day in 1..=12 {
        desk.set_now(&format!("2025-02-{day:02}T10:00:00+09:00"));
        let draft = desk.draft(&format!("{day}일 기사"), "본문");
        desk.library.submit(&reporter, draft.id, Change::default()).unwrap();
        published.push(desk.library.publish(&editor, draft.id, Change::default()).unwrap());
    }
    desk.set_now("2025-02-20T10:00:00+09:00");
    let third = &published[2];
    let mut corrected = third.content.clone();
    corrected.body = "고친 본문".into();
    desk.library
        .correct(&editor, third.id, Change { base: Some(third.head), content: Some(corrected), note: Some("오타 수정".into()) })
        .unwrap();

    let pages = |filter: Filter| -> Vec<String> {
        (0..4)
            .flat_map(|page| {
                let filter = Filter { limit: Some(3), offset: Some(page * 3), ..filter.clone() };
                desk.library.list(&filter).unwrap().into_iter().map(|summary| summary.headline)
            })
            .collect()
    };
    let february_2_to_9 = Filter {
        published_from: Some(at("2025-02-02T00:00:00+09:00")),
        published_to: Some(at("2025-02-10T00:00:00+09:00")),
        ..Filter::default()
    };
    let expected = ["3일 기사", "9일 기사", "8일 기사", "7일 기사", "6일 기사", "5일 기사", "4일 기사", "2일 기사"];
    assert_eq!(pages(february_2_to_9.clone()), expected, "the corrected article is the newest");
    assert_eq!(pages(Filter { status: Some(Status::Published), ..february_2_to_9.clone() }), expected);
    assert!(pages(Filter { status: Some(Status::Submitted), ..february_2_to_9 }).is_empty());
    let modified_since_the_20th = Filter { modified_from: Some(at("2025-02-20T00:00:00+09:00")), ..Filter::default() };
    assert_eq!(pages(modified_since_the_20th), ["3일 기사"]);
}

#[test]
fn letters_whose_lowercase_is_longer_do_not_break_the_snippet() {
    // İ lowercases to two characters (i and a combining dot), so the lowered text is longer
    // than the original; the snippet must still find and mark 협약 in the original.
    let mut desk = Desk::new();
    desk.draft("터키 기사", &format!("{}협약식을 열었다.", "İ".repeat(200)));
    let results = desk.library.search("협약", &Filter::default()).unwrap();
    assert_eq!(results.hits.len(), 1);
    let hits: Vec<&str> = results.hits[0].snippet.iter().filter(|part| part.hit).map(|part| part.text.as_str()).collect();
    assert_eq!(hits, vec!["협약"]);
    let text: String = results.hits[0].snippet.iter().map(|part| part.text.as_str()).collect();
    assert!(text.contains("İ협약식을 열었다."), "{text}");
}
