//! Three-way merge of an article's content: a save based on a stale revision (`ours`) against
//! the article's newest revision (`theirs`), both measured from the revision the save started
//! from (`base`).
//!
//! Field by field, a field changed on one side takes that side, and one changed the same way on
//! both takes it. A field changed differently on both sides merges by its kind: the body line by
//! line (diff3 over the line diffs `similar` finds), so edits to different paragraphs merge and
//! only overlapping passages conflict; subheadlines and bylines as ordered lists, where items
//! both sides added at the same place are all kept; tags and related articles as sets; photos by
//! file, each photo part by part. Any other field changed differently on both sides conflicts.
//!
//! A conflict is resolved to "ours" in [`Merged::content`] until a person chooses, so the
//! content is always whole; [`Merged::resolve`] applies their choices.

use std::hash::Hash;
use std::ops::Range;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp};

use crate::article::{Byline, Content, Photo, Section};
use crate::{Error, Result};

/// Content merged three ways, with the passages both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Merged {
    /// Everything that merged, each conflicting passage holding our version until resolved.
    pub content: Content,
    /// The newest revision's content, where a "theirs" choice takes whole fields and photos from.
    pub theirs: Content,
    /// In the order a reader meets them: by field as `revision::compare` orders fields, then by
    /// position within the field.
    pub conflicts: Vec<MergeConflict>,
}

/// One passage both sides changed differently: the base text and both versions, as text a
/// person reads side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MergeConflict {
    /// The field, named as [`crate::revision::FieldChange::field`] names it.
    pub field: String,
    pub place: Place,
    pub base: String,
    pub ours: String,
    pub theirs: String,
    /// Whether text the person types can settle it (lines of the body and subheadlines, the
    /// headline, the section, a photo's texts); other passages are kept or taken whole.
    #[serde(default)]
    pub editable: bool,
}

impl MergeConflict {
    fn new(field: &str, place: Place, base: String, ours: String, theirs: String) -> MergeConflict {
        let editable = match (&place, field) {
            (Place::Lines { .. }, _) | (Place::Field, "headline" | "section") => true,
            (Place::Photo { part, .. }, _) => PHOTO_TEXT_PARTS.contains(&part.as_str()),
            (Place::Field, _) => false,
        };
        MergeConflict { field: field.to_string(), place, base, ours, theirs, editable }
    }
}

/// Where in its field a conflict sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "kind", rename_all = "snake_case"))]
pub enum Place {
    /// The whole field: section, headline, dateline, bylines, embargo or source.
    Field,
    /// Lines `start..start + count` of the field in [`Merged::content`] hold our version: body
    /// lines, or subheadlines (one a line). Counted from 0; `count` is 0 when we removed it.
    Lines {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        start: usize,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        count: usize,
    },
    /// One part of the photo called `file`: `caption`, `credit`, `email`, `alt`, `creator`,
    /// `date`, `image`, or `photo` itself when one side removed it and the other changed it.
    Photo { file: String, part: String },
}

/// What a person keeps of one conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "keep", content = "text", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "keep", content = "text", rename_all = "snake_case"))]
pub enum Choice {
    Ours,
    Theirs,
    /// Text the person wrote for the passage; for text fields and photo texts only.
    Edited(String),
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// The content with `choices[i]` applied to `conflicts[i]`, ready to save on top of the
    /// newest revision.
    pub fn resolve(&self, choices: &[Choice]) -> Result<Content> {
        if choices.len() != self.conflicts.len() {
            return Err(Error::invalid(
                format!("{} choices for {} conflicting passages", choices.len(), self.conflicts.len()),
                "choose once for every conflicting passage",
            ));
        }
        let mut content = self.content.clone();
        // Line conflicts are replaced from the last one back, so the line numbers of the ones
        // before stay true.
        let mut body_replacements = Vec::new();
        let mut subheadline_replacements = Vec::new();
        for (conflict, choice) in self.conflicts.iter().zip(choices) {
            let refused = || {
                Error::invalid(
                    format!("edited text for the {} conflict", describe(conflict)),
                    "this field cannot be typed in here; keep yours or theirs, then change it in the article",
                )
            };
            match (&conflict.place, conflict.field.as_str()) {
                (Place::Lines { start, count }, "body") => {
                    let lines = match choice {
                        Choice::Ours => continue,
                        Choice::Theirs => lines_of(&conflict.theirs),
                        Choice::Edited(text) => lines_of(text),
                    };
                    body_replacements.push((*start..start + count, lines.into_iter().map(String::from).collect::<Vec<_>>()));
                }
                (Place::Lines { start, count }, _) => {
                    let items = match choice {
                        Choice::Ours => continue,
                        Choice::Theirs => items_of(&conflict.theirs),
                        Choice::Edited(text) => items_of(text),
                    };
                    subheadline_replacements.push((*start..start + count, items));
                }
                (Place::Photo { file, part }, _) => match choice {
                    Choice::Ours => {}
                    Choice::Theirs => take_their_photo_part(&mut content.photos, &self.theirs.photos, file, part),
                    Choice::Edited(text) => {
                        let photo = content.photos.iter_mut().find(|photo| &photo.file == file).ok_or_else(refused)?;
                        *photo_text_part(photo, part).ok_or_else(refused)? = text.trim().to_string();
                    }
                },
                (Place::Field, field) => match choice {
                    Choice::Ours => {}
                    Choice::Theirs => take_their_field(&mut content, &self.theirs, field),
                    Choice::Edited(text) => match field {
                        "headline" => content.headline = text.trim().to_string(),
                        "section" => content.section = Section::parse(text),
                        _ => return Err(refused()),
                    },
                },
            }
        }
        if !body_replacements.is_empty() {
            let mut lines: Vec<String> = lines_of(&content.body).into_iter().map(String::from).collect();
            replace_back_to_front(&mut lines, body_replacements)?;
            content.body = join_lines(lines.iter().map(String::as_str));
        }
        replace_back_to_front(&mut content.subheadlines, subheadline_replacements)?;
        Ok(content)
    }
}

fn describe(conflict: &MergeConflict) -> String {
    match &conflict.place {
        Place::Photo { file, part } => format!("{} of the photo {file:?}", part),
        _ => conflict.field.clone(),
    }
}

fn replace_back_to_front<T>(items: &mut Vec<T>, mut replacements: Vec<(Range<usize>, Vec<T>)>) -> Result<()> {
    replacements.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, replacement) in replacements {
        if range.end > items.len() {
            return Err(Error::invalid("a merge's conflict", "it does not fit the merged article; save again to merge afresh"));
        }
        items.splice(range, replacement);
    }
    Ok(())
}

/// Merges a stale save (`ours`) into the newest revision (`theirs`), both changed from `base`.
pub fn merge(base: &Content, ours: &Content, theirs: &Content) -> Merged {
    let mut conflicts = Vec::new();
    let mut whole = |field: &str, base_text: String, ours_text: String, theirs_text: String| {
        conflicts.push(MergeConflict::new(field, Place::Field, base_text, ours_text, theirs_text));
    };

    let section = pick(&base.section, &ours.section, &theirs.section).unwrap_or_else(|| {
        whole("section", base.section.path(), ours.section.path(), theirs.section.path());
        ours.section.clone()
    });
    let headline = pick(&base.headline, &ours.headline, &theirs.headline).unwrap_or_else(|| {
        whole("headline", base.headline.clone(), ours.headline.clone(), theirs.headline.clone());
        ours.headline.clone()
    });
    let dateline = pick(&base.dateline, &ours.dateline, &theirs.dateline).unwrap_or_else(|| {
        whole("dateline", base.dateline.bracketed(), ours.dateline.bracketed(), theirs.dateline.bracketed());
        ours.dateline.clone()
    });
    let embargo = pick(&base.embargo, &ours.embargo, &theirs.embargo).unwrap_or_else(|| {
        let text = |content: &Content| content.embargo.map(|at| at.to_string()).unwrap_or_default();
        whole("embargo", text(base), text(ours), text(theirs));
        ours.embargo
    });
    let source = pick(&base.source, &ours.source, &theirs.source).unwrap_or_else(|| {
        let text = |content: &Content| {
            content.source.as_ref().map(|source| format!("{} v{} ({})", source.id, source.version, source.provider)).unwrap_or_default()
        };
        whole("source", text(base), text(ours), text(theirs));
        ours.source.clone()
    });
    let bylines = pick(&base.bylines, &ours.bylines, &theirs.bylines).unwrap_or_else(|| {
        let key = |byline: &Byline| (byline.name.clone(), byline.title.clone(), byline.email.clone());
        let chunks = merge_sequences(&base.bylines, &ours.bylines, &theirs.bylines, key, BothInserted::KeepBoth);
        match agreed(chunks) {
            Some(bylines) => bylines,
            None => {
                let text = |content: &Content| {
                    content.bylines.iter().map(|b| format!("{} <{}>", b.credit(), b.email)).collect::<Vec<_>>().join("\n")
                };
                whole("bylines", text(base), text(ours), text(theirs));
                ours.bylines.clone()
            }
        }
    });

    let mut merged = Content {
        section,
        headline,
        subheadlines: Vec::new(),
        dateline,
        bylines,
        body: String::new(),
        photos: Vec::new(),
        tags: merge_sets(&base.tags, &ours.tags, &theirs.tags),
        related: merge_sets(&base.related, &ours.related, &theirs.related),
        embargo,
        source,
    };
    merged.subheadlines = pick(&base.subheadlines, &ours.subheadlines, &theirs.subheadlines)
        .unwrap_or_else(|| merge_subheadlines(base, ours, theirs, &mut conflicts));
    merged.body = pick(&base.body, &ours.body, &theirs.body).unwrap_or_else(|| merge_body(base, ours, theirs, &mut conflicts));
    merged.photos = pick(&base.photos, &ours.photos, &theirs.photos).unwrap_or_else(|| merge_photos(base, ours, theirs, &mut conflicts));

    conflicts.sort_by_key(|conflict| field_order(&conflict.field));
    Merged { content: merged, theirs: theirs.clone(), conflicts }
}

/// The order `revision::compare` lists fields in; the sort is stable, so passages within a
/// field keep their order.
fn field_order(field: &str) -> usize {
    const FIELDS: [&str; 11] =
        ["section", "headline", "subheadlines", "dateline", "bylines", "body", "photos", "tags", "related", "embargo", "source"];
    FIELDS.iter().position(|known| *known == field).unwrap_or(FIELDS.len())
}

/// The merged value when at most one side changed it, or both the same way; `None` when both
/// changed it differently.
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Ours in our order, without what they removed, followed by what they added.
fn merge_sets<T: PartialEq + Clone>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
    let mut merged: Vec<T> = ours.iter().filter(|item| !base.contains(item) || theirs.contains(item)).cloned().collect();
    for item in theirs {
        if !base.contains(item) && !merged.contains(item) {
            merged.push(item.clone());
        }
    }
    merged
}

// Text, line by line

/// A text's lines, each with its line ending (`\n` or `\r\n`); the last may have none.
fn lines_of(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A line without its ending: lines compare by this, so a save from an editor that writes
/// `\r\n` still merges line by line with one that writes `\n`.
fn line_key(line: &&str) -> String {
    line.strip_suffix('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).unwrap_or(line).to_string()
}

/// Lines joined back into a text; a line that lost its ending by landing mid-text gets one.
fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for line in lines {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
    }
    text
}

fn merge_body(base: &Content, ours: &Content, theirs: &Content, conflicts: &mut Vec<MergeConflict>) -> String {
    let (base_lines, ours_lines, theirs_lines) = (lines_of(&base.body), lines_of(&ours.body), lines_of(&theirs.body));
    let mut merged: Vec<&str> = Vec::with_capacity(ours_lines.len());
    for chunk in merge_sequences(&base_lines, &ours_lines, &theirs_lines, line_key, BothInserted::Conflict) {
        match chunk {
            Chunk::Agreed(lines) => merged.extend(lines.into_iter().copied()),
            Chunk::Conflict { base, ours, theirs } => {
                conflicts.push(MergeConflict::new(
                    "body",
                    Place::Lines { start: merged.len(), count: ours.len() },
                    join_lines(base.iter().copied()),
                    join_lines(ours.iter().copied()),
                    join_lines(theirs.iter().copied()),
                ));
                merged.extend(ours.iter().copied());
            }
        }
    }
    join_lines(merged)
}

/// Subheadlines, one an item; a conflict's texts have one subheadline a line.
fn merge_subheadlines(base: &Content, ours: &Content, theirs: &Content, conflicts: &mut Vec<MergeConflict>) -> Vec<String> {
    let mut merged: Vec<String> = Vec::new();
    for chunk in merge_sequences(&base.subheadlines, &ours.subheadlines, &theirs.subheadlines, String::clone, BothInserted::KeepBoth) {
        match chunk {
            Chunk::Agreed(items) => merged.extend(items.into_iter().cloned()),
            Chunk::Conflict { base, ours, theirs } => {
                conflicts.push(MergeConflict::new(
                    "subheadlines",
                    Place::Lines { start: merged.len(), count: ours.len() },
                    base.join("\n"),
                    ours.join("\n"),
                    theirs.join("\n"),
                ));
                merged.extend(ours.iter().cloned());
            }
        }
    }
    merged
}

/// Subheadlines typed or chosen for a conflict: one a line, blank lines dropped.
fn items_of(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(String::from).collect()
}

// Photos, by file and part by part

const PHOTO_PARTS: [&str; 7] = ["caption", "credit", "email", "alt", "creator", "date", "image"];
/// The parts [`photo_text_part`] reaches: typed text can settle them.
const PHOTO_TEXT_PARTS: [&str; 5] = ["caption", "credit", "email", "alt", "creator"];

fn photo_text_part<'a>(photo: &'a mut Photo, part: &str) -> Option<&'a mut String> {
    match part {
        "caption" => Some(&mut photo.caption),
        "credit" => Some(&mut photo.credit),
        "email" => Some(&mut photo.email),
        "alt" => Some(&mut photo.alt),
        "creator" => Some(&mut photo.creator),
        _ => None,
    }
}

fn photo_part_text(photo: Option<&Photo>, part: &str) -> String {
    let Some(photo) = photo else { return String::new() };
    match part {
        "caption" => photo.caption.clone(),
        "credit" => photo.credit.clone(),
        "email" => photo.email.clone(),
        "alt" => photo.alt.clone(),
        "creator" => photo.creator.clone(),
        "date" => photo.date.map(|date| date.to_string()).unwrap_or_default(),
        "image" => {
            format!("{} ({}x{}, {})", photo.image.0.chars().take(12).collect::<String>(), photo.width, photo.height, photo.media_type)
        }
        _ => [photo.caption.as_str(), photo.credit.as_str(), photo.alt.as_str()]
            .into_iter()
            .filter(|text| !text.is_empty())
            .fold(photo.file.clone(), |text, part| format!("{text} | {part}")),
    }
}

fn same_part(one: &Photo, other: &Photo, part: &str) -> bool {
    match part {
        "date" => one.date == other.date,
        "image" => (&one.image, &one.media_type, one.width, one.height) == (&other.image, &other.media_type, other.width, other.height),
        _ => photo_part_text(Some(one), part) == photo_part_text(Some(other), part),
    }
}

fn set_part(photo: &mut Photo, from: &Photo, part: &str) {
    match part {
        "date" => photo.date = from.date,
        "image" => {
            photo.image = from.image.clone();
            photo.media_type = from.media_type.clone();
            (photo.width, photo.height) = (from.width, from.height);
        }
        _ => {
            if let Some(text) = photo_text_part(photo, part) {
                *text = photo_part_text(Some(from), part);
            }
        }
    }
}

fn find<'a>(photos: &'a [Photo], file: &str) -> Option<&'a Photo> {
    photos.iter().find(|photo| photo.file == file)
}

fn merge_photos(base: &Content, ours: &Content, theirs: &Content, conflicts: &mut Vec<MergeConflict>) -> Vec<Photo> {
    let files = |photos: &[Photo]| photos.iter().map(|photo| photo.file.clone()).collect::<Vec<_>>();
    let (base_files, ours_files, theirs_files) = (files(&base.photos), files(&ours.photos), files(&theirs.photos));
    let mut merged = Vec::new();
    let mut conflict = |file: &str, part: &str, base: Option<&Photo>, ours: Option<&Photo>, theirs: Option<&Photo>| {
        conflicts.push(MergeConflict::new(
            "photos",
            Place::Photo { file: file.to_string(), part: part.to_string() },
            photo_part_text(base, part),
            photo_part_text(ours, part),
            photo_part_text(theirs, part),
        ));
    };
    let mut kept = merge_sets(&base_files, &ours_files, &theirs_files);
    // A photo they removed and we changed stays until the person decides (the set merge alone
    // would drop it with our change).
    for (index, mine) in ours.photos.iter().enumerate() {
        if let Some(was) = find(&base.photos, &mine.file)
            && find(&theirs.photos, &mine.file).is_none()
            && mine != was
            && !kept.contains(&mine.file)
        {
            kept.insert(index.min(kept.len()), mine.file.clone());
        }
    }
    for file in photo_order(&base_files, &ours_files, &theirs_files, &kept) {
        let (was, mine, new) = (find(&base.photos, &file), find(&ours.photos, &file), find(&theirs.photos, &file));
        match (was, mine, new) {
            (Some(was), Some(mine), Some(new)) => {
                let mut photo = mine.clone();
                for part in PHOTO_PARTS {
                    match (same_part(mine, was, part), same_part(new, was, part), same_part(mine, new, part)) {
                        (_, _, true) | (_, true, _) => {}
                        (true, false, _) => set_part(&mut photo, new, part),
                        (false, false, false) => conflict(&file, part, Some(was), Some(mine), Some(new)),
                    }
                }
                merged.push(photo);
            }
            // They removed a photo we changed: keep ours until the person decides.
            (Some(was), Some(mine), None) if mine != was => {
                conflict(&file, "photo", Some(was), Some(mine), None);
                merged.push(mine.clone());
            }
            (_, Some(mine), _) => merged.push(mine.clone()),
            (_, None, Some(new)) => merged.push(new.clone()),
            (_, None, None) => {}
        }
    }
    // We removed a photo they changed: it stays removed until the person decides.
    for was in &base.photos {
        if let (None, Some(new)) = (find(&ours.photos, &was.file), find(&theirs.photos, &was.file))
            && new != was
        {
            conflict(&was.file, "photo", Some(was), None, Some(new));
        }
    }
    merged
}

/// The photos' files in the order the sides agree on: one side's reordering is kept, and when
/// both reordered differently, ours is. Every file in `kept` is there once.
fn photo_order(base: &[String], ours: &[String], theirs: &[String], kept: &[String]) -> Vec<String> {
    let sequence = agreed(merge_sequences(base, ours, theirs, String::clone, BothInserted::KeepBoth)).unwrap_or_else(|| ours.to_vec());
    let mut order: Vec<String> = Vec::with_capacity(kept.len());
    for file in sequence {
        if kept.contains(&file) && !order.contains(&file) {
            order.push(file);
        }
    }
    // A photo the order dropped but the merge keeps (one they removed and we changed) stays
    // where the set merge puts it.
    for (index, file) in kept.iter().enumerate() {
        if !order.contains(file) {
            order.insert(index.min(order.len()), file.clone());
        }
    }
    order
}

fn take_their_photo_part(photos: &mut Vec<Photo>, theirs: &[Photo], file: &str, part: &str) {
    let their_photo = find(theirs, file);
    let position = photos.iter().position(|photo| photo.file == file);
    match (part, position, their_photo) {
        ("photo", Some(position), None) => {
            photos.remove(position);
        }
        ("photo", Some(position), Some(their_photo)) => photos[position] = their_photo.clone(),
        ("photo", None, Some(their_photo)) => {
            let at = theirs.iter().position(|photo| photo.file == file).unwrap_or(photos.len()).min(photos.len());
            photos.insert(at, their_photo.clone());
        }
        (part, Some(position), Some(their_photo)) => set_part(&mut photos[position], their_photo, part),
        _ => {}
    }
}

fn take_their_field(content: &mut Content, theirs: &Content, field: &str) {
    match field {
        "section" => content.section = theirs.section.clone(),
        "headline" => content.headline = theirs.headline.clone(),
        "dateline" => content.dateline = theirs.dateline.clone(),
        "bylines" => content.bylines = theirs.bylines.clone(),
        "embargo" => content.embargo = theirs.embargo,
        "source" => content.source = theirs.source.clone(),
        _ => {}
    }
}

// diff3 over any sequence

/// What to do where both sides inserted different items at the same place and changed nothing
/// around it: in a list, keep both (ours first); in running text, which comes first is the
/// person's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BothInserted {
    KeepBoth,
    Conflict,
}

#[derive(Debug, PartialEq, Eq)]
enum Chunk<'a, T> {
    Agreed(Vec<&'a T>),
    Conflict { base: &'a [T], ours: &'a [T], theirs: &'a [T] },
}

/// The merged sequence when no chunk conflicts.
fn agreed<T: Clone>(chunks: Vec<Chunk<'_, T>>) -> Option<Vec<T>> {
    let mut merged = Vec::new();
    for chunk in chunks {
        match chunk {
            Chunk::Agreed(items) => merged.extend(items.into_iter().cloned()),
            Chunk::Conflict { .. } => return None,
        }
    }
    Some(merged)
}

/// diff3: the stretches where base, ours and theirs all agree (by `key`) anchor the merge;
/// between two anchors a side that left the base alone yields to the side that changed it, and
/// two different changes conflict. Within an anchor an item whose exact form (a line ending)
/// only one side changed takes that side's form.
fn merge_sequences<'a, T: PartialEq, K: Eq + Hash>(
    base: &'a [T],
    ours: &'a [T],
    theirs: &'a [T],
    key: impl Fn(&T) -> K,
    both_inserted: BothInserted,
) -> Vec<Chunk<'a, T>> {
    let keys = |items: &[T]| items.iter().map(&key).collect::<Vec<K>>();
    let (base_keys, ours_keys, theirs_keys) = (keys(base), keys(ours), keys(theirs));
    let mut chunks = Vec::new();
    for region in regions(&base_keys, &ours_keys, &theirs_keys) {
        let (was, mine, new) = (&base[region.base.clone()], &ours[region.ours.clone()], &theirs[region.theirs.clone()]);
        if region.stable {
            let items = was.iter().zip(mine).zip(new).map(|((was, mine), new)| if mine == was { new } else { mine }).collect();
            chunks.push(Chunk::Agreed(items));
            continue;
        }
        let (was_keys, mine_keys, new_keys) = (&base_keys[region.base], &ours_keys[region.ours], &theirs_keys[region.theirs]);
        if mine_keys == was_keys {
            chunks.push(Chunk::Agreed(new.iter().collect()));
        } else if new_keys == was_keys || mine_keys == new_keys {
            chunks.push(Chunk::Agreed(mine.iter().collect()));
        } else if was.is_empty() && both_inserted == BothInserted::KeepBoth {
            let theirs_only = new.iter().zip(new_keys).filter(|(_, key)| !mine_keys.contains(key)).map(|(item, _)| item);
            chunks.push(Chunk::Agreed(mine.iter().chain(theirs_only).collect()));
        } else {
            chunks.push(Chunk::Conflict { base: was, ours: mine, theirs: new });
        }
    }
    chunks
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Region {
    /// All three agree here; otherwise at least one side changed this stretch.
    stable: bool,
    base: Range<usize>,
    ours: Range<usize>,
    theirs: Range<usize>,
}

/// Long texts diff within this long; past it `similar` settles for a longer but still correct
/// diff, so a hostile text cannot hold a save up.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// For each base item, the item of `other` the diff matched it with.
fn matches<K: Eq + Hash>(base: &[K], other: &[K]) -> Vec<Option<usize>> {
    let mut matched = vec![None; base.len()];
    let deadline = Instant::now().checked_add(DIFF_DEADLINE);
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, base, other, deadline) {
        if let DiffOp::Equal { old_index, new_index, len } = op {
            for offset in 0..len {
                if let Some(slot) = matched.get_mut(old_index + offset) {
                    *slot = Some(new_index + offset);
                }
            }
        }
    }
    matched
}

fn regions<K: Eq + Hash>(base: &[K], ours: &[K], theirs: &[K]) -> Vec<Region> {
    let (to_ours, to_theirs) = (matches(base, ours), matches(base, theirs));
    let anchored = |index: usize| match (to_ours.get(index), to_theirs.get(index)) {
        (Some(Some(mine)), Some(Some(new))) => Some((*mine, *new)),
        _ => None,
    };
    let mut regions = Vec::new();
    let (mut at_base, mut at_ours, mut at_theirs) = (0, 0, 0);
    loop {
        let next = (at_base..base.len()).find_map(|index| anchored(index).map(|(mine, new)| (index, mine, new)));
        let (anchor, anchor_ours, anchor_theirs) = next.unwrap_or((base.len(), ours.len(), theirs.len()));
        if anchor > at_base || anchor_ours > at_ours || anchor_theirs > at_theirs {
            regions.push(Region { stable: false, base: at_base..anchor, ours: at_ours..anchor_ours, theirs: at_theirs..anchor_theirs });
        }
        if next.is_none() {
            break;
        }
        let mut len = 0;
        while anchored(anchor + len) == Some((anchor_ours + len, anchor_theirs + len)) {
            len += 1;
        }
        regions.push(Region {
            stable: true,
            base: anchor..anchor + len,
            ours: anchor_ours..anchor_ours + len,
            theirs: anchor_theirs..anchor_theirs + len,
        });
        (at_base, at_ours, at_theirs) = (anchor + len, anchor_ours + len, anchor_theirs + len);
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Content {
        Content { body: text.to_string(), ..Content::default() }
    }

    /// Merges three bodies: the merged body and each conflict's (base, ours, theirs).
    fn check(base: &str, ours: &str, theirs: &str) -> (String, Vec<(String, String, String)>) {
        let merged = merge(&body(base), &body(ours), &body(theirs));
        let conflicts = merged.conflicts.iter().map(|c| (c.base.clone(), c.ours.clone(), c.theirs.clone())).collect();
        (merged.content.body, conflicts)
    }

    fn photo(file: &str) -> Photo {
        Photo {
            file: file.into(),
            image: crate::article::ImageRef(format!("{file:0>64}")),
            media_type: "image/jpeg".into(),
            width: 640,
            height: 480,
            caption: format!("{file} 설명"),
            credit: String::new(),
            date: None,
            email: String::new(),
            alt: String::new(),
            creator: String::new(),
        }
    }

    fn photos(files: &[&str]) -> Content {
        Content { photos: files.iter().map(|file| photo(file)).collect(), ..Content::default() }
    }

    fn files(content: &Content) -> Vec<&str> {
        content.photos.iter().map(|photo| photo.file.as_str()).collect()
    }

    #[test]
    fn a_passage_offers_typing_exactly_when_typed_text_can_settle_it() {
        let base = Content { headline: "제목".into(), section: Section::parse("경제"), body: "문단.\n".into(), ..photos(&["a.jpg"]) };
        let mut ours = base.clone();
        let mut theirs = base.clone();
        ours.headline = "기자 제목".into();
        theirs.headline = "데스크 제목".into();
        ours.body = "기자 문단.\n".into();
        theirs.body = "데스크 문단.\n".into();
        ours.dateline.place = "세종".into();
        theirs.dateline.place = "서울".into();
        ours.photos[0].caption = "기자 설명".into();
        theirs.photos[0].caption = "데스크 설명".into();
        ours.photos[0].date = Some(jiff::civil::date(2025, 2, 19));
        theirs.photos[0].date = Some(jiff::civil::date(2025, 2, 20));
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.conflicts.len(), 5);
        for (index, conflict) in merged.conflicts.iter().enumerate() {
            let mut choices = vec![Choice::Ours; merged.conflicts.len()];
            choices[index] = Choice::Edited("고쳐 쓴 글".into());
            assert_eq!(merged.resolve(&choices).is_ok(), conflict.editable, "{} {:?}", conflict.field, conflict.place);
        }
        assert_eq!(merged.conflicts.iter().filter(|conflict| conflict.editable).count(), 3, "headline, body, caption");
    }

    #[test]
    fn one_sides_new_photo_order_survives_the_others_caption_edit() {
        let base = photos(&["a.jpg", "b.jpg", "c.jpg"]);
        let mut ours = base.clone();
        ours.photos[1].caption = "기자가 고친 설명".into();
        let theirs = photos(&["c.jpg", "a.jpg", "b.jpg"]);
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.is_clean());
        assert_eq!(files(&merged.content), ["c.jpg", "a.jpg", "b.jpg"]);
        assert_eq!(merged.content.photos[2].caption, "기자가 고친 설명");
        // The other way round, too.
        let merged = merge(&base, &theirs, &ours);
        assert_eq!(files(&merged.content), ["c.jpg", "a.jpg", "b.jpg"]);
        assert_eq!(merged.content.photos[2].caption, "기자가 고친 설명");
    }

    #[test]
    fn photos_reordered_two_ways_keep_ours_and_every_photo_once() {
        let base = photos(&["a.jpg", "b.jpg", "c.jpg"]);
        let ours = photos(&["b.jpg", "a.jpg", "c.jpg", "d.jpg"]);
        let theirs = photos(&["c.jpg", "b.jpg", "a.jpg", "d.jpg"]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(files(&merged.content), ["b.jpg", "a.jpg", "c.jpg", "d.jpg"]);
        // They removed a photo we recaptioned, and moved another: ours stays, for the person to decide.
        let mut ours = base.clone();
        ours.photos[0].caption = "남길 설명".into();
        let theirs = photos(&["c.jpg", "b.jpg"]);
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.conflicts.len(), 1);
        let mut kept = files(&merged.content);
        kept.sort_unstable();
        assert_eq!(kept, ["a.jpg", "b.jpg", "c.jpg"]);
        assert_eq!(find(&merged.content.photos, "a.jpg").map(|photo| photo.caption.as_str()), Some("남길 설명"));
        assert_eq!(merged.resolve(&[Choice::Theirs]).unwrap().photos.len(), 2, "taking theirs removes it");
    }

    #[test]
    fn edits_to_different_paragraphs_merge() {
        let base = "첫 문단.\n\n둘째 문단.\n\n셋째 문단.\n";
        let (merged, conflicts) =
            check(base, "첫 문단을 고쳤다.\n\n둘째 문단.\n\n셋째 문단.\n", "첫 문단.\n\n둘째 문단.\n\n셋째 문단도 고쳤다.\n");
        assert_eq!(merged, "첫 문단을 고쳤다.\n\n둘째 문단.\n\n셋째 문단도 고쳤다.\n");
        assert!(conflicts.is_empty());
    }

    #[test]
    fn the_same_line_changed_two_ways_conflicts_with_both_versions() {
        let (merged, conflicts) = check("가.\n\n나.\n", "가.\n\n나를 고침.\n", "가.\n\n나를 달리 고침.\n");
        assert_eq!(conflicts, vec![("나.\n".into(), "나를 고침.\n".into(), "나를 달리 고침.\n".into())]);
        assert_eq!(merged, "가.\n\n나를 고침.\n", "ours holds the place until resolved");
    }

    #[test]
    fn line_endings_do_not_make_lines_differ() {
        // We wrote CRLF throughout and changed the first line; they changed the last.
        let (merged, conflicts) = check("a\nb\nc\n", "A\r\nb\r\nc\r\n", "a\nb\nC\n");
        assert!(conflicts.is_empty());
        assert_eq!(merged, "A\r\nb\r\nC\n");
        // A missing final newline on one side and a line added after it on the other.
        let (merged, conflicts) = check("x\n\ny\n", "x\n\ny", "x\n\ny\n\nz\n");
        assert!(conflicts.is_empty());
        assert_eq!(merged, "x\n\ny\n\nz\n");
    }

    #[test]
    fn resolving_takes_each_choice() {
        let merged = merge(&body("가\n나\n다\n라\n"), &body("가1\n나\n다\n라1\n"), &body("가2\n나\n다\n라2\n"));
        assert_eq!(merged.conflicts.len(), 2);
        let resolved = merged.resolve(&[Choice::Theirs, Choice::Edited("라3\n마\n".into())]).unwrap();
        assert_eq!(resolved.body, "가2\n나\n다\n라3\n마\n");
        assert_eq!(merged.resolve(&[Choice::Ours, Choice::Ours]).unwrap().body, "가1\n나\n다\n라1\n");
        assert!(merged.resolve(&[Choice::Ours]).is_err());
    }

    #[test]
    fn list_insertions_at_the_same_place_keep_both() {
        let base = Content { subheadlines: vec!["하나".into()], ..Content::default() };
        let ours = Content { subheadlines: vec!["하나".into(), "둘".into()], ..Content::default() };
        let theirs = Content { subheadlines: vec!["하나".into(), "셋".into()], ..Content::default() };
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.is_clean());
        assert_eq!(merged.content.subheadlines, vec!["하나", "둘", "셋"]);
    }

    #[test]
    fn regions_anchor_on_what_all_three_share() {
        let regions = regions(&["a", "b", "c"], &["a", "B", "c"], &["a", "b", "c", "d"]);
        let shape: Vec<(bool, Range<usize>)> = regions.into_iter().map(|region| (region.stable, region.base)).collect();
        assert_eq!(shape, vec![(true, 0..1), (false, 1..2), (true, 2..3), (false, 3..3)]);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// What one side does to a base line: keep it, drop it, rewrite it, or write a new line after it.
        #[derive(Debug, Clone, Copy)]
        enum Edit {
            Keep,
            Drop,
            Rewrite,
            AddAfter,
        }

        fn edit() -> impl Strategy<Value = Edit> {
            prop_oneof![4 => Just(Edit::Keep), 1 => Just(Edit::Drop), 1 => Just(Edit::Rewrite), 1 => Just(Edit::AddAfter)]
        }

        /// A side's text from the base's lines (`문단 n`, each unique) and its edits; what it
        /// writes is marked with `side`, so every line of the three texts is told apart.
        fn apply(base: &[String], edits: &[Edit], side: &str) -> Vec<String> {
            let mut lines = Vec::new();
            for (index, (line, edit)) in base.iter().zip(edits).enumerate() {
                match edit {
                    Edit::Keep => lines.push(line.clone()),
                    Edit::Drop => {}
                    Edit::Rewrite => lines.push(format!("{side}가 고친 {index}")),
                    Edit::AddAfter => {
                        lines.push(line.clone());
                        lines.push(format!("{side}가 보탠 {index}"));
                    }
                }
            }
            lines
        }

        fn text(lines: &[String], crlf: bool, final_newline: bool) -> String {
            let ending = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(ending);
            if final_newline && !lines.is_empty() {
                text.push_str(ending);
            }
            text
        }

        fn sides() -> impl Strategy<Value = (Vec<String>, Vec<Edit>, Vec<Edit>, bool, bool)> {
            (0usize..12).prop_flat_map(|n| {
                let base: Vec<String> = (0..n).map(|index| format!("문단 {index}")).collect();
                (Just(base), prop::collection::vec(edit(), n), prop::collection::vec(edit(), n), any::<bool>(), any::<bool>())
            })
        }

        fn in_order(needles: &[&String], haystack: &[&str]) -> bool {
            let mut rest = haystack.iter();
            needles.iter().all(|needle| rest.any(|line| line == needle))
        }

        proptest! {
            #[test]
            fn a_merge_never_drops_a_line_either_side_kept((base, ours_edits, theirs_edits, crlf, final_newline) in sides()) {
                let ours = apply(&base, &ours_edits, "우리");
                let theirs = apply(&base, &theirs_edits, "그쪽");
                let merged = merge(&body(&text(&base, false, true)), &body(&text(&ours, crlf, final_newline)), &body(&text(&theirs, false, true)));
                let result: Vec<&str> = merged.content.body.lines().collect();
                // Lines both kept stay, in their order.
                let both_kept: Vec<&String> = base.iter().filter(|line| ours.contains(line) && theirs.contains(line)).collect();
                prop_assert!(in_order(&both_kept, &result), "{both_kept:?} in {result:?}");
                // What we wrote is in the result (a conflict holds our version until resolved).
                for line in ours.iter().filter(|line| !base.contains(line)) {
                    prop_assert!(result.contains(&line.as_str()), "{line} in {result:?}");
                }
                // What they wrote is in the result or, where it overlaps ours, in the conflict.
                for line in theirs.iter().filter(|line| !base.contains(line)) {
                    let in_conflict = merged.conflicts.iter().any(|conflict| conflict.theirs.lines().any(|theirs| theirs == line));
                    prop_assert!(result.contains(&line.as_str()) || in_conflict, "{line} in {result:?} or {:?}", merged.conflicts);
                }
                // Choosing theirs everywhere keeps everything they wrote.
                let all_theirs = merged.resolve(&vec![Choice::Theirs; merged.conflicts.len()]).map_err(|error| TestCaseError::fail(error.to_string()))?;
                for line in theirs.iter().filter(|line| !base.contains(line)) {
                    prop_assert!(all_theirs.body.lines().any(|kept| kept == line), "{line} in {:?}", all_theirs.body);
                }
            }

            #[test]
            fn a_side_alone_or_both_alike_is_taken_whole((base, ours_edits, theirs_edits, crlf, final_newline) in sides(), headline in "[가-힣 ]{0,8}", tag in "[가-힣]{1,4}") {
                let base_content = Content { headline: "제목".into(), tags: vec!["경제".into()], body: text(&base, false, true), ..Content::default() };
                let ours = Content { headline, tags: vec![tag], body: text(&apply(&base, &ours_edits, "우리"), crlf, final_newline), ..Content::default() };
                let theirs = Content { body: text(&apply(&base, &theirs_edits, "그쪽"), false, final_newline), ..base_content.clone() };
                prop_assert_eq!(&merge(&base_content, &ours, &base_content).content, &ours);
                prop_assert_eq!(&merge(&base_content, &base_content, &theirs).content, &theirs);
                let same = merge(&base_content, &ours, &ours);
                prop_assert!(same.is_clean());
                prop_assert_eq!(&same.content, &ours);
                // The line merge itself, below the field-level shortcut, agrees.
                let mut conflicts = Vec::new();
                prop_assert_eq!(merge_body(&base_content, &ours, &base_content, &mut conflicts), ours.body.clone());
                prop_assert_eq!(merge_body(&base_content, &base_content, &theirs, &mut conflicts), theirs.body.clone());
                prop_assert!(conflicts.is_empty());
            }

            #[test]
            fn resolving_with_our_choices_gives_the_merged_content(ours_body in "[가나다\n\r]{0,40}", theirs_body in "[가나라\n]{0,40}") {
                let base = body("가\n나\n다\n");
                let merged = merge(&base, &body(&ours_body), &body(&theirs_body));
                let resolved = merged.resolve(&vec![Choice::Ours; merged.conflicts.len()]).map_err(|error| TestCaseError::fail(error.to_string()))?;
                prop_assert_eq!(resolved, merged.content.clone());
            }
        }
    }
}
