//! Measurements of standards: written in bulk, idempotent per service by external id.
use crate::{
    PgStore, audit,
    errors::Db,
    evidence::{EvidenceSpec, list_evidence, push_filters},
    feedback_rows::{self as rows, MEASUREMENT_SELECT},
    micros,
};
use serde_json::json;
use sqlx::{PgConnection, QueryBuilder};
use std::collections::{HashMap, HashSet};
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    feedback::records::{EvidenceFilter, Measurement, NewMeasurement, SubmitOutcome},
    listing::{ListQuery, Page},
};

/// Rows per INSERT statement.
const CHUNK: usize = 1000;

/// Measurements concern no staff member, so a staff filter matches none.
const MEASUREMENTS: EvidenceSpec = EvidenceSpec {
    select: MEASUREMENT_SELECT,
    table: "measurements e",
    time: "e.observed_at",
    extra: |qb, f| {
        if let Some(key) = &f.moment_key {
            qb.push(" AND e.moment_key = ").push_bind(key.clone());
        }
        if f.staff_id.is_some() {
            qb.push(" AND FALSE");
        }
    },
};

/// Insert `rows` with their preassigned ids; returns the ids actually inserted.
async fn insert_rows(
    conn: &mut PgConnection,
    now: chrono::DateTime<chrono::Utc>,
    rows: &[(i64, &NewMeasurement)],
) -> StoreResult<HashSet<i64>> {
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let mut judged = Vec::with_capacity(chunk.len());
        for (_, m) in chunk {
            judged.push(serde_json::to_string(&m.judged).map_err(StoreError::backend)?);
        }
        let got: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO measurements (id, service_id, site_id, external_id, moment_id, \
               moment_key, metric, observed_at, value, met, judged, recorded_at) \
             SELECT u.id, u.service, u.site, u.ext, u.moment, u.key, u.metric, u.at, u.value, \
               u.met, u.judged::jsonb, $11 \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], \
               $6::text[], $7::text[], $8::timestamptz[], $9::float8[], $10::bool[], \
               $12::text[]) \
               AS u(id, service, site, ext, moment, key, metric, at, value, met, judged) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(chunk.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, m)| m.service_id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, m)| m.site_id).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.external_id.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.judged.moment_id)
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.judged.moment_key.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.judged.metric.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| micros(m.judged.observed_at))
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.judged.value)
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|(_, m)| m.judged.met())
                .collect::<Vec<_>>(),
        )
        .bind(now)
        .bind(judged)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        inserted.extend(got);
    }
    Ok(inserted)
}

/// Ids of stored measurements with these (service, external id) pairs.
async fn existing(
    conn: &mut PgConnection,
    keys: &[(i64, &str)],
) -> StoreResult<HashMap<(i64, String), i64>> {
    let found: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT m.service_id, m.external_id, m.id \
         FROM UNNEST($1::bigint[], $2::text[]) AS u(s, e) \
         JOIN measurements m ON m.service_id = u.s AND m.external_id = u.e",
    )
    .bind(keys.iter().map(|k| k.0).collect::<Vec<_>>())
    .bind(keys.iter().map(|k| k.1).collect::<Vec<_>>())
    .fetch_all(conn)
    .await
    .db()?;
    Ok(found.into_iter().map(|(s, e, id)| ((s, e), id)).collect())
}

impl PgStore {
    /// Write judged measurements in one transaction; see `EvidenceStore::record_measurements`.
    pub(crate) async fn insert_measurements(
        &self,
        actor: &Actor,
        items: &[NewMeasurement],
    ) -> StoreResult<Vec<SubmitOutcome>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        // A repeated external id inside the call resolves to its first occurrence.
        let mut first_of = HashMap::new();
        let mut repeat_of = vec![None; items.len()];
        for (i, m) in items.iter().enumerate() {
            if let Some(ext) = m.external_id.as_deref() {
                if let Some(&first) = first_of.get(&(m.service_id, ext)) {
                    repeat_of[i] = Some(first);
                } else {
                    first_of.insert((m.service_id, ext), i);
                }
            }
        }
        let candidates: Vec<usize> = (0..items.len())
            .filter(|&i| repeat_of[i].is_none())
            .collect();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('measurements', 'id')) \
             FROM generate_series(1, $1::int)",
        )
        .bind(i32::try_from(candidates.len()).map_err(StoreError::backend)?)
        .fetch_all(&mut *tx)
        .await
        .db()?;
        let mut rows: Vec<(i64, usize)> = ids.into_iter().zip(candidates).collect();
        // Key order, so concurrent imports lock the unique index in the same order.
        rows.sort_by(|a, b| {
            let (x, y) = (&items[a.1], &items[b.1]);
            (x.service_id, &x.external_id).cmp(&(y.service_id, &y.external_id))
        });
        let refs: Vec<(i64, &NewMeasurement)> =
            rows.iter().map(|&(id, i)| (id, &items[i])).collect();
        let inserted = insert_rows(&mut tx, now, &refs).await?;

        let skipped: Vec<(i64, &str)> = rows
            .iter()
            .filter(|(id, _)| !inserted.contains(id))
            .filter_map(|&(_, i)| Some((items[i].service_id, items[i].external_id.as_deref()?)))
            .collect();
        let found = if skipped.is_empty() {
            HashMap::new()
        } else {
            existing(&mut tx, &skipped).await?
        };
        let mut out: Vec<Option<SubmitOutcome>> = vec![None; items.len()];
        for &(id, i) in &rows {
            out[i] = Some(if inserted.contains(&id) {
                SubmitOutcome::Created(id)
            } else {
                let m = &items[i];
                let key = (m.service_id, m.external_id.clone().unwrap_or_default());
                let id = found
                    .get(&key)
                    .ok_or_else(|| StoreError::backend("skipped measurement not found"))?;
                SubmitOutcome::AlreadyExists(*id)
            });
        }
        let mut done: Vec<SubmitOutcome> = Vec::with_capacity(items.len());
        for i in 0..items.len() {
            let outcome = match (out[i].take(), repeat_of[i]) {
                (Some(o), _) => o,
                (None, Some(first)) => SubmitOutcome::AlreadyExists(done[first].id()),
                (None, None) => return Err(StoreError::backend("measurement without outcome")),
            };
            done.push(outcome);
        }

        let created: Vec<i64> = done
            .iter()
            .filter_map(|o| match o {
                SubmitOutcome::Created(id) => Some(*id),
                SubmitOutcome::AlreadyExists(_) => None,
            })
            .collect();
        let entry = NewAuditEntry {
            actor_user_id: actor.user_id,
            actor: actor.label.clone(),
            action: "measurement.create".into(),
            entity: "measurement".into(),
            entity_id: match created[..] {
                [only] => Some(only.to_string()),
                _ => None,
            },
            before: None,
            after: Some(json!({
                "created": created.len(),
                "skipped": items.len() - created.len(),
            })),
            detail: String::new(),
        };
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(done)
    }

    pub(crate) async fn measurement_page(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Measurement>> {
        list_evidence(&self.pool, &MEASUREMENTS, f, q, rows::measurement).await
    }

    /// `(met, total)` over the measurements matching `f`, in one aggregate query.
    pub(crate) async fn compliance(&self, f: &EvidenceFilter) -> StoreResult<(i64, i64)> {
        let mut qb = QueryBuilder::new(format!(
            "SELECT count(*) FILTER (WHERE e.met), count(*) FROM {}",
            MEASUREMENTS.table
        ));
        push_filters(&mut qb, &MEASUREMENTS, f);
        qb.build_query_as().fetch_one(&self.pool).await.db()
    }
}
