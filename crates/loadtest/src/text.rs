//! What the simulated desks type: Korean wire copy in the shape of the synthetic archive
//! (`copydesk::synthetic`), and the words they search for, all of which the archive holds.

/// A small deterministic generator (splitmix64), one per desk, so runs repeat.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }

    pub fn roll(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.roll() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A fraction in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.roll() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words of the synthetic archive's vocabulary (its `NOUNS` and `ORGS`): every one is in the
/// archive many times, inside longer words (협약 in 업무협약식) and before particles.
pub const SEARCH_WORDS: &[&str] = &[
    "협약",
    "협약식",
    "업무협약",
    "투자",
    "수출",
    "반도체",
    "배터리",
    "금리",
    "물가",
    "환율",
    "실적",
    "영업이익",
    "규제",
    "인공지능",
    "데이터",
    "중소기업",
    "스타트업",
    "부동산",
    "공급망",
    "관세",
    "원전",
    "전기차",
    "탄소중립",
    "임상시험",
    "신약",
    "국회",
    "법안",
    "코스피",
    "서울시",
];

const NOUNS: &[&str] = &[
    "협약",
    "업무협약",
    "투자",
    "수출",
    "반도체",
    "배터리",
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
    "일자리",
    "청년",
    "부동산",
    "공급망",
    "관세",
    "무역",
    "에너지",
    "전기차",
    "수소",
    "탄소중립",
    "신약",
    "국회",
    "법안",
];
const ORGS: &[&str] =
    &["산업통상자원부", "기획재정부", "한국은행", "삼성전자", "SK하이닉스", "현대차", "LG에너지솔루션", "서울시", "코스피"];
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
    "논의했다",
    "검토하고 있다",
];
const NUMBERS: &[&str] = &["2.50%", "3.1%", "20여명", "1조2000억원", "340억달러", "15.7%", "3분기"];

/// The particle a noun takes, by whether its last syllable ends in a consonant (받침).
fn particle(noun: &str, dice: &mut Dice) -> &'static str {
    const AFTER_CONSONANT: [&str; 6] = ["은", "이", "을", "과", "의", "에서"];
    const AFTER_VOWEL: [&str; 6] = ["는", "가", "를", "와", "의", "에서"];
    let consonant = noun.chars().last().is_some_and(|c| ('가'..='힣').contains(&c) && !(c as u32 - 0xAC00).is_multiple_of(28));
    let index = dice.below(6);
    if consonant { AFTER_CONSONANT[index] } else { AFTER_VOWEL[index] }
}

pub fn sentence(dice: &mut Dice) -> String {
    let mut words: Vec<String> = (0..4 + dice.below(6))
        .map(|_| {
            let noun = if dice.below(5) == 0 { *dice.pick(ORGS) } else { *dice.pick(NOUNS) };
            format!("{noun}{}", particle(noun, dice))
        })
        .collect();
    if dice.below(3) == 0 {
        let at = dice.below(words.len());
        words.insert(at, dice.pick(NUMBERS).to_string());
    }
    words.push(dice.pick(VERBS).to_string());
    format!("{}.", words.join(" "))
}

pub fn headline(dice: &mut Dice) -> String {
    let (a, b) = (*dice.pick(ORGS), *dice.pick(NOUNS));
    format!("{a}{} {b} {}", particle(a, dice), dice.pick(VERBS))
}

/// A draft's body of about `bytes` bytes, in paragraphs of three sentences.
pub fn body(dice: &mut Dice, bytes: usize) -> String {
    let mut body = String::new();
    while body.len() < bytes {
        body.push_str(if body.is_empty() {
            ""
        } else if dice.below(3) == 0 {
            "\n\n"
        } else {
            " "
        });
        body.push_str(&sentence(dice));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_follow_the_last_syllable() {
        let mut dice = Dice::new(1);
        for _ in 0..50 {
            assert!(["은", "이", "을", "과", "의", "에서"].contains(&particle("협약", &mut dice)));
            assert!(["는", "가", "를", "와", "의", "에서"].contains(&particle("배터리", &mut dice)));
        }
    }

    #[test]
    fn bodies_reach_their_size_in_korean() {
        let body = body(&mut Dice::new(7), 4000);
        assert!(body.len() >= 4000 && body.len() < 4400, "{}", body.len());
        assert!(body.contains('다') && body.ends_with('.'));
    }
}
