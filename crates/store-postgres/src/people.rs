//! People and the newsroom's settings. A change to either takes one lock for the whole library
//! and re-checks, inside its transaction, that whoever the core let do it still may.

use copydesk::newsroom::Newsroom;
use copydesk::store::ManagedBy;
use copydesk::user::{NewUser, User, UserId};
use copydesk::{Error, Result};
use postgres::{Client, Transaction};

use crate::{PEOPLE_LOCK, USER_COLUMNS, get, keep_ids_past, micros, storage, user_from_row};

fn still_managed_by(tx: &mut Transaction, by: ManagedBy) -> Result<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PEOPLE_LOCK]).map_err(storage)?;
    let holds: bool = match by {
        ManagedBy::Admin(id) => {
            get(&tx.query_one("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'admin')", &[&id.0]).map_err(storage)?, 0)?
        }
        ManagedBy::NobodyYet => {
            get(&tx.query_one("SELECT NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')", &[]).map_err(storage)?, 0)?
        }
    };
    if holds {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only an admin manages people and settings of this library, and the library's admins changed meanwhile; act as an admin and try again"
                .into(),
        ))
    }
}

pub fn newsroom(client: &mut Client) -> Result<Newsroom> {
    let mut newsroom = Newsroom::default();
    for row in client.query("SELECT key, value FROM settings", &[]).map_err(storage)? {
        // A setting this build does not know (from a newer one) is kept, unused here.
        let _ = newsroom.set(get(&row, 0)?, get(&row, 1)?);
    }
    Ok(newsroom)
}

pub fn set_newsroom(client: &mut Client, newsroom: &Newsroom, by: ManagedBy) -> Result<()> {
    let mut tx = client.transaction().map_err(storage)?;
    still_managed_by(&mut tx, by)?;
    for key in Newsroom::KEYS {
        let value = newsroom.get(key).unwrap_or_default();
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )
        .map_err(storage)?;
    }
    tx.commit().map_err(storage)
}

pub fn add_user(client: &mut Client, user: &NewUser, keep_id: Option<UserId>, at: jiff::Timestamp, by: ManagedBy) -> Result<User> {
    let mut tx = client.transaction().map_err(storage)?;
    still_managed_by(&mut tx, by)?;
    if let Some(kept) = keep_id {
        keep_ids_past(&mut tx, "users", kept.0)?;
    }
    let row = tx
        .query_opt(
            "INSERT INTO users (id, name, title, email, role, created_at) \
             VALUES (coalesce($1, nextval(pg_get_serial_sequence('users', 'id'))), $2, $3, $4, $5, $6) \
             ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",
            &[&keep_id.map(|id| id.0), &user.name, &user.title, &user.email, &user.role.as_str(), &micros(at)],
        )
        .map_err(storage)?
        .ok_or_else(|| {
            Error::invalid(format!("the email {}", user.email), "another user already has it; each person needs their own email")
        })?;
    let id = UserId(get(&row, 0)?);
    tx.commit().map_err(storage)?;
    self::user(client, id)
}

pub fn users(client: &mut Client) -> Result<Vec<User>> {
    client.query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"), &[]).map_err(storage)?.iter().map(user_from_row).collect()
}

pub fn user(client: &mut Client, id: UserId) -> Result<User> {
    let row = client
        .query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), &[&id.0])
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound { what: format!("user {id}") })?;
    user_from_row(&row)
}

pub fn user_by_email(client: &mut Client, email: &str) -> Result<Option<User>> {
    client
        .query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower($1)"), &[&email.trim()])
        .map_err(storage)?
        .as_ref()
        .map(user_from_row)
        .transpose()
}
