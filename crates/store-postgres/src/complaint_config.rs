//! Response policies, business calendars, ledger weights and the append-only relationship
//! ledger on PostgreSQL.
use crate::{
    audit,
    complaint_rows::{get, must_exist, parse},
    errors::Db,
};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row, postgres::PgRow, types::Json};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    channel::Channel,
    complaints::{
        BusinessCalendar, LedgerEntry, LedgerKind, LedgerSummary, LedgerWeights, NewLedgerEntry,
        ResponsePolicy, ValidPolicy,
    },
    listing::{ListQuery, Page},
};

fn policy(r: &PgRow) -> Result<ResponsePolicy, sqlx::Error> {
    let channel: String = r.try_get("channel")?;
    Ok(ResponsePolicy {
        id: r.try_get("id")?,
        policy: ValidPolicy {
            severity: parse(r, "severity")?,
            channel: if channel == "any" {
                None
            } else {
                Some(parse::<Channel>(r, "channel")?)
            },
            acknowledge_minutes: r.try_get("acknowledge_minutes")?,
            first_response_minutes: r.try_get("first_response_minutes")?,
            update_minutes: r.try_get("update_minutes")?,
            resolve_minutes: r.try_get("resolve_minutes")?,
            business_time: r.try_get("business_time")?,
            resolution_survey_key: r.try_get("resolution_survey_key")?,
        },
    })
}

pub(crate) async fn policies(conn: &mut PgConnection) -> StoreResult<Vec<ResponsePolicy>> {
    let found = sqlx::query(
        "SELECT id, severity, channel, acknowledge_minutes, first_response_minutes, \
         update_minutes, resolve_minutes, business_time, resolution_survey_key \
         FROM response_policies ORDER BY \
         CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END, \
         channel <> 'any', channel",
    )
    .fetch_all(conn)
    .await
    .db()?;
    found.iter().map(policy).collect::<Result<_, _>>().db()
}

pub(crate) async fn save_policy(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &ValidPolicy,
    now: DateTime<Utc>,
) -> StoreResult<ResponsePolicy> {
    let before = policies(&mut *conn)
        .await?
        .into_iter()
        .find(|x| x.policy.severity == p.severity && x.policy.channel == p.channel);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO response_policies (severity, channel, acknowledge_minutes, \
           first_response_minutes, update_minutes, resolve_minutes, business_time, updated_at, \
           resolution_survey_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (severity, channel) DO UPDATE SET \
           acknowledge_minutes = EXCLUDED.acknowledge_minutes, \
           first_response_minutes = EXCLUDED.first_response_minutes, \
           update_minutes = EXCLUDED.update_minutes, \
           resolve_minutes = EXCLUDED.resolve_minutes, \
           business_time = EXCLUDED.business_time, updated_at = EXCLUDED.updated_at, \
           resolution_survey_key = EXCLUDED.resolution_survey_key \
         RETURNING id",
    )
    .bind(p.severity.as_str())
    .bind(p.channel.map_or("any", Channel::as_str))
    .bind(p.acknowledge_minutes)
    .bind(p.first_response_minutes)
    .bind(p.update_minutes)
    .bind(p.resolve_minutes)
    .bind(p.business_time)
    .bind(now)
    .bind(&p.resolution_survey_key)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let saved = ResponsePolicy {
        id,
        policy: p.clone(),
    };
    let entry = NewAuditEntry::change(
        actor,
        "policy.save",
        "policy",
        id,
        before.as_ref(),
        Some(&saved),
    );
    audit::write(conn, now, &entry).await?;
    Ok(saved)
}

pub(crate) async fn delete_policy(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = policies(&mut *conn)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(StoreError::not_found("policy"))?;
    sqlx::query("DELETE FROM response_policies WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "policy.delete",
        "policy",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::write(conn, now, &entry).await
}

pub(crate) async fn calendar(
    conn: &mut PgConnection,
    site_id: Option<i64>,
) -> StoreResult<Option<BusinessCalendar>> {
    let found: Option<Json<BusinessCalendar>> = sqlx::query_scalar(
        "SELECT calendar FROM business_calendars WHERE site_key IN ($1, 0) \
         ORDER BY site_key DESC LIMIT 1",
    )
    .bind(site_id.unwrap_or(0))
    .fetch_optional(conn)
    .await
    .db()?;
    Ok(found.map(|j| j.0))
}

pub(crate) async fn set_calendar(
    conn: &mut PgConnection,
    actor: &Actor,
    site_id: Option<i64>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    must_exist(&mut *conn, "sites", "site_id", site_id).await?;
    let key = site_id.unwrap_or(0);
    let before: Option<Json<BusinessCalendar>> = sqlx::query_scalar(
        "SELECT calendar FROM business_calendars WHERE site_key = $1 FOR UPDATE",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    sqlx::query(
        "INSERT INTO business_calendars (site_key, calendar, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (site_key) DO UPDATE SET calendar = EXCLUDED.calendar, \
           updated_at = EXCLUDED.updated_at",
    )
    .bind(key)
    .bind(Json(cal))
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "calendar.set",
        "calendar",
        key,
        before.as_ref().map(|j| &j.0),
        Some(cal),
    );
    audit::write(conn, now, &entry).await
}

pub(crate) async fn weights(conn: &mut PgConnection) -> StoreResult<LedgerWeights> {
    let found = sqlx::query("SELECT kind, weight FROM relationship_weights")
        .fetch_all(conn)
        .await
        .db()?;
    let pairs = found
        .iter()
        .map(|r| Ok((parse::<LedgerKind>(r, "kind")?, r.try_get("weight")?)))
        .collect::<Result<_, sqlx::Error>>()
        .db()?;
    Ok(LedgerWeights(pairs))
}

pub(crate) async fn set_weight(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: LedgerKind,
    weight: i32,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if weight < 0 {
        return Err(StoreError::Invalid(ValidationErrors::single(
            "weight",
            "must be zero or more; the kind says whether it adds or subtracts",
        )));
    }
    let before = weights(&mut *conn).await?.weight(kind);
    sqlx::query(
        "INSERT INTO relationship_weights (kind, weight) VALUES ($1, $2) \
         ON CONFLICT (kind) DO UPDATE SET weight = EXCLUDED.weight",
    )
    .bind(kind.as_str())
    .bind(weight)
    .execute(&mut *conn)
    .await
    .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "ledger.weight",
        "ledger_weight",
        kind.as_str(),
        Some(&before),
        Some(&weight),
    );
    audit::write(conn, now, &entry).await
}

const LEDGER_COLS: &str = "id, customer_ref, kind, occurred_at, amount, complaint_id, \
     promise_id, note, recorded_at, recorded_by";

fn ledger_row(r: &PgRow) -> Result<LedgerEntry, sqlx::Error> {
    Ok(LedgerEntry {
        id: r.try_get("id")?,
        customer_ref: r.try_get("customer_ref")?,
        kind: parse(r, "kind")?,
        occurred_at: r.try_get("occurred_at")?,
        amount: r.try_get("amount")?,
        complaint_id: r.try_get("complaint_id")?,
        promise_id: r.try_get("promise_id")?,
        note: r.try_get("note")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

/// One ledger row to write; automatic entries (complaint, broken promise, satisfied
/// resolution) are covered by the audit record of the change behind them.
pub(crate) struct Entry<'a> {
    pub customer_ref: &'a str,
    pub kind: LedgerKind,
    pub weight: Option<i32>,
    pub occurred_at: DateTime<Utc>,
    pub complaint_id: Option<i64>,
    pub promise_id: Option<i64>,
    pub note: &'a str,
    pub recorded_by: &'a str,
}

pub(crate) async fn insert_entry(
    conn: &mut PgConnection,
    e: Entry<'_>,
    now: DateTime<Utc>,
) -> StoreResult<LedgerEntry> {
    let amount = e.kind.signed(match e.weight {
        Some(w) => w,
        None => weights(&mut *conn).await?.weight(e.kind),
    });
    let row = sqlx::query(&format!(
        "INSERT INTO relationship_ledger (customer_ref, kind, occurred_at, amount, complaint_id, \
           promise_id, note, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {LEDGER_COLS}"
    ))
    .bind(e.customer_ref)
    .bind(e.kind.as_str())
    .bind(crate::micros(e.occurred_at))
    .bind(amount)
    .bind(e.complaint_id)
    .bind(e.promise_id)
    .bind(e.note)
    .bind(now)
    .bind(e.recorded_by)
    .fetch_one(conn)
    .await
    .db()?;
    ledger_row(&row).db()
}

pub(crate) async fn append(
    conn: &mut PgConnection,
    actor: &Actor,
    e: &NewLedgerEntry,
    now: DateTime<Utc>,
) -> StoreResult<LedgerEntry> {
    let mut errors = ValidationErrors::new();
    let customer_ref = e.customer_ref.trim();
    if customer_ref.is_empty() {
        errors.push("customer_ref", "must not be empty");
    }
    if e.weight.is_some_and(|w| w < 0) {
        errors.push("weight", "must be zero or more");
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    if let Some(id) = e.complaint_id {
        get(&mut *conn, id).await?;
    }
    let entry = insert_entry(
        &mut *conn,
        Entry {
            customer_ref,
            kind: e.kind,
            weight: e.weight,
            occurred_at: e.occurred_at,
            complaint_id: e.complaint_id,
            promise_id: None,
            note: e.note.trim(),
            recorded_by: &actor.label,
        },
        now,
    )
    .await?;
    let record = NewAuditEntry::change(
        actor,
        "ledger.append",
        "ledger",
        entry.id,
        None::<&()>,
        Some(&entry),
    );
    audit::write(conn, now, &record).await?;
    Ok(entry)
}

pub(crate) async fn balance(conn: &mut PgConnection, customer_ref: &str) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount), 0)::bigint FROM relationship_ledger \
         WHERE customer_ref = $1",
    )
    .bind(customer_ref)
    .fetch_one(conn)
    .await
    .db()
}

pub(crate) async fn summaries(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<LedgerSummary>> {
    let rows = sqlx::query(
        "SELECT customer_ref, sum(amount)::bigint, \
                coalesce(sum(amount) FILTER (WHERE occurred_at >= $1 AND occurred_at < $2), 0)::bigint \
         FROM relationship_ledger GROUP BY customer_ref",
    )
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            Ok(LedgerSummary {
                customer_ref: r.try_get(0)?,
                balance: r.try_get(1)?,
                change: r.try_get(2)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .db()
}

pub(crate) async fn history(
    conn: &mut PgConnection,
    customer_ref: &str,
    q: &ListQuery,
) -> StoreResult<Page<LedgerEntry>> {
    let q = q.clone().clamped();
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM relationship_ledger WHERE customer_ref = $1")
            .bind(customer_ref)
            .fetch_one(&mut *conn)
            .await
            .db()?;
    let found = sqlx::query(&format!(
        "SELECT {LEDGER_COLS} FROM relationship_ledger WHERE customer_ref = $1 \
         ORDER BY occurred_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(customer_ref)
    .bind(i64::from(q.limit))
    .bind(i64::from(q.offset))
    .fetch_all(conn)
    .await
    .db()?;
    let items = found
        .iter()
        .map(ledger_row)
        .collect::<Result<_, _>>()
        .db()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
