//! Mystery-shopper evidence: free checklist items per moment and recorded visits; plus the
//! filtered, newest-first pages shared with measurements and compliments.
use crate::{
    audit,
    rows::{get_json_as, get_ts, map_err, not_found, to_json, ts},
    services,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params, params_from_iter, types::Value};
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    feedback::{
        ValidVisit,
        records::{AuditVisit, EvidenceFilter},
    },
    listing::{ListQuery, Page},
};

pub(crate) fn checklist_items(
    conn: &Connection,
    service_id: i64,
) -> StoreResult<BTreeMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT moment_key, label FROM checklist_items
             WHERE service_id = ?1 ORDER BY moment_key, position",
        )
        .and_then(|mut s| {
            s.query_map([service_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(map_err)?;
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, label) in rows {
        map.entry(key).or_default().push(label);
    }
    Ok(map)
}

/// Replace the free items of one moment (an empty list removes them).
pub(crate) fn set_checklist_items(
    conn: &Connection,
    actor: &Actor,
    service_id: i64,
    moment_key: &str,
    items: &[String],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if !services::exists(conn, service_id)? {
        return Err(StoreError::not_found("service"));
    }
    let before = checklist_items(conn, service_id)?
        .remove(moment_key)
        .unwrap_or_default();
    conn.execute(
        "DELETE FROM checklist_items WHERE service_id = ?1 AND moment_key = ?2",
        params![service_id, moment_key],
    )
    .map_err(map_err)?;
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO checklist_items (service_id, moment_key, position, label)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(map_err)?;
    for (position, label) in (1..).zip(items) {
        insert
            .execute(params![service_id, moment_key, position, label])
            .map_err(map_err)?;
    }
    let state = |items: &[String]| serde_json::json!({ "moment_key": moment_key, "items": items });
    let entry = NewAuditEntry::change(
        actor,
        "checklist.update",
        "checklist",
        service_id,
        Some(&state(&before)),
        Some(&state(items)),
    );
    audit::insert(conn, &entry, now)
}

const VISIT_COLS: &str =
    "id, service_id, cycle_version_id, auditor_user_id, auditor, visit_json, recorded_at";

fn visit(r: &Row<'_>) -> rusqlite::Result<AuditVisit> {
    Ok(AuditVisit {
        id: r.get(0)?,
        service_id: r.get(1)?,
        cycle_version_id: r.get(2)?,
        auditor_user_id: r.get(3)?,
        auditor: r.get(4)?,
        visit: get_json_as(r, 5)?,
        recorded_at: get_ts(r, 6)?,
    })
}

pub(crate) fn get_visit(conn: &Connection, id: i64) -> StoreResult<AuditVisit> {
    conn.prepare_cached(&format!(
        "SELECT {VISIT_COLS} FROM audit_visits WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], visit))
    .map_err(not_found("visit"))
}

pub(crate) fn record_visit(
    conn: &Connection,
    actor: &Actor,
    service_id: i64,
    cycle_version_id: i64,
    v: &ValidVisit,
    now: DateTime<Utc>,
) -> StoreResult<AuditVisit> {
    if !services::exists(conn, service_id)? {
        return Err(StoreError::not_found("service"));
    }
    let owner: Option<i64> = conn
        .query_row(
            "SELECT service_id FROM cycle_versions WHERE id = ?1",
            [cycle_version_id],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(map_err(e)),
        })?;
    if owner != Some(service_id) {
        return Err(StoreError::Invalid(ValidationErrors::single(
            "cycle_version_id",
            "not a version of this service's cycle",
        )));
    }
    conn.execute(
        "INSERT INTO audit_visits (service_id, cycle_version_id, site_id, visited_at,
             auditor_user_id, auditor, visit_json, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            service_id,
            cycle_version_id,
            v.site_id,
            ts(v.visited_at),
            actor.user_id,
            actor.label,
            to_json(v)?,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let recorded = get_visit(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(
        actor,
        "visit.create",
        "visit",
        recorded.id,
        None::<&()>,
        Some(&recorded),
    );
    audit::insert(conn, &entry, now)?;
    Ok(recorded)
}

/// How one evidence table answers an [`EvidenceFilter`]: each condition has one `?{n}`; `None`
/// means the filter does not apply to that table and is ignored.
pub(crate) struct FilterSpec {
    pub table: &'static str,
    pub cols: &'static str,
    pub service: &'static str,
    pub site: &'static str,
    pub moment_key: Option<&'static str>,
    pub staff: Option<&'static str>,
    /// The instant lists are ordered by (newest first) and `since`/`until` apply to.
    pub at: &'static str,
}

pub(crate) const VISITS: FilterSpec = FilterSpec {
    table: "audit_visits",
    cols: VISIT_COLS,
    service: "service_id = ?{n}",
    site: "site_id = ?{n}",
    moment_key: Some(
        "EXISTS (SELECT 1 FROM json_each(visit_json, '$.moments')
                 WHERE json_extract(value, '$.moment_key') = ?{n})",
    ),
    staff: Some("EXISTS (SELECT 1 FROM json_each(visit_json, '$.staff_ids') WHERE value = ?{n})"),
    at: "visited_at",
};

/// The ` WHERE …` clause (empty when nothing filters) of `spec.table` for `f`, with its
/// arguments `?1`, `?2`…: every query about an evidence filter is built from this.
pub(crate) fn filter_clause(spec: &FilterSpec, f: &EvidenceFilter) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut push = |cond: &str, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(id) = f.service_id {
        push(spec.service, Value::Integer(id));
    }
    if let Some(id) = f.site_id {
        push(spec.site, Value::Integer(id));
    }
    if let (Some(key), Some(cond)) = (&f.moment_key, spec.moment_key) {
        push(cond, Value::Text(key.clone()));
    }
    if let (Some(id), Some(cond)) = (f.staff_id, spec.staff) {
        push(cond, Value::Integer(id));
    }
    let at = spec.at;
    if let Some(t) = f.since {
        push(&format!("{at} >= ?{{n}}"), Value::Text(ts(t)));
    }
    if let Some(t) = f.until {
        push(&format!("{at} < ?{{n}}"), Value::Text(ts(t)));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (filter, args)
}

/// One newest-first page of `spec.table` matching `f`.
pub(crate) fn page<T>(
    conn: &Connection,
    spec: &FilterSpec,
    f: &EvidenceFilter,
    q: &ListQuery,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Page<T>> {
    let q = q.clone().clamped();
    let (filter, mut args) = filter_clause(spec, f);
    let at = spec.at;
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {}{filter}", spec.table),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let n = args.len();
    let sql = format!(
        "SELECT {} FROM {}{filter} ORDER BY {at} DESC, id DESC LIMIT ?{} OFFSET ?{}",
        spec.cols,
        spec.table,
        n + 1,
        n + 2
    );
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let items = conn
        .prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(args.iter()), map)?
                .collect::<rusqlite::Result<Vec<T>>>()
        })
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

pub(crate) fn list_visits(
    conn: &Connection,
    f: &EvidenceFilter,
    q: &ListQuery,
) -> StoreResult<Page<AuditVisit>> {
    page(conn, &VISITS, f, q, visit)
}
