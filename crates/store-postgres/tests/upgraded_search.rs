//! An archive indexed by an older build keeps its search while the store rewrites it between
//! requests: nothing waits for a million articles to be indexed again after an upgrade.

use copydesk::Library;
use copydesk::article::{Byline, Content};
use copydesk::clock::Clock;
use copydesk::search::Filter;
use copydesk::store::{Budget, Location};
use copydesk::user::{NewUser, Role};
use postgres::NoTls;

fn story(n: usize) -> Content {
    let body = if n.is_multiple_of(3) {
        format!("{n}번째 기사는 탄소중립 정책을 다룬다.")
    } else {
        format!("{n}번째 기사는 수출 실적을 다룬다.")
    };
    Content {
        headline: format!("경제 소식 {n}"),
        body,
        bylines: vec![Byline { name: "김기자".into(), title: "기자".into(), email: "kim@example.kr".into() }],
        ..Content::default()
    }
}

fn hits(library: &Library, query: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = library
        .search(query, &Filter { limit: Some(1_000), ..Filter::default() })
        .expect("search")
        .hits
        .iter()
        .map(|hit| hit.article.id.0)
        .collect();
    ids.sort();
    ids
}

#[test]
fn articles_of_the_older_form_are_found_while_they_are_rewritten_a_batch_at_a_time() {
    let url = throwaway_postgres::fresh_database();
    let location = Location::Postgres(url.clone());
    let mut library = copydesk_store_postgres::init_library(&location, Clock::System).expect("library");
    let reporter = library
        .add_user(None, NewUser { name: "김기자".into(), title: "기자".into(), email: "kim@example.kr".into(), role: Role::Admin })
        .expect("person");
    for n in 0..300 {
        library.create(&reporter, story(n)).expect("article");
    }
    let expected: Vec<i64> = (0..300i64).filter(|n| n % 3 == 0).map(|n| n + 1).collect();
    assert_eq!(hits(&library, "탄소중립"), expected, "the current form");

    // What an older build wrote: no runs of three in the candidates, and the form says so.
    let mut sql = postgres::Client::connect(&url, NoTls).expect("connect");
    let older = sql
        .execute(
            "UPDATE article_terms SET candidates_form = 3, \
             candidates = regexp_replace(candidates, ' ?''[^'' ]+ [^'' ]+ [^'' ]+''', '', 'g')",
            &[],
        )
        .expect("older form");
    assert_eq!(older, 300);
    let runs: i64 = sql.query_one("SELECT count(*) FROM article_terms WHERE candidates LIKE '%탄소 소중 중립%'", &[]).unwrap().get(0);
    assert_eq!(runs, 0, "the older form has no runs of three");

    assert_eq!(hits(&library, "탄소중립"), expected, "older rows are found by their pairs");
    library.maintain(Budget::Step).expect("a step of upkeep");
    let left: i64 = sql.query_one("SELECT count(*) FROM article_terms WHERE candidates_form < 4", &[]).unwrap().get(0);
    assert_eq!(left, 200, "a step rewrites a batch of the oldest");
    assert_eq!(hits(&library, "탄소중립"), expected, "found while half rewritten");
    while sql.query_one("SELECT count(*) FROM article_terms WHERE candidates_form < 4", &[]).unwrap().get::<_, i64>(0) > 0 {
        library.maintain(Budget::Step).expect("a step of upkeep");
    }
    let runs: i64 = sql.query_one("SELECT count(*) FROM article_terms WHERE candidates LIKE '%탄소 소중 중립%'", &[]).unwrap().get(0);
    assert_eq!(runs, 100, "every rewritten article holds its runs");
    assert_eq!(hits(&library, "탄소중립"), expected, "the runs of three find the same articles");
}
