//! API tokens: only their hashes are stored; using one stamps `last_used_at`.
use crate::{PgStore, audit, errors::Db, rows};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    user::{ApiToken, User},
};

/// The user's token; with `for_revoke`, only if not yet revoked, and locked.
async fn fetch_token(
    conn: &mut PgConnection,
    user_id: i64,
    id: i64,
    for_revoke: bool,
) -> StoreResult<ApiToken> {
    let only = if for_revoke {
        " AND t.revoked_at IS NULL FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(&format!(
        "SELECT {} FROM api_tokens t WHERE t.id = $1 AND t.user_id = $2{only}",
        rows::TOKEN_COLUMNS
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
    .db()?
    .ok_or(StoreError::not_found("token"))?;
    rows::token(&row).db()
}

impl PgStore {
    pub(crate) async fn insert_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name.trim())
        .bind(prefix)
        .bind(token_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let token = fetch_token(&mut tx, user_id, id, false).await?;
        let entry = NewAuditEntry::change::<ApiToken, ApiToken>(
            actor,
            "token.create",
            "token",
            id,
            None,
            Some(&token),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(token)
    }

    pub(crate) async fn use_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(ApiToken, User)> {
        // Read first: most requests need no write (the stamp is refreshed once a minute).
        let row = sqlx::query(&format!(
            "SELECT {}, {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active",
            rows::TOKEN_COLUMNS,
            rows::JOINED_USER_COLUMNS
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .db()?
        .ok_or(StoreError::not_found("token"))?;
        let found = (rows::token(&row).db()?, rows::user(&row).db()?);
        if !touchpoint_core::user::token_use_is_stale(found.0.last_used_at, now) {
            return Ok(found);
        }
        let row = sqlx::query(&format!(
            "UPDATE api_tokens t SET last_used_at = $2 FROM users u \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.active \
             RETURNING {}, {}",
            rows::TOKEN_COLUMNS,
            rows::JOINED_USER_COLUMNS
        ))
        .bind(token_hash)
        .bind(crate::micros(now))
        .fetch_optional(&self.pool)
        .await
        .db()?
        .ok_or(StoreError::not_found("token"))?;
        Ok((rows::token(&row).db()?, rows::user(&row).db()?))
    }

    pub(crate) async fn tokens_of(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        let found = sqlx::query(&format!(
            "SELECT {} FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.created_at, t.id",
            rows::TOKEN_COLUMNS
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .db()?;
        found
            .iter()
            .map(rows::token)
            .collect::<Result<Vec<_>, _>>()
            .db()
    }

    pub(crate) async fn revoke(
        &self,
        actor: &Actor,
        user_id: i64,
        token_id: i64,
    ) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let before = fetch_token(&mut tx, user_id, token_id, true).await?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1")
            .bind(token_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .db()?;
        let after = fetch_token(&mut tx, user_id, token_id, false).await?;
        let entry = NewAuditEntry::change(
            actor,
            "token.revoke",
            "token",
            token_id,
            Some(&before),
            Some(&after),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(())
    }
}
