//! Login sessions and API tokens. Only hashes of their secrets are stored.
use crate::{
    audit,
    rows::{self, TOKEN_COLS, USER_COLS, get_ts, map_err, micros, not_found, ts},
    users,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use std::sync::LazyLock;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    user::{ApiToken, Session, User},
};

pub(crate) fn create_session(conn: &Connection, s: &Session) -> StoreResult<()> {
    users::get(conn, s.user_id)?;
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            s.token_hash,
            s.user_id,
            s.csrf_token,
            ts(s.created_at),
            ts(s.expires_at)
        ],
    )
    .map_err(map_err)?;
    Ok(())
}

/// Unexpired (`now < expires_at`) and belonging to an active user.
pub(crate) fn find_session(
    conn: &Connection,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<(Session, User)> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, {}
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active = 1",
            prefixed("u", USER_COLS)
        )
    });
    conn.prepare_cached(&SQL)
        .and_then(|mut st| {
            st.query_row(params![hash, ts(now)], |r| {
                let session = Session {
                    token_hash: r.get(0)?,
                    user_id: r.get(1)?,
                    csrf_token: r.get(2)?,
                    created_at: get_ts(r, 3)?,
                    expires_at: get_ts(r, 4)?,
                };
                Ok((session, rows::user_at(r, 5)?))
            })
        })
        .map_err(not_found("session"))
}

pub(crate) fn delete_session(conn: &Connection, hash: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])
        .map_err(map_err)?;
    Ok(())
}

pub(crate) fn delete_sessions_of(conn: &Connection, user_id: i64) -> StoreResult<()> {
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
        .map_err(map_err)?;
    Ok(())
}

/// Deletes sessions with `expires_at <= now`; returns how many.
pub(crate) fn delete_expired(conn: &Connection, now: DateTime<Utc>) -> StoreResult<u64> {
    let n = conn
        .execute("DELETE FROM sessions WHERE expires_at <= ?1", [ts(now)])
        .map_err(map_err)?;
    Ok(n as u64)
}

pub(crate) struct NewToken {
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub hash: String,
}

fn token(conn: &Connection, id: i64) -> StoreResult<ApiToken> {
    conn.prepare_cached(&format!(
        "SELECT {TOKEN_COLS} FROM api_tokens WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], rows::token))
    .map_err(not_found("token"))
}

pub(crate) fn create_token(
    conn: &Connection,
    actor: &Actor,
    t: &NewToken,
    now: DateTime<Utc>,
) -> StoreResult<ApiToken> {
    users::get(conn, t.user_id)?;
    conn.execute(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![t.user_id, t.name, t.prefix, t.hash, ts(now)],
    )
    .map_err(map_err)?;
    let created = token(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(
        actor,
        "token.create",
        "token",
        created.id,
        None::<&()>,
        Some(&created),
    );
    audit::insert(conn, &entry, now)?;
    Ok(created)
}

/// A live token of an active user; stamps and returns `last_used_at = now`.
pub(crate) fn find_token(
    conn: &Connection,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<(ApiToken, User)> {
    let (token, user) = lookup_token(conn, hash)?;
    if !touchpoint_core::user::token_use_is_stale(token.last_used_at, now) {
        return Ok((token, user));
    }
    conn.execute(
        "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
        params![token.id, ts(micros(now))],
    )
    .map_err(map_err)?;
    Ok((self::token(conn, token.id)?, user))
}

/// A live token of an active user, without stamping it (runs on a reader).
pub(crate) fn lookup_token(conn: &Connection, hash: &str) -> StoreResult<(ApiToken, User)> {
    // One statement: this runs on every API request.
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {}, {} FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1",
            prefixed("t", TOKEN_COLS),
            prefixed("u", USER_COLS)
        )
    });
    conn.prepare_cached(&SQL)
        .and_then(|mut s| {
            s.query_row([hash], |r| {
                Ok((rows::token(r)?, rows::user_at(r, TOKEN_COL_COUNT)?))
            })
        })
        .map_err(not_found("token"))
}

/// `cols` (a comma-separated list) with each column qualified by `alias`.
fn prefixed(alias: &str, cols: &str) -> String {
    cols.split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const TOKEN_COL_COUNT: usize = 7;

/// All of the user's tokens, revoked ones included, oldest first.
pub(crate) fn list_tokens(conn: &Connection, user_id: i64) -> StoreResult<Vec<ApiToken>> {
    conn.prepare_cached(&format!(
        "SELECT {TOKEN_COLS} FROM api_tokens WHERE user_id = ?1 ORDER BY created_at, id"
    ))
    .and_then(|mut s| s.query_map([user_id], rows::token)?.collect())
    .map_err(map_err)
}

/// Revoke a live token owned by `user_id`; anything else is `NotFound { entity: "token" }`.
pub(crate) fn revoke_token(
    conn: &Connection,
    actor: &Actor,
    user_id: i64,
    token_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = token(conn, token_id)?;
    if before.user_id != user_id || before.revoked_at.is_some() {
        return Err(StoreError::not_found("token"));
    }
    conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1",
        params![token_id, ts(now)],
    )
    .map_err(map_err)?;
    let after = token(conn, token_id)?;
    let entry = NewAuditEntry::change(
        actor,
        "token.revoke",
        "token",
        token_id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_token_column_count_matches_the_list() {
        assert_eq!(
            super::TOKEN_COLS.split(", ").count(),
            super::TOKEN_COL_COUNT
        );
    }
}
