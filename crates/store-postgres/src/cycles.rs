//! Publishing and reading cycle versions. A version is written once and never edited.
use crate::{
    errors::{Db, corrupt},
    rows,
};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Row};
use std::collections::HashMap;
use touchpoint_core::{
    StoreError, StoreResult,
    channel::Channel,
    cycle::{CycleVersion, CycleVersionSummary, Moment, ValidCycle},
    standard::{Comparator, ServiceStandard},
};

/// Insert `cycle` as the service's next version. The caller holds the service's row lock,
/// so the version number cannot race.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    service_id: i64,
    cycle: &ValidCycle,
    published_by: &str,
    now: DateTime<Utc>,
) -> StoreResult<CycleVersion> {
    let version: i32 = sqlx::query_scalar(
        "SELECT COALESCE(max(version), 0) + 1 FROM cycle_versions WHERE service_id = $1",
    )
    .bind(service_id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let cycle_id: i64 = sqlx::query_scalar(
        "INSERT INTO cycle_versions (service_id, version, note, published_at, published_by) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(service_id)
    .bind(version)
    .bind(&cycle.note)
    .bind(now)
    .bind(published_by)
    .fetch_one(&mut *conn)
    .await
    .db()?;

    let ms = &cycle.moments;
    let positions: Vec<i32> = (1..).take(ms.len()).collect();
    let inserted = sqlx::query(
        "INSERT INTO moments \
         (cycle_version_id, key, position, name, description, channel, role, critical) \
         SELECT $1, u.* FROM UNNEST($2::text[], $3::int[], $4::text[], $5::text[], \
           $6::text[], $7::text[], $8::bool[]) AS u \
         RETURNING id, key",
    )
    .bind(cycle_id)
    .bind(ms.iter().map(|m| m.key.as_str()).collect::<Vec<_>>())
    .bind(&positions)
    .bind(ms.iter().map(|m| m.name.as_str()).collect::<Vec<_>>())
    .bind(
        ms.iter()
            .map(|m| m.description.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(ms.iter().map(|m| m.channel.as_str()).collect::<Vec<_>>())
    .bind(ms.iter().map(|m| m.role.as_str()).collect::<Vec<_>>())
    .bind(ms.iter().map(|m| m.critical).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut ids = HashMap::with_capacity(inserted.len());
    for row in &inserted {
        let key: String = row.try_get("key").db()?;
        ids.insert(key, row.try_get::<i64, _>("id").db()?);
    }

    let (mut moment_ids, mut pos, mut metric, mut cmp, mut threshold, mut unit, mut desc) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for m in ms {
        let moment_id = *ids
            .get(&m.key)
            .ok_or_else(|| StoreError::backend("inserted moment missing"))?;
        for (s, p) in m.standards.iter().zip(1i32..) {
            moment_ids.push(moment_id);
            pos.push(p);
            metric.push(s.metric.as_str());
            cmp.push(s.comparator.as_str());
            threshold.push(s.threshold);
            unit.push(s.unit.as_str());
            desc.push(s.description.as_str());
        }
    }
    if !moment_ids.is_empty() {
        sqlx::query(
            "INSERT INTO standards \
             (moment_id, position, metric, comparator, threshold, unit, description) \
             SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::text[], $4::text[], \
               $5::float8[], $6::text[], $7::text[])",
        )
        .bind(moment_ids)
        .bind(pos)
        .bind(metric)
        .bind(cmp)
        .bind(threshold)
        .bind(unit)
        .bind(desc)
        .execute(&mut *conn)
        .await
        .db()?;
    }
    load(conn, service_id, Some(version)).await
}

/// One version of the service's cycle (the latest when `version` is `None`), with its
/// moments and standards, or `NotFound { entity: "cycle" }`.
pub(crate) async fn load(
    conn: &mut PgConnection,
    service_id: i64,
    version: Option<i32>,
) -> StoreResult<CycleVersion> {
    let head = sqlx::query(
        "SELECT id, service_id, version, note, published_at, published_by \
         FROM cycle_versions WHERE service_id = $1 AND ($2::int IS NULL OR version = $2) \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(service_id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or(StoreError::not_found("cycle"))?;
    let cycle_id: i64 = head.try_get("id").db()?;

    let standard_rows = sqlx::query(
        "SELECT s.moment_id, s.metric, s.comparator, s.threshold, s.unit, s.description \
         FROM standards s JOIN moments m ON m.id = s.moment_id \
         WHERE m.cycle_version_id = $1 ORDER BY s.moment_id, s.position",
    )
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut standards: HashMap<i64, Vec<ServiceStandard>> = HashMap::new();
    for r in &standard_rows {
        let comparator: String = r.try_get("comparator").db()?;
        let standard = ServiceStandard {
            metric: r.try_get("metric").db()?,
            comparator: comparator
                .parse::<Comparator>()
                .map_err(|e| corrupt("comparator", e))
                .db()?,
            threshold: r.try_get("threshold").db()?,
            unit: r.try_get("unit").db()?,
            description: r.try_get("description").db()?,
        };
        let moment_id: i64 = r.try_get("moment_id").db()?;
        standards.entry(moment_id).or_default().push(standard);
    }

    let moment_rows = sqlx::query(
        "SELECT id, key, position, name, description, channel, role, critical \
         FROM moments WHERE cycle_version_id = $1 ORDER BY position",
    )
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut moments = Vec::with_capacity(moment_rows.len());
    for r in &moment_rows {
        let id: i64 = r.try_get("id").db()?;
        let channel: String = r.try_get("channel").db()?;
        moments.push(Moment {
            id,
            key: r.try_get("key").db()?,
            position: r.try_get("position").db()?,
            name: r.try_get("name").db()?,
            description: r.try_get("description").db()?,
            channel: channel
                .parse::<Channel>()
                .map_err(|e| corrupt("channel", e))
                .db()?,
            role: r.try_get("role").db()?,
            critical: r.try_get("critical").db()?,
            standards: standards.remove(&id).unwrap_or_default(),
        });
    }

    Ok(CycleVersion {
        id: cycle_id,
        service_id: head.try_get("service_id").db()?,
        version: head.try_get("version").db()?,
        note: head.try_get("note").db()?,
        published_at: head.try_get("published_at").db()?,
        published_by: head.try_get("published_by").db()?,
        moments,
    })
}

/// The version history, newest first; `NotFound { entity: "service" }` for an unknown service.
pub(crate) async fn summaries(
    pool: &PgPool,
    service_id: i64,
) -> StoreResult<Vec<CycleVersionSummary>> {
    let found = sqlx::query(
        "SELECT c.version, c.note, c.published_at, c.published_by, \
           (SELECT count(*) FROM moments m WHERE m.cycle_version_id = c.id) AS moment_count, \
           (SELECT count(*) FROM moments m WHERE m.cycle_version_id = c.id AND m.critical) \
             AS critical_count \
         FROM cycle_versions c WHERE c.service_id = $1 ORDER BY c.version DESC",
    )
    .bind(service_id)
    .fetch_all(pool)
    .await
    .db()?;
    if found.is_empty() {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM services WHERE id = $1)")
                .bind(service_id)
                .fetch_one(pool)
                .await
                .db()?;
        if !exists {
            return Err(StoreError::not_found("service"));
        }
    }
    found
        .iter()
        .map(rows::summary)
        .collect::<Result<Vec<_>, _>>()
        .db()
}
