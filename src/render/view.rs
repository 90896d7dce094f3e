//! What templates see. These shapes are the documented template variables
//! (`docs/export-templates.md`); domain types never reach a template directly, so the model can
//! change without breaking an outlet's template.

use serde::Serialize;

/// One article page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// BCP 47 language of the page, from settings (`ko`).
    pub lang: String,
    /// The outlet, from settings (`뉴스핌`).
    pub outlet: String,
    /// The site's address from settings, without a trailing slash; empty when not set.
    pub site_url: String,
    pub article_id: i64,
    /// The page's file name without `.html`.
    pub slug: String,
    /// Absolute when the site's address is set, else relative to the export folder.
    pub canonical_url: String,
    /// The text of `<title>`: `headline | outlet`.
    pub title: String,
    pub headline: String,
    pub subheadlines: Vec<String>,
    /// The section levels, outermost first, and the same joined with ` > `.
    pub section: Vec<String>,
    pub section_path: String,
    /// The innermost level, for `article:section`.
    pub section_leaf: String,
    /// About 150 characters of the first paragraph, for `description` and Open Graph.
    pub description: String,
    /// 기사입력 and 최종수정; absent before publication.
    pub first_published: Option<TimeView>,
    pub last_modified: Option<TimeView>,
    pub dateline: DatelineView,
    pub bylines: Vec<BylineView>,
    /// `[세종=뉴스핌] 김기랑 기자 = `, already placed at the start of the first paragraph.
    pub lead_in: String,
    /// The body in order: sanitised HTML (`block.html`, print it with `|safe`) or a photo
    /// (`block.photo`).
    pub blocks: Vec<BlockView>,
    /// Every photo of the article, in listed order (for `og:image`).
    pub photos: Vec<PhotoView>,
    /// The byline emails that close the article.
    pub sign_off: Vec<String>,
    pub tags: Vec<String>,
    pub related: Vec<RelatedView>,
    pub corrections: Vec<CorrectionView>,
    /// Set when the page is a preview of an article that is not published: show a banner and
    /// keep search engines away.
    pub preview: Option<PreviewView>,
    /// The schema.org `NewsArticle` as JSON, escaped for a `<script>` element: print with `|safe`.
    pub json_ld: String,
    /// Open Graph `og:locale`, such as `ko_KR`.
    pub og_locale: String,
    pub font_sizes: Vec<FontSizeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    /// `2025년02월20일 15:09`
    pub display: String,
    /// `2025-02-20T15:09:00+09:00`
    pub iso: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatelineView {
    pub place: String,
    pub outlet: String,
    /// `[세종=뉴스핌]`
    pub bracketed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BylineView {
    pub name: String,
    pub title: String,
    pub email: String,
    /// `김기랑 기자`
    pub credit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    pub html: Option<String>,
    pub photo: Option<PhotoView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    /// What `<img src>` takes: a file next to the page, or a `data:` URL when self-contained.
    pub src: String,
    /// Where the photo lives on the site, for Open Graph and JSON-LD.
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// Never empty: the alt text, or the caption when there is none.
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// `2025.02.20`, or empty.
    pub date: String,
    pub email: String,
    /// `[사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com`
    pub credit_line: String,
    /// The photographer, or the article's bylines when the photo names none.
    pub creator: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub headline: String,
    pub url: String,
    pub first_published: Option<TimeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub at: TimeView,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviewView {
    /// `draft`, `submitted`, `scheduled`, `published` or `killed`.
    pub status: String,
    /// The same in Korean: 작성 중, 송고, 예약, 출고, 출고 취소.
    pub status_label: String,
}

/// One step of the reader's font-size control (글자 크기), which works without JavaScript.
#[derive(Debug, Clone, Serialize)]
pub struct FontSizeView {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

/// The index page of a batch export.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub lang: String,
    pub outlet: String,
    pub title: String,
    pub preview: bool,
    pub articles: Vec<IndexEntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexEntryView {
    pub headline: String,
    pub url: String,
    pub section_path: String,
    pub first_published: Option<TimeView>,
    pub bylines: Vec<String>,
}
