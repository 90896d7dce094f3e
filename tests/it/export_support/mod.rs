//! A real library in a temporary file, with the seed article in it, for the export tests
//! (the other integration tests share `tests/it/common`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use copydesk::article::{Article, ArticleId};
use copydesk::clock::Clock;
use copydesk::export::{self, ExportOptions, ExportReport};
use copydesk::import;
use copydesk::user::{NewUser, Role, User};
use copydesk::{Change, Library};

pub struct Desk {
    pub library: Library,
    pub editor: User,
    pub folder: tempfile::TempDir,
}

pub const NOW: &str = "2025-03-01T09:00:00+09:00";

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

impl Desk {
    pub fn new() -> Desk {
        Desk::at(NOW)
    }

    pub fn at(now: &str) -> Desk {
        let crate::common::TestLibrary { folder, mut library, .. } = crate::common::new_library(Clock::from_setting(Some(now)).unwrap());
        let mut newsroom = library.newsroom().unwrap();
        newsroom.set("outlet", "뉴스핌").unwrap();
        newsroom.set("base_url", "https://www.newspim.com/news").unwrap();
        library.set_newsroom(None, &newsroom).unwrap();
        let editor = library
            .add_user(None, NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Admin })
            .unwrap();
        Desk { library, editor, folder }
    }

    pub fn import(&mut self, path: &str) -> Article {
        let newsroom = self.library.newsroom().unwrap();
        let imported = import::read_file(&fixture(path), &newsroom).unwrap();
        self.library.import(&self.editor, imported).unwrap()
    }

    pub fn seed(&mut self) -> Article {
        self.import("seed-article/article.md")
    }

    /// A draft with `body`, for scenarios that need their own article.
    pub fn draft(&mut self, headline: &str, body: &str) -> Article {
        let seed = import::read_file(&fixture("seed-article/article.md"), &self.library.newsroom().unwrap()).unwrap();
        let content = copydesk::article::Content { headline: headline.into(), body: body.into(), photos: Vec::new(), ..seed.content };
        self.library.create(&self.editor, content).unwrap()
    }

    pub fn publish(&mut self, id: ArticleId) -> Article {
        self.library.submit(&self.editor, id, Change::default()).unwrap();
        self.library.publish(&self.editor, id, Change::default()).unwrap()
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    pub fn export(&self, ids: &[ArticleId], out: &str, options: &ExportOptions) -> copydesk::Result<ExportReport> {
        export::export(&self.library, ids, &self.out(out), options, &mut |_, _| {})
    }

    pub fn page(&self, id: ArticleId, options: &ExportOptions) -> String {
        let out = format!("page-{}-{}", id, rand_suffix());
        self.export(&[id], &out, options).unwrap();
        std::fs::read_to_string(self.out(&out).join(format!("{id}.html"))).unwrap()
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub fn html() -> ExportOptions {
    ExportOptions::default()
}

pub fn preview() -> ExportOptions {
    ExportOptions { preview: true, ..ExportOptions::default() }
}

/// The text a reader sees, whitespace collapsed.
pub fn visible_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").unwrap();
    let text: Vec<String> = document.select(&body).flat_map(|body| body.text().map(String::from).collect::<Vec<_>>()).collect();
    text.join("").split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn select<'a>(document: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    document.select(&scraper::Selector::parse(selector).unwrap()).collect()
}

pub fn json_ld(html: &str) -> serde_json::Value {
    let document = scraper::Html::parse_document(html);
    let script = select(&document, r#"script[type="application/ld+json"]"#);
    assert_eq!(script.len(), 1, "one JSON-LD block");
    serde_json::from_str(&script[0].text().collect::<String>()).unwrap()
}

pub fn meta(html: &str, property: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    select(&document, &format!(r#"meta[property="{property}"], meta[name="{property}"]"#))
        .iter()
        .filter_map(|element| element.value().attr("content").map(String::from))
        .collect()
}
