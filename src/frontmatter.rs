//! The article file format: Markdown with a YAML front matter block, as writing apps and static
//! site generators use it. `import` reads it, the Markdown export and `copydesk edit` write it.
//! See `tests/fixtures/seed-article/article.md` for every field.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub headline: String,
    #[serde(default, skip_serializing_if = "SectionField::is_empty")]
    pub section: SectionField,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subheadlines: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<DatelineField>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bylines: Vec<BylineField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embargo: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoField>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionField>,
    /// The agency item the article came from (`copydesk import` of NewsML-G2 or ninjs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::article::Source>,
}

/// `[경제, 경제일반]` or `경제 > 경제일반`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SectionField {
    Levels(Vec<String>),
    Path(String),
}

impl Default for SectionField {
    fn default() -> Self {
        SectionField::Levels(Vec::new())
    }
}

impl SectionField {
    fn is_empty(&self) -> bool {
        match self {
            SectionField::Levels(levels) => levels.is_empty(),
            SectionField::Path(path) => path.trim().is_empty(),
        }
    }

    pub fn section(&self) -> crate::article::Section {
        match self {
            SectionField::Levels(levels) => crate::article::Section::parse(&levels.join(" > ")),
            SectionField::Path(path) => crate::article::Section::parse(path),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatelineField {
    #[serde(default)]
    pub place: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outlet: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BylineField {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoField {
    pub file: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub alt: String,
    /// The photographer, when the photo's metadata or the reporter names one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub creator: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionField {
    pub at: String,
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// A file split into its front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<'a> {
    pub front_matter: &'a str,
    /// The line of the file the front matter's first line is on.
    pub front_matter_line: usize,
    pub body: &'a str,
}

/// Why a file is not an article file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: Option<usize>,
    pub message: String,
}

pub fn split(text: &str) -> Result<Document<'_>, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || FormatError {
        line: Some(1),
        message: "the file does not start with a front matter block: put `---` on the first line, the \
                  fields (headline: ...) below it, and `---` again before the body"
            .into(),
    };
    let first_line_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let rest = &text[first_line_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let body = &rest[offset + line.len()..];
            return Ok(Document { front_matter: &rest[..offset], front_matter_line: 2, body: body.trim_matches(['\n', '\r']) });
        }
        offset += line.len();
    }
    Err(FormatError {
        line: None,
        message: "the front matter block is never closed: put a line with `---` between the fields and the body".into(),
    })
}

pub fn parse(document: &Document) -> Result<FrontMatter, FormatError> {
    if document.front_matter.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    check_nesting(document)?;
    serde_yaml_ng::from_str(document.front_matter).map_err(|error| {
        let line = error.location().map(|location| location.line() + document.front_matter_line - 1);
        FormatError { line, message: explain_yaml_error(&error.to_string()) }
    })
}

/// How deep lists and fields may sit inside one another; an article needs three or four levels.
pub const MAX_NESTING: usize = 64;

/// Refuses front matter nested deeper than [`MAX_NESTING`] before the YAML parser sees it: the
/// parser takes time that grows much faster than the depth (200 KB of `[` took it 40 s to refuse).
/// Counts flow brackets and braces outside quoted strings and comments, plus block indentation
/// levels and `- ` entries opened on one line.
fn check_nesting(document: &Document) -> Result<(), FormatError> {
    let too_deep = |index: usize| FormatError {
        line: Some(index + document.front_matter_line),
        message: format!(
            "the front matter is nested more than {MAX_NESTING} levels deep (lists or fields inside one another): \
             an article needs only a few levels; write lists flat, such as tags: [경제, 바이오], and close every [ and {{ you open"
        ),
    };
    let mut flow = 0usize;
    let mut indents: Vec<usize> = vec![0];
    let mut quote: Option<char> = None;
    // The indentation of the line that opened a literal or folded block (`|`, `>`): lines below
    // it indented further are text, where a quote or a bracket means nothing.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in document.front_matter.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some(parent) = block_scalar {
            if content.is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut block = indents.len() - 1;
        if quote.is_none() && flow == 0 && !content.is_empty() && !content.starts_with('#') {
            while indents.last().is_some_and(|open| *open > indent) {
                indents.pop();
            }
            if indents.last().is_some_and(|open| *open < indent) {
                indents.push(indent);
            }
            let mut entries = content;
            let mut dashes = 0;
            while let Some(rest) = entries.strip_prefix('-').filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t'])) {
                dashes += 1;
                entries = rest.trim_start();
            }
            block = indents.len() - 1 + dashes;
        }
        if block + flow > MAX_NESTING {
            return Err(too_deep(index));
        }
        // A quote opens a quoted string only where a value may begin, not inside plain text (it's).
        let mut value_may_begin = true;
        let mut after_space = true;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                }
                Some(_) => match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => quote = None,
                    _ => {}
                },
                None => match c {
                    '#' if after_space => break,
                    '\'' | '"' if value_may_begin => quote = Some(c),
                    '[' | '{' => {
                        flow += 1;
                        if block + flow > MAX_NESTING {
                            return Err(too_deep(index));
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            value_may_begin = quote.is_none()
                && match c {
                    '[' | '{' | ',' => true,
                    ':' => flow > 0 || chars.peek().is_none_or(|next| next.is_whitespace()),
                    '-' | '?' => value_may_begin && chars.peek().is_none_or(|next| next.is_whitespace()),
                    ' ' | '\t' => value_may_begin,
                    _ => false,
                };
            after_space = c.is_whitespace();
        }
        let opens_block_scalar = content.trim_end().rsplit([' ', ':']).next().is_some_and(|last| {
            last.strip_prefix(['|', '>']).is_some_and(|indicators| indicators.chars().all(|c| c.is_ascii_digit() || c == '+' || c == '-'))
        });
        if quote.is_none() && flow == 0 && opens_block_scalar {
            block_scalar = Some(indent);
        }
    }
    Ok(())
}

fn explain_yaml_error(message: &str) -> String {
    // serde names unknown fields and what it expected; add what to do about it.
    let message = message.split(" at line ").next().unwrap_or(message).to_string();
    if message.starts_with("unknown field") {
        format!("{message}; remove it or correct its spelling")
    } else if message.contains("did not match any variant of untagged enum SectionField") {
        "section must be a list such as [경제, 경제일반] or a path such as 경제 > 경제일반".into()
    } else {
        message
    }
}

/// The line (1-based, in the whole file) on which `key:` first appears in the front matter.
pub fn line_of(document: &Document, key: &str) -> Option<usize> {
    document
        .front_matter
        .lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ");
            line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + document.front_matter_line)
}

/// Writes a front matter document: `---`, the fields, `---`, a blank line, the body.
pub fn write(front_matter: &FrontMatter, body: &str) -> String {
    let yaml = serde_yaml_ng::to_string(front_matter).unwrap_or_default();
    format!("---\n{yaml}---\n\n{}\n", body.trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let document = split("---\nheadline: 제목\n---\n\n본문\n").unwrap();
        assert_eq!(document.front_matter, "headline: 제목\n");
        assert_eq!(document.body, "본문");
        assert_eq!(parse(&document).unwrap().headline, "제목");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let text = "---\nheadline: 제목\nheadlin: 오타\n---\n본문";
        let error = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(error.message.contains("unknown field `headlin`"), "{}", error.message);
    }

    #[test]
    fn a_file_without_front_matter_says_how_to_add_it() {
        assert!(split("그냥 본문").unwrap_err().message.contains("---"));
        assert!(split("---\nheadline: x\n").unwrap_err().message.contains("never closed"));
    }
}
