//! The live preview. TEMPORARY: a small renderer of its own (pulldown-cmark + ammonia) until
//! the export issue's render function lands in the core; then `preview` calls that instead, so
//! the preview is what gets published.

use std::time::Instant;

use copydesk::article::{Content, Length};
use copydesk::newsroom::Newsroom;
use pulldown_cmark::{Options, Parser, html};

use crate::dto::Preview;

pub fn preview(content: &Content, newsroom: &Newsroom) -> Preview {
    let started = Instant::now();
    let html = render(content, newsroom);
    Preview { html, length: Length::of(&content.body), micros: started.elapsed().as_micros() as u64 }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A photo's `<figure>`, with the seed's caption line: `caption [사진=credit] date email`.
fn figure(photo: &copydesk::article::Photo, alt: &str) -> String {
    let mut caption = escape(&photo.caption);
    if !photo.credit.is_empty() {
        caption.push_str(&format!(" [사진={}]", escape(&photo.credit)));
    }
    if let Some(date) = photo.date {
        caption.push_str(&format!(" {}", date.strftime("%Y.%m.%d")));
    }
    if !photo.email.is_empty() {
        caption.push_str(&format!(" {}", escape(&photo.email)));
    }
    let alt = if photo.alt.is_empty() { alt } else { &photo.alt };
    format!(
        "<figure><img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\"><figcaption>{}</figcaption></figure>",
        crate::photos::url(&photo.image),
        escape(alt),
        photo.width,
        photo.height,
        caption.trim()
    )
}

/// Body Markdown with each paragraph that is only a placed photo (`![alt](photos/x.jpg)`)
/// turned into its figure.
fn place_photos(content: &Content) -> String {
    let mut out = String::with_capacity(content.body.len() + 256);
    for line in content.body.lines() {
        let trimmed = line.trim();
        let placed = trimmed.strip_prefix("![").and_then(|rest| rest.strip_suffix(')')).and_then(|rest| rest.split_once("]("));
        match placed.and_then(|(alt, file)| content.photos.iter().find(|photo| photo.file == file).map(|photo| (alt, photo))) {
            Some((alt, photo)) => {
                out.push_str("\n");
                out.push_str(&figure(photo, alt));
                out.push_str("\n\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

pub fn render(content: &Content, newsroom: &Newsroom) -> String {
    let mut page = String::with_capacity(content.body.len() * 2 + 1024);
    if !content.section.is_empty() {
        page.push_str(&format!("<nav class=\"section\">{}</nav>", escape(&content.section.path())));
    }
    page.push_str(&format!("<h1>{}</h1>", escape(&content.headline)));
    if !content.subheadlines.is_empty() {
        page.push_str("<ul class=\"subheadlines\">");
        for line in &content.subheadlines {
            page.push_str(&format!("<li>{}</li>", escape(line)));
        }
        page.push_str("</ul>");
    }
    let mut dateline = content.clone().dateline;
    if dateline.outlet.trim().is_empty() {
        dateline.outlet = newsroom.outlet.clone();
    }
    let lead_in = Content { dateline, bylines: content.bylines.clone(), ..Content::default() }.lead_in();
    let mut markdown = String::new();
    let body = place_photos(content);
    let first_text = body.find(|c: char| !c.is_whitespace()).filter(|at| !body[*at..].starts_with('<'));
    match first_text {
        Some(at) if !lead_in.is_empty() => {
            markdown.push_str(&body[..at]);
            markdown.push_str(&lead_in.replace('[', "\\[").replace(']', "\\]"));
            markdown.push_str(&body[at..]);
        }
        _ => markdown.push_str(&body),
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut body_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut body_html, Parser::new_ext(&markdown, options));
    let clean = ammonia::Builder::default()
        .add_url_schemes(["photo"])
        .add_tag_attributes("img", ["width", "height"])
        .clean(&body_html)
        .to_string();
    page.push_str("<div class=\"body\">");
    page.push_str(&clean);
    page.push_str("</div>");
    let sign_off = content.sign_off();
    if !sign_off.is_empty() {
        page.push_str(&format!("<p class=\"sign-off\">{}</p>", escape(&sign_off.join(" "))));
    }
    if !content.tags.is_empty() {
        page.push_str("<ul class=\"tags\">");
        for tag in &content.tags {
            page.push_str(&format!("<li>#{}</li>", escape(tag)));
        }
        page.push_str("</ul>");
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_is_safe_and_quick() {
        let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n".to_string() + &"협약을 체결했다. ".repeat(400);
        let content = Content { headline: "제목".into(), body, ..Content::default() };
        let preview = preview(&content, &Newsroom::default());
        assert!(!preview.html.contains("<script"), "{}", preview.html);
        assert!(!preview.html.contains("onerror"));
        assert!(content.body.len() > 5000);
    }

    /// The seed story's body grown to 5 KB with a placed photo: the median of 50 renders must
    /// stay under 10 ms (the budget), in the test profile. Prints the figure for
    /// BENCHMARKS-app.md (`cargo test -p copydesk-app preview_5kb -- --nocapture`).
    #[test]
    fn preview_5kb_renders_within_budget() {
        let seed = include_str!("../../tests/fixtures/seed-article/article.md");
        let body = seed.rsplit("---\n").next().unwrap_or(seed);
        let mut text = String::new();
        while text.len() < 5 * 1024 {
            text.push_str(body);
            text.push('\n');
        }
        let content = Content { headline: "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손".into(), body: text, ..Content::default() };
        let mut micros: Vec<u64> = (0..50).map(|_| preview(&content, &Newsroom::default()).micros).collect();
        micros.sort_unstable();
        let median = micros[micros.len() / 2];
        println!("preview of a {} byte body: median {median} µs, max {} µs", content.body.len(), micros[micros.len() - 1]);
        assert!(median < 10_000, "median {median} µs");
    }
}
