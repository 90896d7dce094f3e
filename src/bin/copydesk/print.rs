//! How the CLI shows things: plain text for people, JSON (`--json`) for scripts.

use std::path::Path;

use copydesk::article::{Article, ArticleId, ArticleSummary, Content};
use copydesk::newsroom::Newsroom;
use copydesk::revision::{FieldChange, Revision, RevisionNo, SegmentChange};
use copydesk::search::SearchResults;
use copydesk::store::Health;
use copydesk::user::User;
use serde::Serialize;
use serde_json::json;

fn emit<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(error) => eprintln!("error: cannot write JSON: {error}"),
    }
}

pub fn error(error: &anyhow::Error, json: bool) {
    let code = error.downcast_ref::<copydesk::Error>().map(copydesk::Error::code).unwrap_or("error");
    let message = error.chain().map(ToString::to_string).collect::<Vec<_>>().join("\n  because: ");
    if json {
        eprintln!("{}", json!({ "code": code, "message": message }));
    } else {
        eprintln!("error: {message}");
    }
}

pub fn done(message: &str, json: bool) {
    if json {
        emit(&json!({ "message": message }));
    } else {
        println!("{message}");
    }
}

pub fn newsroom(path: &Path, newsroom: &Newsroom, json: bool) {
    if json {
        emit(&json!({ "library": path, "newsroom": newsroom }));
        return;
    }
    println!("library    {}", path.display());
    for key in Newsroom::KEYS {
        println!("{key:<10} {}", newsroom.get(key).unwrap_or_default());
    }
}

pub fn users(users: &[User], json: bool) {
    if json {
        return emit(users);
    }
    for user in users {
        println!("{:<8} {} {} <{}>", user.role, user.name, user.title, user.email);
    }
}

pub fn ids(ids: &[ArticleId], json: bool) {
    if json {
        return emit(ids);
    }
    for id in ids {
        println!("{id}");
    }
}

fn when(newsroom: &Newsroom, at: Option<jiff::Timestamp>) -> String {
    at.map(|at| newsroom.display(at)).unwrap_or_else(|| "-".into())
}

fn summary_line(summary: &ArticleSummary, newsroom: &Newsroom) -> String {
    format!(
        "{:>6}  {:<9}  {:<18}  {:<18}  {}  [{}] {}",
        summary.id,
        summary.status,
        when(newsroom, summary.first_published),
        when(newsroom, summary.last_modified),
        summary.headline,
        summary.section,
        summary.bylines.join(", ")
    )
}

pub fn list(summaries: &[ArticleSummary], total: u64, newsroom: &Newsroom, json: bool) {
    if json {
        return emit(&json!({ "total": total, "articles": summaries }));
    }
    println!("{:>6}  {:<9}  {:<18}  {:<18}  headline", "id", "status", "기사입력", "최종수정");
    for summary in summaries {
        println!("{}", summary_line(summary, newsroom));
    }
    println!("{} of {total} articles", summaries.len());
}

pub fn article(article: &Article, number: RevisionNo, content: &Content, newsroom: &Newsroom, json: bool) {
    if json {
        return emit(&json!({
            "article": article,
            "revision": number,
            "content": content,
            "display": {
                "first_published": article.first_published.map(|at| newsroom.display(at)),
                "last_modified": article.last_modified.map(|at| newsroom.display(at)),
                "lead_in": content.lead_in(),
            }
        }));
    }
    println!("article {}  {}  revision {number} of {}", article.id, article.status, article.head);
    println!("{}", content.section.path());
    println!("{}", content.headline);
    for line in &content.subheadlines {
        println!("  {line}");
    }
    println!("기사입력 : {}", when(newsroom, article.first_published));
    println!("최종수정 : {}", when(newsroom, article.last_modified));
    if let Some(embargo) = content.embargo {
        println!("엠바고 : {}", newsroom.display(embargo));
    }
    println!();
    print!("{}", content.lead_in());
    println!("{}", content.body);
    for photo in &content.photos {
        let date = photo.date.map(|date| date.strftime("%Y.%m.%d").to_string()).unwrap_or_default();
        println!();
        println!("[{}] {}x{} {}", photo.file, photo.width, photo.height, photo.alt);
        println!("{} [사진={}] {} {}", photo.caption, photo.credit, date, photo.email);
    }
    println!();
    println!("{}", content.sign_off().join(" "));
    if !content.tags.is_empty() {
        println!("tags: {}", content.tags.join(", "));
    }
    if !content.related.is_empty() {
        println!("related: {}", content.related.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    }
    for correction in &article.corrections {
        println!("정정 {} ({}): {}", newsroom.display(correction.at), correction.by, correction.note);
    }
}

pub fn transition(article: &Article, newsroom: &Newsroom, json: bool) {
    if json {
        return emit(article);
    }
    let mut line = format!("article {} is {} at revision {}", article.id, article.status, article.head);
    if let Some(embargo) = article.content.embargo.filter(|_| article.status == copydesk::workflow::Status::Scheduled) {
        line.push_str(&format!(", to be released at {}", newsroom.display(embargo)));
    }
    if let Some(first) = article.first_published {
        line.push_str(&format!(", 기사입력 {}", newsroom.display(first)));
    }
    if let Some(last) = article.last_modified {
        line.push_str(&format!(", 최종수정 {}", newsroom.display(last)));
    }
    println!("{line}");
}

pub fn released(articles: &[Article], newsroom: &Newsroom, json: bool) {
    if json {
        return emit(articles);
    }
    for article in articles {
        transition(article, newsroom, false);
    }
    println!("{} released", articles.len());
}

pub fn history(revisions: &[Revision], newsroom: &Newsroom, json: bool) {
    if json {
        return emit(revisions);
    }
    for revision in revisions {
        println!(
            "{:>4}  {:<10} {:<10} {}  {}  {} bytes{}",
            revision.number,
            revision.kind,
            revision.status,
            newsroom.display(revision.at),
            revision.author_name,
            revision.stored_bytes,
            revision.note.as_deref().map(|note| format!("  \u{2014} {note}")).unwrap_or_default()
        );
    }
}

pub fn diff(changes: &[FieldChange], json: bool) {
    if json {
        return emit(changes);
    }
    if changes.is_empty() {
        println!("no differences");
    }
    for change in changes {
        println!("== {}", change.field);
        let text: String = change
            .segments
            .iter()
            .map(|segment| match segment.change {
                SegmentChange::Same => segment.text.clone(),
                SegmentChange::Added => format!("{{+{}+}}", segment.text),
                SegmentChange::Removed => format!("[-{}-]", segment.text),
            })
            .collect();
        println!("{text}");
    }
}

pub fn search(results: &SearchResults, newsroom: &Newsroom, json: bool) {
    if json {
        return emit(results);
    }
    for hit in &results.hits {
        println!("{}", summary_line(&hit.article, newsroom));
        let snippet: String =
            hit.snippet.iter().map(|part| if part.hit { format!("[{}]", part.text) } else { part.text.clone() }).collect();
        println!("        {snippet}");
    }
    println!("{} of {} matching articles", results.hits.len(), results.total);
}

pub fn health(health: &Health, repaired: bool, json: bool) {
    if json {
        return emit(&json!({ "ok": health.is_ok(), "health": health, "index_rebuilt": repaired }));
    }
    println!("file integrity: {}", health.integrity.join("; "));
    println!("{} articles, {} revisions", health.articles, health.revisions);
    for problem in &health.unreadable_revisions {
        println!("unreadable: {problem}");
    }
    if repaired {
        println!("search index rebuilt");
    }
    println!("{}", if health.is_ok() { "ok" } else { "PROBLEMS FOUND" });
}

/// Runs `work` with a progress bar on a terminal (never in JSON mode or when piped).
pub fn with_progress<T>(total: usize, json: bool, work: impl FnOnce(&mut dyn FnMut(usize, usize)) -> T) -> T {
    use std::io::IsTerminal;
    if json || total < 2 || !std::io::stdout().is_terminal() {
        return work(&mut |_, _| {});
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles  {per_sec}  eta {eta}") {
        bar.set_style(style);
    }
    let result = work(&mut |done, _| bar.set_position(done as u64));
    bar.finish_and_clear();
    result
}

pub fn exported(report: &copydesk::export::ExportReport, json: bool) {
    if json {
        return emit(report);
    }
    for article in &report.articles {
        if let Some(page) = article.files.first() {
            println!("{:>6}  {:<9}  {}", article.id, article.status, page.display());
        }
    }
    for file in &report.batch_files {
        println!("        index      {}", file.display());
    }
    let count = report.articles.len();
    let noun = if count == 1 { "article" } else { "articles" };
    println!("exported {count} {noun} as {} into {}", report.format, report.folder.display());
}
