//! The article page: a pure function from an article, the content of the revision to show and
//! the newsroom's settings to one HTML page. The export writes what it returns; the app's live
//! preview calls the same function with the content being edited, so what the editor sees is
//! what gets published.
//!
//! Safety lives here and nowhere else: body HTML is sanitised in [`markdown`], every other field
//! is escaped by the template engine (templates ending in `.html` always auto-escape), and the
//! JSON-LD is escaped for its `<script>` element.

pub mod markdown;
mod related;
pub mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior};
use serde_json::json;

use crate::article::{Article, ArticleId, Content, ImageRef, Photo};
use crate::newsroom::Newsroom;
use crate::workflow::Status;
use crate::{Error, Result};

pub use markdown::MarkdownOptions;
pub use related::{Articles, related};
use view::*;

/// What a page is made of. `content` is rendered as given, so a preview can pass unsaved text.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// Its id, status, 기사입력, 최종수정 and corrections.
    pub article: &'a Article,
    /// The revision to show: `Library::published_content` for an export.
    pub content: &'a Content,
    pub newsroom: &'a Newsroom,
    /// Mark the page as a preview (banner, `noindex`).
    pub preview: bool,
}

/// A related article as a page links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub id: ArticleId,
    pub headline: String,
    pub first_published: Option<Timestamp>,
}

/// How a page finds what is not in the article itself.
pub trait Resolve {
    /// What `<img src>` gets for `photo`: a path next to the page or a `data:` URL.
    fn photo_src(&self, photo: &Photo) -> String;
    /// The related article `id`, or `None` to leave it out (not published, or gone).
    fn related(&self, id: ArticleId) -> Option<Related>;
}

/// What a page needs from outside the article, looked up beforehand so rendering cannot fail
/// halfway: photo addresses and the related articles that may be linked.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub photo_srcs: HashMap<ImageRef, String>,
    pub related: HashMap<ArticleId, Related>,
}

impl Resolve for Resources {
    fn photo_src(&self, photo: &Photo) -> String {
        self.photo_srcs.get(&photo.image).cloned().unwrap_or_else(|| photo_file(photo))
    }

    fn related(&self, id: ArticleId) -> Option<Related> {
        self.related.get(&id).cloned()
    }
}

/// The page's file name without extension: the article id. Canonical URLs are
/// `{base_url}/{slug}.html`.
pub fn slug(id: ArticleId) -> String {
    id.to_string()
}

/// Where `path` (relative to the export folder) lives on the site.
pub fn site_url(newsroom: &Newsroom, path: &str) -> String {
    let base = newsroom.base_url.trim_end_matches('/');
    if base.is_empty() { path.to_string() } else { format!("{base}/{path}") }
}

/// The stable file name of a photo in an export: a hash of its content and of the caption,
/// credit and photographer written into it (see [`crate::photo_metadata::embed`]), so the same
/// picture with the same caption is stored once however many pages show it.
pub fn photo_file(photo: &Photo) -> String {
    let extension = match photo.media_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/avif" => "avif",
        _ => "img",
    };
    let described = [
        photo.image.0.as_str(),
        photo.caption.trim(),
        photo.credit.trim(),
        photo.creator.trim(),
        photo.email.trim(),
        photo.alt.trim(),
        &photo.date.map(|date| date.to_string()).unwrap_or_default(),
    ]
    .join("\u{0}");
    let hash: String = crate::article::ImageRef::of(described.as_bytes()).0.chars().take(16).collect();
    format!("media/{hash}.{extension}")
}

/// The page as HTML.
pub fn page(input: &PageInput<'_>, resolve: &dyn Resolve, templates: &Templates) -> Result<String> {
    let view = page_view(input, resolve);
    templates.render(Templates::ARTICLE, Value::from(Serde(&view)))
}

/// Everything a template sees for one page.
pub fn page_view(input: &PageInput<'_>, resolve: &dyn Resolve) -> PageView {
    let PageInput { article, content, newsroom, preview } = *input;
    let time = |at: Timestamp| TimeView { display: newsroom.display(at), iso: newsroom.iso(at) };
    let options = MarkdownOptions::default();
    let slug = slug(article.id);
    let canonical_url = site_url(newsroom, &format!("{slug}.html"));
    let outlet = if newsroom.outlet.trim().is_empty() { content.dateline.outlet.clone() } else { newsroom.outlet.clone() };

    let photos: Vec<PhotoView> = content.photos.iter().map(|photo| photo_view(photo, resolve, newsroom, content)).collect();
    let lead_in = content.lead_in();
    let blocks = markdown::blocks(&content.body, &lead_in, &content.photos, options)
        .into_iter()
        .map(|block| match block {
            markdown::Block::Html(html) => BlockView { html: Some(html), photo: None },
            markdown::Block::Photo(index) => BlockView { html: None, photo: photos.get(index).cloned() },
        })
        .collect();
    let description = describe(content, options);
    let related: Vec<RelatedView> = content
        .related
        .iter()
        .filter(|id| **id != article.id)
        .filter_map(|id| resolve.related(*id))
        .map(|related| RelatedView {
            headline: related.headline,
            url: site_url(newsroom, &format!("{}.html", self::slug(related.id))),
            first_published: related.first_published.map(time),
        })
        .collect();
    let corrections: Vec<CorrectionView> =
        article.corrections.iter().map(|correction| CorrectionView { at: time(correction.at), note: correction.note.clone() }).collect();
    let first_published = article.first_published.map(time);
    let last_modified = article.last_modified.or(article.first_published).map(time);
    let preview = preview.then(|| PreviewView { status: article.status.to_string(), status_label: status_label(article.status).into() });

    let json_ld = json_ld(&JsonLdInput {
        content,
        newsroom,
        outlet: &outlet,
        canonical_url: &canonical_url,
        description: &description,
        photos: &photos,
        first_published: first_published.as_ref(),
        last_modified: last_modified.as_ref(),
        corrections: &corrections,
    });
    let language = if newsroom.language.trim().is_empty() { "ko".to_string() } else { newsroom.language.clone() };
    let title = if outlet.is_empty() { content.headline.clone() } else { format!("{} | {outlet}", content.headline) };
    PageView {
        og_locale: og_locale(&language),
        lang: language,
        outlet,
        site_url: newsroom.base_url.trim_end_matches('/').to_string(),
        article_id: article.id.0,
        slug,
        canonical_url,
        title,
        headline: content.headline.clone(),
        subheadlines: content.subheadlines.iter().filter(|line| !line.trim().is_empty()).cloned().collect(),
        section: content.section.0.clone(),
        section_path: content.section.path(),
        section_leaf: content.section.leaf().unwrap_or_default().to_string(),
        description,
        first_published,
        last_modified,
        dateline: DatelineView {
            place: content.dateline.place.clone(),
            outlet: content.dateline.outlet.clone(),
            bracketed: content.dateline.bracketed(),
        },
        bylines: content
            .bylines
            .iter()
            .map(|byline| BylineView {
                name: byline.name.clone(),
                title: byline.title.clone(),
                email: byline.email.clone(),
                credit: byline.credit(),
            })
            .collect(),
        lead_in,
        blocks,
        photos,
        sign_off: content.sign_off().into_iter().map(String::from).collect(),
        tags: content.tags.iter().filter(|tag| !tag.trim().is_empty()).cloned().collect(),
        related,
        corrections,
        preview,
        json_ld,
        font_sizes: FONT_SIZES
            .iter()
            .enumerate()
            .map(|(index, label)| FontSizeView { id: format!("font-size-{}", index + 1), label: (*label).into(), checked: index == 2 })
            .collect(),
    }
}

const FONT_SIZES: [&str; 5] = ["더 작게", "작게", "보통", "크게", "더 크게"];

fn status_label(status: Status) -> &'static str {
    status.label_ko()
}

fn og_locale(language: &str) -> String {
    match language.split('-').next().unwrap_or_default() {
        "ko" => "ko_KR".into(),
        "en" => "en_US".into(),
        "ja" => "ja_JP".into(),
        "zh" => "zh_CN".into(),
        other => other.to_string(),
    }
}

/// The seed's credit line under a caption, `[사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com`,
/// from a photo's credit, date and sign-off.
pub fn credit_line(photo: &Photo) -> String {
    let date = photo.date.map(|date| date.strftime("%Y.%m.%d").to_string()).unwrap_or_default();
    let credit = if photo.credit.trim().is_empty() { String::new() } else { format!("[사진={}]", photo.credit.trim()) };
    [credit.as_str(), date.as_str(), photo.email.trim()].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

fn photo_view(photo: &Photo, resolve: &dyn Resolve, newsroom: &Newsroom, content: &Content) -> PhotoView {
    let headline = content.headline.as_str();
    let creator = if photo.creator.trim().is_empty() {
        content.bylines.iter().map(|byline| byline.name.trim()).filter(|name| !name.is_empty()).collect::<Vec<_>>().join(", ")
    } else {
        photo.creator.trim().to_string()
    };
    let date = photo.date.map(|date| date.strftime("%Y.%m.%d").to_string()).unwrap_or_default();
    let credit_line = credit_line(photo);
    let alt =
        [photo.alt.trim(), photo.caption.trim(), headline.trim()].into_iter().find(|text| !text.is_empty()).unwrap_or("사진").to_string();
    PhotoView {
        src: resolve.photo_src(photo),
        url: site_url(newsroom, &photo_file(photo)),
        width: photo.width,
        height: photo.height,
        alt,
        caption: photo.caption.trim().to_string(),
        credit: photo.credit.trim().to_string(),
        date,
        email: photo.email.trim().to_string(),
        credit_line,
        creator,
    }
}

/// About 150 characters of the first paragraph; the first subheadline or the headline when the
/// body has no text.
fn describe(content: &Content, options: MarkdownOptions) -> String {
    const LIMIT: usize = 150;
    let text = markdown::first_paragraph_text(&content.body, options);
    let text = if text.is_empty() { content.subheadlines.first().cloned().unwrap_or_else(|| content.headline.clone()) } else { text };
    if text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{}…", cut.trim_end())
}

struct JsonLdInput<'a> {
    content: &'a Content,
    newsroom: &'a Newsroom,
    outlet: &'a str,
    canonical_url: &'a str,
    description: &'a str,
    photos: &'a [PhotoView],
    first_published: Option<&'a TimeView>,
    last_modified: Option<&'a TimeView>,
    corrections: &'a [CorrectionView],
}

/// schema.org `NewsArticle`, as text safe to put inside `<script type="application/ld+json">`.
fn json_ld(input: &JsonLdInput<'_>) -> String {
    let content = input.content;
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": content.headline,
        "description": input.description,
        "url": input.canonical_url,
        "mainEntityOfPage": input.canonical_url,
        "inLanguage": if input.newsroom.language.is_empty() { "ko" } else { input.newsroom.language.as_str() },
        "author": content.bylines.iter().map(|byline| {
            let mut person = json!({ "@type": "Person", "name": byline.name });
            if !byline.title.is_empty() { person["jobTitle"] = json!(byline.title); }
            if !byline.email.is_empty() { person["email"] = json!(byline.email); }
            person
        }).collect::<Vec<_>>(),
        "publisher": {
            "@type": "Organization",
            "name": input.outlet,
        },
        "image": input.photos.iter().map(|photo| {
            let mut image = json!({
                "@type": "ImageObject",
                "url": photo.url,
                "width": photo.width,
                "height": photo.height,
                "caption": photo.caption,
                "creditText": photo.credit,
            });
            if !photo.creator.is_empty() {
                image["creator"] = photo.creator.split(", ").map(|name| json!({ "@type": "Person", "name": name })).collect();
            }
            if !input.outlet.trim().is_empty() {
                image["copyrightNotice"] = json!(format!("© {}", input.outlet.trim()));
            }
            image
        }).collect::<Vec<_>>(),
        "keywords": content.tags,
    });
    if !input.newsroom.base_url.is_empty() {
        article["publisher"]["url"] = json!(input.newsroom.base_url);
    }
    if let Some(first) = input.first_published {
        article["datePublished"] = json!(first.iso);
    }
    if let Some(last) = input.last_modified {
        article["dateModified"] = json!(last.iso);
    }
    if !content.dateline.place.trim().is_empty() {
        article["dateline"] = json!(content.dateline.place.trim());
    }
    if let Some(leaf) = content.section.leaf() {
        article["articleSection"] = json!(leaf);
    }
    if !input.corrections.is_empty() {
        article["correction"] = input
            .corrections
            .iter()
            .map(|correction| json!({ "@type": "CorrectionComment", "text": correction.note, "datePublished": correction.at.iso }))
            .collect();
    }
    script_safe_json(&article)
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>` and `&` are
/// written as Unicode escapes, which JSON parsers read back unchanged.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The page templates: the house templates compiled into Copydesk, each replaceable by a file of
/// the same name in an outlet's template folder.
pub struct Templates {
    env: Environment<'static>,
    folder: Option<PathBuf>,
}

impl Templates {
    pub const ARTICLE: &'static str = "article.html";
    pub const INDEX: &'static str = "index.html";
    pub const STYLE: &'static str = "style.css";
    const HOUSE: [(&'static str, &'static str); 3] = [
        (Templates::ARTICLE, include_str!("templates/article.html")),
        (Templates::INDEX, include_str!("templates/index.html")),
        (Templates::STYLE, include_str!("templates/style.css")),
    ];

    fn environment() -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax.trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true);
        if let Ok(syntax) = syntax.build() {
            env.set_syntax(syntax);
        }
        env.set_formatter(|out, state, value| {
            // HTML-escaped strings keep `/` as it is, so URLs stay readable in the page source.
            match (state.auto_escape(), value.as_str()) {
                (minijinja::AutoEscape::Html, Some(text)) if !value.is_safe() => {
                    out.write_str(&markdown::escape_text(text)).map_err(minijinja::Error::from)
                }
                _ => minijinja::escape_formatter(out, state, value),
            }
        });
        env.set_auto_escape_callback(
            |name| {
                if name.ends_with(".html") { minijinja::AutoEscape::Html } else { minijinja::AutoEscape::None }
            },
        );
        env
    }

    /// The house templates.
    pub fn house() -> Templates {
        let mut env = Templates::environment();
        for (name, source) in Templates::HOUSE {
            // The house templates are tested to compile; a failure here would be a build defect.
            if let Err(error) = env.add_template(name, source) {
                debug_assert!(false, "house template {name}: {error}");
            }
        }
        Templates { env, folder: None }
    }

    /// The house templates with every file of `folder` named like one of them (`article.html`,
    /// `index.html`, `style.css`) put in its place; other `.html` files there can be included.
    pub fn from_folder(folder: &Path) -> Result<Templates> {
        let entries = std::fs::read_dir(folder).map_err(|error| {
            Error::invalid(
                format!("the template folder {} ({error})", folder.display()),
                "give a folder holding the outlet's article.html, index.html or style.css (see docs/export-templates.md)",
            )
        })?;
        let mut names: Vec<String> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|error| Error::io(folder, error))?;
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.path().is_file() && (name.ends_with(".html") || name.ends_with(".css")) {
                names.push(name);
            }
        }
        names.sort();
        let mut env = Templates::environment();
        for (name, source) in Templates::HOUSE {
            if !names.iter().any(|own| own == name) {
                let _ = env.add_template(name, source);
            }
        }
        for name in names {
            let path = folder.join(&name);
            let source = std::fs::read_to_string(&path).map_err(|error| Error::io(&path, error))?;
            env.add_template_owned(name, source).map_err(|error| template_error(Some(folder), &error))?;
        }
        Ok(Templates { env, folder: Some(folder.to_path_buf()) })
    }

    pub fn render(&self, name: &str, context: Value) -> Result<String> {
        let template = self.env.get_template(name).map_err(|error| template_error(self.folder.as_deref(), &error))?;
        template.render(context).map_err(|error| template_error(self.folder.as_deref(), &error))
    }
}

fn template_error(folder: Option<&Path>, error: &minijinja::Error) -> Error {
    let name = error.name().unwrap_or("template");
    let file = match folder {
        Some(folder) if folder.join(name).is_file() => folder.join(name),
        _ => PathBuf::from(format!("(house template) {name}")),
    };
    let mut message = error.detail().map(|detail| format!("{}: {detail}", error.kind())).unwrap_or_else(|| error.kind().to_string());
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!("; {cause}"));
        source = cause.source();
    }
    Error::Template { file, line: error.line(), message }
}
