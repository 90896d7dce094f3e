//! The sections the section picker offers: those of the newest articles, most used first.
//!
//! The core has no call for the distinct sections of a library (its `article_facets` table holds
//! them, but only the store speaks SQL), so the shell derives them from the newest `SAMPLE`
//! articles of the list, which costs one list query. A library of up to `SAMPLE` articles gets
//! every section it uses; a larger one the sections in current use, which is what a desk picks
//! from. Anything else is typed as a path such as `경제 > 경제일반`.

use std::collections::HashMap;

use copydesk::Library;
use copydesk::search::Filter;

/// How many of the newest articles are looked at.
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
    let mut sections: Vec<(String, u32)> = counts.into_iter().collect();
    sections.sort_by(|(a, a_count), (b, b_count)| b_count.cmp(a_count).then_with(|| a.cmp(b)));
    Ok(sections.into_iter().map(|(path, _)| path).collect())
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
        assert_eq!(sections, ["경제 > 경제일반", "정치", "문화 > 공연"]);
    }
}
