//! Promises on SQLite: adding, fulfilling, cancelling, and the scheduler's claims. The single
//! writer thread runs each claim inside one transaction with no other writer beside it, so a
//! promise is broken and escalated exactly once however often and from wherever it is called.
use crate::{
    audit,
    complaint_config::insert_entry,
    complaint_rows::{get, get_escalation, get_promise, promises_where},
    rows::{map_err, ts},
};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params, types::Value};
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::{
        DueSoon, Escalation, LedgerKind, NewPromise, PlannedPromise, Promise, PromiseKind,
        PromiseSource, promise::Settlement,
    },
};

/// Insert a promise and its `promise.create` audit record.
pub(crate) fn insert(
    conn: &Connection,
    actor: &Actor,
    complaint_id: i64,
    p: &PlannedPromise,
    source: PromiseSource,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    conn.prepare_cached(
        "INSERT INTO complaint_promises (complaint_id, kind, description, due_at, source, state,
             created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            complaint_id,
            p.kind.as_str(),
            p.description,
            ts(p.due_at),
            source.as_str(),
            ts(now),
            actor.label
        ])
    })
    .map_err(map_err)?;
    let created = get_promise(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(
        actor,
        "promise.create",
        "promise",
        created.id,
        None::<&()>,
        Some(&created),
    );
    audit::insert(conn, &entry, now)?;
    Ok(created)
}

pub(crate) fn add(
    conn: &Connection,
    actor: &Actor,
    complaint_id: i64,
    p: &NewPromise,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    get(conn, complaint_id)?;
    let planned = PlannedPromise {
        kind: p.kind,
        description: p.description.clone(),
        due_at: p.due_at,
    };
    insert(
        conn,
        actor,
        complaint_id,
        &planned,
        PromiseSource::Staff,
        now,
    )
}

/// Write a settlement, its audit record, and the withdrawal when it breaks the promise.
fn apply(
    conn: &Connection,
    actor: &Actor,
    p: &Promise,
    s: &Settlement,
    reason: Option<&str>,
    action: &str,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    conn.prepare_cached(
        "UPDATE complaint_promises SET state = ?2, settled_at = ?3, fulfilled_at = ?4,
             cancel_reason = ?5 WHERE id = ?1",
    )
    .and_then(|mut st| {
        st.execute(params![
            p.id,
            s.state.as_str(),
            ts(s.settled_at),
            s.fulfilled_at.map(ts),
            reason
        ])
    })
    .map_err(map_err)?;
    if s.newly_broken {
        let c = get(conn, p.complaint_id)?;
        insert_entry(
            conn,
            &c.customer_ref,
            LedgerKind::BrokenPromise,
            None,
            s.settled_at,
            Some(c.id),
            Some(p.id),
            &p.description,
            &actor.label,
            now,
        )?;
    }
    let after = get_promise(conn, p.id)?;
    let entry = NewAuditEntry::change(actor, action, "promise", p.id, Some(p), Some(&after));
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

pub(crate) fn fulfil(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    let p = get_promise(conn, id)?;
    let s = p.fulfil(now).map_err(|e| e.into_validation())?;
    apply(conn, actor, &p, &s, None, "promise.fulfil", now)
}

pub(crate) fn cancel(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    let p = get_promise(conn, id)?;
    let s = p.cancel(reason, now).map_err(|e| e.into_validation())?;
    apply(
        conn,
        actor,
        &p,
        &s,
        Some(reason.trim()),
        "promise.cancel",
        now,
    )
}

/// Fulfil every still-unhonoured promise of `kinds` on the complaint (transitions, updates).
pub(crate) fn fulfil_kinds(
    conn: &Connection,
    actor: &Actor,
    complaint_id: i64,
    kinds: &[PromiseKind],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let pending = promises_where(
        conn,
        "complaint_id = ?1 AND fulfilled_at IS NULL AND state IN ('open', 'broken')",
        &[Value::Integer(complaint_id)],
    )?;
    for p in pending.iter().filter(|p| kinds.contains(&p.kind)) {
        let s = p.fulfil(now).map_err(|e| e.into_validation())?;
        apply(conn, actor, p, &s, None, "promise.fulfil", now)?;
    }
    Ok(())
}

/// Cancel every open promise of the complaint with `reason` (closing the case).
pub(crate) fn cancel_open(
    conn: &Connection,
    actor: &Actor,
    complaint_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let open = promises_where(
        conn,
        "complaint_id = ?1 AND state = 'open'",
        &[Value::Integer(complaint_id)],
    )?;
    for p in &open {
        let s = p.cancel(reason, now).map_err(|e| e.into_validation())?;
        apply(conn, actor, p, &s, Some(reason), "promise.cancel", now)?;
    }
    Ok(())
}

pub(crate) fn claim_due(
    conn: &Connection,
    now: DateTime<Utc>,
    node_id: &str,
    limit: u32,
) -> StoreResult<Vec<Escalation>> {
    let due = due_promises(conn, now, limit)?;
    let scheduler = Actor::system(&format!("scheduler:{node_id}"));
    let mut out = Vec::with_capacity(due.len());
    for p in due {
        conn.prepare_cached(
            "UPDATE complaint_promises SET state = 'broken', settled_at = ?2,
                 escalated_at = ?2, escalated_by = ?3 WHERE id = ?1 AND state = 'open'",
        )
        .and_then(|mut s| s.execute(params![p.id, ts(now), node_id]))
        .map_err(map_err)?;
        let c = get(conn, p.complaint_id)?;
        conn.prepare_cached(
            "INSERT INTO complaint_escalations (promise_id, complaint_id, site_id, escalated_at,
                 node_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| s.execute(params![p.id, c.id, c.site_id, ts(now), node_id]))
        .map_err(map_err)?;
        let escalation = get_escalation(conn, conn.last_insert_rowid())?;
        crate::complaint_outbox::enqueue(conn, escalation.id, now)?;
        insert_entry(
            conn,
            &c.customer_ref,
            LedgerKind::BrokenPromise,
            None,
            now,
            Some(c.id),
            Some(p.id),
            &p.description,
            &scheduler.label,
            now,
        )?;
        let entry = NewAuditEntry::change(
            &scheduler,
            "promise.break",
            "promise",
            p.id,
            Some(&p),
            Some(&escalation.promise),
        );
        audit::insert(conn, &entry, now)?;
        out.push(escalation);
    }
    Ok(out)
}

fn due_promises(conn: &Connection, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Promise>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM complaint_promises WHERE state = 'open' AND due_at < ?1
             ORDER BY due_at, id LIMIT ?2",
        )
        .and_then(|mut s| {
            s.query_map(params![ts(now), limit], |r| r.get(0))?
                .collect()
        })
        .map_err(map_err)?;
    ids.into_iter().map(|id| get_promise(conn, id)).collect()
}

pub(crate) fn due_soon(
    conn: &Connection,
    now: DateTime<Utc>,
    within: Duration,
    limit: u32,
) -> StoreResult<Vec<DueSoon>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM complaint_promises
             WHERE state = 'open' AND notified_at IS NULL AND due_at > ?1 AND due_at <= ?2
             ORDER BY due_at, id LIMIT ?3",
        )
        .and_then(|mut s| {
            s.query_map(params![ts(now), ts(now + within), limit], |r| r.get(0))?
                .collect()
        })
        .map_err(map_err)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        conn.execute(
            "UPDATE complaint_promises SET notified_at = ?2 WHERE id = ?1",
            params![id, ts(now)],
        )
        .map_err(map_err)?;
        let promise = get_promise(conn, id)?;
        let c = get(conn, promise.complaint_id)?;
        out.push(DueSoon {
            promise,
            reference: c.reference,
            assignee_id: c.assignee_id,
            site_id: c.site_id,
        });
    }
    Ok(out)
}
