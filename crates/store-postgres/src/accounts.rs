//! What a newsroom server keeps beside the library: passwords (argon2id hashes), sessions (a
//! hash of each token, never the token), the audit log, slowed-down guessing, answers kept for
//! retried requests and who has which article open. The server and the admin commands on the
//! database both go through here, so a password reset or a disabled person ends their
//! sessions however it was done.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use copydesk::article::ArticleId;
use copydesk::error::ErrorCode;
use copydesk::user::UserId;
use copydesk::{Error, Result};
pub use copydesk_protocol::{AuditEntry, Presence, SignedIn};
use jiff::{SignedDuration, Timestamp};
use postgres::Client;
use sha2::{Digest, Sha256};

use crate::{PostgresStore, get, instant, micros, people, storage};

/// How long a session lasts without use, and how guessing is slowed down.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub idle_timeout: SignedDuration,
    /// Failures for one account within `window` before each further try must wait.
    pub account_failures: i64,
    /// Failures from one address within `window` before each further try must wait.
    pub address_failures: i64,
    pub window: SignedDuration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            idle_timeout: SignedDuration::from_hours(12),
            account_failures: 5,
            address_failures: 30,
            window: SignedDuration::from_mins(15),
        }
    }
}

/// A request carried out before under the same key, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idempotent {
    /// First time: carry it out, then `finish` it.
    Fresh,
    /// Done before: answer this again.
    Replay { status: u16, body: String },
    /// The first attempt is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

pub struct Accounts {
    client: Client,
    policy: Policy,
}

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Refuses a password too weak or too long to keep, saying what to do instead.
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < 8 {
        return Err(Error::invalid("the password", "use at least 8 characters; a passphrase of a few words is best"));
    }
    if password.len() > 1024 {
        return Err(Error::invalid("the password", "use at most 1024 bytes"));
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    check_password(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| Error::Storage(format!("no randomness for a password salt: {error}").into()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| Error::Storage(error.to_string().into()))?;
    // argon2id, version 19, with the crate's defaults (19 MiB, 2 passes): OWASP's first choice.
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Storage(error.to_string().into()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|hash| argon2::Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash of a password nobody has, checked when the email is unknown so that a wrong email
/// takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not anybody's password").unwrap_or_default())
}

fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| Error::Storage(format!("no randomness for a session token: {error}").into()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn not_signed_in(message: &str) -> Error {
    Error::Remote { code: ErrorCode::NotSignedIn, message: message.to_string() }
}

impl Accounts {
    /// Connects to the library at `url`, bringing its schema up to date as opening it does.
    pub fn open(url: &str, policy: Policy) -> Result<Accounts> {
        PostgresStore::open(url)?;
        Ok(Accounts { client: PostgresStore::connect(url)?, policy })
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Sets `user`'s password and ends every session they hold.
    pub fn set_password(&mut self, user: UserId, password: &str, at: Timestamp, by: Option<UserId>) -> Result<()> {
        let hash = hash_password(password)?;
        let mut tx = self.client.transaction().map_err(storage)?;
        tx.execute(
            "INSERT INTO accounts (user_id, password_hash, changed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, changed_at = excluded.changed_at",
            &[&user.0, &hash, &micros(at)],
        )
        .map_err(storage)?;
        tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&user.0]).map_err(storage)?;
        audit_in(&mut tx, at, by, "password_set", &user.to_string(), "", "every session of this person ended")?;
        tx.commit().map_err(storage)
    }

    /// Stops `user` from signing in and ends their sessions; or lets them sign in again.
    pub fn set_disabled(&mut self, user: UserId, disabled: bool, at: Timestamp, by: Option<UserId>) -> Result<()> {
        let mut tx = self.client.transaction().map_err(storage)?;
        let disabled_at = disabled.then_some(micros(at));
        tx.execute(
            "INSERT INTO accounts (user_id, disabled_at, changed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET disabled_at = excluded.disabled_at, changed_at = excluded.changed_at",
            &[&user.0, &disabled_at, &micros(at)],
        )
        .map_err(storage)?;
        if disabled {
            tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&user.0]).map_err(storage)?;
        }
        let action = if disabled { "user_disabled" } else { "user_enabled" };
        audit_in(&mut tx, at, by, action, &user.to_string(), "", "")?;
        tx.commit().map_err(storage)
    }

    pub fn is_disabled(&mut self, user: UserId) -> Result<bool> {
        let row = self.client.query_opt("SELECT disabled_at IS NOT NULL FROM accounts WHERE user_id = $1", &[&user.0]).map_err(storage)?;
        row.map_or(Ok(false), |row| get(&row, 0))
    }

    /// Checks `email` and `password`; a new session on success. Guessing is slowed down per
    /// account and per address: past the allowance, each further try waits twice as long as the
    /// one before, whether its password is right or not.
    pub fn sign_in(&mut self, email: &str, password: &str, address: &str, at: Timestamp) -> Result<SignedIn> {
        let email = email.trim();
        self.refuse_while_guessing(email, address, at)?;
        let user = people::user_by_email(&mut self.client, email)?;
        let stored = match &user {
            Some(user) => self
                .client
                .query_opt("SELECT password_hash, disabled_at IS NOT NULL FROM accounts WHERE user_id = $1", &[&user.id.0])
                .map_err(storage)?
                .map(|row| Ok::<_, Error>((get::<Option<String>>(&row, 0)?, get::<bool>(&row, 1)?)))
                .transpose()?,
            None => None,
        };
        let (hash, disabled) = stored.unwrap_or((None, false));
        let matches = verify_password(password, hash.as_deref().unwrap_or_else(|| decoy_hash())) && hash.is_some();
        let mut tx = self.client.transaction().map_err(storage)?;
        let signed_in = match user {
            Some(user) if matches && !disabled => user,
            _ => {
                tx.execute("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)", &[&email, &address, &micros(at)])
                    .map_err(storage)?;
                let forgotten = micros(at - self.policy.window * 4);
                tx.execute("DELETE FROM sign_in_failures WHERE at < $1", &[&forgotten]).map_err(storage)?;
                let why = if matches && disabled { "disabled" } else { "wrong email or password" };
                audit_in(&mut tx, at, None, "sign_in_failed", email, address, why)?;
                tx.commit().map_err(storage)?;
                return Err(if matches && disabled {
                    Error::Forbidden(format!("{email} may not sign in: an admin disabled this account; ask an admin"))
                } else {
                    not_signed_in("wrong email or password, or no password set; check both, or ask an admin to set a password")
                });
            }
        };
        let token = new_token()?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, address) VALUES ($1, $2, $3, $3, $4)",
            &[&hash_token(&token), &signed_in.id.0, &micros(at), &address],
        )
        .map_err(storage)?;
        audit_in(&mut tx, at, Some(signed_in.id), "signed_in", &signed_in.email, address, "")?;
        tx.commit().map_err(storage)?;
        Ok(SignedIn { token, user: signed_in })
    }

    fn refuse_while_guessing(&mut self, email: &str, address: &str, at: Timestamp) -> Result<()> {
        let since = micros(at - self.policy.window);
        let checks = [
            (
                "SELECT count(*), max(at) FROM sign_in_failures WHERE lower(email) = lower($1) AND at >= $2",
                email,
                self.policy.account_failures,
            ),
            ("SELECT count(*), max(at) FROM sign_in_failures WHERE address = $1 AND at >= $2", address, self.policy.address_failures),
        ];
        for (query, key, allowance) in checks {
            let row = self.client.query_one(query, &[&key, &since]).map_err(storage)?;
            let (failures, latest): (i64, Option<i64>) = (get(&row, 0)?, get(&row, 1)?);
            let Some(latest) = latest else { continue };
            if failures < allowance {
                continue;
            }
            let wait = SignedDuration::from_secs(1i64 << (failures - allowance).min(10)).min(self.policy.window);
            let free_at = instant(latest)? + wait;
            if at < free_at {
                let seconds = (free_at - at).as_secs().max(1);
                return Err(Error::Remote {
                    code: ErrorCode::TooManyAttempts,
                    message: format!("too many failed sign-ins; wait {seconds} s and try again"),
                });
            }
        }
        Ok(())
    }

    /// The person a token signs in, if the session is alive; its idle clock starts again.
    pub fn session(&mut self, token: &str, at: Timestamp) -> Result<UserId> {
        let hash = hash_token(token);
        let idle_since = micros(at - self.policy.idle_timeout);
        let row = self
            .client
            .query_opt(
                "SELECT s.user_id, s.last_seen FROM sessions s LEFT JOIN accounts a ON a.user_id = s.user_id \
                 WHERE s.token_hash = $1 AND s.last_seen >= $2 AND a.disabled_at IS NULL",
                &[&hash, &idle_since],
            )
            .map_err(storage)?
            .ok_or_else(|| not_signed_in("not signed in, or the session ended (signed out, expired or revoked); sign in again"))?;
        let (user, last_seen): (i64, i64) = (get(&row, 0)?, get(&row, 1)?);
        // A minute's precision is plenty for an idle timeout of hours, and spares a write per request.
        // Nor does it need the disk: a crash that forgets it brings the idle end a minute closer.
        if micros(at) - last_seen > 60_000_000 {
            let mut tx = self.client.transaction().map_err(storage)?;
            tx.batch_execute("SET LOCAL synchronous_commit TO OFF").map_err(storage)?;
            tx.execute("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1", &[&hash, &micros(at)]).map_err(storage)?;
            tx.commit().map_err(storage)?;
        }
        Ok(UserId(user))
    }

    pub fn sign_out(&mut self, token: &str, at: Timestamp, address: &str) -> Result<()> {
        let mut tx = self.client.transaction().map_err(storage)?;
        let row = tx.query_opt("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id", &[&hash_token(token)]).map_err(storage)?;
        if let Some(row) = row {
            let user = UserId(get(&row, 0)?);
            audit_in(&mut tx, at, Some(user), "signed_out", &user.to_string(), address, "")?;
        }
        tx.commit().map_err(storage)
    }

    pub fn audit(&mut self, at: Timestamp, actor: Option<UserId>, action: &str, subject: &str, address: &str, detail: &str) -> Result<()> {
        let mut tx = self.client.transaction().map_err(storage)?;
        audit_in(&mut tx, at, actor, action, subject, address, detail)?;
        tx.commit().map_err(storage)
    }

    /// The newest `limit` entries, newest first.
    pub fn audit_log(&mut self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = self
            .client
            .query("SELECT id, at, actor, action, subject, address, detail FROM audit_log ORDER BY id DESC LIMIT $1", &[&limit])
            .map_err(storage)?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: get(row, 0)?,
                    at: instant(get(row, 1)?)?,
                    actor: get::<Option<i64>>(row, 2)?.map(UserId),
                    action: get(row, 3)?,
                    subject: get(row, 4)?,
                    address: get(row, 5)?,
                    detail: get(row, 6)?,
                })
            })
            .collect()
    }

    /// Claims `key` for a request of `user` with this `fingerprint` (a hash of what it asks).
    pub fn begin_idempotent(&mut self, user: UserId, key: &str, fingerprint: &[u8], at: Timestamp) -> Result<Idempotent> {
        // The claim is committed without waiting for the disk: the change it guards commits
        // durably next, and that flushes the log up to and past this claim. A claim lost in a
        // crash before then guarded nothing that happened.
        let mut tx = self.client.transaction().map_err(storage)?;
        tx.batch_execute("SET LOCAL synchronous_commit TO OFF").map_err(storage)?;
        let claimed = tx
            .execute(
                "INSERT INTO idempotent_requests (user_id, key, fingerprint, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&user.0, &key, &fingerprint, &micros(at)],
            )
            .map_err(storage)?;
        tx.commit().map_err(storage)?;
        if claimed == 1 {
            return Ok(Idempotent::Fresh);
        }
        let row = self
            .client
            .query_opt("SELECT fingerprint, status, body FROM idempotent_requests WHERE user_id = $1 AND key = $2", &[&user.0, &key])
            .map_err(storage)?;
        let Some(row) = row else {
            // Pruned between the two statements: claim it afresh.
            return self.begin_idempotent(user, key, fingerprint, at);
        };
        if get::<Vec<u8>>(&row, 0)? != fingerprint {
            return Ok(Idempotent::Mismatch);
        }
        Ok(match (get::<Option<i32>>(&row, 1)?, get::<Option<String>>(&row, 2)?) {
            (Some(status), Some(body)) => Idempotent::Replay { status: status as u16, body },
            _ => Idempotent::InProgress,
        })
    }

    /// Keeps the answer to a claimed request; `None` gives the key up (the request failed in a
    /// way a retry may mend), so the next attempt runs afresh.
    /// Forgets answers older than a day (long enough for any retry): upkeep between requests,
    /// so that no change waits on it.
    pub fn prune_idempotent(&mut self, at: Timestamp) -> Result<u64> {
        self.client
            .execute("DELETE FROM idempotent_requests WHERE at < $1", &[&micros(at - SignedDuration::from_hours(24))])
            .map_err(storage)
    }

    pub fn finish_idempotent(&mut self, user: UserId, key: &str, answer: Option<(u16, &str)>) -> Result<()> {
        match answer {
            Some((status, body)) => self.client.execute(
                "UPDATE idempotent_requests SET status = $3, body = $4 WHERE user_id = $1 AND key = $2",
                &[&user.0, &key, &i32::from(status), &body],
            ),
            None => self.client.execute("DELETE FROM idempotent_requests WHERE user_id = $1 AND key = $2", &[&user.0, &key]),
        }
        .map_err(storage)?;
        Ok(())
    }

    /// Says `user` has `article` open (to edit, or to read) until `until`. True when this
    /// changes what others see (not a mere keep-alive).
    pub fn set_presence(&mut self, article: ArticleId, user: UserId, editing: bool, until: Timestamp) -> Result<bool> {
        let row = self
            .client
            .query_one(
                "WITH before AS (SELECT editing, until FROM presence WHERE article_id = $1 AND user_id = $2) \
                 INSERT INTO presence (article_id, user_id, editing, until) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (article_id, user_id) DO UPDATE SET editing = excluded.editing, until = excluded.until \
                 RETURNING (SELECT editing FROM before), (SELECT until FROM before)",
                &[&article.0, &user.0, &editing, &micros(until)],
            )
            .map_err(storage)?;
        let (was_editing, was_until): (Option<bool>, Option<i64>) = (get(&row, 0)?, get(&row, 1)?);
        let now_ish = micros(until) - 3_600_000_000;
        Ok(was_editing != Some(editing) || was_until.is_none_or(|was| was < now_ish))
    }

    pub fn clear_presence(&mut self, article: ArticleId, user: UserId) -> Result<bool> {
        let removed =
            self.client.execute("DELETE FROM presence WHERE article_id = $1 AND user_id = $2", &[&article.0, &user.0]).map_err(storage)?;
        Ok(removed > 0)
    }

    /// Everyone who has an article open now.
    pub fn presence(&mut self, at: Timestamp) -> Result<Vec<Presence>> {
        self.client.execute("DELETE FROM presence WHERE until < $1", &[&micros(at)]).map_err(storage)?;
        let rows = self
            .client
            .query("SELECT article_id, user_id, editing, until FROM presence ORDER BY article_id, user_id", &[])
            .map_err(storage)?;
        rows.iter()
            .map(|row| {
                Ok(Presence {
                    article: ArticleId(get(row, 0)?),
                    user: UserId(get(row, 1)?),
                    editing: get(row, 2)?,
                    until: instant(get(row, 3)?)?,
                })
            })
            .collect()
    }

    /// Tells every server process's listeners (PostgreSQL `NOTIFY`, delivered on commit).
    pub fn notify(&mut self, channel: &str, payload: &str) -> Result<()> {
        self.client.execute("SELECT pg_notify($1, $2)", &[&channel, &payload]).map_err(storage)?;
        Ok(())
    }

    /// Whether the database answers.
    pub fn ping(&mut self) -> Result<()> {
        self.client.simple_query("SELECT 1").map_err(storage).map(drop)
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

fn audit_in(
    tx: &mut postgres::Transaction,
    at: Timestamp,
    actor: Option<UserId>,
    action: &str,
    subject: &str,
    address: &str,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, subject, address, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        &[&micros(at), &actor.map(|user| user.0), &action, &subject, &address, &detail],
    )
    .map_err(storage)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery ", &hash));
        assert!(!verify_password("correct horse battery", decoy_hash()));
    }

    #[test]
    fn short_passwords_are_refused_with_what_to_do() {
        let error = hash_password("1234567").unwrap_err();
        assert!(error.to_string().contains("at least 8 characters"), "{error}");
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let (one, two) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(one, two);
        assert_eq!(one.len(), 64);
        assert_ne!(hash_token(&one), one.as_bytes());
        assert_eq!(hash_token(&one).len(), 32);
    }
}
