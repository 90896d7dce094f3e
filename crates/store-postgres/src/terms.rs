//! The core's search terms as PostgreSQL text-search values. Both are written as literals
//! (`'협약':1 '약식':2`, `'협약' <-> '약식'`) and cast, so no text-search parser or locale decides
//! what a word is: the core's terms go in exactly as the SQLite store indexes them.

use copydesk::search::Terms;

/// Positions stop at 16,383 in a tsvector; terms past that share the last position.
const LAST_POSITION: usize = 16_383;

fn lexeme(term: &str) -> String {
    format!("'{}'", term.replace('\\', "\\\\").replace('\'', "''"))
}

/// A tsvector literal of the columns' terms (each column's terms separated by spaces), their
/// positions counted across columns with a gap between columns, so a phrase never runs from
/// the end of one column into the next.
pub fn vector<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut position = 0;
    for column in columns {
        for term in column.split(' ').filter(|term| !term.is_empty()) {
            position += 1;
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&lexeme(term));
            out.push(':');
            out.push_str(&position.min(LAST_POSITION).to_string());
        }
        position += 1;
    }
    out
}

/// A tsquery literal: each phrase's terms in a row (`<->`), an open-ended last syllable as a
/// prefix (`:*`), the phrases ANDed.
pub fn query(terms: &Terms) -> String {
    terms
        .phrases
        .iter()
        .map(|phrase| {
            let mut lexemes: Vec<String> = phrase.terms.iter().map(|term| lexeme(term)).collect();
            if phrase.open_end
                && let Some(last) = lexemes.last_mut()
            {
                last.push_str(":*");
            }
            format!("({})", lexemes.join(" <-> "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_apart_and_terms_quoted() {
        assert_eq!(vector(["협약 약식", "it's"]), "'협약':1 '약식':2 'it''s':4");
        assert_eq!(query(&Terms::parse("협약식 CMIC와")), "('협약' <-> '약식') & ('cmic' <-> '와':*)");
    }
}
