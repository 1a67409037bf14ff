//! Users, and the `UserStore` implementation (sessions and tokens live in `auth`).
use crate::{
    SqliteStore, audit, auth,
    listing::{ListSpec, list},
    rows::{self, USER_COLS, map_err, not_found, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    listing::{ListQuery, Page},
    store::UserStore,
    user::{ApiToken, Session, User, UserCredentials, UserFields, UserPatch, token_use_is_stale},
};

const USERS: ListSpec = ListSpec {
    select: "SELECT id, email, name, role, active, created_at, language FROM users",
    id: "id",
    name: "lower(name)",
    key: "email",
    created_at: "created_at",
    search: &["name", "email"],
    active: "active = 1",
};

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<User> {
    conn.prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], rows::user))
        .map_err(not_found("user"))
}

fn credentials(conn: &Connection, email: &str) -> StoreResult<UserCredentials> {
    conn.prepare_cached(&format!(
        "SELECT {USER_COLS}, password_hash FROM users WHERE email = ?1"
    ))
    .and_then(|mut s| {
        s.query_row([email.trim().to_lowercase()], |r| {
            Ok(UserCredentials {
                user: rows::user(r)?,
                password_hash: r.get(7)?,
            })
        })
    })
    .map_err(not_found("user"))
}

fn create(
    conn: &Connection,
    actor: &Actor,
    f: &UserFields,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<User> {
    conn.execute(
        "INSERT INTO users (email, name, role, active, language, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?6)",
        params![
            f.email.trim().to_lowercase(),
            f.name,
            f.role.as_str(),
            f.language,
            hash,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let u = get(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(actor, "user.create", "user", u.id, None::<&()>, Some(&u));
    audit::insert(conn, &entry, now)?;
    Ok(u)
}

fn update(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    p: &UserPatch,
    now: DateTime<Utc>,
) -> StoreResult<User> {
    let before = get(conn, id)?;
    conn.execute(
        "UPDATE users SET name = coalesce(?2, name), role = coalesce(?3, role),
             active = coalesce(?4, active), language = coalesce(?5, language), updated_at = ?6
         WHERE id = ?1",
        params![
            id,
            p.name,
            p.role.map(|r| r.as_str()),
            p.active,
            p.language,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    if p.active == Some(false) {
        auth::delete_sessions_of(conn, id)?;
    }
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "user.update",
        "user",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

fn set_password(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = conn
        .execute(
            "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, hash, ts(now)],
        )
        .map_err(map_err)?;
    if n == 0 {
        return Err(StoreError::not_found("user"));
    }
    // Never the hash: the record only says that the password changed.
    let entry = NewAuditEntry::change(actor, "user.password", "user", id, None::<&()>, None::<&()>);
    audit::insert(conn, &entry, now)
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn list_users(&self, q: &ListQuery) -> StoreResult<Page<User>> {
        let q = q.clone();
        self.read(move |c| list(c, &USERS, &q, &[], rows::user))
            .await
    }

    async fn get_user(&self, id: i64) -> StoreResult<User> {
        self.read(move |c| get(c, id)).await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<UserCredentials> {
        let email = email.to_string();
        self.read(move |c| credentials(c, &email)).await
    }

    async fn create_user(&self, actor: &Actor, f: &UserFields, hash: &str) -> StoreResult<User> {
        let (actor, f, hash, now) = (actor.clone(), f.clone(), hash.to_string(), self.now());
        self.write(move |c| create(c, &actor, &f, &hash, now)).await
    }

    async fn update_user(&self, actor: &Actor, id: i64, patch: &UserPatch) -> StoreResult<User> {
        let (actor, patch, now) = (actor.clone(), patch.clone(), self.now());
        let user = self
            .write(move |c| update(c, &actor, id, &patch, now))
            .await?;
        // A deactivated user's or changed role's tokens must not be served from memory.
        self.tokens.clear();
        Ok(user)
    }

    async fn set_password(&self, actor: &Actor, id: i64, hash: &str) -> StoreResult<()> {
        let (actor, hash, now) = (actor.clone(), hash.to_string(), self.now());
        self.write(move |c| set_password(c, &actor, id, &hash, now))
            .await?;
        self.tokens.clear();
        Ok(())
    }

    async fn count_users(&self) -> StoreResult<i64> {
        self.read(|c| {
            c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
                .map_err(map_err)
        })
        .await
    }

    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        let s = s.clone();
        self.write(move |c| auth::create_session(c, &s)).await
    }

    async fn find_session(&self, hash: &str, now: DateTime<Utc>) -> StoreResult<(Session, User)> {
        let hash = hash.to_string();
        self.read_point(move |c| auth::find_session(c, &hash, now))
            .await
    }

    async fn delete_session(&self, hash: &str) -> StoreResult<()> {
        let hash = hash.to_string();
        self.write(move |c| auth::delete_session(c, &hash)).await
    }

    async fn delete_sessions_of_user(&self, user_id: i64) -> StoreResult<()> {
        self.write(move |c| auth::delete_sessions_of(c, user_id))
            .await
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        self.write(move |c| auth::delete_expired(c, now)).await
    }

    async fn create_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        let actor = actor.clone();
        let new = auth::NewToken {
            user_id,
            name: name.to_string(),
            prefix: prefix.to_string(),
            hash: token_hash.to_string(),
        };
        let now = self.now();
        self.write(move |c| auth::create_token(c, &actor, &new, now))
            .await
    }

    async fn find_token(&self, hash: &str, now: DateTime<Utc>) -> StoreResult<(ApiToken, User)> {
        // Most requests find the token in memory; the writer is used when the stamp is due.
        let stale = |found: &(ApiToken, User)| token_use_is_stale(found.0.last_used_at, now);
        if let Some(found) = self.tokens.get(hash)
            && !stale(&found)
        {
            return Ok(found);
        }
        let generation = self.tokens.generation();
        let h = hash.to_string();
        let mut found = self.read_point(move |c| auth::lookup_token(c, &h)).await?;
        if stale(&found) {
            let h = hash.to_string();
            found = self.write(move |c| auth::find_token(c, &h, now)).await?;
        }
        self.tokens.put(hash.to_string(), generation, found.clone());
        Ok(found)
    }

    async fn list_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        self.read(move |c| auth::list_tokens(c, user_id)).await
    }

    async fn revoke_token(&self, actor: &Actor, user_id: i64, token_id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| auth::revoke_token(c, &actor, user_id, token_id, now))
            .await?;
        // The revoked token stops working at the next request.
        self.tokens.clear();
        Ok(())
    }
}
