//! The audit trail: written inside each change's transaction, browsed newest first.
use crate::{PgStore, errors::Db, micros, rows};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use touchpoint_core::{
    StoreResult,
    audit::{AuditEntry, AuditQuery, NewAuditEntry},
    listing::{MAX_LIMIT, Page},
    store::AuditStore,
};

/// Append `entry` at time `at` using `conn` (normally the change's transaction).
pub(crate) async fn write(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    entry: &NewAuditEntry,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log \
         (at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(micros(at))
    .bind(entry.actor_user_id)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.entity)
    .bind(&entry.entity_id)
    .bind(&entry.before)
    .bind(&entry.after)
    .bind(&entry.detail)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Append several entries at time `at` in one statement (bulk changes such as links).
pub(crate) async fn write_many(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    entries: &[NewAuditEntry],
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&NewAuditEntry) -> Option<String>| entries.iter().map(f).collect::<Vec<_>>();
    let json = |f: fn(&NewAuditEntry) -> &Option<serde_json::Value>| {
        entries.iter().map(|e| f(e).clone()).collect::<Vec<_>>()
    };
    sqlx::query(
        "INSERT INTO audit_log \
         (at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, detail) \
         SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], \
           $7::jsonb[], $8::jsonb[], $9::text[])",
    )
    .bind(micros(at))
    .bind(entries.iter().map(|e| e.actor_user_id).collect::<Vec<_>>())
    .bind(col(|e| Some(e.actor.clone())))
    .bind(col(|e| Some(e.action.clone())))
    .bind(col(|e| Some(e.entity.clone())))
    .bind(col(|e| e.entity_id.clone()))
    .bind(json(|e| &e.before))
    .bind(json(|e| &e.after))
    .bind(col(|e| Some(e.detail.clone())))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// `prefix%` for LIKE with wildcards in the prefix escaped.
fn prefix_pattern(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn push_filters(qb: &mut QueryBuilder<'_, Postgres>, q: &AuditQuery) {
    qb.push(" WHERE TRUE");
    if let Some(action) = q.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        qb.push(" AND a.action LIKE ")
            .push_bind(prefix_pattern(action))
            .push(" ESCAPE '\\'");
    }
    if let Some(actor) = q.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        qb.push(" AND a.actor = ").push_bind(actor.to_string());
    }
    if let Some(entity) = q.entity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        qb.push(" AND a.entity = ").push_bind(entity.to_string());
    }
    if let Some(since) = q.since {
        qb.push(" AND a.at >= ").push_bind(since);
    }
    if let Some(until) = q.until {
        qb.push(" AND a.at < ").push_bind(until);
    }
}

#[async_trait]
impl AuditStore for PgStore {
    async fn record(&self, entry: &NewAuditEntry) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.db()?;
        write(&mut conn, self.now(), entry).await
    }

    async fn list_audit(
        &self,
        q: &AuditQuery,
        limit: u32,
        offset: u32,
    ) -> StoreResult<Page<AuditEntry>> {
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut count = QueryBuilder::new("SELECT count(*) FROM audit_log a");
        push_filters(&mut count, q);
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&self.pool)
            .await
            .db()?;

        let mut qb = QueryBuilder::new(rows::AUDIT_SELECT);
        push_filters(&mut qb, q);
        qb.push(" ORDER BY a.at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(offset));
        let found = qb.build().fetch_all(&self.pool).await.db()?;
        let items = found
            .iter()
            .map(rows::audit)
            .collect::<Result<Vec<_>, _>>()
            .db()?;
        Ok(Page {
            items,
            total,
            limit,
            offset,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn action_prefix_escapes_wildcards() {
        assert_eq!(super::prefix_pattern("login"), "login%");
        assert_eq!(super::prefix_pattern("a_b%"), "a\\_b\\%%");
    }
}
