//! People and the newsroom's settings. Adding a person or changing a setting re-checks, inside
//! its own transaction, that whoever the core let do it still may.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::rows::{USER_COLUMNS, micros, user_from_row};
use crate::newsroom::Newsroom;
use crate::store::ManagedBy;
use crate::user::{NewUser, User, UserId};
use crate::{Error, Result};

/// Refuses when the precondition the core decided on no longer holds.
fn still_managed_by(tx: &Transaction, by: ManagedBy) -> Result<()> {
    let holds: bool = match by {
        ManagedBy::Admin(id) => {
            tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND role = 'admin')", [id.0], |row| row.get(0))?
        }
        ManagedBy::NobodyYet => tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')", [], |row| row.get(0))?,
    };
    if holds {
        Ok(())
    } else {
        Err(Error::Forbidden("only an admin manages people and settings of this library, and the library's admins changed meanwhile; act as an admin and try again".into()))
    }
}

pub fn newsroom(connection: &Connection) -> Result<Newsroom> {
    let mut newsroom = Newsroom::default();
    let mut statement = connection.prepare_cached("SELECT key, value FROM settings")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        // A setting this build does not know (from a newer one) is kept in the file, unused here.
        let _ = newsroom.set(&key, &value);
    }
    Ok(newsroom)
}

pub fn set_newsroom(connection: &mut Connection, newsroom: &Newsroom, by: ManagedBy) -> Result<()> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    still_managed_by(&tx, by)?;
    for key in Newsroom::KEYS {
        let value = newsroom.get(key).unwrap_or_default();
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub fn add_user(connection: &mut Connection, user: &NewUser, keep_id: Option<UserId>, at: jiff::Timestamp, by: ManagedBy) -> Result<User> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    still_managed_by(&tx, by)?;
    // No id (NULL) asks SQLite for the next rowid.
    let inserted = tx.execute(
        "INSERT INTO users (id, name, title, email, role, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
        params![keep_id.map(|id| id.0), user.name, user.title, user.email, user.role.as_str(), micros(at)],
    )?;
    if inserted == 0 {
        return Err(Error::invalid(format!("the email {}", user.email), "another user already has it; each person needs their own email"));
    }
    let id = UserId(tx.last_insert_rowid());
    tx.commit()?;
    self::user(connection, id)
}

pub fn users(connection: &Connection) -> Result<Vec<User>> {
    let mut statement = connection.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))?;
    let users = statement.query_map([], user_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(users)
}

pub fn user(connection: &Connection, id: UserId) -> Result<User> {
    connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))?
        .query_row([id.0], user_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: format!("user {id}") })
}

pub fn user_by_email(connection: &Connection, email: &str) -> Result<Option<User>> {
    Ok(connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?"))?
        .query_row([email.trim()], user_from_row)
        .optional()?)
}
