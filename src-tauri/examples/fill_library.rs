//! Makes a large library for the app's benchmarks: `cargo run --release -p copydesk-app
//! --example fill_library -- PATH COUNT`. Articles are variations of the seed story, spread over
//! sections, bylines and states, each with a real revision history of one.

use copydesk::Library;
use copydesk::article::{Byline, Content, Dateline, Section};
use copydesk::clock::Clock;
use copydesk::newsroom::Newsroom;
use copydesk::user::{NewUser, Role};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: fill_library PATH COUNT")?;
    let count: usize = args.next().unwrap_or_else(|| "100000".into()).parse()?;
    let location = copydesk::store::Location::File(path.into());
    let clock = Clock::from_setting(Some("2025-02-20T15:09:00+09:00"))?;
    let mut library = match Library::open(&location, clock.clone()) {
        Err(copydesk::Error::NoLibrary { .. }) => Library::init(&location, clock)?,
        opened => opened?,
    };
    let newsroom = Newsroom { outlet: "뉴스핌".into(), base_url: "https://www.newspim.com".into(), ..Newsroom::default() };
    library.set_newsroom(None, &newsroom)?;
    let user = match library.users()?.into_iter().next() {
        Some(user) => user,
        None => library.add_user(
            None,
            NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Editor },
        )?,
    };
    let sections = ["경제 > 경제일반", "정치", "사회", "국제", "산업 > 바이오", "금융 > 증권"];
    let places = ["세종", "서울", "도쿄", "부산", "워싱턴"];
    let paragraph = "중소벤처기업진흥공단과 일본 CMIC홀딩스가 한·일 양국의 바이오 분야 협력 활성화를 위해 맞손을 잡았다. \
        중진공은 20일(현지시간) 일본 도쿄에서 CMIC와 업무협약을 체결했다고 밝혔다.";
    let started = std::time::Instant::now();
    for n in 0..count {
        let content = Content {
            section: Section::parse(sections[n % sections.len()]),
            headline: format!("기사 {n}: 한-일 바이오 중소기업 지원 {}차 협력", n % 97),
            subheadlines: vec![format!("{}일 업무협약 체결", n % 28 + 1)],
            dateline: Dateline { place: places[n % places.len()].into(), outlet: "뉴스핌".into() },
            bylines: vec![Byline { name: format!("기자{}", n % 50), title: "기자".into(), email: format!("r{}@newspim.com", n % 50) }],
            body: format!("{paragraph}\n\n{paragraph} ({n})\n"),
            tags: vec!["바이오".into(), format!("태그{}", n % 200)],
            ..Content::default()
        };
        library.create(&user, content)?;
        if n % 10_000 == 9_999 {
            eprintln!("{} articles, {:.0?}", n + 1, started.elapsed());
        }
    }
    eprintln!("{count} articles in {:.1?}", started.elapsed());
    Ok(())
}
