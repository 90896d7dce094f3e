//! The sections a section picker offers (the app's, through its `sections` command): every section path the library uses, those of the
//! newest `SAMPLE` articles first, most used first (what a desk picks from most), then the rest
//! in alphabetical order, without the levels that only lead to them (경제 beside
//! 경제 > 경제일반). Anything else is typed as a path such as `경제 > 경제일반`.

use std::collections::HashMap;

use crate::Library;
use crate::search::Filter;

/// How many of the newest articles decide the order.
pub const SAMPLE: u32 = 2_000;

pub fn in_use(library: &Library) -> crate::Result<Vec<String>> {
    offered(library, SAMPLE)
}

fn offered(library: &Library, sample: u32) -> crate::Result<Vec<String>> {
    let filter = Filter { limit: Some(sample), ..Filter::default() };
    let mut counts: HashMap<String, u32> = HashMap::new();
    for summary in library.list(&filter)? {
        let path = summary.section.trim();
        if !path.is_empty() {
            *counts.entry(path.to_string()).or_default() += 1;
        }
    }
    let mut recent: Vec<(String, u32)> = counts.into_iter().collect();
    recent.sort_by(|(a, a_count), (b, b_count)| b_count.cmp(a_count).then_with(|| a.cmp(b)));
    let mut sections: Vec<String> = recent.into_iter().map(|(path, _)| path).collect();
    let older: Vec<String> = library.sections()?.into_iter().filter(|path| !sections.contains(path)).collect();
    sections.extend(older);
    // The library lists every level of a path (경제 for 경제 > 경제일반); a level that only
    // leads to offered paths is noise in the picker, and the list filter takes it typed.
    let offered = sections.clone();
    sections.retain(|path| !offered.iter().any(|other| other.starts_with(&format!("{path} > "))));
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use crate::article::{Content, Section};
    use crate::clock::Clock;
    use crate::user::{NewUser, Role};

    use super::*;

    fn new_library(folder: &std::path::Path) -> Library {
        let location = crate::store::Location::File(folder.join("library.sqlite3"));
        Library::init(&location, Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap()).unwrap()
    }

    #[test]
    fn most_used_sections_first_each_once() {
        let folder = tempfile::tempdir().unwrap();
        let mut library = new_library(folder.path());
        let user = NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Editor };
        let user = library.add_user(None, user).unwrap();
        for section in ["경제 > 경제일반", "정치", "경제 > 경제일반", "", "문화 > 공연", "경제 > 경제일반", "정치"]
        {
            library.create(&user, Content { section: Section::parse(section), ..Content::default() }).unwrap();
        }
        let sections = in_use(&library).unwrap();
        assert_eq!(sections, ["경제 > 경제일반", "정치", "문화 > 공연"]);
    }

    #[test]
    fn sections_older_than_the_sample_come_after_it() {
        let folder = tempfile::tempdir().unwrap();
        let mut library = new_library(folder.path());
        let user = NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Editor };
        let user = library.add_user(None, user).unwrap();
        for (minute, section) in ["사회 > 사건", "정치", "경제 > 경제일반", "경제 > 경제일반"].into_iter().enumerate() {
            library.set_clock(Clock::from_setting(Some(&format!("2025-02-20T09:{minute:02}:00+09:00"))).unwrap());
            library.create(&user, Content { section: Section::parse(section), ..Content::default() }).unwrap();
        }
        let sections = offered(&library, 2).unwrap();
        assert_eq!(sections, ["경제 > 경제일반", "사회 > 사건", "정치"], "the newest two articles first, then the rest alphabetically");
    }
}
