//! A killed process never corrupts the library nor loses a save it acknowledged. The test runs
//! itself as a child process that saves in a loop and is killed with SIGKILL mid-stream, many
//! times over, then the library is reopened and verified.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use copydesk::Library;
use copydesk::clock::Clock;
use copydesk::revision::RevisionNo;
use copydesk::store::Location;

const CHILD_LIBRARY: &str = "COPYDESK_TEST_CRASH_CHILD_LIBRARY";
const TEST_NAME: &str = "crash_safety::acknowledged_saves_survive_sigkill";

/// The body revision `n` has, so the parent can check any revision without asking the child.
fn body_for(n: u32) -> String {
    format!("{n}번째 저장. {}", "중진공은 협약을 체결했다. ".repeat((n % 40) as usize))
}

fn child_saves_forever(path: &str) {
    let location = Location::File(path.into());
    let mut library = Library::open(&location, Clock::System).expect("child opens the library");
    let reporter = library.user(Some("rang@newspim.com")).expect("reporter exists");
    let started = Instant::now();
    // Bounded, so a child the parent failed to kill still ends by itself.
    while started.elapsed() < Duration::from_secs(60) {
        let article = library.article(copydesk::article::ArticleId(1)).expect("article exists");
        let next = article.head.next();
        let content = common::story("충돌 시험", &body_for(next.0));
        library.autosave(&reporter, article.id, article.head, content.clone()).expect("autosave");
        let saved = library.save(&reporter, article.id, article.head, content).expect("save");
        println!("ack {}", saved.head);
    }
}

#[test]
fn acknowledged_saves_survive_sigkill() {
    if let Ok(path) = std::env::var(CHILD_LIBRARY) {
        return child_saves_forever(&path);
    }
    let mut desk = common::Desk::new();
    let draft = desk.draft("충돌 시험", &body_for(1));
    assert_eq!(draft.id.0, 1);
    let path = desk.path.clone();
    let desk_location = desk.location.clone();
    drop(desk.library);

    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut random = |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let mut acknowledged = 1;
    let rounds = 25;
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_LIBRARY, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wanted = 1 + random(40);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        while seen < wanted {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(number) = line.strip_prefix("ack ") {
                acknowledged = number.trim().parse().unwrap();
                seen += 1;
            }
        }
        assert!(seen > 0, "round {round}: the child acknowledged no save");
        // Let it get into the middle of the next transaction, then kill it outright.
        std::thread::sleep(Duration::from_micros(random(3000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Saves acknowledged after we stopped reading are in the pipe; count them too.
        for line in lines.map_while(Result::ok) {
            if let Some(number) = line.strip_prefix("ack ") {
                acknowledged = number.trim().parse().unwrap();
            }
        }

        let connection = rusqlite::Connection::open(&path).unwrap();
        let integrity: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok", "round {round}");
        drop(connection);
        let library = Library::open(&desk_location, Clock::System).unwrap();
        let article = library.article(draft.id).unwrap();
        assert!(article.head.0 >= acknowledged, "round {round}: acknowledged {acknowledged}, library has {}", article.head);
        for number in [1, acknowledged / 2, acknowledged, article.head.0] {
            let content = library.revision_content(draft.id, RevisionNo(number.max(1))).unwrap();
            assert_eq!(content.body, body_for(number.max(1)), "round {round}, revision {number}");
        }
        assert_eq!(library.search(&format!("{}번째", article.head), &Default::default()).unwrap().total, 1);
    }
    assert!(acknowledged > rounds, "the children made real progress ({acknowledged} saves)");
}
