//! How the CLI shows things: plain text for people, JSON (`--json`) for scripts.

use copydesk::article::{Article, ArticleId, ArticleSummary, Content};
use copydesk::newsroom::Newsroom;
use copydesk::revision::{FieldChange, Revision, RevisionNo, SegmentChange};
use copydesk::search::SearchResults;
use copydesk::store::{Health, Location};
use copydesk::user::User;
use serde::Serialize;
use serde_json::json;

/// `say!` that ends the program quietly when the reader went away (`copydesk list | head`)
/// instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(error) = writeln!(std::io::stdout().lock(), $($arg)*) {
            stdout_failed(error);
        }
    }};
}

fn stdout_failed(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write the output: {error}");
    std::process::exit(1);
}

fn emit<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => say!("{text}"),
        Err(error) => eprintln!("error: cannot write JSON: {error}"),
    }
}

pub fn error(error: &anyhow::Error, json: bool) {
    let core = error.downcast_ref::<copydesk::Error>();
    let code = core.map(|error| error.code().as_str()).unwrap_or("error");
    // A cause already spelled out in the message above it (an I/O error after its path) is not
    // repeated.
    let mut causes: Vec<String> = Vec::new();
    for cause in error.chain().map(ToString::to_string) {
        if !causes.last().is_some_and(|above| above.contains(&cause)) {
            causes.push(cause);
        }
    }
    let message = causes.join("\n  because: ");
    let hint = core.and_then(hint);
    if json {
        eprintln!("{}", json!({ "code": code, "message": message, "hint": hint }));
    } else if let Some(hint) = hint {
        eprintln!("error: {message}\nhint: {hint}");
    } else {
        eprintln!("error: {message}");
    }
}

/// What to type next, in the CLI's own flags: the core's messages name no front end's controls.
fn hint(error: &copydesk::Error) -> Option<String> {
    use copydesk::Error;
    use copydesk::workflow::{Action, RefusalCode, Status};
    Some(match error {
        Error::Conflict { article, merged: Some(_), .. } => {
            format!("run `copydesk edit {article}` again and write the marked passages as they should read")
        }
        Error::Conflict { article, base, current, merged: None } => {
            format!("compare them with `copydesk diff {article} {base} {current}`, then edit again")
        }
        Error::Refused(refusal) if refusal.code == RefusalCode::NoteMissing => {
            format!("give the note with --note TEXT: `copydesk {} ID --note \"...\"`", command_of(refusal.action))
        }
        Error::Refused(refusal) if refusal.action == Action::Publish && refusal.status == Status::Published => {
            "change a published article with `copydesk correct ID --note TEXT`".into()
        }
        Error::Refused(refusal) if refusal.code == RefusalCode::Embargo => "`copydesk release-due` releases what is due".into(),
        Error::NotExportable { status: Status::Scheduled, .. } => {
            "`copydesk release-due` releases what is due; or add --preview to export it marked 미리보기".into()
        }
        Error::NotExportable { .. } => "add --preview to export it marked 미리보기".into(),
        Error::Template { .. } => "leave out --template to use the house template".into(),
        Error::NoActingUser => "pass --user EMAIL or set COPYDESK_USER (see `copydesk user list`)".into(),
        Error::UnknownUser { .. } => "see `copydesk user list`; an admin adds people with `copydesk user add`".into(),
        Error::Forbidden(_) => "act as an admin with --user EMAIL".into(),
        Error::Corrupt(_) => "run `copydesk check --repair`".into(),
        Error::Storage(_) | Error::Migration(_) | Error::NewerLibrary { .. } => {
            "name another library with --library PATH or COPYDESK_LIBRARY".into()
        }
        Error::NotFound { .. } => "`copydesk list` shows the articles, `copydesk history ID` their revisions".into(),
        Error::Remote { code: copydesk::ErrorCode::NotSignedIn, .. } => {
            "sign in with `copydesk --server URL login --email EMAIL --password-stdin`".into()
        }
        Error::Remote { code: copydesk::ErrorCode::Unavailable, .. } => {
            "check the address given with --server (or COPYDESK_SERVER); the server's /ready says whether it can work".into()
        }
        Error::NoLibrary { .. } => "make a new library with `copydesk init`, or name another with --library PATH".into(),
        Error::ReadOnly { .. } => "copy it somewhere writable with `copydesk backup COPY` and work on the copy".into(),
        _ => return None,
    })
}

fn command_of(action: copydesk::workflow::Action) -> &'static str {
    use copydesk::workflow::Action;
    match action {
        Action::Return => "return",
        _ => "correct",
    }
}

pub fn done(message: &str, json: bool) {
    if json {
        emit(&json!({ "message": message }));
    } else {
        say!("{message}");
    }
}

pub fn newsroom(location: &dyn std::fmt::Display, newsroom: &Newsroom, json: bool) {
    if json {
        emit(&json!({ "library": location.to_string(), "newsroom": newsroom }));
        return;
    }
    say!("library    {location}");
    for key in Newsroom::KEYS {
        say!("{key:<10} {}", newsroom.get(key).unwrap_or_default());
    }
}

pub fn audit(entries: &[copydesk_protocol::AuditEntry], users: &[User], newsroom: &Newsroom, json: bool) {
    if json {
        return emit(entries);
    }
    for entry in entries {
        let actor = entry
            .actor
            .map(|id| users.iter().find(|user| user.id == id).map_or_else(|| format!("user {id}"), |user| user.email.clone()))
            .unwrap_or_else(|| "-".into());
        say!(
            "{}  {:<16} {:<24} {:<24} {:<15} {}",
            when(newsroom, Some(entry.at)),
            entry.action,
            actor,
            entry.subject,
            entry.address,
            entry.detail
        );
    }
}

pub fn users(users: &[User], json: bool) {
    if json {
        return emit(users);
    }
    for user in users {
        say!("{:<8} {} {} <{}>", user.role, user.name, user.title, user.email);
    }
}

pub fn ids(ids: &[ArticleId], json: bool) {
    if json {
        return emit(ids);
    }
    for id in ids {
        say!("{id}");
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
    say!("{:>6}  {:<9}  {:<18}  {:<18}  headline", "id", "status", "기사입력", "최종수정");
    for summary in summaries {
        say!("{}", summary_line(summary, newsroom));
    }
    say!("{} of {total} articles", summaries.len());
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
    say!("article {}  {}  revision {number} of {}", article.id, article.status, article.head);
    say!("{}", content.section.path());
    say!("{}", content.headline);
    for line in &content.subheadlines {
        say!("  {line}");
    }
    say!("기사입력 : {}", when(newsroom, article.first_published));
    say!("최종수정 : {}", when(newsroom, article.last_modified));
    if let Some(embargo) = content.embargo {
        say!("엠바고 : {}", newsroom.display(embargo));
    }
    say!();
    say!("{}{}", content.lead_in(), content.body);
    for photo in &content.photos {
        let date = photo.date.map(|date| date.strftime("%Y.%m.%d").to_string()).unwrap_or_default();
        say!();
        say!("[{}] {}x{} {}", photo.file, photo.width, photo.height, photo.alt);
        say!("{} [사진={}] {} {}", photo.caption, photo.credit, date, photo.email);
    }
    say!();
    say!("{}", content.sign_off().join(" "));
    if !content.tags.is_empty() {
        say!("tags: {}", content.tags.join(", "));
    }
    if !content.related.is_empty() {
        say!("related: {}", content.related.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    }
    for correction in &article.corrections {
        say!("정정 {} ({}): {}", newsroom.display(correction.at), correction.by, correction.note);
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
    say!("{line}");
}

pub fn released(articles: &[Article], newsroom: &Newsroom, json: bool) {
    if json {
        return emit(articles);
    }
    for article in articles {
        transition(article, newsroom, false);
    }
    say!("{} released", articles.len());
}

pub fn history(revisions: &[Revision], newsroom: &Newsroom, json: bool) {
    if json {
        return emit(revisions);
    }
    for revision in revisions {
        say!(
            "{:>4}  {:<10} {:<10} {}  {}  {} bytes{}{}",
            revision.number,
            revision.kind,
            revision.status,
            newsroom.display(revision.at),
            revision.author_name,
            revision.stored_bytes,
            revision.merged_from.map(|from| format!("  (merged from revision {from})")).unwrap_or_default(),
            revision.note.as_deref().map(|note| format!("  \u{2014} {note}")).unwrap_or_default()
        );
    }
}

pub fn diff(changes: &[FieldChange], json: bool) {
    if json {
        return emit(changes);
    }
    if changes.is_empty() {
        say!("no differences");
    }
    for change in changes {
        say!("== {}", change.field);
        let text: String = change
            .segments
            .iter()
            .map(|segment| match segment.change {
                SegmentChange::Same => segment.text.clone(),
                SegmentChange::Added => format!("{{+{}+}}", segment.text),
                SegmentChange::Removed => format!("[-{}-]", segment.text),
            })
            .collect();
        say!("{text}");
    }
}

pub fn search(results: &SearchResults, newsroom: &Newsroom, json: bool) {
    if json {
        return emit(results);
    }
    for hit in &results.hits {
        say!("{}", summary_line(&hit.article, newsroom));
        let snippet: String =
            hit.snippet.iter().map(|part| if part.hit { format!("[{}]", part.text) } else { part.text.clone() }).collect();
        say!("        {snippet}");
    }
    say!("{} of {} matching articles", results.hits.len(), results.total);
}

pub fn health(health: &Health, repaired: bool, json: bool) {
    if json {
        return emit(&json!({ "ok": health.is_ok(), "health": health, "index_rebuilt": repaired }));
    }
    say!("{} articles, {} revisions", health.articles, health.revisions);
    for problem in &health.problems {
        say!("problem: {problem}");
    }
    if repaired {
        say!("search index rebuilt");
    }
    say!("{}", if health.is_ok() { "ok" } else { "PROBLEMS FOUND" });
}

/// A progress bar on a terminal; hidden when output goes to a file or a pipe.
pub fn progress(total: u64, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left)");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

pub fn copied(copied: &copydesk::Copied, to: &Location, elapsed: std::time::Duration, json: bool) {
    if json {
        return emit(&json!({ "copied": copied, "to": to.to_string(), "seconds": elapsed.as_secs_f64() }));
    }
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    say!(
        "copied {}, {} with {}, {} and {} to {to} in {:.1} s; every revision reads back identical",
        count(copied.people, "person", "people"),
        count(copied.articles, "article", "articles"),
        count(copied.revisions, "revision", "revisions"),
        count(copied.photos, "photo", "photos"),
        count(copied.working_copies, "unsaved working copy", "unsaved working copies"),
        elapsed.as_secs_f64()
    );
    // Passwords live in the server's accounts, not in the library, so none came along.
    if matches!(to, Location::Postgres(_)) && copied.people > 0 {
        say!(
            "each person signs in to the newsroom server once an admin sets their password: copydesk --library {to} user passwd EMAIL --password-stdin"
        );
    }
}

pub fn filled(filled: &copydesk::synthetic::Filled, elapsed: std::time::Duration, json: bool) {
    let per_second = filled.articles as f64 / elapsed.as_secs_f64().max(0.001);
    if json {
        return emit(&json!({ "filled": filled, "seconds": elapsed.as_secs_f64(), "articles_per_second": per_second }));
    }
    say!(
        "{} articles ({} MB of text) and {} edits in {:.1} s, {:.0} articles/s",
        filled.articles,
        filled.text_bytes / 1_000_000,
        filled.edits,
        elapsed.as_secs_f64(),
        per_second
    );
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
