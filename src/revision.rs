//! Revisions: immutable numbered snapshots of an article's content, stored compactly as deltas,
//! and compared field by field with a word-level diff of the body.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::article::{Content, Photo};
use crate::user::UserId;
use crate::workflow::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct RevisionNo(pub u32);

impl fmt::Display for RevisionNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl RevisionNo {
    pub const FIRST: RevisionNo = RevisionNo(1);

    pub fn next(self) -> RevisionNo {
        RevisionNo(self.0 + 1)
    }
}

impl std::str::FromStr for RevisionNo {
    type Err = crate::Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse::<u32>().ok().filter(|n| *n > 0).map(RevisionNo).ok_or_else(|| {
            crate::Error::invalid(format!("the revision number {text:?}"), "give a revision number, as the article's history shows it")
        })
    }
}

/// What made a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum RevisionKind {
    Created,
    Imported,
    Saved,
    Submitted,
    Returned,
    Published,
    Scheduled,
    Released,
    Corrected,
    Killed,
    Restored,
}

impl RevisionKind {
    pub const ALL: [RevisionKind; 11] = [
        RevisionKind::Created,
        RevisionKind::Imported,
        RevisionKind::Saved,
        RevisionKind::Submitted,
        RevisionKind::Returned,
        RevisionKind::Published,
        RevisionKind::Scheduled,
        RevisionKind::Released,
        RevisionKind::Corrected,
        RevisionKind::Killed,
        RevisionKind::Restored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionKind::Created => "created",
            RevisionKind::Imported => "imported",
            RevisionKind::Saved => "saved",
            RevisionKind::Submitted => "submitted",
            RevisionKind::Returned => "returned",
            RevisionKind::Published => "published",
            RevisionKind::Scheduled => "scheduled",
            RevisionKind::Released => "released",
            RevisionKind::Corrected => "corrected",
            RevisionKind::Killed => "killed",
            RevisionKind::Restored => "restored",
        }
    }

    pub fn parse(text: &str) -> Option<RevisionKind> {
        RevisionKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

impl fmt::Display for RevisionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made a revision, when, why, and the state it left the article in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Revision {
    pub number: RevisionNo,
    pub kind: RevisionKind,
    pub author: UserId,
    pub author_name: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: Timestamp,
    pub note: Option<String>,
    pub status: Status,
    /// Bytes this revision takes in the library (a delta, or a full snapshot every so often).
    pub stored_bytes: usize,
    /// Its second parent: the older revision a stale save started from and was merged from
    /// into the revision before this one (always its first parent).
    pub merged_from: Option<RevisionNo>,
}

/// A chain of deltas is cut by a full snapshot this often, so reading any revision applies at
/// most this many deltas.
pub const SNAPSHOT_EVERY: u32 = 32;

/// Canonical text of a content snapshot: what deltas are computed over.
pub fn snapshot_text(content: &Content) -> String {
    // Content is plain data (strings, numbers, lists); it always serialises.
    serde_json::to_string(content).unwrap_or_default()
}

pub fn content_from_snapshot(text: &str) -> Result<Content, crate::Error> {
    serde_json::from_str(text).map_err(|error| crate::Error::Corrupt(format!("a revision snapshot: {error}")))
}

/// How a store keeps one revision's content. The newest revision is the article's own content
/// (`Head`); each older one is a reverse delta that rebuilds it from its successor, or a full
/// snapshot that cuts the chain. Every store keeps revisions this way, so they read back the
/// same from any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Head,
    Delta(String),
    Snapshot(String),
}

impl Payload {
    /// The kind as stores record it.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Head => "head",
            Payload::Delta(_) => "delta",
            Payload::Snapshot(_) => "snapshot",
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Payload::Head => None,
            Payload::Delta(text) | Payload::Snapshot(text) => Some(text),
        }
    }

    /// A payload read back from a store.
    pub fn from_stored(kind: &str, text: Option<String>) -> Result<Payload, crate::Error> {
        match (kind, text) {
            ("head", _) => Ok(Payload::Head),
            ("delta", Some(text)) => Ok(Payload::Delta(text)),
            ("snapshot", Some(text)) => Ok(Payload::Snapshot(text)),
            (kind, _) => Err(crate::Error::Corrupt(format!("a revision stored as {kind:?} without its text"))),
        }
    }

    /// What the head revision `base` becomes once a revision with `new_text` follows it: a
    /// reverse delta, or a snapshot every [`SNAPSHOT_EVERY`] revisions and whenever the delta
    /// would not be smaller.
    pub fn for_previous_head(base: RevisionNo, old_text: &str, new_text: &str) -> Payload {
        if base.0.is_multiple_of(SNAPSHOT_EVERY) {
            return Payload::Snapshot(old_text.to_string());
        }
        let delta = Delta::between(new_text, old_text).encode();
        if delta.len() < old_text.len() { Payload::Delta(delta) } else { Payload::Snapshot(old_text.to_string()) }
    }
}

/// The content of revision `number`, from the head's text and the payloads of revisions
/// `number` up to the head, oldest first: starts from the nearest full text at or after
/// `number` and walks the deltas back.
pub fn rebuild(number: RevisionNo, head_text: &str, chain: &[(RevisionNo, Payload)]) -> Result<Content, crate::Error> {
    let start = chain
        .iter()
        .position(|(_, payload)| !matches!(payload, Payload::Delta(_)))
        .ok_or_else(|| crate::Error::Corrupt(format!("no full revision at or after revision {number}")))?;
    if chain.first().map(|(first, _)| *first) != Some(number) {
        return Err(crate::Error::Corrupt(format!("revision {number} is missing from its chain")));
    }
    let mut text = match &chain[start].1 {
        Payload::Snapshot(text) => text.clone(),
        _ => head_text.to_string(),
    };
    for (_, payload) in chain[..start].iter().rev() {
        text = Delta::decode(payload.text().unwrap_or_default())?.apply(&text)?;
    }
    content_from_snapshot(&text)
}

/// An edit from one text to the next, as runs of kept, dropped and inserted bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Delta(Vec<Edit>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum Edit {
    /// Keep this many bytes of the old text (positive) or skip them (negative).
    Span(i64),
    Insert(String),
}

impl Delta {
    pub fn between(old: &str, new: &str) -> Delta {
        let diff = TextDiff::configure().timeout(Duration::from_millis(50)).diff_words(old, new);
        let mut edits: Vec<Edit> = Vec::new();
        for change in diff.iter_all_changes() {
            let text = change.value();
            let len = text.len() as i64;
            match (change.tag(), edits.last_mut()) {
                (ChangeTag::Equal, Some(Edit::Span(kept))) if *kept > 0 => *kept += len,
                (ChangeTag::Equal, _) => edits.push(Edit::Span(len)),
                (ChangeTag::Delete, Some(Edit::Span(skipped))) if *skipped < 0 => *skipped -= len,
                (ChangeTag::Delete, _) => edits.push(Edit::Span(-len)),
                (ChangeTag::Insert, Some(Edit::Insert(inserted))) => inserted.push_str(text),
                (ChangeTag::Insert, _) => edits.push(Edit::Insert(text.to_string())),
            }
        }
        Delta(edits)
    }

    pub fn apply(&self, old: &str) -> Result<String, crate::Error> {
        let corrupt = || crate::Error::Corrupt("a revision delta does not fit the revision before it".into());
        let mut out = String::with_capacity(old.len());
        let mut at = 0usize;
        for edit in &self.0 {
            match edit {
                Edit::Span(kept) if *kept >= 0 => {
                    let end = at.checked_add(*kept as usize).ok_or_else(corrupt)?;
                    out.push_str(old.get(at..end).ok_or_else(corrupt)?);
                    at = end;
                }
                Edit::Span(skipped) => {
                    at = at.checked_add(skipped.unsigned_abs() as usize).ok_or_else(corrupt)?;
                    if !old.is_char_boundary(at) || at > old.len() {
                        return Err(corrupt());
                    }
                }
                Edit::Insert(text) => out.push_str(text),
            }
        }
        if at != old.len() {
            return Err(corrupt());
        }
        Ok(out)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn decode(text: &str) -> Result<Delta, crate::Error> {
        serde_json::from_str(text).map_err(|error| crate::Error::Corrupt(format!("a revision delta: {error}")))
    }
}

/// A piece of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Segment {
    pub change: SegmentChange,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", ts(rename_all = "lowercase"))]
pub enum SegmentChange {
    Same,
    Added,
    Removed,
}

/// Word-level diff of two texts, neighbouring pieces of the same kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::configure().timeout(Duration::from_millis(200)).diff_words(old, new);
    let mut segments: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => SegmentChange::Same,
            ChangeTag::Insert => SegmentChange::Added,
            ChangeTag::Delete => SegmentChange::Removed,
        };
        match segments.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => segments.push(Segment { change: kind, text: change.value().to_string() }),
        }
    }
    segments
}

/// One field that differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
    /// Word-level pieces from `before` to `after`.
    pub segments: Vec<Segment>,
}

/// The fields that differ from `old` to `new`, in the order a reader meets them.
pub fn compare(old: &Content, new: &Content) -> Vec<FieldChange> {
    let lines = |items: &[String]| items.join("\n");
    let source = |content: &Content| {
        content.source.as_ref().map(|source| format!("{} v{} ({})", source.id, source.version, source.provider)).unwrap_or_default()
    };
    let fields: [(&'static str, String, String); 11] = [
        ("section", old.section.path(), new.section.path()),
        ("headline", old.headline.clone(), new.headline.clone()),
        ("subheadlines", lines(&old.subheadlines), lines(&new.subheadlines)),
        ("dateline", old.dateline.bracketed(), new.dateline.bracketed()),
        ("bylines", bylines_text(old), bylines_text(new)),
        ("body", old.body.clone(), new.body.clone()),
        ("photos", photos_text(&old.photos), photos_text(&new.photos)),
        ("tags", old.tags.join(", "), new.tags.join(", ")),
        ("related", ids_text(&old.related), ids_text(&new.related)),
        ("embargo", old.embargo.map(|at| at.to_string()).unwrap_or_default(), new.embargo.map(|at| at.to_string()).unwrap_or_default()),
        ("source", source(old), source(new)),
    ];
    fields
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| {
            let segments = word_diff(&before, &after);
            FieldChange { field: field.to_string(), before, after, segments }
        })
        .collect()
}

fn bylines_text(content: &Content) -> String {
    content.bylines.iter().map(|b| format!("{} <{}>", b.credit(), b.email)).collect::<Vec<_>>().join("\n")
}

fn photos_text(photos: &[Photo]) -> String {
    photos
        .iter()
        .map(|photo| {
            let date = photo.date.map(|date| date.to_string()).unwrap_or_default();
            format!(
                "{} ({}x{}, {}) alt: {} | {} [사진={}] {} {}{}",
                photo.file,
                photo.width,
                photo.height,
                &photo.image.0[..photo.image.0.len().min(12)],
                photo.alt,
                photo.caption,
                photo.credit,
                date,
                photo.email,
                if photo.creator.is_empty() { String::new() } else { format!(" by {}", photo.creator) }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ids_text(ids: &[crate::article::ArticleId]) -> String {
    ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_round_trip(old: &str, new: &str) {
        let delta = Delta::between(old, new);
        let decoded = Delta::decode(&delta.encode()).unwrap();
        assert_eq!(decoded.apply(old).unwrap(), new);
    }

    #[test]
    fn deltas_rebuild_the_next_text() {
        check_round_trip("", "");
        check_round_trip("", "새 기사");
        check_round_trip("중진공은 20일 협약을 체결했다.", "중진공은 21일 일본에서 협약을 체결했다고 밝혔다.");
        check_round_trip("a b c d", "");
        check_round_trip("{\"body\":\"첫 문단\\n\\n둘째 문단\"}", "{\"body\":\"첫 문단\\n\\n고친 둘째 문단\"}");
    }

    #[test]
    fn a_delta_that_does_not_fit_is_corruption_not_a_panic() {
        let delta = Delta::between("가나다 라마바", "가나다 사아자");
        assert!(delta.apply("짧음").is_err());
        assert!(delta.apply("").is_err());
    }

    #[test]
    fn word_diff_marks_the_changed_words() {
        let segments = word_diff("협약을 체결했다", "협약을 맺었다");
        let added: String = segments.iter().filter(|s| s.change == SegmentChange::Added).map(|s| s.text.as_str()).collect();
        let removed: String = segments.iter().filter(|s| s.change == SegmentChange::Removed).map(|s| s.text.as_str()).collect();
        assert_eq!(added, "맺었다");
        assert_eq!(removed, "체결했다");
    }

    #[test]
    fn compare_names_only_changed_fields() {
        let old = Content { headline: "제목".into(), body: "본문".into(), ..Content::default() };
        let new = Content { headline: "새 제목".into(), ..old.clone() };
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "headline");
    }
}
