//! The escalation outbox on SQLite: rows written by `claim_due` in the claim's transaction,
//! leased and marked sent by the scheduler. The writer thread makes a lease atomic.
use crate::{
    complaint_rows::get_escalation,
    rows::{map_err, ts},
};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};
use touchpoint_core::{
    StoreResult,
    complaints::{MAX_OUTBOX_ATTEMPTS, OutboxEntry},
};

/// Called by `claim_due` right after the escalation row.
pub(crate) fn enqueue(
    conn: &Connection,
    escalation_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO escalation_outbox (escalation_id, created_at) VALUES (?1, ?2)",
    )
    .and_then(|mut s| s.execute(params![escalation_id, ts(now)]))
    .map_err(map_err)?;
    Ok(())
}

pub(crate) fn claim(
    conn: &Connection,
    now: DateTime<Utc>,
    node_id: &str,
    lease: Duration,
    limit: u32,
) -> StoreResult<Vec<OutboxEntry>> {
    let rows: Vec<(i64, i64, i32)> = conn
        .prepare_cached(
            "SELECT id, escalation_id, attempts FROM escalation_outbox
             WHERE sent_at IS NULL AND attempts < ?2
               AND (leased_until IS NULL OR leased_until <= ?1)
             ORDER BY id LIMIT ?3",
        )
        .and_then(|mut s| {
            s.query_map(params![ts(now), MAX_OUTBOX_ATTEMPTS, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })
        .map_err(map_err)?;
    let until = ts(now + lease);
    let mut out = Vec::with_capacity(rows.len());
    for (id, escalation_id, attempts) in rows {
        conn.prepare_cached(
            "UPDATE escalation_outbox SET leased_until = ?2, leased_by = ?3,
                 attempts = attempts + 1 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, until, node_id]))
        .map_err(map_err)?;
        out.push(OutboxEntry {
            id,
            attempts: attempts + 1,
            escalation: get_escalation(conn, escalation_id)?,
        });
    }
    Ok(out)
}

pub(crate) fn mark_sent(conn: &Connection, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "UPDATE escalation_outbox SET sent_at = ?2 WHERE id = ?1",
        params![id, ts(at)],
    )
    .map_err(map_err)?;
    Ok(())
}
