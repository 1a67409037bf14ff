//! The notification outbox on PostgreSQL: escalation rows written by `claim_due` in the
//! claim's transaction, queued notifications written by `enqueue_notification`, both leased
//! with `FOR UPDATE SKIP LOCKED` (so nodes split the rows) and marked sent by the scheduler.
use crate::{complaint_rows::get_escalation, errors::Db};
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, types::Json};
use touchpoint_core::{
    StoreError, StoreResult,
    complaints::{MAX_OUTBOX_ATTEMPTS, Notification, OutboxEntry, OutboxItem},
};

/// Called by `claim_due` right after the escalation row.
pub(crate) async fn enqueue(
    conn: &mut PgConnection,
    escalation_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO notification_outbox (escalation_id, created_at) VALUES ($1, $2)")
        .bind(escalation_id)
        .bind(now)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Queue `n` unless its key was queued before; whether it was queued now.
pub(crate) async fn enqueue_notification(
    conn: &mut PgConnection,
    n: &Notification,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO notification_outbox (message_key, message, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT (message_key) DO NOTHING RETURNING id",
    )
    .bind(&n.key)
    .bind(Json(n))
    .bind(now)
    .fetch_optional(conn)
    .await
    .db()?;
    Ok(id.is_some())
}

pub(crate) async fn claim(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    node_id: &str,
    lease: Duration,
    limit: u32,
) -> StoreResult<Vec<OutboxEntry>> {
    type Row = (i64, Option<i64>, Option<Json<Notification>>, i32);
    let mut rows: Vec<Row> = sqlx::query_as(
        "UPDATE notification_outbox SET leased_until = $2, leased_by = $3, \
             attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM notification_outbox \
             WHERE sent_at IS NULL AND attempts < $4 \
               AND (leased_until IS NULL OR leased_until <= $1) \
             ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) \
         RETURNING id, escalation_id, message, attempts",
    )
    .bind(now)
    .bind(now + lease)
    .bind(node_id)
    .bind(MAX_OUTBOX_ATTEMPTS)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    rows.sort_by_key(|r| r.0);
    let mut out = Vec::with_capacity(rows.len());
    for (id, escalation_id, message, attempts) in rows {
        let item = match (escalation_id, message) {
            (Some(escalation_id), _) => {
                OutboxItem::Escalation(get_escalation(&mut *conn, escalation_id).await?)
            }
            (None, Some(Json(n))) => OutboxItem::Queued(n),
            (None, None) => {
                return Err(StoreError::backend(format!(
                    "outbox row {id} holds nothing to deliver"
                )));
            }
        };
        out.push(OutboxEntry { id, attempts, item });
    }
    Ok(out)
}

pub(crate) async fn mark_sent(
    conn: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("UPDATE notification_outbox SET sent_at = $2, message = NULL WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}
