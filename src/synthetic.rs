//! A synthetic wire-service archive for benchmarks and scale tests: realistic Korean news
//! articles (sections, bylines, compounds and particles, 1-8 KB bodies, photos on a fraction),
//! generated deterministically from a seed so every run measures the same library.

use jiff::{SignedDuration, Timestamp};

use crate::article::{Byline, Content, Dateline, Photo, Section};
use crate::import::ImportedArticle;
use crate::store::Image;
use crate::workflow::Status;

/// A small, fast, deterministic generator (xorshift64*); quality is beside the point here.
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.max(1))
    }

    pub fn roll(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.roll() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SECTIONS: &[&[&str]] = &[
    &["경제", "경제일반"],
    &["경제", "금융"],
    &["경제", "부동산"],
    &["산업", "자동차"],
    &["산업", "바이오"],
    &["산업", "전자"],
    &["정치", "국회"],
    &["정치", "북한"],
    &["사회", "사건사고"],
    &["사회", "교육"],
    &["국제", "중국"],
    &["국제", "미국"],
    &["증권", "시황"],
    &["증권", "종목"],
    &["문화", "공연"],
    &["스포츠", "야구"],
];

const PLACES: &[&str] = &["서울", "세종", "부산", "인천", "대구", "광주", "대전", "수원", "베이징", "워싱턴", "도쿄"];
const FAMILY: &[&str] = &["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황"];
const GIVEN: &[&str] = &["기랑", "영종", "민수", "지현", "서연", "도윤", "하은", "준호", "수빈", "예린", "태현", "나래", "승우", "다인"];
const TITLES: &[&str] = &["기자", "기자", "기자", "특파원", "선임기자", "전문기자"];
const ORGS: &[&str] = &[
    "중진공",
    "중소벤처기업부",
    "산업통상자원부",
    "기획재정부",
    "한국은행",
    "금융위원회",
    "삼성전자",
    "현대차",
    "SK하이닉스",
    "LG에너지솔루션",
    "셀트리온",
    "네이버",
    "카카오",
    "포스코",
    "국토교통부",
    "서울시",
    "CMIC",
    "코스피",
    "코스닥",
    "KB금융",
];
const NOUNS: &[&str] = &[
    "협약",
    "업무협약",
    "협약식",
    "투자",
    "수출",
    "반도체",
    "배터리",
    "바이오",
    "금리",
    "물가",
    "환율",
    "증시",
    "실적",
    "영업이익",
    "매출",
    "지원",
    "사업",
    "기업",
    "정책",
    "예산",
    "규제",
    "시장",
    "계획",
    "발표",
    "회의",
    "합의",
    "협력",
    "개발",
    "기술",
    "인공지능",
    "데이터",
    "플랫폼",
    "중소기업",
    "벤처",
    "스타트업",
    "일자리",
    "청년",
    "부동산",
    "아파트",
    "전세",
    "대출",
    "수주",
    "공급망",
    "관세",
    "무역",
    "에너지",
    "원전",
    "전기차",
    "수소",
    "탄소중립",
    "임상시험",
    "신약",
    "의료",
    "교육",
    "선거",
    "국회",
    "법안",
    "외교",
    "안보",
];
/// Syllables the made-up words of the long tail are built from.
const SYLLABLES: &str = "가각간갈감강개거건검격견결경계고곡공과관광교구국군권규균그극근금기길김나남내년노농누다단달담당대도독동두등라락란람래량려력련령로록론료류률리림마만망매면명모목무문물미민박반발방배백번범법변보복본부북분불비사산상생서석선설성세소속손송수숙순술승시식신실심아안암압애야약양어억언업여역연열염영예오온완왕외요용우운원월위유육윤융은음의이익인일임입자작장재전점정제조족존종주준중증지직진질집차착찬참창채책처천철청체초총최추축춘출충취측치친칠침카타탁탄탈탐태택토통투특파판패편평폐포표품풍피필하학한할함합항해핵행향허험혁현협형호혼화확환활황회획효후훈휘흥희";

/// The made-up vocabulary: common words are drawn often, most rarely, as in real text.
struct Vocabulary(Vec<String>);

impl Vocabulary {
    fn new() -> Vocabulary {
        let syllables: Vec<char> = SYLLABLES.chars().collect();
        let mut dice = Dice::new(7);
        let words = (0..30_000).map(|_| (0..2 + dice.below(3)).map(|_| *dice.pick(&syllables)).collect::<String>()).collect();
        Vocabulary(words)
    }

    /// Zipf-like: the first words of the list come up far more often than the last.
    fn word(&self, dice: &mut Dice) -> &str {
        let u = (dice.roll() % 1_000_000) as f64 / 1_000_000.0;
        &self.0[((u * u) * self.0.len() as f64) as usize % self.0.len()]
    }
}

/// The particle a noun takes, by whether its last syllable ends in a consonant (받침).
fn particle(noun: &str, dice: &mut Dice) -> &'static str {
    const AFTER_CONSONANT: [&str; 8] = ["은", "이", "을", "과", "으로", "의", "에서", "도"];
    const AFTER_VOWEL: [&str; 8] = ["는", "가", "를", "와", "로", "의", "에서", "도"];
    let consonant = noun.chars().last().is_some_and(|c| ('가'..='힣').contains(&c) && !(c as u32 - 0xAC00).is_multiple_of(28));
    if dice.chance(15) {
        return "";
    }
    let index = dice.below(8);
    if consonant { AFTER_CONSONANT[index] } else { AFTER_VOWEL[index] }
}
const VERBS: &[&str] = &[
    "체결했다",
    "발표했다",
    "밝혔다",
    "추진한다",
    "확대하기로 했다",
    "지원할 예정이다",
    "강조했다",
    "전망했다",
    "기록했다",
    "늘었다",
    "줄었다",
    "논의했다",
    "결정했다",
    "검토하고 있다",
    "나섰다",
    "이어갔다",
];
const NUMBERS: &[&str] = &["2.50%", "3.1%", "20여명", "1조2000억원", "340억달러", "15.7%", "8개", "100만명", "2025년", "3분기"];

fn word(dice: &mut Dice, vocabulary: &Vocabulary) -> String {
    let noun = match dice.below(200) {
        0 => *dice.pick(ORGS),
        1 => *dice.pick(NOUNS),
        _ => vocabulary.word(dice),
    };
    format!("{noun}{}", particle(noun, dice))
}

fn sentence(dice: &mut Dice, vocabulary: &Vocabulary) -> String {
    let mut words: Vec<String> = (0..3 + dice.below(8)).map(|_| word(dice, vocabulary)).collect();
    if dice.chance(30) {
        let at = dice.below(words.len());
        words.insert(at, dice.pick(NUMBERS).to_string());
    }
    words.push(dice.pick(VERBS).to_string());
    format!("{}.", words.join(" "))
}

fn paragraph(dice: &mut Dice, vocabulary: &Vocabulary) -> String {
    (0..2 + dice.below(3)).map(|_| sentence(dice, vocabulary)).collect::<Vec<_>>().join(" ")
}

/// A 1x1 PNG; the bytes after its end make each photo a different image to the library.
const PIXEL_PNG: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
    0x82,
];

/// Article number `n` of an archive whose newest article was published at `newest`, about
/// `published_every` apart.
fn article(dice: &mut Dice, vocabulary: &Vocabulary, n: u64, newest: Timestamp, published_every: SignedDuration) -> ImportedArticle {
    let section = dice.pick(SECTIONS);
    let reporters = 1 + usize::from(dice.chance(15));
    let bylines: Vec<Byline> = (0..reporters)
        .map(|_| {
            let (family, given) = (dice.below(FAMILY.len()), dice.below(GIVEN.len()));
            Byline {
                name: format!("{}{}", FAMILY[family], GIVEN[given]),
                title: dice.pick(TITLES).to_string(),
                email: format!("r{family:02}{given:02}@newswire.example"),
            }
        })
        .collect();
    let headline = format!("{} {} {}", word(dice, vocabulary), word(dice, vocabulary), dice.pick(VERBS));
    let target_bytes = 1024 + dice.below(7 * 1024);
    let mut body = String::new();
    while body.len() < target_bytes {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&paragraph(dice, vocabulary));
    }
    let mut photos = Vec::new();
    let mut images = Vec::new();
    if dice.chance(20) {
        let mut bytes = PIXEL_PNG.to_vec();
        bytes.extend_from_slice(&n.to_le_bytes());
        if let Ok(image) = crate::import::describe_image(bytes) {
            let file = format!("photos/{n}.png");
            body.push_str(&format!("\n\n![{}]({file})", word(dice, vocabulary)));
            photos.push(Photo {
                file,
                image: image.image.clone(),
                media_type: image.media_type.clone(),
                width: image.width,
                height: image.height,
                caption: sentence(dice, vocabulary),
                credit: dice.pick(ORGS).to_string(),
                date: None,
                email: bylines[0].email.clone(),
                alt: word(dice, vocabulary),
                creator: String::new(),
            });
            images.push(image);
        }
    }
    let published = newest - published_every * (i64::try_from(n).unwrap_or(i64::MAX) as i32);
    let status = match dice.below(100) {
        0..=2 => Status::Draft,
        3 => Status::Submitted,
        4 => Status::Killed,
        _ => Status::Published,
    };
    let published = (status != Status::Draft && status != Status::Submitted).then_some(published);
    ImportedArticle {
        source: format!("synthetic-{n}.md").into(),
        content: Content {
            section: Section(section.iter().map(|level| level.to_string()).collect()),
            headline,
            subheadlines: (0..dice.below(4)).map(|_| sentence(dice, vocabulary)).collect(),
            dateline: Dateline { place: dice.pick(PLACES).to_string(), outlet: "뉴스와이어".into() },
            bylines,
            body,
            photos,
            tags: (0..dice.below(5)).map(|_| dice.pick(NOUNS).to_string()).collect(),
            related: Vec::new(),
            embargo: None,
            source: None,
        },
        status,
        first_published: published,
        last_modified: published,
        corrections: Vec::new(),
        images: images.into_iter().collect::<Vec<Image>>(),
    }
}

/// Raw text size of an article's words, for comparing with the library's size on disk.
pub fn text_bytes(content: &Content) -> usize {
    content.headline.len() + content.subheadlines.iter().map(String::len).sum::<usize>() + content.body.len()
}

/// What [`fill`] made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Filled {
    pub articles: u64,
    /// Revisions beyond each article's first.
    pub edits: u64,
    pub text_bytes: u64,
}

/// The user the synthetic archive is written by, added when missing.
pub const ARCHIVIST: &str = "archive@newswire.example";

/// Adds `count` synthetic articles to `library` (oldest first, in batches of one transaction
/// each), then edits a few percent of them once to three times, calling `progress` with the
/// number of articles done.
pub fn fill(library: &mut crate::Library, count: u64, seed: u64, mut progress: impl FnMut(u64)) -> crate::Result<Filled> {
    let archivist = match library.user(Some(ARCHIVIST)) {
        Ok(user) => user,
        Err(crate::Error::UnknownUser { .. }) => {
            let admin = library.users()?.into_iter().find(|user| user.role == crate::user::Role::Admin);
            library.add_user(
                admin.as_ref(),
                crate::user::NewUser {
                    name: "아카이브".into(),
                    title: "데스크".into(),
                    email: ARCHIVIST.into(),
                    role: crate::user::Role::Admin,
                },
            )?
        }
        Err(error) => return Err(error),
    };
    const BATCH: u64 = 2000;
    let mut dice = Dice::new(seed);
    let vocabulary = Vocabulary::new();
    let newest = library.now();
    let every = SignedDuration::from_mins(3);
    let mut filled = Filled::default();
    let mut edit_later = Vec::new();
    let mut done = 0;
    while done < count {
        let size = BATCH.min(count - done);
        let batch: Vec<ImportedArticle> =
            (done..done + size).map(|i| article(&mut dice, &vocabulary, count - 1 - i, newest, every)).collect();
        filled.text_bytes += batch.iter().map(|imported| text_bytes(&imported.content) as u64).sum::<u64>();
        for inserted in library.import_batch(&archivist, batch)? {
            if inserted.status != Status::Killed && dice.chance(5) {
                edit_later.push(inserted.id);
            }
        }
        library.settle()?;
        done += size;
        filled.articles = done;
        progress(done);
    }
    for id in edit_later {
        for _ in 0..1 + dice.below(3) {
            let current = library.article(id)?;
            let mut content = current.content.clone();
            content.body.push_str(&format!("\n\n{}", sentence(&mut dice, &vocabulary)));
            library.save(&archivist, id, current.head, content)?;
            filled.edits += 1;
        }
        library.maintain(crate::store::Budget::Step)?;
    }
    library.settle()?;
    Ok(filled)
}
