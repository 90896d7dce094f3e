//! The sections the section picker offers: every section the library uses, those of the
//! newest `SAMPLE` articles first, most used first (what a desk picks from most), then the rest
//! in alphabetical order. Anything else is typed as a path such as `경제 > 경제일반`.

use std::collections::HashMap;

use copydesk::Library;
use copydesk::search::Filter;

/// How many of the newest articles decide the order.
pub const SAMPLE: u32 = 2_000;

pub fn in_use(library: &Library) -> copydesk::Result<Vec<String>> {
    let filter = Filter { limit: Some(SAMPLE), ..Filter::default() };
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
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use copydesk::article::{Content, Section};
    use copydesk::clock::Clock;
    use copydesk::user::{NewUser, Role};

    use super::*;

    #[test]
    fn most_used_sections_first_each_once() {
        let folder = std::env::temp_dir().join(format!("copydesk-app-sections-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("library.sqlite3");
        let mut library = Library::open(&path, Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap()).unwrap();
        let user = NewUser { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Editor };
        let user = library.add_user(None, user).unwrap();
        for section in ["경제 > 경제일반", "정치", "경제 > 경제일반", "", "문화 > 공연", "경제 > 경제일반", "정치"] {
            library.create(&user, Content { section: Section::parse(section), ..Content::default() }).unwrap();
        }
        let sections = in_use(&library).unwrap();
        drop(library);
        std::fs::remove_dir_all(&folder).unwrap();
        assert_eq!(sections, ["경제 > 경제일반", "정치", "문화 > 공연", "경제", "문화"], "the top levels of paths come last");
    }
}
