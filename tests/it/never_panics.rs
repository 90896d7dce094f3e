//! Arbitrary Unicode through every function that takes text a person typed or a file held:
//! every script, combining marks, letters whose case changes their length (İ, ẞ, ﬃ), Greek
//! final sigma, emoji, NUL. None of it may panic.

use std::path::{Path, PathBuf};

use copydesk::article::{Article, Byline, Content, Photo, Section};
use copydesk::import::PhotoError;
use copydesk::newsroom::Newsroom;
use copydesk::revision::{self, Delta};
use copydesk::search::{self, Terms};
use proptest::prelude::*;

/// Characters chosen to break code that assumes lowercasing, slicing or counting is simple.
const TRICKY: &[char] = &[
    'İ', 'ı', 'I', 'i', 'ẞ', 'ß', 'ﬃ', 'ﬀ', 'Σ', 'σ', 'ς', 'ΐ', 'ǅ', 'Ⅻ', 'ᾼ', '\u{0301}', '\u{0307}', '\u{200d}', '\u{feff}', '😀', '👩',
    '🏽', '\0', '\r', '\n', '\t', ' ', '\u{00a0}', '\u{3000}', '협', '약', '식', '을', 'ㄱ', '\u{1100}', '\u{1161}', '漢', 'カ', 'ا', 'ע',
    'ก', 'अ', '\u{094d}', '"', '\'', '#', '[', ']', '{', '}', '-', ':', '*', '_', '<', '>', '&', '`', '|', '!', '(', ')',
];

/// Text mixing any character at all with the tricky ones, and Korean words around them.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        1 => Just("협약식을".to_string()),
        1 => Just("CMIC와".to_string()),
        1 => Just("İ".repeat(40)),
        1 => Just("\n\n".to_string()),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text().prop_map(|text| text.chars().take(8).collect()), 0..4)
}

fn content(headline: String, body: String, extra: String) -> Content {
    let photo = Photo {
        file: extra.clone(),
        image: copydesk::article::ImageRef::of(extra.as_bytes()),
        media_type: "image/png".into(),
        width: 1,
        height: 1,
        caption: extra.clone(),
        credit: extra.clone(),
        date: None,
        email: extra.clone(),
        alt: extra.clone(),
        creator: extra.clone(),
    };
    Content {
        section: Section::parse(&extra),
        headline,
        subheadlines: vec![extra.clone()],
        bylines: vec![Byline { name: extra.clone(), title: extra.clone(), email: extra.clone() }],
        body: format!("{body}\n\n![{extra}]({extra})\n"),
        photos: vec![photo],
        tags: vec![extra],
        ..Content::default()
    }
}

fn article(content: &Content) -> Article {
    crate::common::draft_of(content)
}

fn no_photos(name: &str) -> Result<Vec<u8>, PhotoError> {
    Err(PhotoError::Unreadable {
        path: PathBuf::from(name),
        error: std::io::Error::new(std::io::ErrorKind::NotFound, "no photos in this test"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn snippets_of_any_text_never_panic(body in text(), headline in text(), words in words(), width in 0usize..120) {
        let content = Content { body, headline, ..Content::default() };
        let parts = search::snippet(&content, &words, width);
        prop_assert!(parts.iter().all(|part| !part.text.is_empty()));
    }

    #[test]
    fn a_word_in_any_text_is_marked_in_its_snippet(before in text(), word in "[가-힣a-zA-ZİẞΣ]{1,4}", after in text()) {
        let content = Content { body: format!("{before} {word} {after}"), ..Content::default() };
        let parts = search::snippet(&content, std::slice::from_ref(&word), 10_000);
        prop_assert!(parts.iter().any(|part| part.hit), "{:?}", parts);
    }

    #[test]
    fn search_terms_of_any_text_never_panic(query in text(), headline in text(), body in text(), extra in text()) {
        let terms = Terms::parse(&query);
        prop_assert!(terms.phrases.iter().all(|phrase| !phrase.terms.is_empty() && phrase.terms.iter().all(|term| !term.is_empty())));
        let _ = search::document(&content(headline, body, extra));
    }

    #[test]
    fn any_content_renders_a_page(headline in text(), body in text(), extra in text()) {
        use copydesk::render::{self, PageInput, Resources, Templates};
        let content = content(headline, body, extra);
        let article = article(&content);
        let newsroom = Newsroom { outlet: "뉴스핌".into(), ..Newsroom::default() };
        let input = PageInput { article: &article, content: &content, newsroom: &newsroom, preview: true };
        prop_assert!(render::page(&input, &Resources::default(), &Templates::house()).is_ok());
    }

    #[test]
    fn any_two_texts_diff_and_their_delta_round_trips(old in text(), new in text(), extra in text()) {
        let delta = Delta::between(&old, &new);
        prop_assert_eq!(delta.apply(&old).ok(), Some(new.clone()));
        prop_assert_eq!(Delta::decode(&delta.encode()).ok(), Some(delta));
        let _ = revision::compare(&content(old.clone(), old, extra.clone()), &content(new.clone(), new, extra));
    }

    #[test]
    fn any_text_imports_or_gives_problems(text in text(), body in text(), field in text()) {
        let newsroom = Newsroom::default();
        for file in [text.clone(), format!("---\nheadline: {field}\ntags: [{field}]\n---\n{body}"), format!("---\n{text}\n---\n{body}")] {
            match copydesk::import::parse(&file, Path::new("any.md"), &newsroom, &mut no_photos) {
                Ok(article) => prop_assert!(!article.content.headline.is_empty()),
                Err(problems) => prop_assert!(!problems.is_empty() && problems.iter().all(|problem| !problem.message.is_empty())),
            }
        }
    }
}
