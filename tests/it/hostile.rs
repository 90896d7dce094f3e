//! Whatever a body, caption or headline holds, the exported page runs no script: checked with an
//! HTML parser here (and in headless Chromium by `scripts/test-export-browser`).

use crate::export_support;

use copydesk::export::ExportOptions;
use export_support::*;
use proptest::prelude::*;

/// Every way the page could carry script, as a list of findings (empty when safe).
fn script_findings(html: &str, allow_photo_data_urls: bool) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let mut findings = Vec::new();
    for element in document.root_element().descendent_elements() {
        let name = element.value().name();
        // The page's own controls: the font-size radios and the canonical link.
        let own = (name == "input" && element.value().attr("name") == Some("font-size"))
            || (name == "link" && element.value().attr("rel") == Some("canonical"));
        match name {
            "script" => {
                if element.value().attr("type") != Some("application/ld+json") {
                    findings.push(format!("a <script> element: {}", element.html()));
                } else {
                    let text: String = element.text().collect();
                    if text.contains("</") || text.contains("<!--") {
                        findings.push("JSON-LD that could end its script element".into());
                    }
                    if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                        findings.push("JSON-LD that is not JSON".into());
                    }
                }
            }
            "iframe" | "object" | "embed" | "svg" | "math" | "form" | "base" | "frame" | "frameset" | "applet" | "template"
            | "noscript" | "button" | "input" | "textarea" | "select" | "video" | "audio" | "source" | "details" | "marquee" | "link"
                if !own =>
            {
                findings.push(format!("a <{name}> element"));
            }
            "meta" if element.value().attr("http-equiv").is_some() => findings.push("a meta refresh".into()),
            "style" if element.parent().and_then(|parent| parent.value().as_element()).map(|parent| parent.name()) != Some("head") => {
                findings.push("a <style> element in the body".into())
            }
            _ => {}
        }
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") {
                findings.push(format!("an event handler {attribute}={value:?} on <{name}>"));
            }
            if attribute == "style" || attribute == "srcdoc" || attribute == "formaction" {
                findings.push(format!("a {attribute} attribute on <{name}>"));
            }
            let url: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
            let is_photo = allow_photo_data_urls && name == "img" && attribute == "src" && url.starts_with("data:image/");
            if (url.starts_with("javascript:") || url.starts_with("vbscript:") || (url.starts_with("data:") && !is_photo))
                && matches!(attribute.as_str(), "href" | "src" | "action" | "xlink:href" | "data" | "poster" | "background")
            {
                findings.push(format!("a script URL {attribute}={value:?} on <{name}>"));
            }
        }
    }
    findings
}

fn hostile_desk() -> (Desk, Vec<copydesk::article::ArticleId>) {
    let mut desk = Desk::new();
    let ids = vec![desk.import("hostile/script-everywhere.md").id, desk.import("hostile/urls-and-tricks.md").id];
    (desk, ids)
}

#[test]
fn hostile_articles_export_pages_without_script() {
    let (desk, ids) = hostile_desk();
    for (name, options) in [("plain", html()), ("self-contained", ExportOptions { self_contained: true, ..html() }), ("preview", preview())]
    {
        let report = desk.export(&ids, name, &ExportOptions { index: true, ..options.clone() }).unwrap();
        for file in report.articles.iter().map(|article| &article.files[0]).chain(&report.batch_files) {
            let page = std::fs::read_to_string(file).unwrap();
            let findings = script_findings(&page, options.self_contained);
            assert!(findings.is_empty(), "{} ({name}): {findings:#?}", file.display());
            assert!(!page.contains("<script>"), "{}", file.display());
        }
    }
}

#[test]
fn hostile_fields_are_shown_as_text() {
    let (desk, ids) = hostile_desk();
    let page = desk.page(ids[0], &html());
    let document = scraper::Html::parse_document(&page);
    let h1: String = select(&document, "h1")[0].text().collect();
    assert_eq!(h1, "</title><script>document.title='PWNED';console.log('PWNED');window.__pwned=1</script>헤드라인");
    let title: String = select(&document, "title")[0].text().collect();
    assert!(title.starts_with("</title><script>"), "the title element holds the headline as text: {title}");
    let caption: String = select(&document, "figcaption")[0].text().collect();
    assert!(caption.contains("<img src=x onerror="), "{caption}");
    assert!(visible_text(&page).contains("첫 문단 입니다."));
}

#[test]
fn the_body_keeps_ordinary_markup_safe_links_and_footnotes() {
    let (desk, ids) = hostile_desk();
    let page = desk.page(ids[1], &html());
    let document = scraper::Html::parse_document(&page);
    let links: Vec<_> = select(&document, ".article-body a").iter().filter_map(|a| a.value().attr("href").map(String::from)).collect();
    assert!(links.contains(&"https://example.com/".to_string()), "{links:?}");
    assert!(links.iter().all(|href| href.starts_with("https://") || href.starts_with("#note-")), "{links:?}");
    let footnote = links.iter().find(|href| href.as_str() == "#note-1").unwrap();
    assert_eq!(select(&document, &format!("[id=\"{}\"]", &footnote[1..])).len(), 1, "the footnote link has its target");
    assert_eq!(select(&document, ".article-body table").len(), 1);
    assert_eq!(select(&document, ".article-body del").len(), 1);
}

/// Text that looks like what an attacker would paste: fragments of tags, handlers, URLs.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<svg onload=alert(1)>".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("![x](data:text/html,<script>alert(1)</script>)".to_string()),
        Just("<a href=\"java\tscript:alert(1)\">".to_string()),
        Just("<iframe srcdoc=\"<script>alert(1)</script>\">".to_string()),
        Just("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("\"'><".to_string()),
        Just(" on".to_string()),
        Just("click=alert(1) ".to_string()),
        Just("\n\n".to_string()),
        Just("<div style=\"x:expression(alert(1))\">".to_string()),
        Just("&#106;avascript:".to_string()),
        "[가-힣a-z<>=\"'/: ]{0,12}",
    ];
    prop::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sanitised_body_never_yields_script(body in hostile_text()) {
        let blocks = copydesk::render::markdown::blocks(&body, "[세종=뉴스핌] 김기랑 기자 = ", &[], Default::default());
        let html: String = blocks.into_iter().map(|block| match block {
            copydesk::render::markdown::Block::Html(html) => html,
            copydesk::render::markdown::Block::Photo(_) => String::new(),
        }).collect();
        let page = format!("<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>");
        let findings = script_findings(&page, false);
        prop_assert!(findings.is_empty(), "{:?} from {:?}", findings, body);
    }

    #[test]
    fn any_headline_and_body_render_a_page_without_script(headline in hostile_text(), body in hostile_text(), tag in hostile_text()) {
        use copydesk::render::{self, PageInput, Templates};
        let newsroom = copydesk::newsroom::Newsroom { outlet: "뉴스핌".into(), ..Default::default() };
        let content = copydesk::article::Content {
            headline: headline.replace('\n', " "),
            subheadlines: vec![tag.clone()],
            body,
            tags: vec![tag],
            ..Default::default()
        };
        let article = crate::common::draft_of(&content);
        let input = PageInput { article: &article, content: &content, newsroom: &newsroom, preview: true };
        let page = render::page(&input, &copydesk::render::Resources::default(), &Templates::house()).unwrap();
        let findings = script_findings(&page, false);
        prop_assert!(findings.is_empty(), "{:?}", findings);
    }
}
