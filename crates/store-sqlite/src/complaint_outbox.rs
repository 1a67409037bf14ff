//! The notification outbox on SQLite: escalation rows written by `claim_due` in the claim's
//! transaction, queued notifications written by `enqueue_notification`, both leased and
//! marked sent by the scheduler. The writer thread makes a lease atomic.
use crate::{
    complaint_rows::get_escalation,
    rows::{map_err, to_json, ts},
};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};
use touchpoint_core::{
    StoreError, StoreResult,
    complaints::{MAX_OUTBOX_ATTEMPTS, Notification, OutboxEntry, OutboxItem},
};

/// Called by `claim_due` right after the escalation row.
pub(crate) fn enqueue(
    conn: &Connection,
    escalation_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO notification_outbox (escalation_id, created_at) VALUES (?1, ?2)",
    )
    .and_then(|mut s| s.execute(params![escalation_id, ts(now)]))
    .map_err(map_err)?;
    Ok(())
}

/// Queue `n` unless its key was queued before; whether it was queued now.
pub(crate) fn enqueue_notification(
    conn: &Connection,
    n: &Notification,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let message = to_json(n)?;
    let inserted = conn
        .prepare_cached(
            "INSERT INTO notification_outbox (message_key, message, created_at)
             VALUES (?1, ?2, ?3) ON CONFLICT (message_key) DO NOTHING",
        )
        .and_then(|mut s| s.execute(params![n.key, message, ts(now)]))
        .map_err(map_err)?;
    Ok(inserted == 1)
}

pub(crate) fn claim(
    conn: &Connection,
    now: DateTime<Utc>,
    node_id: &str,
    lease: Duration,
    limit: u32,
) -> StoreResult<Vec<OutboxEntry>> {
    type Row = (i64, Option<i64>, Option<String>, i32);
    let rows: Vec<Row> = conn
        .prepare_cached(
            "SELECT id, escalation_id, message, attempts FROM notification_outbox
             WHERE sent_at IS NULL AND attempts < ?2
               AND (leased_until IS NULL OR leased_until <= ?1)
             ORDER BY id LIMIT ?3",
        )
        .and_then(|mut s| {
            s.query_map(params![ts(now), MAX_OUTBOX_ATTEMPTS, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect()
        })
        .map_err(map_err)?;
    let until = ts(now + lease);
    let mut out = Vec::with_capacity(rows.len());
    for (id, escalation_id, message, attempts) in rows {
        conn.prepare_cached(
            "UPDATE notification_outbox SET leased_until = ?2, leased_by = ?3,
                 attempts = attempts + 1 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, until, node_id]))
        .map_err(map_err)?;
        let item = match (escalation_id, message) {
            (Some(escalation_id), _) => {
                OutboxItem::Escalation(get_escalation(conn, escalation_id)?)
            }
            (None, Some(json)) => OutboxItem::Queued(
                serde_json::from_str(&json)
                    .map_err(|e| StoreError::backend(format!("outbox row {id}: {e}")))?,
            ),
            (None, None) => {
                return Err(StoreError::backend(format!(
                    "outbox row {id} holds nothing to deliver"
                )));
            }
        };
        out.push(OutboxEntry {
            id,
            attempts: attempts + 1,
            item,
        });
    }
    Ok(out)
}

pub(crate) fn mark_sent(conn: &Connection, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "UPDATE notification_outbox SET sent_at = ?2, message = NULL WHERE id = ?1",
        params![id, ts(at)],
    )
    .map_err(map_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn notification() -> Notification {
        Notification {
            event: "complaint.closed".into(),
            entity: "complaint".into(),
            entity_id: 7,
            key: "complaint.closed:7:3".into(),
            subject: "C-2026-000007".into(),
            text: "https://x.example/s/secret-token".into(),
            to: vec!["nora@example.com".into()],
            data: serde_json::json!({"survey_url": "https://x.example/s/secret-token"}),
        }
    }

    #[test]
    fn a_sent_notification_keeps_its_key_and_loses_its_content() {
        let conn = Connection::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        crate::migrate::migrate(&conn, now).unwrap();
        assert!(enqueue_notification(&conn, &notification(), now).unwrap());
        let leased = claim(&conn, now, "n1", Duration::minutes(5), 10).unwrap();
        assert_eq!(leased.len(), 1);
        assert_eq!(leased[0].item, OutboxItem::Queued(notification()));
        mark_sent(&conn, leased[0].id, now).unwrap();
        let (key, message): (String, Option<String>) = conn
            .query_row(
                "SELECT message_key, message FROM notification_outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((key.as_str(), message), ("complaint.closed:7:3", None));
        assert!(!enqueue_notification(&conn, &notification(), now).unwrap());
    }
}
