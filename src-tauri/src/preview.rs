//! The live preview: the export's own page render (`copydesk::render::page`), given the text
//! being edited, so what the editor sees is what gets published. Photos point at `photo://`.

use std::sync::OnceLock;
use std::time::Instant;

use copydesk::Library;
use copydesk::article::{Article, ArticleId, Content, Length};
use copydesk::newsroom::Newsroom;
use copydesk::render::{self, PageInput, Resources, Templates};

use crate::dto::{IpcError, Preview};
use crate::server::Server;

fn house() -> &'static Templates {
    static HOUSE: OnceLock<Templates> = OnceLock::new();
    HOUSE.get_or_init(Templates::house)
}

/// What the page of article `id` carrying `content` needs from the library: the article, the
/// newsroom, photo addresses on `photo://`, and the related articles the export would link
/// (`render::related`, as a preview: killed ones left out, under their published headline).
pub fn gather(library: &Library, id: ArticleId, content: &Content) -> Result<(Article, Newsroom, Resources), IpcError> {
    let mut resources = Resources { related: render::related(library, &content.related, true)?, ..Resources::default() };
    for photo in &content.photos {
        resources.photo_srcs.insert(photo.image.clone(), crate::photos::url(&photo.image));
    }
    Ok((library.article(id)?, library.newsroom()?, resources))
}

/// What the page needs on a newsroom server: photo addresses on `photo://` (served from the
/// server) and the related articles, found by the same rule as on a library
/// (`render::related`), read from the server.
pub fn server_resources(server: &Server, content: &Content) -> Result<Resources, IpcError> {
    let mut resources = Resources { related: render::related(&OnServer(server), &content.related, true)?, ..Resources::default() };
    for photo in &content.photos {
        resources.photo_srcs.insert(photo.image.clone(), crate::photos::url(&photo.image));
    }
    Ok(resources)
}

/// The server's articles as the related-article rule reads them: as last read when it cannot be
/// reached, so the preview keeps working offline.
struct OnServer<'a>(&'a Server);

impl render::Articles for OnServer<'_> {
    fn article(&self, id: ArticleId) -> Option<Article> {
        self.0.article(id).ok()
    }

    fn published_content(&self, article: &Article) -> copydesk::Result<Content> {
        match article.published_revision {
            Some(number) if number != article.head => self.0.client.published_content(article.id),
            _ => Ok(article.content.clone()),
        }
    }
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

    /// The preview links what the export links: not a killed article, and a published one under
    /// the headline readers see, not a later unpublished save.
    #[test]
    fn the_preview_links_related_articles_as_the_export_does() {
        use copydesk::Change;
        use copydesk::article::Byline;
        use copydesk::clock::Clock;
        use copydesk::user::{NewUser, Role};
        let folder = tempfile::tempdir().unwrap();
        let location = copydesk::store::Location::File(folder.path().join("library.sqlite3"));
        let mut library = Library::init(&location, Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap()).unwrap();
        let desk = NewUser { name: "박데스크".into(), title: "데스크".into(), email: "desk@newspim.com".into(), role: Role::Editor };
        let desk = library.add_user(None, desk).unwrap();
        let byline = Byline { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into() };
        let story = |headline: &str| Content {
            headline: headline.into(),
            body: "본문.".into(),
            bylines: vec![byline.clone()],
            ..Content::default()
        };
        let mut publish = |headline: &str| {
            let article = library.create(&desk, story(headline)).unwrap();
            library.submit(&desk, article.id, Change::default()).unwrap();
            library.publish(&desk, article.id, Change::default()).unwrap()
        };
        let killed = publish("오보였던 기사");
        let revised = publish("출고된 제목");
        library.kill(&desk, killed.id, Change::note("오보")).unwrap();
        library.save(&desk, revised.id, revised.head, story("아직 출고되지 않은 새 제목")).unwrap();
        let page = library.create(&desk, story("본 기사")).unwrap();
        let content = Content { related: vec![killed.id, revised.id], ..page.content.clone() };
        let (article, newsroom, resources) = gather(&library, page.id, &content).unwrap();
        let html = preview(&article, &content, &newsroom, &resources).unwrap().html;
        assert!(!html.contains("오보였던 기사"), "a killed article is not linked");
        assert!(html.contains("출고된 제목"), "the published headline is linked");
        assert!(!html.contains("아직 출고되지 않은 새 제목"));
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
