//! The escalation outbox on PostgreSQL: rows written by `claim_due` in the claim's
//! transaction, leased with `FOR UPDATE SKIP LOCKED` (so nodes split the rows) and marked
//! sent by the scheduler.
use crate::{complaint_rows::get_escalation, errors::Db};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use touchpoint_core::{
    StoreResult,
    complaints::{MAX_OUTBOX_ATTEMPTS, OutboxEntry},
};

/// Called by `claim_due` right after the escalation row.
pub(crate) async fn enqueue(
    conn: &mut PgConnection,
    escalation_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO escalation_outbox (escalation_id, created_at) VALUES ($1, $2)")
        .bind(escalation_id)
        .bind(now)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub(crate) async fn claim(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    node_id: &str,
    lease: Duration,
    limit: u32,
) -> StoreResult<Vec<OutboxEntry>> {
    let rows: Vec<(i64, i64, i32)> = sqlx::query_as(
        "UPDATE escalation_outbox SET leased_until = $2, leased_by = $3, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM escalation_outbox \
             WHERE sent_at IS NULL AND attempts < $4 \
               AND (leased_until IS NULL OR leased_until <= $1) \
             ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) \
         RETURNING id, escalation_id, attempts",
    )
    .bind(now)
    .bind(now + lease)
    .bind(node_id)
    .bind(MAX_OUTBOX_ATTEMPTS)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, escalation_id, attempts) in rows {
        out.push(OutboxEntry {
            id,
            attempts,
            escalation: get_escalation(&mut *conn, escalation_id).await?,
        });
    }
    out.sort_by_key(|e| e.id);
    Ok(out)
}

pub(crate) async fn mark_sent(
    conn: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("UPDATE escalation_outbox SET sent_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}
