//! Whether the signed-in profile may add people to the library, as the core decides it.

use copydesk::Library;
use copydesk::user::{Role, User};

/// `None` when `actor` may add people, the core's refusal otherwise.
pub fn refusal(library: &mut Library, actor: Option<&User>) -> Option<String> {
    library.may_manage(actor).err().map(|error| error.to_string())
}

/// On a newsroom server: `None` for an admin. The server decides again when one is added
/// (and its refusal is what the person then reads); this only keeps the form from offering
/// what it will refuse.
pub fn server_refusal(me: &User) -> Option<String> {
    (me.role != Role::Admin).then(|| "only an admin manages people on the newsroom server; ask an admin to add them".to_string())
}

#[cfg(test)]
mod tests {
    use copydesk::clock::Clock;

    use copydesk::user::{NewUser, Role};

    use super::*;

    fn person(name: &str, email: &str, role: Role) -> NewUser {
        NewUser { name: name.into(), title: "기자".into(), email: email.into(), role }
    }

    #[test]
    fn only_an_admin_may_add_people_once_there_is_one_and_asking_adds_nobody() {
        let folder = tempfile::tempdir().unwrap();
        let mut library = Library::init(
            &copydesk::store::Location::File(folder.path().join("library.sqlite3")),
            Clock::from_setting(Some("2025-02-20T09:00:00+09:00")).unwrap(),
        )
        .unwrap();
        let reporter = library.add_user(None, person("김기랑", "rang@newspim.com", Role::Reporter)).unwrap();
        assert_eq!(refusal(&mut library, Some(&reporter)), None, "a library without an admin lets anyone set it up");
        let admin = library.add_user(Some(&reporter), person("관리자", "admin@newspim.com", Role::Admin)).unwrap();
        assert_eq!(refusal(&mut library, Some(&admin)), None);
        let refused = refusal(&mut library, Some(&reporter)).unwrap();
        assert!(refused.contains("only an admin"), "{refused}");
        assert!(refusal(&mut library, None).is_some());
        let count = library.users().unwrap().len();
        assert_eq!(count, 2, "asking added nobody");
    }

    #[test]
    fn on_a_server_the_form_is_offered_to_admins_only() {
        let admin = User {
            id: copydesk::user::UserId(1),
            name: "최관리".into(),
            title: "부장".into(),
            email: "admin@newspim.com".into(),
            role: Role::Admin,
        };
        let reporter = User { role: Role::Reporter, ..admin.clone() };
        assert_eq!(server_refusal(&admin), None);
        let refused = server_refusal(&reporter).unwrap_or_default();
        assert!(refused.contains("only an admin"), "{refused}");
    }
}
