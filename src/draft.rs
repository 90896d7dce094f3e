//! What a new article starts as, for every front end: the acting person as its byline and the
//! newsroom's outlet in the dateline, everything else empty.

use crate::article::{Byline, Content, Dateline};
use crate::newsroom::Newsroom;
use crate::user::User;

pub fn new_draft(actor: &User, newsroom: &Newsroom) -> Content {
    Content {
        dateline: Dateline { place: String::new(), outlet: newsroom.outlet.clone() },
        bylines: vec![Byline { name: actor.name.clone(), title: actor.title.clone(), email: actor.email.clone() }],
        ..Content::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::{Role, UserId};

    #[test]
    fn a_new_draft_is_bylined_to_its_writer_in_the_newsrooms_dateline() {
        let actor =
            User {
                id: UserId(1), name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into(), role: Role::Reporter
            };
        let newsroom = Newsroom { outlet: "뉴스핌".into(), ..Newsroom::default() };
        let draft = new_draft(&actor, &newsroom);
        assert_eq!(draft.bylines, vec![Byline { name: "김기랑".into(), title: "기자".into(), email: "rang@newspim.com".into() }]);
        assert_eq!(draft.dateline, Dateline { place: String::new(), outlet: "뉴스핌".into() });
        assert!(draft.headline.is_empty() && draft.body.is_empty() && draft.embargo.is_none());
    }
}
