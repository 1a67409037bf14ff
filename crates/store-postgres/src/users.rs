//! Users and login sessions (API tokens are in `tokens.rs`).
use crate::{
    PgStore, audit,
    errors::Db,
    listing::{ListSpec, list_page},
    micros, rows,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    listing::{ListQuery, Page, SortField},
    store::UserStore,
    user::{ApiToken, Session, User, UserCredentials, UserFields, UserPatch, validate_language},
};

const MAX_NAME: usize = 200;

fn user_sort(f: SortField) -> &'static str {
    match f {
        SortField::Name => "lower(s.name) COLLATE \"C\"",
        SortField::Key => "s.email COLLATE \"C\"",
        SortField::CreatedAt => "s.created_at",
    }
}

const USERS: ListSpec = ListSpec {
    select: rows::USER_SELECT,
    table: "users s",
    active: "s.active",
    search: &["s.name", "s.email"],
    sort: user_sort,
};

pub(crate) async fn fetch_user(
    conn: &mut PgConnection,
    id: i64,
    for_update: bool,
) -> StoreResult<User> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("{} WHERE s.id = $1{lock}", rows::USER_SELECT))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("user"))?;
    rows::user(&row).db()
}

/// The patched name and language, checked like `NewUser::validate` checks them.
fn patched(before: &User, patch: &UserPatch) -> StoreResult<(String, String)> {
    let mut errors = ValidationErrors::new();
    let name = match &patch.name {
        Some(n) => {
            let n = n.trim();
            if n.is_empty() {
                errors.push("name", "must not be empty");
            } else if n.chars().count() > MAX_NAME {
                errors.push("name", format!("must be at most {MAX_NAME} characters"));
            }
            n.to_string()
        }
        None => before.name.clone(),
    };
    let language = match &patch.language {
        Some(l) => validate_language(&mut errors, "language", Some(l)),
        None => before.language.clone(),
    };
    Ok(errors.into_result((name, language))?)
}

#[async_trait]
impl UserStore for PgStore {
    async fn list_users(&self, q: &ListQuery) -> StoreResult<Page<User>> {
        list_page(&self.pool, &USERS, q, None, rows::user).await
    }

    async fn get_user(&self, id: i64) -> StoreResult<User> {
        let mut conn = self.pool.acquire().await.db()?;
        fetch_user(&mut conn, id, false).await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<UserCredentials> {
        let row = sqlx::query(
            "SELECT s.id, s.email, s.name, s.role, s.active, s.created_at, s.language, \
             s.password_hash FROM users s WHERE s.email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await
        .db()?
        .ok_or(StoreError::not_found("user"))?;
        Ok(UserCredentials {
            user: rows::user(&row).db()?,
            password_hash: row.try_get("password_hash").db()?,
        })
    }

    async fn create_user(
        &self,
        actor: &Actor,
        f: &UserFields,
        password_hash: &str,
    ) -> StoreResult<User> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, language, password_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(f.email.trim().to_lowercase())
        .bind(&f.name)
        .bind(f.role.as_str())
        .bind(&f.language)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let user = fetch_user(&mut tx, id, false).await?;
        let entry = NewAuditEntry::change::<User, User>(
            actor,
            "user.create",
            "user",
            id,
            None,
            Some(&user),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(user)
    }

    async fn update_user(&self, actor: &Actor, id: i64, patch: &UserPatch) -> StoreResult<User> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let before = fetch_user(&mut tx, id, true).await?;
        let (name, language) = patched(&before, patch)?;
        sqlx::query(
            "UPDATE users SET name = $2, role = $3, active = $4, language = $5, updated_at = $6 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(name)
        .bind(patch.role.unwrap_or(before.role).as_str())
        .bind(patch.active.unwrap_or(before.active))
        .bind(language)
        .bind(now)
        .execute(&mut *tx)
        .await
        .db()?;
        let after = fetch_user(&mut tx, id, false).await?;
        if !after.active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .db()?;
        }
        let entry = NewAuditEntry::change(
            actor,
            "user.update",
            "user",
            id,
            Some(&before),
            Some(&after),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(after)
    }

    async fn set_password(&self, actor: &Actor, id: i64, password_hash: &str) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let done =
            sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(password_hash)
                .bind(now)
                .execute(&mut *tx)
                .await
                .db()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("user"));
        }
        // The hash never goes into the trail.
        let entry = NewAuditEntry::change::<(), ()>(actor, "user.password", "user", id, None, None);
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(())
    }

    async fn count_users(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .db()
    }

    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(&s.csrf_token)
        .bind(micros(s.created_at))
        .bind(micros(s.expires_at))
        .execute(&self.pool)
        .await
        .db()?;
        Ok(())
    }

    async fn find_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(Session, User)> {
        let row = sqlx::query(&format!(
            "SELECT s.token_hash, s.user_id AS session_user_id, s.csrf_token, \
             s.created_at AS session_created_at, s.expires_at, {} \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active",
            rows::JOINED_USER_COLUMNS
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .db()?
        .ok_or(StoreError::not_found("session"))?;
        Ok((rows::session(&row).db()?, rows::user(&row).db()?))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }

    async fn delete_sessions_of_user(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(done.rows_affected())
    }

    async fn create_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        self.insert_token(actor, user_id, name, prefix, token_hash)
            .await
    }

    async fn find_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(ApiToken, User)> {
        self.use_token(token_hash, now).await
    }

    async fn list_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        self.tokens_of(user_id).await
    }

    async fn revoke_token(&self, actor: &Actor, user_id: i64, token_id: i64) -> StoreResult<()> {
        self.revoke(actor, user_id, token_id).await
    }
}
