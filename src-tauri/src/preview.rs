//! The live preview: the export's own page render (`copydesk::render::page`), given the text
//! being edited, so what the editor sees is what gets published. Photos point at `photo://`.

use std::sync::OnceLock;
use std::time::Instant;

use copydesk::article::{Article, Content, Length};
use copydesk::newsroom::Newsroom;
use copydesk::render::{self, PageInput, Resources, Templates};

use crate::dto::{IpcError, Preview};

fn house() -> &'static Templates {
    static HOUSE: OnceLock<Templates> = OnceLock::new();
    HOUSE.get_or_init(Templates::house)
}

pub fn preview(article: &Article, content: &Content, newsroom: &Newsroom, resources: &Resources) -> Result<Preview, IpcError> {
    let started = Instant::now();
    let input = PageInput { article, content, newsroom, preview: true };
    let html = render::page(&input, resources, house())?;
    Ok(Preview { html, length: Length::of(&content.body), micros: started.elapsed().as_micros() as u64 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk::article::ArticleId;
    use copydesk::revision::RevisionNo;
    use copydesk::workflow::Status;

    fn article(content: &Content) -> Article {
        let at: jiff::Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        Article {
            id: ArticleId(1),
            status: Status::Draft,
            content: content.clone(),
            head: RevisionNo::FIRST,
            published_revision: None,
            first_published: None,
            last_modified: None,
            corrections: Vec::new(),
            created_by: copydesk::user::UserId(1),
            created_at: at,
            updated_at: at,
            scheduled_by: None,
        }
    }

    #[test]
    fn preview_is_the_export_page_and_safe() {
        let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n협약을 체결했다.".to_string();
        let content = Content { headline: "제목".into(), body, ..Content::default() };
        let preview = preview(&article(&content), &content, &Newsroom::default(), &Resources::default()).unwrap();
        assert!(preview.html.contains("<!DOCTYPE html") || preview.html.contains("<!doctype html"), "{}", &preview.html[..200]);
        assert!(!preview.html.contains("alert(1)</script>"));
        assert!(!preview.html.contains("onerror"));
    }

    /// A published article being revised is not "unpublished": the banner says it is the
    /// not yet published revision of a published article.
    #[test]
    fn the_preview_of_a_published_article_says_it_is_a_revision_of_it() {
        let content = Content { headline: "제목".into(), body: "고친 본문.".into(), ..Content::default() };
        let published = Article { status: Status::Published, ..article(&content) };
        let html = preview(&published, &content, &Newsroom::default(), &Resources::default()).unwrap().html;
        assert!(html.contains("출고된 기사의 아직 출고되지 않은 수정본"), "{html}");
        assert!(!html.contains("발행되지 않은 기사입니다"));
        let draft = preview(&article(&content), &content, &Newsroom::default(), &Resources::default()).unwrap().html;
        assert!(draft.contains("발행되지 않은 기사입니다 (상태: 작성 중)"));
    }

    /// The seed story's body grown past 5 KB: the median of 50 renders must stay under 10 ms
    /// (the budget), in the test profile. Prints the figure for BENCHMARKS-app.md
    /// (`cargo test -p copydesk-app preview_5kb -- --nocapture`).
    #[test]
    fn preview_5kb_renders_within_budget() {
        let seed = include_str!("../../tests/fixtures/seed-article/article.md");
        let body = seed.rsplit("---\n").next().unwrap_or(seed);
        let mut text = String::new();
        while text.len() < 5 * 1024 {
            text.push_str(body);
            text.push('\n');
        }
        let content = Content {
            headline: "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손".into(), body: text, ..Content::default()
        };
        let article = article(&content);
        let mut micros: Vec<u64> =
            (0..50).map(|_| preview(&article, &content, &Newsroom::default(), &Resources::default()).unwrap().micros).collect();
        micros.sort_unstable();
        let median = micros[micros.len() / 2];
        println!("preview of a {} byte body: median {median} µs, max {} µs", content.body.len(), micros[micros.len() - 1]);
        assert!(median < 10_000, "median {median} µs");
    }
}
