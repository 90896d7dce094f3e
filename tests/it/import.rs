//! Importing article files: every kind of bad input is a clear error naming the file, the line
//! and the fix, and nothing is half-imported.

use crate::common;

use std::path::{Path, PathBuf};

use copydesk::import::{ImportProblem, PhotoError, read_file};
use copydesk::newsroom::Newsroom;
use proptest::prelude::*;

fn problems_of(text: &[u8]) -> Vec<ImportProblem> {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.md");
    std::fs::write(&path, text).unwrap();
    read_file(&path, &Newsroom::default()).expect_err("the file has a problem")
}

fn check(text: &str, line: Option<usize>, expect: &str) {
    let problems = problems_of(text.as_bytes());
    assert!(
        problems.iter().any(|problem| problem.line == line && problem.message.contains(expect)),
        "wanted line {line:?} saying {expect:?}, got {problems:#?}"
    );
    assert!(problems.iter().all(|problem| problem.to_string().contains("article.md")));
}

#[test]
fn unknown_keys_are_named_with_their_line() {
    check("---\nheadline: 제목\nbyline: 김기랑\n---\n본문\n", Some(3), "unknown field `byline`");
}

#[test]
fn bad_dates_say_how_to_write_them() {
    check(
        "---\nheadline: 제목\nstatus: published\nfirst_published: 2월 20일\n---\n본문\n",
        Some(4),
        "write it as 2025-02-20T15:09:00+09:00",
    );
    check("---\nheadline: 제목\nembargo: tomorrow\n---\n본문\n", Some(3), "embargo \"tomorrow\" is not a date and time");
}

#[test]
fn a_missing_photo_names_the_path_looked_at() {
    check(
        "---\nheadline: 제목\nphotos:\n  - file: photos/없는사진.jpg\n    caption: 설명\n---\n본문\n",
        Some(4),
        "the photo \"photos/없는사진.jpg\" cannot be read at",
    );
}

#[test]
fn a_file_that_is_not_an_image_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("fake.jpg"), "not really a jpeg").unwrap();
    let path = folder.path().join("article.md");
    std::fs::write(&path, "---\nheadline: 제목\nphotos:\n  - file: fake.jpg\n---\n본문\n").unwrap();
    let problems = read_file(&path, &Newsroom::default()).unwrap_err();
    assert!(problems[0].message.contains("is not a JPEG, PNG, GIF or WebP image"), "{problems:?}");
}

#[test]
fn invalid_utf8_names_the_line() {
    let mut bytes = b"---\nheadline: \xea\xb8\xb0\xec\x82\xac\n---\n".to_vec();
    bytes.extend_from_slice(b"\xff\xfe broken\n");
    let problems = problems_of(&bytes);
    assert_eq!(problems[0].line, Some(4));
    assert!(problems[0].message.contains("save the file as UTF-8"));
}

#[test]
fn a_missing_headline_is_an_error() {
    check("---\nsection: [경제]\n---\n본문\n", Some(2), "has no headline");
}

#[test]
fn no_front_matter_says_how_to_add_it() {
    check("그냥 본문만 있는 파일\n", Some(1), "put `---` on the first line");
}

#[test]
fn a_published_article_needs_its_first_publication() {
    check("---\nheadline: 제목\nstatus: published\n---\n본문\n", Some(3), "has no first_published");
}

#[test]
fn several_problems_are_reported_together() {
    let problems = problems_of("---\nheadline: ''\nembargo: 어제\nsubheadlines: [1, 2, 3, 4, 5, 6]\n---\n본문\n".as_bytes());
    assert!(problems.len() >= 3, "{problems:#?}");
}

#[test]
fn local_times_are_read_in_the_newsrooms_zone() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.md");
    std::fs::write(&path, "---\nheadline: 제목\nembargo: 2025-02-21 06:00\n---\n본문\n").unwrap();
    let article = read_file(&path, &Newsroom::default()).unwrap();
    assert_eq!(article.content.embargo, Some(common::at("2025-02-21T06:00:00+09:00")));
}

fn no_photos(name: &str) -> Result<Vec<u8>, PhotoError> {
    Err(PhotoError::Unreadable {
        path: PathBuf::from(name),
        error: std::io::Error::new(std::io::ErrorKind::NotFound, "no photos in this test"),
    })
}

fn article_or_clear_problems(text: &str) -> Result<(), TestCaseError> {
    match copydesk::import::parse(text, Path::new("any.md"), &Newsroom::default(), &mut no_photos) {
        Ok(article) => prop_assert!(!article.content.headline.is_empty()),
        Err(problems) => {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|problem| !problem.message.is_empty() && problem.to_string().starts_with("any.md")));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Arbitrary text never panics: it is an article or a list of problems, each with a message.
    #[test]
    fn arbitrary_text_is_an_article_or_clear_problems(text in any::<String>()) {
        article_or_clear_problems(&text)?;
    }

    /// Text shaped like an article file, with arbitrary values in its fields.
    #[test]
    fn arbitrary_field_values_never_panic(
        headline in ".{0,40}", section in ".{0,20}", date in ".{0,30}", body in ".{0,200}", extra in "[a-z_]{1,12}"
    ) {
        let text = format!(
            "---\nheadline: {headline}\nsection: {section}\nfirst_published: {date}\nstatus: published\n{extra}: x\n---\n{body}\n"
        );
        article_or_clear_problems(&text)?;
    }
}

#[test]
fn deeply_nested_front_matter_is_refused_before_the_yaml_parser_sees_it() {
    // 200 KB of brackets took the YAML parser 40 s to refuse; the depth check refuses it at once.
    check(&format!("---\nheadline: 제목\ntags: {}\n---\n본문\n", "[".repeat(200_000)), Some(3), "nested more than 64 levels deep");
    check(&format!("---\nheadline: 제목\ntags: {}\n---\n본문\n", "{a: ".repeat(100)), Some(3), "nested more than 64 levels deep");
    let mut indented = String::from("---\nheadline: 제목\nx:\n");
    for depth in 1..100 {
        indented.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    check(&format!("{indented}---\n본문\n"), Some(68), "nested more than 64 levels deep");
    // A quote inside a block of text opens nothing that could hide the brackets after it.
    check(
        &format!("---\nheadline: |\n  'it is text\n  [[[ too\ntags: {}\n---\n본문\n", "[".repeat(1000)),
        Some(5),
        "nested more than 64 levels deep",
    );
}

#[test]
fn brackets_inside_quotes_and_ordinary_nesting_are_fine() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.md");
    let quoted = "[".repeat(500);
    std::fs::write(&path, format!("---\nheadline: '{quoted}'\ntags: [\"]]]{quoted}\", 'it''s [']\nsection: [[경제]]\nsubheadlines:\n  - >-\n    {quoted}\n---\n본문\n"))
        .unwrap();
    let problems = read_file(&path, &Newsroom::default()).err().unwrap_or_default();
    assert!(problems.iter().all(|problem| !problem.message.contains("nested")), "{problems:#?}");
}

#[test]
fn an_article_file_is_a_regular_file_of_sensible_size() {
    let folder = tempfile::tempdir().unwrap();
    let newsroom = copydesk::newsroom::Newsroom::default();
    let huge = folder.path().join("huge.md");
    std::fs::write(&huge, format!("---\nheadline: 큰 파일\n---\n{}", "가".repeat(4_000_000))).unwrap();
    let problems = copydesk::import::read_file(&huge, &newsroom).unwrap_err();
    assert!(problems[0].message.contains("over the 10 MB an article file may be"), "{problems:?}");

    // A pipe is refused before it is opened: opening it would wait for a writer forever.
    let fifo = folder.path().join("pipe.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(copydesk::import::read_file(&fifo, &newsroom).map(|_| ()).unwrap_err()));
    let problems = receiver.recv_timeout(std::time::Duration::from_secs(10)).expect("refused at once, not waiting on the pipe");
    assert!(problems[0].message.contains("is not a regular file (it is a pipe (FIFO))"), "{problems:?}");
}
