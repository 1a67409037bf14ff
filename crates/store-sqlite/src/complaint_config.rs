//! What complaint handling is configured with (response policies, business calendars, ledger
//! weights) and the append-only relationship ledger.
use crate::{
    audit,
    rows::{get_json_as, get_parsed, get_ts, map_err, to_json, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
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

const POLICY_COLS: &str = "id, severity, channel, acknowledge_minutes, first_response_minutes, \
     update_minutes, resolve_minutes, business_time, resolution_survey_key";

fn policy(r: &Row<'_>) -> rusqlite::Result<ResponsePolicy> {
    let channel: String = r.get(2)?;
    Ok(ResponsePolicy {
        id: r.get(0)?,
        policy: ValidPolicy {
            severity: get_parsed(r, 1)?,
            channel: if channel == "any" {
                None
            } else {
                Some(get_parsed::<Channel>(r, 2)?)
            },
            acknowledge_minutes: r.get(3)?,
            first_response_minutes: r.get(4)?,
            update_minutes: r.get(5)?,
            resolve_minutes: r.get(6)?,
            business_time: r.get(7)?,
            resolution_survey_key: r.get(8)?,
        },
    })
}

pub(crate) fn policies(conn: &Connection) -> StoreResult<Vec<ResponsePolicy>> {
    conn.prepare_cached(&format!(
        "SELECT {POLICY_COLS} FROM response_policies ORDER BY
           CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END,
           channel <> 'any', channel"
    ))
    .and_then(|mut s| s.query_map([], policy)?.collect())
    .map_err(map_err)
}

fn channel_text(c: Option<Channel>) -> &'static str {
    c.map_or("any", Channel::as_str)
}

pub(crate) fn save_policy(
    conn: &Connection,
    actor: &Actor,
    p: &ValidPolicy,
    now: DateTime<Utc>,
) -> StoreResult<ResponsePolicy> {
    let before = policies(conn)?
        .into_iter()
        .find(|x| x.policy.severity == p.severity && x.policy.channel == p.channel);
    let id: i64 = conn
        .query_row(
            "INSERT INTO response_policies (severity, channel, acknowledge_minutes,
                 first_response_minutes, update_minutes, resolve_minutes, business_time,
                 updated_at, resolution_survey_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (severity, channel) DO UPDATE SET
                 acknowledge_minutes = excluded.acknowledge_minutes,
                 first_response_minutes = excluded.first_response_minutes,
                 update_minutes = excluded.update_minutes,
                 resolve_minutes = excluded.resolve_minutes,
                 business_time = excluded.business_time,
                 updated_at = excluded.updated_at,
                 resolution_survey_key = excluded.resolution_survey_key
             RETURNING id",
            params![
                p.severity.as_str(),
                channel_text(p.channel),
                p.acknowledge_minutes,
                p.first_response_minutes,
                p.update_minutes,
                p.resolve_minutes,
                p.business_time,
                ts(now),
                p.resolution_survey_key
            ],
            |r| r.get(0),
        )
        .map_err(map_err)?;
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
    audit::insert(conn, &entry, now)?;
    Ok(saved)
}

pub(crate) fn delete_policy(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = policies(conn)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(StoreError::not_found("policy"))?;
    conn.execute("DELETE FROM response_policies WHERE id = ?1", [id])
        .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "policy.delete",
        "policy",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::insert(conn, &entry, now)
}

pub(crate) fn calendar(
    conn: &Connection,
    site_id: Option<i64>,
) -> StoreResult<Option<BusinessCalendar>> {
    conn.prepare_cached(
        "SELECT calendar_json FROM business_calendars WHERE site_key IN (?1, 0)
         ORDER BY site_key DESC LIMIT 1",
    )
    .and_then(|mut s| {
        s.query_row([site_id.unwrap_or(0)], |r| get_json_as(r, 0))
            .optional()
    })
    .map_err(map_err)
}

pub(crate) fn set_calendar(
    conn: &Connection,
    actor: &Actor,
    site_id: Option<i64>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if let Some(id) = site_id {
        crate::complaint_rows::must_exist(conn, "sites", "site_id", Some(id))?;
    }
    let key = site_id.unwrap_or(0);
    let before: Option<BusinessCalendar> = conn
        .query_row(
            "SELECT calendar_json FROM business_calendars WHERE site_key = ?1",
            [key],
            |r| get_json_as(r, 0),
        )
        .optional()
        .map_err(map_err)?;
    conn.execute(
        "INSERT INTO business_calendars (site_key, calendar_json, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (site_key) DO UPDATE SET calendar_json = excluded.calendar_json,
             updated_at = excluded.updated_at",
        params![key, to_json(cal)?, ts(now)],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "calendar.set",
        "calendar",
        key,
        before.as_ref(),
        Some(cal),
    );
    audit::insert(conn, &entry, now)
}

pub(crate) fn weights(conn: &Connection) -> StoreResult<LedgerWeights> {
    let rows: Vec<(LedgerKind, i32)> = conn
        .prepare_cached("SELECT kind, weight FROM relationship_weights")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((get_parsed(r, 0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(map_err)?;
    Ok(LedgerWeights(rows.into_iter().collect()))
}

pub(crate) fn set_weight(
    conn: &Connection,
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
    let before = weights(conn)?.weight(kind);
    conn.execute(
        "INSERT INTO relationship_weights (kind, weight) VALUES (?1, ?2)
         ON CONFLICT (kind) DO UPDATE SET weight = excluded.weight",
        params![kind.as_str(), weight],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "ledger.weight",
        "ledger_weight",
        kind.as_str(),
        Some(&before),
        Some(&weight),
    );
    audit::insert(conn, &entry, now)
}

const LEDGER_COLS: &str = "id, customer_ref, kind, occurred_at, amount, complaint_id, \
     promise_id, note, recorded_at, recorded_by";

fn ledger_row(r: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    Ok(LedgerEntry {
        id: r.get(0)?,
        customer_ref: r.get(1)?,
        kind: get_parsed(r, 2)?,
        occurred_at: get_ts(r, 3)?,
        amount: r.get(4)?,
        complaint_id: r.get(5)?,
        promise_id: r.get(6)?,
        note: r.get(7)?,
        recorded_at: get_ts(r, 8)?,
        recorded_by: r.get(9)?,
    })
}

/// Write one ledger row with the configured weight; automatic entries (complaint, broken
/// promise, satisfied resolution) are covered by the audit record of the change behind them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_entry(
    conn: &Connection,
    customer_ref: &str,
    kind: LedgerKind,
    weight: Option<i32>,
    occurred_at: DateTime<Utc>,
    complaint_id: Option<i64>,
    promise_id: Option<i64>,
    note: &str,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> StoreResult<LedgerEntry> {
    let amount = kind.signed(match weight {
        Some(w) => w,
        None => weights(conn)?.weight(kind),
    });
    conn.prepare_cached(&format!(
        "INSERT INTO relationship_ledger (customer_ref, kind, occurred_at, amount, complaint_id,
             promise_id, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING {LEDGER_COLS}"
    ))
    .and_then(|mut s| {
        s.query_row(
            params![
                customer_ref,
                kind.as_str(),
                ts(occurred_at),
                amount,
                complaint_id,
                promise_id,
                note,
                ts(now),
                recorded_by
            ],
            ledger_row,
        )
    })
    .map_err(map_err)
}

pub(crate) fn append(
    conn: &Connection,
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
        crate::complaint_rows::get(conn, id)?;
    }
    let entry = insert_entry(
        conn,
        customer_ref,
        e.kind,
        e.weight,
        e.occurred_at,
        e.complaint_id,
        None,
        e.note.trim(),
        &actor.label,
        now,
    )?;
    let record = NewAuditEntry::change(
        actor,
        "ledger.append",
        "ledger",
        entry.id,
        None::<&()>,
        Some(&entry),
    );
    audit::insert(conn, &record, now)?;
    Ok(entry)
}

pub(crate) fn balance(conn: &Connection, customer_ref: &str) -> StoreResult<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount), 0) FROM relationship_ledger WHERE customer_ref = ?1",
        [customer_ref],
        |r| r.get(0),
    )
    .map_err(map_err)
}

pub(crate) fn summaries(
    conn: &Connection,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<LedgerSummary>> {
    let mut st = conn
        .prepare_cached(
            "SELECT customer_ref, sum(amount),
                    sum(CASE WHEN occurred_at >= ?1 AND occurred_at < ?2 THEN amount ELSE 0 END)
             FROM relationship_ledger GROUP BY customer_ref",
        )
        .map_err(map_err)?;
    st.query_map(params![ts(from), ts(until)], |r| {
        Ok(LedgerSummary {
            customer_ref: r.get(0)?,
            balance: r.get(1)?,
            change: r.get(2)?,
        })
    })
    .and_then(Iterator::collect)
    .map_err(map_err)
}

pub(crate) fn history(
    conn: &Connection,
    customer_ref: &str,
    q: &ListQuery,
) -> StoreResult<Page<LedgerEntry>> {
    let q = q.clone().clamped();
    let total: i64 = conn
        .query_row(
            "SELECT count(*) FROM relationship_ledger WHERE customer_ref = ?1",
            [customer_ref],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let items = conn
        .prepare_cached(&format!(
            "SELECT {LEDGER_COLS} FROM relationship_ledger WHERE customer_ref = ?1
             ORDER BY occurred_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        ))
        .and_then(|mut s| {
            s.query_map(params![customer_ref, q.limit, q.offset], ledger_row)?
                .collect()
        })
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
