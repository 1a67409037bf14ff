//! Cycle versions: publishing writes new rows; earlier versions are never touched.
use crate::{
    audit,
    rows::{get_parsed, get_ts, map_err, not_found, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    cycle::{CycleVersion, CycleVersionSummary, Moment, ValidCycle},
    standard::ServiceStandard,
};

/// Insert `cycle` as the next version of the service (which must exist) and audit it.
/// The single writer serialises publishes, so `max(version) + 1` cannot race.
pub(crate) fn publish(
    conn: &Connection,
    actor: &Actor,
    service_id: i64,
    cycle: &ValidCycle,
    now: DateTime<Utc>,
) -> StoreResult<CycleVersion> {
    let version: i32 = conn
        .query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM cycle_versions WHERE service_id = ?1",
            [service_id],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    conn.execute(
        "INSERT INTO cycle_versions (service_id, version, note, published_at, published_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![service_id, version, cycle.note, ts(now), actor.label],
    )
    .map_err(map_err)?;
    let cv_id = conn.last_insert_rowid();
    let mut moment = conn
        .prepare_cached(
            "INSERT INTO moments
                 (cycle_version_id, key, position, name, description, channel, role, critical)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(map_err)?;
    let mut standard = conn
        .prepare_cached(
            "INSERT INTO standards
                 (moment_id, position, metric, comparator, threshold, unit, description)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(map_err)?;
    for (m, position) in cycle.moments.iter().zip(1..) {
        moment
            .execute(params![
                cv_id,
                m.key,
                position,
                m.name,
                m.description,
                m.channel.as_str(),
                m.role,
                m.critical
            ])
            .map_err(map_err)?;
        let moment_id = conn.last_insert_rowid();
        for (s, sp) in m.standards.iter().zip(1..) {
            standard
                .execute(params![
                    moment_id,
                    sp,
                    s.metric,
                    s.comparator.as_str(),
                    s.threshold,
                    s.unit,
                    s.description
                ])
                .map_err(map_err)?;
        }
    }
    let published = load(conn, service_id, Some(version))?;
    let entry = NewAuditEntry::change(
        actor,
        "cycle.publish",
        "cycle",
        service_id,
        None::<&()>,
        Some(&published),
    );
    audit::insert(conn, &entry, now)?;
    Ok(published)
}

/// One version (the latest when `version` is `None`) with its moments and standards.
pub(crate) fn load(
    conn: &Connection,
    service_id: i64,
    version: Option<i32>,
) -> StoreResult<CycleVersion> {
    let mut cv = conn
        .prepare_cached(
            "SELECT id, service_id, version, note, published_at, published_by
             FROM cycle_versions
             WHERE service_id = ?1 AND (?2 IS NULL OR version = ?2)
             ORDER BY version DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row(params![service_id, version], |r| {
                Ok(CycleVersion {
                    id: r.get(0)?,
                    service_id: r.get(1)?,
                    version: r.get(2)?,
                    note: r.get(3)?,
                    published_at: get_ts(r, 4)?,
                    published_by: r.get(5)?,
                    moments: Vec::new(),
                })
            })
        })
        .map_err(not_found("cycle"))?;
    let mut moments: Vec<Moment> = conn
        .prepare_cached(
            "SELECT id, key, position, name, description, channel, role, critical
             FROM moments WHERE cycle_version_id = ?1 ORDER BY position",
        )
        .and_then(|mut s| {
            s.query_map([cv.id], |r| {
                Ok(Moment {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    position: r.get(2)?,
                    name: r.get(3)?,
                    description: r.get(4)?,
                    channel: get_parsed(r, 5)?,
                    role: r.get(6)?,
                    critical: r.get(7)?,
                    standards: Vec::new(),
                })
            })?
            .collect()
        })
        .map_err(map_err)?;
    let standards: Vec<(i64, ServiceStandard)> = conn
        .prepare_cached(
            "SELECT s.moment_id, s.metric, s.comparator, s.threshold, s.unit, s.description
             FROM standards s JOIN moments m ON m.id = s.moment_id
             WHERE m.cycle_version_id = ?1 ORDER BY m.position, s.position",
        )
        .and_then(|mut s| {
            s.query_map([cv.id], |r| {
                Ok((
                    r.get(0)?,
                    ServiceStandard {
                        metric: r.get(1)?,
                        comparator: get_parsed(r, 2)?,
                        threshold: r.get(3)?,
                        unit: r.get(4)?,
                        description: r.get(5)?,
                    },
                ))
            })?
            .collect()
        })
        .map_err(map_err)?;
    // Both lists are in moment order, so one pass attaches every standard.
    let mut i = 0;
    for (moment_id, s) in standards {
        while moments.get(i).is_some_and(|m| m.id != moment_id) {
            i += 1;
        }
        if let Some(m) = moments.get_mut(i) {
            m.standards.push(s);
        }
    }
    cv.moments = moments;
    Ok(cv)
}

/// The version history, newest first, with moment and critical counts.
pub(crate) fn history(conn: &Connection, service_id: i64) -> StoreResult<Vec<CycleVersionSummary>> {
    conn.prepare_cached(
        "SELECT cv.version, cv.note, cv.published_at, cv.published_by,
                (SELECT count(*) FROM moments m WHERE m.cycle_version_id = cv.id),
                (SELECT count(*) FROM moments m WHERE m.cycle_version_id = cv.id AND m.critical = 1)
         FROM cycle_versions cv WHERE cv.service_id = ?1 ORDER BY cv.version DESC",
    )
    .and_then(|mut s| {
        s.query_map([service_id], |r| {
            Ok(CycleVersionSummary {
                version: r.get(0)?,
                note: r.get(1)?,
                published_at: get_ts(r, 2)?,
                published_by: r.get(3)?,
                moment_count: r.get(4)?,
                critical_count: r.get(5)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}
