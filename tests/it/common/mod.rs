//! Shared setup for the integration tests: a real library file in a temporary folder, the
//! newsroom's three roles, a fixed clock and the seed article.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use copydesk::Library;
use copydesk::article::{Byline, Content, Dateline, Section};
use copydesk::clock::Clock;
use copydesk::newsroom::Newsroom;
use copydesk::store::{Location, Store};
use copydesk::user::{NewUser, Role, User};
use jiff::Timestamp;

pub const SEED_ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed-article/article.md");

pub fn at(rfc3339: &str) -> Timestamp {
    rfc3339.parse().expect("test instants are valid")
}

/// A new, empty library for one test. Every test gets its library here, so the whole suite
/// runs against whichever store this gives; today that is a file in a temporary folder.
pub struct TestLibrary {
    pub folder: tempfile::TempDir,
    pub location: Location,
    pub library: Library,
}

pub fn new_library(clock: Clock) -> TestLibrary {
    let folder = tempfile::tempdir().expect("temporary folder");
    let location = match std::env::var("COPYDESK_TEST_STORE").as_deref() {
        Ok("postgres") => Location::Postgres(throwaway_postgres::fresh_database()),
        _ => Location::File(folder.path().join("library.sqlite3")),
    };
    let library = copydesk_store_postgres::init_library(&location, clock).expect("library created");
    TestLibrary { folder, location, library }
}

/// A new, empty store of the kind the suite runs on, for tests of the store itself.
pub fn new_store() -> (tempfile::TempDir, Box<dyn Store>) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let store: Box<dyn Store> = match std::env::var("COPYDESK_TEST_STORE").as_deref() {
        Ok("postgres") => {
            Box::new(copydesk_store_postgres::PostgresStore::init(&throwaway_postgres::fresh_database()).expect("store created"))
        }
        _ => Box::new(copydesk::store::sqlite::SqliteStore::create(&folder.path().join("library.sqlite3")).expect("store created")),
    };
    (folder, store)
}

/// Opens the library at `location`, in whichever store holds it.
pub fn open(location: &Location, clock: Clock) -> Library {
    copydesk_store_postgres::open_library(location, clock).expect("library opens")
}

pub struct Desk {
    pub folder: tempfile::TempDir,
    pub location: Location,
    /// The library file, for the tests of the embedded store itself.
    pub path: PathBuf,
    pub library: Library,
    pub reporter: User,
    pub other_reporter: User,
    pub editor: User,
    pub admin: User,
}

impl Desk {
    /// A new library at 2025-02-20 09:00 in Seoul, with 뉴스핌 as the outlet.
    pub fn new() -> Desk {
        let TestLibrary { folder, location, mut library } = new_library(Clock::Fixed(at("2025-02-20T09:00:00+09:00")));
        let path = location.file().map(Path::to_path_buf).unwrap_or_default();
        let newsroom = Newsroom { outlet: "뉴스핌".into(), ..Newsroom::default() };
        library.set_newsroom(None, &newsroom).expect("settings");
        let mut add = |name: &str, email: &str, role: Role, admin: Option<&User>| {
            library.add_user(admin, NewUser { name: name.into(), title: "기자".into(), email: email.into(), role }).expect("user added")
        };
        let admin = add("관리자", "admin@newspim.com", Role::Admin, None);
        let reporter = add("김기랑", "rang@newspim.com", Role::Reporter, Some(&admin));
        let other_reporter = add("이영종", "yjlee@newspim.com", Role::Reporter, Some(&admin));
        let editor = add("박데스크", "desk@newspim.com", Role::Editor, Some(&admin));
        Desk { folder, location, path, library, reporter, other_reporter, editor, admin }
    }

    pub fn set_now(&mut self, rfc3339: &str) {
        self.library.set_clock(Clock::Fixed(at(rfc3339)));
    }

    pub fn reopen(&mut self) {
        let clock = Clock::Fixed(self.library.now());
        self.library = open(&self.location, clock);
    }

    pub fn import_seed(&mut self) -> copydesk::article::Article {
        let newsroom = self.library.newsroom().expect("settings");
        let imported = copydesk::import::read_file(Path::new(SEED_ARTICLE), &newsroom).expect("seed parses");
        let editor = self.editor.clone();
        self.library.import(&editor, imported).expect("seed imports")
    }

    /// A draft by the reporter, ready to be submitted.
    pub fn draft(&mut self, headline: &str, body: &str) -> copydesk::article::Article {
        let reporter = self.reporter.clone();
        self.library.create(&reporter, story(headline, body)).expect("draft created")
    }
}

pub fn story(headline: &str, body: &str) -> Content {
    Content {
        section: Section::parse("경제 > 경제일반"),
        headline: headline.into(),
        dateline: Dateline { place: "세종".into(), outlet: "뉴스핌".into() },
        bylines: vec![Byline { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into() }],
        body: body.into(),
        ..Content::default()
    }
}

/// An unsaved draft holding `content`, for rendering without a library.
pub fn draft_of(content: &Content) -> copydesk::article::Article {
    copydesk::article::Article {
        id: copydesk::article::ArticleId(1),
        status: copydesk::workflow::Status::Draft,
        content: content.clone(),
        head: copydesk::revision::RevisionNo(1),
        published_revision: None,
        first_published: None,
        last_modified: None,
        corrections: Vec::new(),
        created_by: copydesk::user::UserId(1),
        created_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
        scheduled_by: None,
    }
}
