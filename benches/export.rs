//! Export throughput: renders 10,000 synthetic articles (about 5 KB of Markdown each, with links,
//! emphasis, a table, raw HTML for the sanitiser to clean and a photo) to publish-ready pages,
//! sanitising on, and reports pages per second; then the same batch through the whole export
//! (library file -> files on disk); and the render time of the seed article's page.
//!
//!     cargo bench --bench export            # all of it
//!     ARTICLES=2000 cargo bench --bench export
//!
//! Under `cargo test` it runs on 500 articles.

use std::time::{Duration, Instant};

use copydesk::Change;
use copydesk::article::{Article, ArticleId, Byline, Content, Dateline, Section};
use copydesk::clock::Clock;
use copydesk::export::{self, ExportOptions};
use copydesk::library::Library;
use copydesk::newsroom::Newsroom;
use copydesk::render::Resources;
use copydesk::render::{self, PageInput, Templates};
use copydesk::revision::RevisionNo;
use copydesk::user::{NewUser, Role, UserId};
use copydesk::workflow::Status;

fn body(n: usize) -> String {
    let paragraph = |i: usize| {
        format!(
            "중소벤처기업진흥공단은 {i}일 **업무협약**을 체결했다고 밝혔다. 이번 협약은 글로벌 혁신특구 기업과 해외 실증을 \
             지원하는 등 [바이오벤처](https://example.com/{n}/{i}) 기업의 글로벌 진출 기반을 구축하기 위해 추진됐다. \
             <span onclick=\"alert({i})\">관계자</span>는 \"협업 모델을 지속 발굴하겠다\"고 말했다.<script>x()</script>"
        )
    };
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&paragraph(i));
        text.push_str("\n\n");
        if i == 2 {
            text.push_str("![사진](photos/photo.png)\n\n");
        }
        if i == 6 {
            text.push_str("| 품목 | 수출액 | 증감률 |\n|---|---:|---:|\n| 화장품 | 16.2 | 12.4% |\n| 바이오 | 8.7 | ~~5.0%~~ 5.3% |\n\n");
        }
    }
    text
}

fn content(n: usize, photo: Option<copydesk::article::Photo>) -> Content {
    Content {
        section: Section::parse("경제 > 경제일반"),
        headline: format!("합성 기사 {n}: 중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손"),
        subheadlines: vec!["20일 일본 도쿄서 업무협약 체결".into(), "바이오벤처 기업 진출 기반 마련".into()],
        dateline: Dateline { place: "세종".into(), outlet: "뉴스핌".into() },
        bylines: vec![Byline { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into() }],
        body: body(n),
        photos: photo.into_iter().collect(),
        tags: vec!["중진공".into(), "바이오".into(), "업무협약".into()],
        related: Vec::new(),
        embargo: None,
        source: None,
    }
}

fn article(n: usize, content: Content) -> Article {
    let at: jiff::Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
    Article {
        id: ArticleId(n as i64 + 1),
        status: Status::Published,
        content,
        head: RevisionNo(1),
        published_revision: Some(RevisionNo(1)),
        first_published: Some(at),
        last_modified: Some(at),
        corrections: Vec::new(),
        created_by: UserId(1),
        created_at: at,
        updated_at: at,
        scheduled_by: None,
    }
}

fn rate(count: usize, elapsed: Duration) -> String {
    format!("{count} pages in {:.2} s = {:.0} pages/s", elapsed.as_secs_f64(), count as f64 / elapsed.as_secs_f64())
}

fn main() {
    // Under `cargo test` (no --bench) a small batch proves the bench still runs.
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let count: usize = std::env::var("ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(if benchmarking { 10_000 } else { 500 });
    let newsroom = Newsroom { outlet: "뉴스핌".into(), base_url: "https://www.newspim.com/news".into(), ..Newsroom::default() };
    let pixel = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/photos/pixel.png")).unwrap();
    let image = copydesk::import::describe_image(pixel.clone()).unwrap();
    let photo = copydesk::article::Photo {
        file: "photos/photo.png".into(),
        image: image.image.clone(),
        media_type: image.media_type.clone(),
        width: image.width,
        height: image.height,
        caption: "업무협약식 참석자들이 기념사진을 촬영하고 있다.".into(),
        credit: "중소벤처기업진흥공단".into(),
        date: Some("2025-02-20".parse().unwrap()),
        email: "rang@newspim.com".into(),
        alt: "업무협약식 기념사진".into(),
        creator: String::new(),
    };
    let articles: Vec<Article> = (0..count).map(|n| article(n, content(n, Some(photo.clone())))).collect();
    let average = articles.iter().map(|article| article.content.body.len()).sum::<usize>() / count.max(1);
    println!("{count} synthetic articles, {average} bytes of Markdown each on average");

    // 1. The pure render, one core.
    let templates = Templates::house();
    let resources = Resources::default();
    let render_all = |articles: &[Article]| -> usize {
        articles
            .iter()
            .map(|article| {
                let input = PageInput { article, content: &article.content, newsroom: &newsroom, preview: false };
                render::page(&input, &resources, &templates).map(|page| page.len()).unwrap_or(0)
            })
            .sum()
    };
    render_all(&articles[..count.min(200)]);
    let started = Instant::now();
    let bytes = render_all(&articles);
    let elapsed = started.elapsed();
    println!("render, 1 thread:  {} ({} MB of HTML)", rate(count, elapsed), bytes / 1_000_000);

    // Where a page's time goes.
    let sample = &articles[..count.min(2000)];
    let started = Instant::now();
    for article in sample {
        let blocks =
            render::markdown::blocks(&article.content.body, &article.content.lead_in(), &article.content.photos, Default::default());
        std::hint::black_box(blocks);
    }
    let body_time = started.elapsed();
    let started = Instant::now();
    let mut html_pages = Vec::with_capacity(sample.len());
    for article in sample {
        let mut html = String::new();
        let options = pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_FOOTNOTES;
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&article.content.body, options));
        html_pages.push(html);
    }
    let markdown_time = started.elapsed();
    let started = Instant::now();
    for html in &html_pages {
        std::hint::black_box(render::markdown::sanitise(html));
    }
    let sanitise_time = started.elapsed();
    println!(
        "  of which Markdown to HTML alone {:.0} µs, one sanitising pass over that HTML {:.0} µs",
        markdown_time.as_secs_f64() * 1e6 / sample.len() as f64,
        sanitise_time.as_secs_f64() * 1e6 / sample.len() as f64,
    );
    let started = Instant::now();
    for article in sample {
        let input = PageInput { article, content: &article.content, newsroom: &newsroom, preview: false };
        std::hint::black_box(render::page_view(&input, &resources));
    }
    let view_time = started.elapsed();
    println!(
        "  per page: body Markdown + sanitising {:.0} µs, whole view (body included) {:.0} µs, template {:.0} µs",
        body_time.as_secs_f64() * 1e6 / sample.len() as f64,
        view_time.as_secs_f64() * 1e6 / sample.len() as f64,
        (elapsed.as_secs_f64() / count as f64 - view_time.as_secs_f64() / sample.len() as f64) * 1e6,
    );

    // 2. The pure render on both cores (what a batch could do; templates are shared).
    let started = Instant::now();
    std::thread::scope(|scope| {
        let (first, second) = articles.split_at(count / 2);
        let a = scope.spawn(|| render_all(first));
        let b = scope.spawn(|| render_all(second));
        a.join().unwrap() + b.join().unwrap()
    });
    println!("render, 2 threads: {}", rate(count, started.elapsed()));

    // 3. The seed article's page, the app preview's case.
    let seed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed-article/article.md");
    let seed = copydesk::import::read_file(std::path::Path::new(seed_path), &newsroom).unwrap();
    let seed_article = article(0, seed.content);
    let input = PageInput { article: &seed_article, content: &seed_article.content, newsroom: &newsroom, preview: false };
    let runs = 1000;
    let started = Instant::now();
    for _ in 0..runs {
        render::page(&input, &resources, &templates).unwrap();
    }
    let per_page = started.elapsed() / runs;
    println!("seed page ({} bytes of Markdown): {:.3} ms per render", seed_article.content.body.len(), per_page.as_secs_f64() * 1000.0);
    let five_kb = article(1, content(1, None));
    let input = PageInput { article: &five_kb, content: &five_kb.content, newsroom: &newsroom, preview: true };
    let started = Instant::now();
    for _ in 0..runs {
        render::page(&input, &resources, &templates).unwrap();
    }
    println!("5 KB article preview: {:.3} ms per render", (started.elapsed() / runs).as_secs_f64() * 1000.0);

    // 4. The whole export from a library file: read, check, render, write.
    let folder = tempfile::tempdir().unwrap();
    let clock = Clock::from_setting(Some("2025-02-20T15:09:00+09:00")).unwrap();
    let mut library = Library::init(&copydesk::store::Location::File(folder.path().join("library.sqlite3")), clock).unwrap();
    library.set_newsroom(None, &newsroom).unwrap();
    let editor = library
        .add_user(None, NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Admin })
        .unwrap();
    library.add_image(pixel).unwrap();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(count);
    for article in &articles {
        let created = library.create(&editor, article.content.clone()).unwrap();
        library.submit(&editor, created.id, Change::default()).unwrap();
        library.publish(&editor, created.id, Change::default()).unwrap();
        ids.push(created.id);
    }
    println!("(setup: {count} articles published into a library in {:.1} s)", started.elapsed().as_secs_f64());
    let options = ExportOptions { index: true, ..ExportOptions::default() };
    let started = Instant::now();
    let items = export::items(&library, &ids, &options).unwrap();
    println!("  of which reading and checking {} articles: {:.2} s", items.len(), started.elapsed().as_secs_f64());
    drop(items);
    let started = Instant::now();
    export::export(&library, &ids, &folder.path().join("site"), &options, &mut |_, _| {}).unwrap();
    println!("export from the library to files on disk ({}): {}", folder.path().display(), rate(count, started.elapsed()));
    // The same into memory (tmpfs), which leaves out the file system's cost of creating files.
    if let Ok(memory) = tempfile::tempdir_in("/dev/shm") {
        let started = Instant::now();
        export::export(&library, &ids, &memory.path().join("site"), &options, &mut |_, _| {}).unwrap();
        println!("export from the library to files in /dev/shm: {}", rate(count, started.elapsed()));
    }
}
