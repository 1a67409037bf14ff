//! Complaint rows: column lists, row mapping, single-row reads and the filtered list.
use crate::rows::{get_json_as, get_opt_ts, get_parsed, get_ts, map_err, not_found, ts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    complaints::{
        Complaint, ComplaintFilter, ComplaintOrder, ComplaintUpdate, Escalation, Promise,
        Transition, normalize_reference,
    },
    listing::{ListQuery, Page},
};

pub(crate) const COMPLAINT_COLS: &str = "id, reference, customer_ref, channel, site_id, \
     service_key, moment_key, moment_id, dimension_key, description, remedy_requested, \
     severity, status, assignee_id, received_at, created_at, updated_at, resolution_json";

fn complaint(r: &Row<'_>) -> rusqlite::Result<Complaint> {
    let resolution: Option<String> = r.get(17)?;
    Ok(Complaint {
        id: r.get(0)?,
        reference: r.get(1)?,
        customer_ref: r.get(2)?,
        channel: get_parsed(r, 3)?,
        site_id: r.get(4)?,
        service_key: r.get(5)?,
        moment_key: r.get(6)?,
        moment_id: r.get(7)?,
        dimension_key: r.get(8)?,
        description: r.get(9)?,
        remedy_requested: r.get(10)?,
        severity: get_parsed(r, 11)?,
        status: get_parsed(r, 12)?,
        assignee_id: r.get(13)?,
        received_at: get_ts(r, 14)?,
        created_at: get_ts(r, 15)?,
        updated_at: get_ts(r, 16)?,
        resolution: match resolution {
            Some(_) => Some(get_json_as(r, 17)?),
            None => None,
        },
    })
}

fn one(conn: &Connection, cond: &str, arg: Value) -> StoreResult<Complaint> {
    conn.prepare_cached(&format!(
        "SELECT {COMPLAINT_COLS} FROM complaints WHERE {cond}"
    ))
    .and_then(|mut s| s.query_row([arg], complaint))
    .map_err(not_found("complaint"))
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<Complaint> {
    one(conn, "id = ?1", Value::Integer(id))
}

pub(crate) fn by_reference(conn: &Connection, reference: &str) -> StoreResult<Complaint> {
    one(
        conn,
        "reference = ?1",
        Value::Text(normalize_reference(reference)),
    )
}

pub(crate) fn by_token(conn: &Connection, token_hash: &str) -> StoreResult<Complaint> {
    one(conn, "token_hash = ?1", Value::Text(token_hash.to_string()))
}

fn exists(conn: &Connection, table: &str, id: i64) -> StoreResult<bool> {
    conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
        [id],
        |r| r.get(0),
    )
    .map_err(map_err)
}

/// `Invalid` on `field` unless the row exists (site and assignee ids).
pub(crate) fn must_exist(
    conn: &Connection,
    table: &str,
    field: &str,
    id: Option<i64>,
) -> StoreResult<()> {
    match id {
        Some(id) if !exists(conn, table, id)? => Err(StoreError::Invalid(
            ValidationErrors::single(field, "no such record"),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn list(
    conn: &Connection,
    f: &ComplaintFilter,
    q: &ListQuery,
) -> StoreResult<Page<Complaint>> {
    let q = q.clone().clamped();
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    // Each condition is a constant with `{n}` standing for its parameter number.
    let mut push = |cond: &str, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(s) = f.status {
        push("status = ?{n}", Value::Text(s.as_str().into()));
    }
    if let Some(s) = f.severity {
        push("severity = ?{n}", Value::Text(s.as_str().into()));
    }
    if let Some(id) = f.site_id {
        push("site_id = ?{n}", Value::Integer(id));
    }
    if let Some(k) = &f.moment_key {
        push("moment_key = ?{n}", Value::Text(k.clone()));
    }
    if let Some(id) = f.assignee_id {
        push("assignee_id = ?{n}", Value::Integer(id));
    }
    if let Some(c) = &f.customer_ref {
        push("customer_ref = ?{n}", Value::Text(c.clone()));
    }
    if let Some(now) = f.overdue_at {
        push(
            "status NOT IN ('resolved', 'closed') AND EXISTS (SELECT 1 FROM complaint_promises p
                 WHERE p.complaint_id = complaints.id AND p.due_at < ?{n}
                   AND p.fulfilled_at IS NULL AND p.state IN ('open', 'broken'))",
            Value::Text(ts(now)),
        );
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        push(
            "(instr(tp_fold(reference), ?{n}) > 0 OR instr(tp_fold(customer_ref), ?{n}) > 0
              OR instr(tp_fold(description), ?{n}) > 0)",
            Value::Text(term.to_lowercase()),
        );
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM complaints{filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let column = match f.order {
        ComplaintOrder::ReceivedAt => "received_at",
        ComplaintOrder::UpdatedAt => "updated_at",
        ComplaintOrder::Severity => {
            "CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END"
        }
        // References are handed out in creation order.
        ComplaintOrder::Reference => "id",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let n = args.len();
    let sql = format!(
        "SELECT {COMPLAINT_COLS} FROM complaints{filter} ORDER BY {column} {dir}, id {dir} \
         LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let items = conn
        .prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(args.iter()), complaint)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

pub(crate) fn transitions(conn: &Connection, id: i64) -> StoreResult<Vec<Transition>> {
    get(conn, id)?;
    conn.prepare_cached(
        "SELECT id, complaint_id, from_status, to_status, at, actor_user_id, actor, note
         FROM complaint_transitions WHERE complaint_id = ?1 ORDER BY id",
    )
    .and_then(|mut s| {
        s.query_map([id], |r| {
            let from: Option<String> = r.get(2)?;
            Ok(Transition {
                id: r.get(0)?,
                complaint_id: r.get(1)?,
                from: match from {
                    Some(_) => Some(get_parsed(r, 2)?),
                    None => None,
                },
                to: get_parsed(r, 3)?,
                at: get_ts(r, 4)?,
                actor_user_id: r.get(5)?,
                actor: r.get(6)?,
                note: r.get(7)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

const UPDATE_COLS: &str = "id, complaint_id, visibility, text, at, actor_user_id, actor";

fn update_row(r: &Row<'_>) -> rusqlite::Result<ComplaintUpdate> {
    Ok(ComplaintUpdate {
        id: r.get(0)?,
        complaint_id: r.get(1)?,
        visibility: get_parsed(r, 2)?,
        text: r.get(3)?,
        at: get_ts(r, 4)?,
        actor_user_id: r.get(5)?,
        actor: r.get(6)?,
    })
}

pub(crate) fn get_update(conn: &Connection, id: i64) -> StoreResult<ComplaintUpdate> {
    conn.prepare_cached(&format!(
        "SELECT {UPDATE_COLS} FROM complaint_updates WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], update_row))
    .map_err(not_found("update"))
}

pub(crate) fn updates(
    conn: &Connection,
    id: i64,
    include_internal: bool,
) -> StoreResult<Vec<ComplaintUpdate>> {
    get(conn, id)?;
    conn.prepare_cached(&format!(
        "SELECT {UPDATE_COLS} FROM complaint_updates
         WHERE complaint_id = ?1 AND (?2 OR visibility = 'customer') ORDER BY id"
    ))
    .and_then(|mut s| {
        s.query_map(params![id, include_internal], update_row)?
            .collect()
    })
    .map_err(map_err)
}

const PROMISE_COLS: &str = "id, complaint_id, kind, description, due_at, source, state, \
     settled_at, fulfilled_at, cancel_reason, notified_at, escalated_at, escalated_by, \
     created_at, created_by";

fn promise(r: &Row<'_>) -> rusqlite::Result<Promise> {
    Ok(Promise {
        id: r.get(0)?,
        complaint_id: r.get(1)?,
        kind: get_parsed(r, 2)?,
        description: r.get(3)?,
        due_at: get_ts(r, 4)?,
        source: get_parsed(r, 5)?,
        state: get_parsed(r, 6)?,
        settled_at: get_opt_ts(r, 7)?,
        fulfilled_at: get_opt_ts(r, 8)?,
        cancel_reason: r.get(9)?,
        notified_at: get_opt_ts(r, 10)?,
        escalated_at: get_opt_ts(r, 11)?,
        escalated_by: r.get(12)?,
        created_at: get_ts(r, 13)?,
        created_by: r.get(14)?,
    })
}

pub(crate) fn get_promise(conn: &Connection, id: i64) -> StoreResult<Promise> {
    conn.prepare_cached(&format!(
        "SELECT {PROMISE_COLS} FROM complaint_promises WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], promise))
    .map_err(not_found("promise"))
}

/// Promises matching `cond` (parameters `?1`, `?2`…), oldest due first.
pub(crate) fn promises_where(
    conn: &Connection,
    cond: &str,
    args: &[Value],
) -> StoreResult<Vec<Promise>> {
    conn.prepare_cached(&format!(
        "SELECT {PROMISE_COLS} FROM complaint_promises WHERE {cond} ORDER BY due_at, id"
    ))
    .and_then(|mut s| {
        s.query_map(params_from_iter(args.iter()), promise)?
            .collect()
    })
    .map_err(map_err)
}

pub(crate) fn promises(conn: &Connection, complaint_id: i64) -> StoreResult<Vec<Promise>> {
    get(conn, complaint_id)?;
    promises_where(conn, "complaint_id = ?1", &[Value::Integer(complaint_id)])
}

/// The escalation row `id` with its promise and complaint.
pub(crate) fn get_escalation(conn: &Connection, id: i64) -> StoreResult<Escalation> {
    let (promise_id, complaint_id, escalated_at, node_id): (i64, i64, String, String) = conn
        .prepare_cached(
            "SELECT promise_id, complaint_id, escalated_at, node_id
             FROM complaint_escalations WHERE id = ?1",
        )
        .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))))
        .optional()
        .map_err(map_err)?
        .ok_or(StoreError::not_found("escalation"))?;
    let c = get(conn, complaint_id)?;
    Ok(Escalation {
        id,
        promise: get_promise(conn, promise_id)?,
        complaint_id,
        reference: c.reference,
        customer_ref: c.customer_ref,
        site_id: c.site_id,
        assignee_id: c.assignee_id,
        severity: c.severity,
        escalated_at: parse_ts(&escalated_at)?,
        node_id,
    })
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(StoreError::backend)
}

pub(crate) fn list_escalations(
    conn: &Connection,
    site_id: Option<i64>,
    q: &ListQuery,
) -> StoreResult<Page<Escalation>> {
    let q = q.clone().clamped();
    let total: i64 = conn
        .query_row(
            "SELECT count(*) FROM complaint_escalations WHERE ?1 IS NULL OR site_id = ?1",
            [site_id],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM complaint_escalations WHERE ?1 IS NULL OR site_id = ?1
             ORDER BY escalated_at DESC, id DESC LIMIT ?2 OFFSET ?3",
        )
        .and_then(|mut s| {
            s.query_map(params![site_id, q.limit, q.offset], |r| r.get(0))?
                .collect()
        })
        .map_err(map_err)?;
    let items = ids
        .into_iter()
        .map(|id| get_escalation(conn, id))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
