//! Complaint rows on PostgreSQL: row mapping, single-row reads and the filtered list.
use crate::errors::{Db, corrupt};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row, postgres::PgRow, types::Json};
use std::{fmt::Display, str::FromStr};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    complaints::{
        Complaint, ComplaintFilter, ComplaintOrder, ComplaintUpdate, Escalation, Promise,
        Resolution, Transition, normalize_reference,
    },
    listing::{ListQuery, Page},
};

/// A text column parsed into a domain enum.
pub(crate) fn parse<T>(r: &PgRow, col: &str) -> Result<T, sqlx::Error>
where
    T: FromStr,
    T::Err: Display,
{
    let s: String = r.try_get(col)?;
    s.parse().map_err(|e| corrupt(col, e))
}

fn parse_opt<T>(r: &PgRow, col: &str) -> Result<Option<T>, sqlx::Error>
where
    T: FromStr,
    T::Err: Display,
{
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| s.parse().map_err(|e| corrupt(col, e)))
        .transpose()
}

pub(crate) const COMPLAINT_SELECT: &str = "SELECT id, reference, customer_ref, channel, \
     site_id, service_key, moment_key, moment_id, dimension_key, description, remedy_requested, \
     severity, status, assignee_id, received_at, created_at, updated_at, resolution \
     FROM complaints";

fn complaint(r: &PgRow) -> Result<Complaint, sqlx::Error> {
    let resolution: Option<Json<Resolution>> = r.try_get("resolution")?;
    Ok(Complaint {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        customer_ref: r.try_get("customer_ref")?,
        channel: parse(r, "channel")?,
        site_id: r.try_get("site_id")?,
        service_key: r.try_get("service_key")?,
        moment_key: r.try_get("moment_key")?,
        moment_id: r.try_get("moment_id")?,
        dimension_key: r.try_get("dimension_key")?,
        description: r.try_get("description")?,
        remedy_requested: r.try_get("remedy_requested")?,
        severity: parse(r, "severity")?,
        status: parse(r, "status")?,
        assignee_id: r.try_get("assignee_id")?,
        received_at: r.try_get("received_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        resolution: resolution.map(|j| j.0),
    })
}

/// What a single complaint is looked up by.
enum Key<'a> {
    Id(i64),
    Text(&'a str),
}

async fn one(
    conn: &mut PgConnection,
    cond: &str,
    key: Key<'_>,
    lock: bool,
) -> StoreResult<Complaint> {
    // NO KEY UPDATE, not UPDATE: rows inserted with a foreign key to this complaint (the
    // escalations and ledger entries of a concurrent claim) take KEY SHARE locks, which a
    // plain FOR UPDATE would block, letting a transition and a claim deadlock.
    let lock = if lock { " FOR NO KEY UPDATE" } else { "" };
    let sql = format!("{COMPLAINT_SELECT} WHERE {cond}{lock}");
    let query = sqlx::query(&sql);
    let query = match key {
        Key::Id(id) => query.bind(id),
        Key::Text(t) => query.bind(t),
    };
    let row = query
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("complaint"))?;
    complaint(&row).db()
}

pub(crate) async fn get(conn: &mut PgConnection, id: i64) -> StoreResult<Complaint> {
    one(conn, "id = $1", Key::Id(id), false).await
}

/// The complaint, row-locked until the transaction ends (changes serialise per complaint).
pub(crate) async fn lock(conn: &mut PgConnection, id: i64) -> StoreResult<Complaint> {
    one(conn, "id = $1", Key::Id(id), true).await
}

pub(crate) async fn by_reference(conn: &mut PgConnection, r: &str) -> StoreResult<Complaint> {
    let r = normalize_reference(r);
    one(conn, "reference = $1", Key::Text(&r), false).await
}

pub(crate) async fn by_token(conn: &mut PgConnection, hash: &str) -> StoreResult<Complaint> {
    one(conn, "token_hash = $1", Key::Text(hash), false).await
}

/// `Invalid` on `field` unless the row exists (site and assignee ids).
pub(crate) async fn must_exist(
    conn: &mut PgConnection,
    table: &str,
    field: &str,
    id: Option<i64>,
) -> StoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    let found: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $1)"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
    .db()?;
    if found {
        Ok(())
    } else {
        Err(StoreError::Invalid(ValidationErrors::single(
            field,
            "no such record",
        )))
    }
}

fn push_filters(qb: &mut QueryBuilder<'_, Postgres>, f: &ComplaintFilter, q: &ListQuery) {
    qb.push(" WHERE TRUE");
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(s) = f.severity {
        qb.push(" AND severity = ").push_bind(s.as_str());
    }
    if let Some(id) = f.site_id {
        qb.push(" AND site_id = ").push_bind(id);
    }
    if let Some(k) = &f.moment_key {
        qb.push(" AND moment_key = ").push_bind(k.clone());
    }
    if let Some(id) = f.assignee_id {
        qb.push(" AND assignee_id = ").push_bind(id);
    }
    if let Some(c) = &f.customer_ref {
        qb.push(" AND customer_ref = ").push_bind(c.clone());
    }
    if let Some(now) = f.overdue_at {
        qb.push(
            " AND status NOT IN ('resolved', 'closed') AND EXISTS (SELECT 1 FROM \
             complaint_promises p WHERE p.complaint_id = complaints.id AND p.fulfilled_at IS NULL \
             AND p.state IN ('open', 'broken') AND p.due_at < ",
        )
        .push_bind(now)
        .push(")");
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let term = term.to_lowercase();
        qb.push(" AND (strpos(lower(reference), ")
            .push_bind(term.clone())
            .push(") > 0 OR strpos(lower(customer_ref), ")
            .push_bind(term.clone())
            .push(") > 0 OR strpos(lower(description), ")
            .push_bind(term)
            .push(") > 0)");
    }
}

pub(crate) async fn list(
    conn: &mut PgConnection,
    f: &ComplaintFilter,
    q: &ListQuery,
) -> StoreResult<Page<Complaint>> {
    let q = q.clone().clamped();
    let mut count = QueryBuilder::new("SELECT count(*) FROM complaints");
    push_filters(&mut count, f, &q);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&mut *conn)
        .await
        .db()?;
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
    let mut qb = QueryBuilder::new(COMPLAINT_SELECT);
    push_filters(&mut qb, f, &q);
    qb.push(format!(" ORDER BY {column} {dir}, id {dir} LIMIT "))
        .push_bind(i64::from(q.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let found = qb.build().fetch_all(conn).await.db()?;
    let items = found.iter().map(complaint).collect::<Result<_, _>>().db()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

pub(crate) async fn transitions(conn: &mut PgConnection, id: i64) -> StoreResult<Vec<Transition>> {
    get(conn, id).await?;
    let found = sqlx::query(
        "SELECT id, complaint_id, from_status, to_status, at, actor_user_id, actor, note \
         FROM complaint_transitions WHERE complaint_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
    .db()?;
    found
        .iter()
        .map(|r| {
            Ok(Transition {
                id: r.try_get("id")?,
                complaint_id: r.try_get("complaint_id")?,
                from: parse_opt(r, "from_status")?,
                to: parse(r, "to_status")?,
                at: r.try_get("at")?,
                actor_user_id: r.try_get("actor_user_id")?,
                actor: r.try_get("actor")?,
                note: r.try_get("note")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

pub(crate) const UPDATE_SELECT: &str = "SELECT id, complaint_id, visibility, text, at, \
     actor_user_id, actor FROM complaint_updates";

pub(crate) fn update_row(r: &PgRow) -> Result<ComplaintUpdate, sqlx::Error> {
    Ok(ComplaintUpdate {
        id: r.try_get("id")?,
        complaint_id: r.try_get("complaint_id")?,
        visibility: parse(r, "visibility")?,
        text: r.try_get("text")?,
        at: r.try_get("at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor: r.try_get("actor")?,
    })
}

pub(crate) async fn updates(
    conn: &mut PgConnection,
    id: i64,
    include_internal: bool,
) -> StoreResult<Vec<ComplaintUpdate>> {
    get(conn, id).await?;
    let found = sqlx::query(&format!(
        "{UPDATE_SELECT} WHERE complaint_id = $1 AND ($2 OR visibility = 'customer') ORDER BY id"
    ))
    .bind(id)
    .bind(include_internal)
    .fetch_all(conn)
    .await
    .db()?;
    found.iter().map(update_row).collect::<Result<_, _>>().db()
}

pub(crate) const PROMISE_SELECT: &str = "SELECT id, complaint_id, kind, description, due_at, \
     source, state, settled_at, fulfilled_at, cancel_reason, notified_at, escalated_at, \
     escalated_by, created_at, created_by FROM complaint_promises";

pub(crate) fn promise(r: &PgRow) -> Result<Promise, sqlx::Error> {
    Ok(Promise {
        id: r.try_get("id")?,
        complaint_id: r.try_get("complaint_id")?,
        kind: parse(r, "kind")?,
        description: r.try_get("description")?,
        due_at: r.try_get("due_at")?,
        source: parse(r, "source")?,
        state: parse(r, "state")?,
        settled_at: r.try_get("settled_at")?,
        fulfilled_at: r.try_get("fulfilled_at")?,
        cancel_reason: r.try_get("cancel_reason")?,
        notified_at: r.try_get("notified_at")?,
        escalated_at: r.try_get("escalated_at")?,
        escalated_by: r.try_get("escalated_by")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// The promise; with `lock`, row-locked so fulfilling, cancelling and the scheduler's claim
/// of one promise never interleave.
pub(crate) async fn get_promise(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> StoreResult<Promise> {
    let lock = if lock { " FOR NO KEY UPDATE" } else { "" };
    let row = sqlx::query(&format!("{PROMISE_SELECT} WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("promise"))?;
    promise(&row).db()
}

pub(crate) async fn promises(
    conn: &mut PgConnection,
    complaint_id: i64,
) -> StoreResult<Vec<Promise>> {
    get(conn, complaint_id).await?;
    let found = sqlx::query(&format!(
        "{PROMISE_SELECT} WHERE complaint_id = $1 ORDER BY due_at, id"
    ))
    .bind(complaint_id)
    .fetch_all(conn)
    .await
    .db()?;
    found.iter().map(promise).collect::<Result<_, _>>().db()
}

/// The escalation row `id` with its promise and complaint.
pub(crate) async fn get_escalation(conn: &mut PgConnection, id: i64) -> StoreResult<Escalation> {
    let (promise_id, complaint_id, escalated_at, node_id): (i64, i64, DateTime<Utc>, String) =
        sqlx::query_as(
            "SELECT promise_id, complaint_id, escalated_at, node_id \
             FROM complaint_escalations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("escalation"))?;
    let c = get(conn, complaint_id).await?;
    Ok(Escalation {
        id,
        promise: get_promise(conn, promise_id, false).await?,
        complaint_id,
        reference: c.reference,
        customer_ref: c.customer_ref,
        site_id: c.site_id,
        assignee_id: c.assignee_id,
        severity: c.severity,
        escalated_at,
        node_id,
    })
}

pub(crate) async fn list_escalations(
    conn: &mut PgConnection,
    site_id: Option<i64>,
    q: &ListQuery,
) -> StoreResult<Page<Escalation>> {
    let q = q.clone().clamped();
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM complaint_escalations WHERE $1::bigint IS NULL OR site_id = $1",
    )
    .bind(site_id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM complaint_escalations WHERE $1::bigint IS NULL OR site_id = $1 \
         ORDER BY escalated_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(site_id)
    .bind(i64::from(q.limit))
    .bind(i64::from(q.offset))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(get_escalation(conn, id).await?);
    }
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
