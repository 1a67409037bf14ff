//! The complaint analysis' read (one query over a service's complaints of a period, with their
//! promise outcomes) and the organisation's estimate assumptions.
use crate::{
    audit,
    rows::{map_err, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::Resolution,
    improvement::{Assumptions, ComplaintFact, ComplaintFactQuery},
};

pub(crate) fn facts(conn: &Connection, q: &ComplaintFactQuery) -> StoreResult<Vec<ComplaintFact>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.id, c.moment_key, c.dimension_key, c.site_id, c.assignee_id,
                    c.resolution_json,
                    (SELECT count(*) FROM complaint_promises p
                      WHERE p.complaint_id = c.id AND p.state = 'kept'),
                    (SELECT count(*) FROM complaint_promises p
                      WHERE p.complaint_id = c.id AND p.state = 'broken')
               FROM complaints c
              WHERE c.service_key = ?1 AND c.received_at >= ?2
                AND (?3 IS NULL OR c.received_at < ?3)
                AND (?4 IS NULL OR c.site_id = ?4)
              ORDER BY c.id",
        )
        .map_err(map_err)?;
    let rows = stmt
        .query_map(
            params![q.service_key, ts(q.since), q.until.map(ts), q.site_id],
            |r| {
                let resolution: Option<String> = r.get(5)?;
                Ok((
                    ComplaintFact {
                        id: r.get(0)?,
                        moment_key: r.get(1)?,
                        dimension_key: r.get(2)?,
                        site_id: r.get(3)?,
                        assignee_id: r.get(4)?,
                        root_cause: None,
                        customer_satisfied: None,
                        promises_kept: r.get::<_, i64>(6)?.max(0) as u64,
                        promises_broken: r.get::<_, i64>(7)?.max(0) as u64,
                    },
                    resolution,
                ))
            },
        )
        .map_err(map_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (mut fact, resolution) = row.map_err(map_err)?;
        if let Some(json) = resolution {
            let r: Resolution =
                serde_json::from_str(&json).map_err(touchpoint_core::StoreError::backend)?;
            fact.root_cause = Some(r.root_cause).filter(|c| !c.trim().is_empty());
            fact.customer_satisfied = r.customer_satisfied;
        }
        out.push(fact);
    }
    Ok(out)
}

pub(crate) fn assumptions(conn: &Connection) -> StoreResult<Assumptions> {
    let stored = conn
        .query_row(
            "SELECT silent_per_complaint, told_by_dissatisfied, told_by_satisfied
               FROM complaint_assumptions WHERE id = 1",
            [],
            |r| {
                Ok(Assumptions {
                    silent_per_complaint: r.get(0)?,
                    told_by_dissatisfied: r.get(1)?,
                    told_by_satisfied: r.get(2)?,
                })
            },
        )
        .optional()
        .map_err(map_err)?;
    Ok(stored.unwrap_or_default())
}

pub(crate) fn set_assumptions(
    conn: &Connection,
    actor: &Actor,
    a: &Assumptions,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = assumptions(conn)?;
    conn.execute(
        "INSERT INTO complaint_assumptions
             (id, silent_per_complaint, told_by_dissatisfied, told_by_satisfied, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET
             silent_per_complaint = excluded.silent_per_complaint,
             told_by_dissatisfied = excluded.told_by_dissatisfied,
             told_by_satisfied = excluded.told_by_satisfied,
             updated_at = excluded.updated_at",
        params![
            a.silent_per_complaint,
            a.told_by_dissatisfied,
            a.told_by_satisfied,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint_assumptions.set",
        "settings",
        "complaint_assumptions",
        Some(&before),
        Some(a),
    );
    audit::insert(conn, &entry, now)
}
