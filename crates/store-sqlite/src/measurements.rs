//! Measurements of standards (idempotent per service by external id) and compliments.
use crate::{
    audit,
    evidence::{FilterSpec, filter_clause, page},
    rows::{get_json_as, get_ts, map_err, to_json, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    feedback::{
        ValidCompliment,
        records::{Compliment, EvidenceFilter, Measurement, NewMeasurement, SubmitOutcome},
    },
    listing::{ListQuery, Page},
};

/// Measurements concern no staff member, so a staff filter matches none (a bound id is never
/// NULL).
const MEASUREMENTS: FilterSpec = FilterSpec {
    table: "measurements",
    cols: "id, service_id, site_id, external_id, judged_json, met, recorded_at",
    service: "service_id = ?{n}",
    site: "site_id = ?{n}",
    moment_key: Some("moment_key = ?{n}"),
    staff: Some("?{n} IS NULL"),
    at: "observed_at",
};

const COMPLIMENTS: FilterSpec = FilterSpec {
    table: "compliments",
    cols: "id, service_id, compliment_json, recorded_by, recorded_at",
    service: "service_id = ?{n}",
    site: "site_id = ?{n}",
    moment_key: Some("moment_key = ?{n}"),
    staff: Some("staff_id = ?{n}"),
    at: "received_at",
};

fn measurement(r: &Row<'_>) -> rusqlite::Result<Measurement> {
    Ok(Measurement {
        id: r.get(0)?,
        service_id: r.get(1)?,
        site_id: r.get(2)?,
        external_id: r.get(3)?,
        judged: get_json_as(r, 4)?,
        met: r.get(5)?,
        recorded_at: get_ts(r, 6)?,
    })
}

fn compliment(r: &Row<'_>) -> rusqlite::Result<Compliment> {
    Ok(Compliment {
        id: r.get(0)?,
        service_id: r.get(1)?,
        compliment: get_json_as(r, 2)?,
        recorded_by: r.get(3)?,
        recorded_at: get_ts(r, 4)?,
    })
}

/// Insert each measurement unless its external id is already known for its service.
pub(crate) fn record_measurements(
    conn: &Connection,
    actor: &Actor,
    items: &[NewMeasurement],
    now: DateTime<Utc>,
) -> StoreResult<Vec<SubmitOutcome>> {
    let recorded = ts(now);
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO measurements (service_id, site_id, moment_key, observed_at, met,
                 external_id, judged_json, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO NOTHING",
        )
        .map_err(map_err)?;
    let mut existing = conn
        .prepare_cached("SELECT id FROM measurements WHERE service_id = ?1 AND external_id = ?2")
        .map_err(map_err)?;
    let mut out = Vec::with_capacity(items.len());
    let mut created = 0u64;
    for m in items {
        let n = insert
            .execute(params![
                m.service_id,
                m.site_id,
                m.judged.moment_key,
                ts(m.judged.observed_at),
                m.judged.met(),
                m.external_id,
                to_json(&m.judged)?,
                recorded
            ])
            .map_err(map_err)?;
        if n == 1 {
            created += 1;
            out.push(SubmitOutcome::Created(conn.last_insert_rowid()));
            continue;
        }
        let id: Option<i64> = existing
            .query_row(params![m.service_id, m.external_id], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        let id = id.ok_or_else(|| {
            StoreError::Backend("a measurement insert was skipped without a duplicate".into())
        })?;
        out.push(SubmitOutcome::AlreadyExists(id));
    }
    let entry = NewAuditEntry {
        actor_user_id: actor.user_id,
        actor: actor.label.clone(),
        action: "measurement.create".into(),
        entity: "measurement".into(),
        entity_id: None,
        before: None,
        after: Some(serde_json::json!({
            "created": created,
            "existing": items.len() as u64 - created,
        })),
        detail: String::new(),
    };
    audit::insert(conn, &entry, now)?;
    Ok(out)
}

pub(crate) fn list_measurements(
    conn: &Connection,
    f: &EvidenceFilter,
    q: &ListQuery,
) -> StoreResult<Page<Measurement>> {
    page(conn, &MEASUREMENTS, f, q, measurement)
}

/// `(met, total)` over the measurements matching `f`, in one aggregate query.
pub(crate) fn measurement_compliance(
    conn: &Connection,
    f: &EvidenceFilter,
) -> StoreResult<(i64, i64)> {
    let (filter, args) = filter_clause(&MEASUREMENTS, f);
    conn.prepare_cached(&format!(
        "SELECT coalesce(sum(met), 0), count(*) FROM {}{filter}",
        MEASUREMENTS.table
    ))
    .and_then(|mut s| {
        s.query_row(params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    })
    .map_err(map_err)
}

pub(crate) fn record_compliment(
    conn: &Connection,
    actor: &Actor,
    service_id: Option<i64>,
    c: &ValidCompliment,
    now: DateTime<Utc>,
) -> StoreResult<Compliment> {
    conn.execute(
        "INSERT INTO compliments (service_id, moment_key, staff_id, site_id, received_at,
             compliment_json, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            service_id,
            c.moment_key,
            c.staff_id,
            c.site_id,
            ts(c.received_at),
            to_json(c)?,
            actor.label,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let id = conn.last_insert_rowid();
    let saved = conn
        .query_row(
            &format!("SELECT {} FROM compliments WHERE id = ?1", COMPLIMENTS.cols),
            [id],
            compliment,
        )
        .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "compliment.create",
        "compliment",
        id,
        None::<&()>,
        Some(&saved),
    );
    audit::insert(conn, &entry, now)?;
    Ok(saved)
}

pub(crate) fn list_compliments(
    conn: &Connection,
    f: &EvidenceFilter,
    q: &ListQuery,
) -> StoreResult<Page<Compliment>> {
    page(conn, &COMPLIMENTS, f, q, compliment)
}
