//! Promises on PostgreSQL: adding, fulfilling, cancelling, and the scheduler's claims.
//!
//! Several app nodes may claim at once: each claim selects its due promises with
//! `FOR NO KEY UPDATE SKIP LOCKED` (the `SKIP LOCKED` claim; NO KEY so foreign-key checks of
//! rows referencing the promise are not blocked) inside one transaction, so a promise another node is claiming is
//! skipped rather than claimed twice, and re-checks `state = 'open'` on update. Fulfilling and
//! cancelling lock the promise row first, so they serialise with a claim of the same promise.
use crate::{
    audit,
    complaint_config::{Entry, insert_entry},
    complaint_rows::{PROMISE_SELECT, get, get_escalation, get_promise, promise},
    errors::Db,
};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::{
        DueSoon, Escalation, LedgerKind, NewPromise, PlannedPromise, Promise, PromiseKind,
        PromiseSource, promise::Settlement,
    },
};

/// Insert a promise and its `promise.create` audit record.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    actor: &Actor,
    complaint_id: i64,
    p: &PlannedPromise,
    source: PromiseSource,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_promises (complaint_id, kind, description, due_at, source, state, \
           created_at, created_by) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id",
    )
    .bind(complaint_id)
    .bind(p.kind.as_str())
    .bind(&p.description)
    .bind(crate::micros(p.due_at))
    .bind(source.as_str())
    .bind(now)
    .bind(&actor.label)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let created = get_promise(&mut *conn, id, false).await?;
    let entry = NewAuditEntry::change(
        actor,
        "promise.create",
        "promise",
        id,
        None::<&()>,
        Some(&created),
    );
    audit::write(conn, now, &entry).await?;
    Ok(created)
}

pub(crate) async fn add(
    conn: &mut PgConnection,
    actor: &Actor,
    complaint_id: i64,
    p: &NewPromise,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    get(&mut *conn, complaint_id).await?;
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
    .await
}

/// Write a settlement, its audit record, and the withdrawal when it breaks the promise.
async fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &Promise,
    s: &Settlement,
    reason: Option<&str>,
    action: &str,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    sqlx::query(
        "UPDATE complaint_promises SET state = $2, settled_at = $3, fulfilled_at = $4, \
         cancel_reason = $5 WHERE id = $1",
    )
    .bind(p.id)
    .bind(s.state.as_str())
    .bind(s.settled_at)
    .bind(s.fulfilled_at)
    .bind(reason)
    .execute(&mut *conn)
    .await
    .db()?;
    if s.newly_broken {
        let c = get(&mut *conn, p.complaint_id).await?;
        let entry = Entry {
            customer_ref: &c.customer_ref,
            kind: LedgerKind::BrokenPromise,
            weight: None,
            occurred_at: s.settled_at,
            complaint_id: Some(c.id),
            promise_id: Some(p.id),
            note: &p.description,
            recorded_by: &actor.label,
        };
        insert_entry(&mut *conn, entry, now).await?;
    }
    let after = get_promise(&mut *conn, p.id, false).await?;
    let entry = NewAuditEntry::change(actor, action, "promise", p.id, Some(p), Some(&after));
    audit::write(conn, now, &entry).await?;
    Ok(after)
}

pub(crate) async fn fulfil(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    let p = get_promise(&mut *conn, id, true).await?;
    let s = p.fulfil(now).map_err(|e| e.into_validation())?;
    apply(conn, actor, &p, &s, None, "promise.fulfil", now).await
}

pub(crate) async fn cancel(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<Promise> {
    let p = get_promise(&mut *conn, id, true).await?;
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
    .await
}

/// Promises of a complaint matching `cond`, row-locked, oldest due first.
async fn locked(
    conn: &mut PgConnection,
    complaint_id: i64,
    cond: &str,
) -> StoreResult<Vec<Promise>> {
    let found = sqlx::query(&format!(
        "{PROMISE_SELECT} WHERE complaint_id = $1 AND {cond} ORDER BY due_at, id \
         FOR NO KEY UPDATE"
    ))
    .bind(complaint_id)
    .fetch_all(conn)
    .await
    .db()?;
    found.iter().map(promise).collect::<Result<_, _>>().db()
}

/// Fulfil every still-unhonoured promise of `kinds` on the complaint (transitions, updates).
pub(crate) async fn fulfil_kinds(
    conn: &mut PgConnection,
    actor: &Actor,
    complaint_id: i64,
    kinds: &[PromiseKind],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if kinds.is_empty() {
        return Ok(());
    }
    let pending = locked(
        &mut *conn,
        complaint_id,
        "fulfilled_at IS NULL AND state IN ('open', 'broken')",
    )
    .await?;
    for p in pending.iter().filter(|p| kinds.contains(&p.kind)) {
        let s = p.fulfil(now).map_err(|e| e.into_validation())?;
        apply(&mut *conn, actor, p, &s, None, "promise.fulfil", now).await?;
    }
    Ok(())
}

/// Cancel every open promise of the complaint with `reason` (closing the case).
pub(crate) async fn cancel_open(
    conn: &mut PgConnection,
    actor: &Actor,
    complaint_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for p in locked(&mut *conn, complaint_id, "state = 'open'").await? {
        let s = p.cancel(reason, now).map_err(|e| e.into_validation())?;
        apply(
            &mut *conn,
            actor,
            &p,
            &s,
            Some(reason),
            "promise.cancel",
            now,
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn claim_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    node_id: &str,
    limit: u32,
) -> StoreResult<Vec<Escalation>> {
    let found = sqlx::query(&format!(
        "{PROMISE_SELECT} WHERE state = 'open' AND due_at < $1 ORDER BY due_at, id LIMIT $2 \
         FOR NO KEY UPDATE SKIP LOCKED"
    ))
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let due: Vec<Promise> = found.iter().map(promise).collect::<Result<_, _>>().db()?;
    let scheduler = Actor::system(&format!("scheduler:{node_id}"));
    let mut out = Vec::with_capacity(due.len());
    for p in due {
        let changed = sqlx::query(
            "UPDATE complaint_promises SET state = 'broken', settled_at = $2, escalated_at = $2, \
             escalated_by = $3 WHERE id = $1 AND state = 'open'",
        )
        .bind(p.id)
        .bind(now)
        .bind(node_id)
        .execute(&mut *conn)
        .await
        .db()?
        .rows_affected();
        if changed == 0 {
            continue;
        }
        let c = get(&mut *conn, p.complaint_id).await?;
        let escalation_id: i64 = sqlx::query_scalar(
            "INSERT INTO complaint_escalations (promise_id, complaint_id, site_id, escalated_at, \
               node_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(p.id)
        .bind(c.id)
        .bind(c.site_id)
        .bind(now)
        .bind(node_id)
        .fetch_one(&mut *conn)
        .await
        .db()?;
        crate::complaint_outbox::enqueue(&mut *conn, escalation_id, now).await?;
        let entry = Entry {
            customer_ref: &c.customer_ref,
            kind: LedgerKind::BrokenPromise,
            weight: None,
            occurred_at: now,
            complaint_id: Some(c.id),
            promise_id: Some(p.id),
            note: &p.description,
            recorded_by: &scheduler.label,
        };
        insert_entry(&mut *conn, entry, now).await?;
        let escalation = get_escalation(&mut *conn, escalation_id).await?;
        let record = NewAuditEntry::change(
            &scheduler,
            "promise.break",
            "promise",
            p.id,
            Some(&p),
            Some(&escalation.promise),
        );
        audit::write(&mut *conn, now, &record).await?;
        out.push(escalation);
    }
    Ok(out)
}

pub(crate) async fn due_soon(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    within: Duration,
    limit: u32,
) -> StoreResult<Vec<DueSoon>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE complaint_promises SET notified_at = $1 WHERE id IN ( \
           SELECT id FROM complaint_promises WHERE state = 'open' AND notified_at IS NULL \
             AND due_at > $1 AND due_at <= $2 ORDER BY due_at, id LIMIT $3 \
             FOR NO KEY UPDATE SKIP LOCKED) \
         RETURNING id",
    )
    .bind(now)
    .bind(crate::micros(now + within))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let promise = get_promise(&mut *conn, id, false).await?;
        let c = get(&mut *conn, promise.complaint_id).await?;
        out.push(DueSoon {
            promise,
            reference: c.reference,
            assignee_id: c.assignee_id,
            site_id: c.site_id,
        });
    }
    out.sort_by_key(|d| (d.promise.due_at, d.promise.id));
    Ok(out)
}
