//! The export, end to end over a real library file: the seed article's page, the head, the
//! workflow rules, determinism, photos, templates, ninjs and Markdown.

use crate::export_support;

use copydesk::Change;
use copydesk::export::{ExportOptions, Format};
use copydesk::workflow::Status;
use export_support::*;

#[test]
fn seed_page_matches_its_golden_file() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let page = desk.page(article.id, &html());
    let golden = fixture("../golden/seed-article.html");
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&golden, &page).unwrap();
    }
    let expected = std::fs::read_to_string(&golden)
        .expect("tests/golden/seed-article.html is missing: run SNAPSHOTS=overwrite cargo test --test it export and review it");
    if page != expected {
        let diff = similar::TextDiff::from_lines(&expected, &page).unified_diff().header("golden", "exported").to_string();
        panic!("the seed page changed; review the diff and, if it is right, run SNAPSHOTS=overwrite cargo test --test it export\n{diff}");
    }
}

#[test]
fn seed_page_shows_every_line_of_expected_md_in_order() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let text = visible_text(&desk.page(article.id, &html()));
    // expected.md's "Visible text (in this order)", line by line.
    let in_order = [
        "경제 > 경제일반",
        "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손",
        "20일 일본 도쿄서 업무협약 체결",
        "바이오벤처 기업 진출 기반 마련",
        "강석진 \"협업모델 지속 발굴 노력\"",
        "기사입력 : 2025년02월20일 15:09",
        "최종수정 : 2025년02월20일 15:09",
        "[세종=뉴스핌] 김기랑 기자 = 중소벤처기업진흥공단과 일본 CMIC홀딩스가",
        "왼쪽부터 게이코 오이시 CMIC 회장, 오영주 중소벤처기업부 장관, 이병철 중소벤처기업진흥공단 부이사장. [사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com",
        "강석진 중진공 이사장은",
        "이병철 중소벤처기업진흥공단 부이사장이 20일(현지시간) 일본 도쿄에서 열린 업무 협약식에서 발언하고 있다. [사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com",
        "rang@newspim.com",
    ];
    let mut from = 0;
    for line in in_order {
        let at = text[from..].find(line).unwrap_or_else(|| panic!("{line:?} is not in the page after byte {from}:\n{text}"));
        from += at + line.len();
    }
    // The sign-off closes the article: nothing of the body follows it.
    let body_end = text.find("태그 #중진공").unwrap();
    assert!(text[..body_end].trim_end().ends_with("rang@newspim.com"));
}

#[test]
fn seed_page_is_machine_readable_as_expected_md_lists() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let page = desk.page(article.id, &html());
    let document = scraper::Html::parse_document(&page);
    assert_eq!(select(&document, "html")[0].value().attr("lang"), Some("ko"));
    let times: Vec<_> = select(&document, ".times time").iter().map(|time| time.value().attr("datetime").unwrap().to_string()).collect();
    assert_eq!(times, ["2025-02-20T15:09:00+09:00", "2025-02-20T15:09:00+09:00"]);
    let figures = select(&document, "figure");
    assert_eq!(figures.len(), 2);
    for figure in &figures {
        let figure = scraper::Html::parse_fragment(&figure.html());
        let img = &select(&figure, "img")[0];
        assert!(!img.value().attr("alt").unwrap().is_empty());
        assert!(img.value().attr("width").is_some() && img.value().attr("height").is_some());
        assert_eq!(select(&figure, "figcaption").len(), 1);
    }
    assert_eq!(meta(&page, "og:type"), ["article"]);
    assert_eq!(meta(&page, "og:title"), ["중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손"]);
    assert_eq!(meta(&page, "article:published_time"), ["2025-02-20T15:09:00+09:00"]);
    assert_eq!(meta(&page, "article:modified_time"), ["2025-02-20T15:09:00+09:00"]);
    assert_eq!(meta(&page, "article:section"), ["경제일반"]);
    assert_eq!(meta(&page, "article:tag"), ["중진공", "CMIC", "바이오", "일본", "업무협약"]);
    assert_eq!(
        meta(&page, "description")[0],
        "중소벤처기업진흥공단과 일본 CMIC홀딩스가 한·일 양국의 바이오 분야 협력 활성화를 위해 맞손을 잡았다."
    );
    let canonical = select(&document, r#"link[rel="canonical"]"#);
    assert_eq!(canonical[0].value().attr("href"), Some(format!("https://www.newspim.com/news/{}.html", article.id).as_str()));
    assert!(meta(&page, "robots").is_empty(), "a published page is indexable");
    assert_eq!(select(&document, "title")[0].text().collect::<String>(), "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손 | 뉴스핌");
}

#[test]
fn seed_json_ld_is_a_news_article_field_by_field() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let ld = json_ld(&desk.page(article.id, &html()));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손");
    assert!(ld["description"].as_str().unwrap().starts_with("중소벤처기업진흥공단과"));
    assert_eq!(ld["datePublished"], "2025-02-20T15:09:00+09:00");
    assert_eq!(ld["dateModified"], "2025-02-20T15:09:00+09:00");
    assert_eq!(ld["author"][0]["@type"], "Person");
    assert_eq!(ld["author"][0]["name"], "김기랑");
    assert_eq!(ld["author"][0]["jobTitle"], "기자");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "뉴스핌");
    assert_eq!(ld["dateline"], "세종");
    assert_eq!(ld["articleSection"], "경제일반");
    assert_eq!(ld["inLanguage"], "ko");
    assert_eq!(ld["keywords"].as_array().unwrap().len(), 5);
    let images = ld["image"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["@type"], "ImageObject");
    assert!(images[0]["url"].as_str().unwrap().starts_with("https://www.newspim.com/news/media/"));
    assert_eq!(images[0]["creditText"], "중소벤처기업진흥공단");
    assert!(ld.get("correction").is_none());
}

#[test]
fn a_correction_is_shown_and_described_in_json_ld() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let mut content = article.content.clone();
    content.body = content.body.replace("20여명", "30여명");
    desk.library.save(&desk.editor, article.id, article.head, content).unwrap();
    desk.library.correct(&desk.editor, article.id, Change::note("참석자 수를 바로잡았습니다.")).unwrap();
    let page = desk.page(article.id, &html());
    let text = visible_text(&page);
    assert!(text.contains("정정 보도 2025년03월01일 09:00 참석자 수를 바로잡았습니다."), "{text}");
    assert!(text.contains("30여명"));
    assert!(text.contains("최종수정 : 2025년03월01일 09:00"));
    let ld = json_ld(&page);
    assert_eq!(ld["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(ld["correction"][0]["text"], "참석자 수를 바로잡았습니다.");
    assert_eq!(ld["dateModified"], "2025-03-01T09:00:00+09:00");
    assert_eq!(ld["datePublished"], "2025-02-20T15:09:00+09:00");
}

#[test]
fn export_shows_the_published_revision_not_a_later_save() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let mut content = article.content.clone();
    content.headline = "아직 출고되지 않은 새 제목".into();
    desk.library.save(&desk.editor, article.id, article.head, content).unwrap();
    let page = desk.page(article.id, &html());
    assert!(page.contains("중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손"));
    assert!(!page.contains("아직 출고되지 않은 새 제목"));
    // A preview shows what a correction would put out.
    assert!(desk.page(article.id, &preview()).contains("<h1>아직 출고되지 않은 새 제목</h1>"));
}

#[test]
fn unpublished_articles_are_refused_and_say_how_to_preview() {
    let mut desk = Desk::new();
    let draft = desk.draft("초안", "본문");
    let submitted = desk.draft("송고된 기사", "본문");
    desk.library.submit(&desk.editor, submitted.id, Change::default()).unwrap();
    let mut embargoed = desk.draft("엠바고 기사", "본문");
    embargoed.content.embargo = Some("2025-03-02T09:00:00+09:00".parse().unwrap());
    desk.library.save(&desk.editor, embargoed.id, embargoed.head, embargoed.content.clone()).unwrap();
    desk.publish(embargoed.id);
    let killed = desk.seed();
    desk.library.kill(&desk.editor, killed.id, Change::note("오보")).unwrap();

    for (id, status) in
        [(draft.id, Status::Draft), (submitted.id, Status::Submitted), (embargoed.id, Status::Scheduled), (killed.id, Status::Killed)]
    {
        for format in [Format::Html, Format::Ninjs] {
            let error = desk.export(&[id], "refused", &ExportOptions { format, ..html() }).unwrap_err();
            assert_eq!(error.code(), "not_exportable");
            let message = error.to_string();
            assert!(message.contains(&format!("is {status}")) && message.contains("as a preview") && !message.contains("--"), "{message}");
        }
    }
    let scheduled = desk.export(&[embargoed.id], "refused", &html()).unwrap_err().to_string();
    assert!(scheduled.contains("under embargo until"), "{scheduled}");
    assert!(!desk.out("refused").exists(), "nothing is written when an export is refused");
}

#[test]
fn a_refused_article_in_a_batch_stops_the_whole_batch_before_writing() {
    let mut desk = Desk::new();
    let published = desk.seed();
    let draft = desk.draft("초안", "본문");
    assert!(desk.export(&[published.id, draft.id], "batch", &html()).is_err());
    assert!(!desk.out("batch").exists());
}

#[test]
fn preview_exports_anything_with_a_banner_and_noindex() {
    let mut desk = Desk::new();
    let draft = desk.draft("초안 제목", "초안 본문입니다.");
    let page = desk.page(draft.id, &preview());
    assert!(visible_text(&page).starts_with("미리보기 발행되지 않은 기사입니다 (상태: 작성 중)"));
    assert_eq!(meta(&page, "robots"), ["noindex, nofollow"]);
    assert!(visible_text(&page).contains("발행 전"));
    let document = scraper::Html::parse_document(&page);
    assert!(select(&document, "time").is_empty(), "a draft has no 기사입력");
    // A published article previewed is marked too.
    let published = desk.seed();
    assert_eq!(meta(&desk.page(published.id, &preview()), "robots"), ["noindex, nofollow"]);
}

#[test]
fn exporting_twice_gives_byte_identical_files() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let other = desk.draft("둘째 기사", "| 가 | 나 |\n|---|---|\n| 1 | 2 |\n\n각주[^a].\n\n[^a]: 설명");
    desk.publish(other.id);
    for (format, self_contained) in [(Format::Html, false), (Format::Html, true), (Format::Ninjs, false), (Format::Markdown, false)] {
        let options = ExportOptions { format, self_contained, index: true, ..html() };
        let first = desk.export(&[seed.id, other.id], "first", &options).unwrap();
        let second = desk.export(&[seed.id, other.id], "second", &options).unwrap();
        let files = |report: &copydesk::export::ExportReport| -> Vec<std::path::PathBuf> {
            report.articles.iter().flat_map(|article| article.files.clone()).chain(report.batch_files.clone()).collect()
        };
        let (a, b) = (files(&first), files(&second));
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap(), "{} differs between two exports ({format})", a.display());
        }
        std::fs::remove_dir_all(desk.out("first")).unwrap();
        std::fs::remove_dir_all(desk.out("second")).unwrap();
    }
}

#[test]
fn photos_are_copied_beside_the_page_under_stable_names() {
    let mut desk = Desk::new();
    let article = desk.seed();
    desk.export(&[article.id], "site", &html()).unwrap();
    let page = std::fs::read_to_string(desk.out("site").join(format!("{}.html", article.id))).unwrap();
    let document = scraper::Html::parse_document(&page);
    for img in select(&document, "figure img") {
        let src = img.value().attr("src").unwrap();
        assert!(src.starts_with("media/") && src.ends_with(".jpg"), "{src}");
        let bytes = std::fs::read(desk.out("site").join(src)).unwrap();
        let size = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().unwrap().into_dimensions().unwrap();
        assert_eq!(img.value().attr("width").unwrap(), size.0.to_string());
        assert_eq!(img.value().attr("height").unwrap(), size.1.to_string());
    }
    let original = std::fs::read(fixture("seed-article/photos/signing-ceremony.jpg")).unwrap();
    let first_src = select(&document, "figure img")[0].value().attr("src").unwrap().to_string();
    let exported = std::fs::read(desk.out("site").join(first_src)).unwrap();
    // The picture is the stored one, pixel for pixel; only its metadata was written in.
    let pixels = |bytes: &[u8]| image::load_from_memory(bytes).unwrap().to_rgb8().into_raw();
    assert_eq!(pixels(&exported), pixels(&original));
    assert_eq!(copydesk::photo_metadata::read(&exported).caption, article.content.photos[0].caption);
}

#[test]
fn self_contained_pages_inline_their_photos() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let report = desk.export(&[article.id], "one-file", &ExportOptions { self_contained: true, ..html() }).unwrap();
    assert_eq!(report.articles[0].files.len(), 1);
    assert!(!desk.out("one-file").join("media").exists());
    let page = std::fs::read_to_string(&report.articles[0].files[0]).unwrap();
    let document = scraper::Html::parse_document(&page);
    let images = select(&document, "figure img");
    assert_eq!(images.len(), 2);
    assert!(images.iter().all(|img| img.value().attr("src").unwrap().starts_with("data:image/jpeg;base64,/9j/")));
}

#[test]
fn photos_not_placed_in_the_body_follow_the_first_paragraph() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let mut content = article.content.clone();
    content.body = content.body.replace("![업무협약식 참석자들의 기념사진](photos/signing-ceremony.jpg)", "");
    desk.library.save(&desk.editor, article.id, article.head, content).unwrap();
    let page = desk.page(article.id, &preview());
    let first_paragraph_end = page.find("맞손을 잡았다.</p>").unwrap();
    let figure = page.find("<figure").unwrap();
    let second_paragraph = page.find("중진공은 20일(현지시간)").unwrap();
    assert!(first_paragraph_end < figure && figure < second_paragraph);
}

#[test]
fn related_articles_link_to_published_ones_only() {
    let mut desk = Desk::new();
    let related = desk.import("hostile/urls-and-tricks.md");
    let unpublished = desk.draft("아직 초안인 관련 기사", "본문");
    let article = desk.seed();
    let mut content = article.content.clone();
    content.related = vec![related.id, unpublished.id];
    desk.library.save(&desk.editor, article.id, article.head, content).unwrap();
    desk.library.correct(&desk.editor, article.id, Change::note("관련 기사 추가")).unwrap();
    let page = desk.page(article.id, &html());
    let document = scraper::Html::parse_document(&page);
    let links: Vec<_> = select(&document, ".related a")
        .iter()
        .map(|a| (a.text().collect::<String>(), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(links, [("링크와 깨진 마크업".to_string(), format!("https://www.newspim.com/news/{}.html", related.id))]);
}

#[test]
fn a_batch_writes_an_index_page() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let other = desk.import("hostile/urls-and-tricks.md");
    let report = desk.export(&[seed.id, other.id], "batch", &ExportOptions { index: true, ..html() }).unwrap();
    assert_eq!(report.batch_files, [desk.out("batch").join("index.html")]);
    let index = std::fs::read_to_string(desk.out("batch").join("index.html")).unwrap();
    let document = scraper::Html::parse_document(&index);
    let hrefs: Vec<_> = select(&document, "ul.index a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(hrefs, [format!("{}.html", seed.id), format!("{}.html", other.id)]);
}

#[test]
fn an_outlet_template_replaces_the_house_template() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let templates = desk.out("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("article.html"),
        "<!DOCTYPE html>\n<html lang=\"{{ lang }}\"><title>{{ title }}</title>\n<h1 class=\"outlet-own\">{{ headline }}</h1>\n{% for block in blocks %}{% if block.html %}{{ block.html|safe }}{% endif %}{% endfor %}\n",
    )
    .unwrap();
    let options = ExportOptions { template: Some(templates.clone()), ..html() };
    let page = desk.page(article.id, &options);
    assert!(page.contains("<h1 class=\"outlet-own\">중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손</h1>"));
    assert!(page.contains("[세종=뉴스핌] 김기랑 기자 = 중소벤처기업진흥공단과"));
    // Fields are escaped in an outlet's template too.
    assert!(!page.contains("<script"));
}

#[test]
fn a_broken_outlet_template_names_its_file_and_line() {
    let mut desk = Desk::new();
    let article = desk.seed();
    let templates = desk.out("broken");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("article.html"), "<!DOCTYPE html>\n<h1>{{ headline }}</h1>\n<p>{% if tags %}\n{{ headline }\n").unwrap();
    let error = desk.export(&[article.id], "out", &ExportOptions { template: Some(templates.clone()), ..html() }).unwrap_err();
    assert_eq!(error.code(), "template");
    let message = error.to_string();
    assert!(message.contains("article.html line 4"), "{message}");
    assert!(message.contains("or use the house template") && !message.contains("--"), "{message}");

    std::fs::write(templates.join("article.html"), "<h1>{{ headlin }}</h1>\n").unwrap();
    // A batch larger than the writers' queue stops cleanly on the first page.
    let ids: Vec<_> = (0..80).map(|_| desk.seed().id).collect();
    let message = desk.export(&ids, "out", &ExportOptions { template: Some(templates), ..html() }).unwrap_err().to_string();
    assert!(message.contains("article.html line 1") && message.contains("undefined"), "{message}");
}

/// The ninjs schema refers to GeoJSON's schema (for `places[].geoJSON`, which Copydesk never
/// writes) over HTTP; tests run offline, so that one reference resolves to "any object".
struct GeoJsonStub;

impl jsonschema::Retrieve for GeoJsonStub {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str().starts_with("https://geojson.org/schema/GeoJSON.json") {
            Ok(serde_json::json!({ "type": "object" }))
        } else {
            Err(format!("the test has no copy of {uri}").into())
        }
    }
}

#[test]
fn ninjs_is_valid_against_the_official_schema() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let other = desk.import("hostile/script-everywhere.md");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("ninjs/ninjs-schema_3.1.json")).unwrap()).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).with_retriever(GeoJsonStub).build(&schema).unwrap();
    let report = desk.export(&[seed.id, other.id], "wire", &ExportOptions { format: Format::Ninjs, ..html() }).unwrap();
    for article in &report.articles {
        let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&article.files[0]).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&document).map(|error| format!("{} at {}", error, error.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", article.files[0].display());
    }
    let seed_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report.articles[0].files[0]).unwrap()).unwrap();
    assert_eq!(seed_json["headlines"][0]["value"], "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손");
    assert_eq!(seed_json["pubStatus"], "usable");
    assert_eq!(seed_json["firstCreated"], "2025-02-20T15:09:00+09:00");
    assert_eq!(seed_json["located"], "세종");
    assert_eq!(seed_json["associations"].as_array().unwrap().len(), 2);
    assert!(seed_json["bodies"][0]["value"].as_str().unwrap().starts_with("<p>[세종=뉴스핌] 김기랑 기자 = "));
}

#[test]
fn markdown_export_imports_back_as_the_same_article() {
    let mut desk = Desk::new();
    let seed = desk.seed();
    let report = desk.export(&[seed.id], "markdown", &ExportOptions { format: Format::Markdown, ..html() }).unwrap();
    let file = &report.articles[0].files[0];
    assert!(file.ends_with(format!("{}/article.md", seed.id)));
    let newsroom = desk.library.newsroom().unwrap();
    let imported = copydesk::import::read_file(file, &newsroom).unwrap();
    let again = desk.library.import(&desk.editor, imported).unwrap();
    assert_eq!(again.content, seed.content);
    assert_eq!(again.status, seed.status);
    assert_eq!(again.first_published, seed.first_published);
    assert_eq!(again.last_modified, seed.last_modified);
    // And a second round trip writes the same file.
    let second = desk.export(&[again.id], "markdown-again", &ExportOptions { format: Format::Markdown, ..html() }).unwrap();
    assert_eq!(std::fs::read(file).unwrap(), std::fs::read(&second.articles[0].files[0]).unwrap());
}

#[test]
fn markdown_export_takes_drafts_too() {
    let mut desk = Desk::new();
    let draft = desk.draft("초안", "본문");
    let report = desk.export(&[draft.id], "md", &ExportOptions { format: Format::Markdown, ..html() }).unwrap();
    assert!(std::fs::read_to_string(&report.articles[0].files[0]).unwrap().contains("status: draft"));
}

#[test]
fn rendering_is_a_pure_function_of_content_for_the_preview() {
    use copydesk::render::{self, PageInput, Templates};
    let mut desk = Desk::new();
    let article = desk.seed();
    let newsroom = desk.library.newsroom().unwrap();
    let mut unsaved = article.content.clone();
    unsaved.headline = "편집 중인 제목".into();
    let input = PageInput { article: &article, content: &unsaved, newsroom: &newsroom, preview: true };
    let resources = copydesk::render::Resources::default();
    let templates = Templates::house();
    let page = render::page(&input, &resources, &templates).unwrap();
    assert!(page.contains("<h1>편집 중인 제목</h1>"));
    assert_eq!(page, render::page(&input, &resources, &templates).unwrap());
}
