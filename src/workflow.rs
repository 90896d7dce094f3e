//! The desk's workflow: which action is allowed in which state for which role, and what it
//! changes. This module is the only place these rules live.
//!
//! ```text
//! draft --submit(송고)--> submitted --publish--> published --correct--> published
//!   ^                       |  \--publish before embargo--> scheduled --embargo passes--> published
//!   +------return-----------+
//! any state --kill--> killed
//! ```

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::article::{Article, Content};
use crate::revision::RevisionKind;
use crate::user::{Role, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum Status {
    Draft,
    /// Sent to the desk (송고).
    Submitted,
    /// Approved, waiting for its embargo to pass.
    Scheduled,
    Published,
    /// Withdrawn; kept, never deleted.
    Killed,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Draft, Status::Submitted, Status::Scheduled, Status::Published, Status::Killed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Killed => "killed",
        }
    }
}

impl Status {
    /// The status as the newsroom says it, on the exported page and in the app alike: a killed
    /// article is 출고 취소 (withdrawn), never 삭제, since nothing is ever deleted.
    pub fn label_ko(self) -> &'static str {
        match self {
            Status::Draft => "작성 중",
            Status::Submitted => "송고",
            Status::Scheduled => "예약",
            Status::Published => "출고",
            Status::Killed => "출고 취소",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = crate::Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text.trim().to_lowercase())
            .ok_or_else(|| crate::Error::invalid(format!("the status {text:?}"), "use draft, submitted, scheduled, published or killed"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum Action {
    Edit,
    Submit,
    Return,
    Publish,
    Release,
    Correct,
    Kill,
    Restore,
    Import,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Edit => "edit",
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Publish => "publish",
            Action::Release => "release",
            Action::Correct => "correct",
            Action::Kill => "kill",
            Action::Restore => "restore",
            Action::Import => "import",
        })
    }
}

/// Whether an action takes a note (for the reporter, or for readers), and must have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum NoteRule {
    None,
    Optional,
    Required,
}

impl Action {
    /// The note an action takes: a return tells the reporter what to fix and a correction tells
    /// readers what changed (both required); a kill may say why.
    pub fn note(self) -> NoteRule {
        match self {
            Action::Return | Action::Correct => NoteRule::Required,
            Action::Kill => NoteRule::Optional,
            _ => NoteRule::None,
        }
    }
}

/// Which kind of rule refused an action, for a front end to act on without reading the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum RefusalCode {
    /// The role or the state does not allow it.
    NotAllowed,
    /// The article was killed; nothing more is done to it.
    Killed,
    /// The story lacks a headline, byline or body.
    Incomplete,
    /// The action needs a note (`Action::note`) and got none.
    NoteMissing,
    /// The embargo does not allow it (yet).
    Embargo,
}

/// Why an action was refused: the state, the role and the rule, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("cannot {action} this article: it is {status} and you are {role}. {rule}")]
pub struct Refusal {
    pub action: Action,
    pub status: Status,
    pub role: Role,
    pub code: RefusalCode,
    pub rule: String,
}

/// An action as a front end offers it: whether the user may take it now, the note it takes,
/// whether publishing would schedule (the embargo is still ahead by the library's clock), and
/// the refusal when it may not be taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionState {
    pub action: Action,
    pub allowed: bool,
    pub note: NoteRule,
    pub schedules: bool,
    pub refusal: Option<Refusal>,
    /// The refusal in words, for a disabled button's explanation.
    pub reason: Option<String>,
}

/// What an allowed action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: Status,
    pub kind: RevisionKind,
    /// Set when the action puts a revision in front of readers.
    pub publication: Option<Publication>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publication {
    /// 기사입력, for the first publication only.
    pub first_published: Option<Timestamp>,
    /// 최종수정.
    pub last_modified: Timestamp,
}

/// May `actor` do `action` to `article` (as stored) at `now`, with `note`? `content` is the
/// article's content after the action (what would be submitted or published); ownership comes
/// from the stored article, never from `content`.
pub fn decide(
    action: Action,
    actor: &User,
    article: &Article,
    content: &Content,
    note: Option<&str>,
    now: Timestamp,
) -> Result<Transition, Refusal> {
    let status = article.status;
    let refuse_as = |code, rule: &str| Refusal { action, status, role: actor.role, code, rule: rule.to_string() };
    let refuse = |rule: &str| refuse_as(RefusalCode::NotAllowed, rule);
    let has_note = note.is_some_and(|note| !note.trim().is_empty());
    // Whose article it is is what the library already holds: an edit adding its author's byline
    // must not make the draft theirs.
    let owns =
        article.created_by == actor.id || article.content.bylines.iter().any(|byline| byline.email.eq_ignore_ascii_case(&actor.email));

    if status == Status::Killed {
        return Err(refuse_as(
            RefusalCode::Killed,
            "A killed article is kept as it was when it was withdrawn; nothing more can be done to it.",
        ));
    }
    let same = |kind| Ok(Transition { to: status, kind, publication: None });
    match action {
        Action::Edit | Action::Restore => {
            let kind = if action == Action::Edit { RevisionKind::Saved } else { RevisionKind::Restored };
            if actor.role.is_desk() {
                return same(kind);
            }
            if status != Status::Draft {
                return Err(refuse("Reporters edit drafts only; once sent to the desk, ask an editor to return it."));
            }
            if !owns {
                return Err(refuse("Reporters edit their own drafts only; this one belongs to another reporter."));
            }
            same(kind)
        }
        Action::Submit => {
            if status != Status::Draft {
                return Err(refuse("Only drafts are submitted (송고)."));
            }
            if !actor.role.is_desk() && !owns {
                return Err(refuse("Reporters submit their own drafts only."));
            }
            ready_for_desk(content).map_err(|missing| refuse_as(RefusalCode::Incomplete, &missing))?;
            Ok(Transition { to: Status::Submitted, kind: RevisionKind::Submitted, publication: None })
        }
        Action::Return => {
            if !actor.role.is_desk() {
                return Err(refuse("Only editors return stories to their reporter."));
            }
            if status != Status::Submitted {
                return Err(refuse("Only submitted stories are returned."));
            }
            if !has_note {
                return Err(refuse_as(RefusalCode::NoteMissing, "Returning a story needs a note telling the reporter what to fix."));
            }
            Ok(Transition { to: Status::Draft, kind: RevisionKind::Returned, publication: None })
        }
        Action::Publish => {
            if !actor.role.is_desk() {
                return Err(refuse("Only editors publish; submit (송고) the story to the desk."));
            }
            if !matches!(status, Status::Submitted | Status::Scheduled) {
                return Err(refuse(match status {
                    Status::Draft => "A draft is submitted (송고) before it is published.",
                    _ => "A published article is changed by a correction with a note for readers, not published again.",
                }));
            }
            ready_for_desk(content).map_err(|missing| refuse_as(RefusalCode::Incomplete, &missing))?;
            match content.embargo {
                Some(embargo) if embargo > now => {
                    Ok(Transition { to: Status::Scheduled, kind: RevisionKind::Scheduled, publication: None })
                }
                _ => Ok(Transition {
                    to: Status::Published,
                    kind: RevisionKind::Published,
                    publication: Some(Publication {
                        first_published: article.first_published.is_none().then_some(now),
                        last_modified: now,
                    }),
                }),
            }
        }
        Action::Release => {
            if status != Status::Scheduled {
                return Err(refuse("Only scheduled articles are released."));
            }
            match content.embargo {
                Some(embargo) if embargo <= now => Ok(Transition {
                    to: Status::Published,
                    kind: RevisionKind::Released,
                    publication: Some(Publication {
                        first_published: article.first_published.is_none().then_some(embargo),
                        last_modified: embargo,
                    }),
                }),
                Some(_) => Err(refuse_as(RefusalCode::Embargo, "Its embargo has not passed yet.")),
                None => Err(refuse_as(RefusalCode::Embargo, "It has no embargo; publish it instead.")),
            }
        }
        Action::Correct => {
            if !actor.role.is_desk() {
                return Err(refuse("Only editors correct published articles."));
            }
            if status != Status::Published {
                return Err(refuse("Only published articles are corrected; before publication just edit it."));
            }
            if !has_note {
                return Err(refuse_as(RefusalCode::NoteMissing, "A correction needs a note for readers saying what changed."));
            }
            Ok(Transition {
                to: Status::Published,
                kind: RevisionKind::Corrected,
                publication: Some(Publication { first_published: None, last_modified: now }),
            })
        }
        Action::Kill => {
            if !actor.role.is_desk() {
                return Err(refuse("Only editors kill articles."));
            }
            Ok(Transition { to: Status::Killed, kind: RevisionKind::Killed, publication: None })
        }
        Action::Import => same(RevisionKind::Imported),
    }
}

/// May `actor` bring an article into the library already in `status`? Reporters bring in drafts;
/// only the desk may import an archive of stories that went through a desk elsewhere.
pub fn decide_import(actor: &User, status: Status) -> Result<(), Refusal> {
    if status == Status::Draft || actor.role.is_desk() {
        return Ok(());
    }
    Err(Refusal {
        action: Action::Import,
        status,
        role: actor.role,
        code: RefusalCode::NotAllowed,
        rule: "Reporters import drafts only; ask an editor to import published or scheduled stories.".into(),
    })
}

/// May `article` go on the site as it is? Only published articles may; the reason is the rule
/// a user reads when it may not. `now` tells a scheduled article whose embargo has passed (it
/// waits to be released) from one still under embargo.
pub fn publish_ready(article: &Article, now: Timestamp) -> Result<(), String> {
    match article.status {
        Status::Published => Ok(()),
        Status::Draft => Err("only published articles go on the site; submit (송고) and publish it first.".into()),
        Status::Submitted => Err("it is waiting for the desk; an editor publishes it first.".into()),
        Status::Scheduled => match article.content.embargo {
            Some(embargo) if embargo > now => {
                Err(format!("it is under embargo until {embargo}; it may go on the site once the embargo has passed and it is released."))
            }
            _ => Err("its embargo has passed but it has not been released yet; release the articles that are due first.".into()),
        },
        Status::Killed => Err("it was withdrawn (killed); its page must come off the site, not go on it.".into()),
    }
}

/// What the desk needs before a story can go to it or out of it.
fn ready_for_desk(content: &Content) -> Result<(), String> {
    let mut missing = Vec::new();
    if content.headline.trim().is_empty() {
        missing.push("a headline");
    }
    if content.bylines.is_empty() {
        missing.push("a byline");
    }
    if content.body.trim().is_empty() {
        missing.push("a body");
    }
    if missing.is_empty() { Ok(()) } else { Err(format!("It still needs {}.", missing.join(", "))) }
}

/// The actions a user could take now on `article` carrying `content` (the text being edited),
/// for the app's buttons: each with the note it takes, whether publishing would schedule at
/// `now`, and the refusal when it is refused. A note is assumed given: the front end asks for
/// it before it acts.
pub fn available(actor: &User, article: &Article, content: &Content, now: Timestamp) -> Vec<ActionState> {
    [Action::Edit, Action::Submit, Action::Return, Action::Publish, Action::Correct, Action::Kill]
        .into_iter()
        .map(|action| {
            let verdict = decide(action, actor, article, content, Some("-"), now);
            let schedules = verdict.as_ref().is_ok_and(|transition| transition.to == Status::Scheduled);
            let refusal = verdict.err();
            ActionState {
                action,
                allowed: refusal.is_none(),
                note: action.note(),
                schedules,
                reason: refusal.as_ref().map(ToString::to_string),
                refusal,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleId, Byline};
    use crate::revision::RevisionNo;
    use crate::user::UserId;

    /// Whose article it is, as the stored article says, and what the edit claims.
    #[derive(Debug, Clone, Copy)]
    enum Owner {
        /// The actor created it.
        Creator,
        /// Someone else created it; the actor is on its stored bylines.
        Byline,
        /// Someone else's article, and the edit leaves it so.
        Other,
        /// Someone else's article; the edit adds the actor's byline to claim it.
        Claims,
    }

    #[derive(Clone, Copy)]
    enum Expect {
        To(Status),
        /// Refused with a rule containing this text.
        Refused(&'static str),
    }
    use Expect::{Refused, To};

    const NOTE: Option<&str> = Some("리드를 줄여 주세요");

    /// Action, role of the actor, status of the stored article, ownership, note, outcome.
    type Row = (Action, Role, Status, Owner, Option<&'static str>, Expect);

    fn byline(name: &str, email: &str) -> Byline {
        Byline { name: name.into(), title: "기자".into(), email: email.into() }
    }

    fn check(action: Action, role: Role, status: Status, owner: Owner, note: Option<&str>, expect: Expect) {
        let now: Timestamp = "2025-02-20T06:00:00Z".parse().unwrap();
        let actor = User { id: UserId(7), name: "나기자".into(), title: "기자".into(), email: "me@newspim.com".into(), role };
        let mine = byline("나기자", "ME@newspim.com");
        let mut stored = Content {
            headline: "제목".into(),
            bylines: vec![byline("남기자", "other@newspim.com")],
            body: "본문".into(),
            ..Content::default()
        };
        if matches!(owner, Owner::Byline) {
            stored.bylines.push(mine.clone());
        }
        let mut edited = stored.clone();
        if matches!(owner, Owner::Claims) {
            edited.bylines.push(mine);
        }
        let article = Article {
            id: ArticleId(1),
            status,
            content: stored,
            head: RevisionNo(3),
            published_revision: None,
            first_published: None,
            last_modified: None,
            corrections: Vec::new(),
            created_by: if matches!(owner, Owner::Creator) { actor.id } else { UserId(1) },
            created_at: now,
            updated_at: now,
            scheduled_by: None,
        };
        let case = format!("{action} by {role:?} on a {status} article ({owner:?}, note {note:?})");
        match (decide(action, &actor, &article, &edited, note, now), expect) {
            (Ok(transition), To(to)) => assert_eq!(transition.to, to, "{case}"),
            (Err(refusal), Refused(rule)) => assert!(refusal.rule.contains(rule), "{case}: refused with {:?}", refusal.rule),
            (Ok(transition), Refused(rule)) => panic!("{case}: allowed (to {}), expected refusal {rule:?}", transition.to),
            (Err(refusal), To(to)) => panic!("{case}: refused ({}), expected {to}", refusal.rule),
        }
    }

    #[test]
    fn who_may_do_what_in_which_state() {
        use Action::*;
        use Owner::*;
        use Role::{Admin, Editor, Reporter};
        use Status::{Draft, Killed, Published, Scheduled, Submitted};
        let table: &[Row] = &[
            (Edit, Reporter, Draft, Creator, None, To(Draft)),
            (Edit, Reporter, Draft, Byline, None, To(Draft)),
            (Edit, Reporter, Draft, Other, None, Refused("Reporters edit their own drafts only")),
            // Ownership is the stored article's: adding one's own byline in the edit claims nothing.
            (Edit, Reporter, Draft, Claims, None, Refused("Reporters edit their own drafts only")),
            (Restore, Reporter, Draft, Creator, None, To(Draft)),
            (Restore, Reporter, Draft, Claims, None, Refused("Reporters edit their own drafts only")),
            (Edit, Reporter, Submitted, Creator, None, Refused("ask an editor to return it")),
            (Edit, Editor, Submitted, Other, None, To(Submitted)),
            (Edit, Editor, Published, Other, None, To(Published)),
            (Submit, Reporter, Draft, Creator, None, To(Submitted)),
            (Submit, Reporter, Draft, Byline, None, To(Submitted)),
            (Submit, Reporter, Draft, Other, None, Refused("Reporters submit their own drafts only.")),
            (Submit, Reporter, Draft, Claims, None, Refused("Reporters submit their own drafts only.")),
            (Submit, Editor, Draft, Other, None, To(Submitted)),
            (Submit, Editor, Submitted, Other, None, Refused("Only drafts are submitted")),
            (Return, Reporter, Submitted, Creator, NOTE, Refused("Only editors return")),
            (Return, Editor, Submitted, Other, NOTE, To(Draft)),
            (Return, Editor, Submitted, Other, None, Refused("needs a note")),
            (Return, Editor, Submitted, Other, Some("  "), Refused("needs a note")),
            (Return, Editor, Draft, Other, NOTE, Refused("Only submitted stories are returned")),
            (Publish, Reporter, Submitted, Creator, None, Refused("Only editors publish")),
            (Publish, Editor, Draft, Other, None, Refused("submitted (송고) before it is published")),
            (Publish, Editor, Submitted, Other, None, To(Published)),
            (Publish, Editor, Scheduled, Other, None, To(Published)),
            (Publish, Editor, Published, Other, None, Refused("changed by a correction")),
            (Release, Editor, Scheduled, Other, None, Refused("no embargo")),
            (Release, Editor, Published, Other, None, Refused("Only scheduled articles are released")),
            (Correct, Editor, Published, Other, NOTE, To(Published)),
            (Correct, Editor, Published, Other, None, Refused("needs a note for readers")),
            (Correct, Reporter, Published, Creator, NOTE, Refused("Only editors correct")),
            (Correct, Editor, Submitted, Other, NOTE, Refused("Only published articles are corrected")),
            (Kill, Reporter, Draft, Creator, None, Refused("Only editors kill")),
            (Kill, Editor, Published, Other, None, To(Killed)),
            (Kill, Admin, Draft, Other, None, To(Killed)),
            (Edit, Admin, Killed, Other, None, Refused("A killed article is kept")),
            (Publish, Editor, Killed, Other, None, Refused("A killed article is kept")),
        ];
        for &(action, role, status, owner, note, expect) in table {
            check(action, role, status, owner, note, expect);
        }
    }
}
