//! Mystery-shopper checklists and visits, compliments, and the [`EvidenceStore`]
//! implementation (measurements live in `measurements.rs`).
use crate::{
    PgStore, audit,
    errors::Db,
    feedback_rows::{self as rows, COMPLIMENT_SELECT, VISIT_SELECT},
    micros,
};
use async_trait::async_trait;
use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, postgres::PgRow, types::Json};
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    feedback::{
        ValidCompliment, ValidVisit,
        records::{
            AuditVisit, Compliment, EvidenceFilter, Measurement, NewMeasurement, SubmitOutcome,
        },
        store::EvidenceStore,
    },
    listing::{ListQuery, Page},
};

type Filter = fn(&mut QueryBuilder<'_, Postgres>, &EvidenceFilter);

/// How one evidence table (aliased `e`) is listed: newest first by `time`, then id.
pub(crate) struct EvidenceSpec {
    pub select: &'static str,
    pub table: &'static str,
    pub time: &'static str,
    /// Adds the table's `moment_key` and `staff_id` conditions.
    pub extra: Filter,
}

/// Appends ` WHERE …` for `f` on `spec.table`: every query about an evidence filter uses it.
pub(crate) fn push_filters(
    qb: &mut QueryBuilder<'_, Postgres>,
    spec: &EvidenceSpec,
    f: &EvidenceFilter,
) {
    qb.push(" WHERE TRUE");
    if let Some(id) = f.service_id {
        qb.push(" AND e.service_id = ").push_bind(id);
    }
    if let Some(id) = f.site_id {
        qb.push(" AND e.site_id = ").push_bind(id);
    }
    if let Some(since) = f.since {
        qb.push(format!(" AND {} >= ", spec.time)).push_bind(since);
    }
    if let Some(until) = f.until {
        qb.push(format!(" AND {} < ", spec.time)).push_bind(until);
    }
    (spec.extra)(qb, f);
}

/// One page of the table's rows matching `f`, with the total.
pub(crate) async fn list_evidence<T>(
    pool: &PgPool,
    spec: &EvidenceSpec,
    f: &EvidenceFilter,
    q: &ListQuery,
    map: fn(&PgRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Page<T>> {
    let q = q.clone().clamped();
    let mut count = QueryBuilder::new(format!("SELECT count(*) FROM {}", spec.table));
    push_filters(&mut count, spec, f);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await.db()?;
    let mut qb = QueryBuilder::new(spec.select);
    push_filters(&mut qb, spec, f);
    qb.push(format!(" ORDER BY {} DESC, e.id DESC LIMIT ", spec.time))
        .push_bind(i64::from(q.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let found = qb.build().fetch_all(pool).await.db()?;
    let items = found.iter().map(map).collect::<Result<Vec<_>, _>>().db()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

/// Visits match a moment they checked and a staff member they observed.
const VISITS: EvidenceSpec = EvidenceSpec {
    select: VISIT_SELECT,
    table: "audit_visits e",
    time: "e.visited_at",
    extra: |qb, f| {
        if let Some(key) = &f.moment_key {
            qb.push(" AND e.visit->'moments' @> ")
                .push_bind(Json(json!([{ "moment_key": key }])));
        }
        if let Some(id) = f.staff_id {
            qb.push(" AND e.visit->'staff_ids' @> ")
                .push_bind(Json(json!([id])));
        }
    },
};

const COMPLIMENTS: EvidenceSpec = EvidenceSpec {
    select: COMPLIMENT_SELECT,
    table: "compliments e",
    time: "e.received_at",
    extra: |qb, f| {
        if let Some(key) = &f.moment_key {
            qb.push(" AND e.moment_key = ").push_bind(key.clone());
        }
        if let Some(id) = f.staff_id {
            qb.push(" AND e.staff_id = ").push_bind(id);
        }
    },
};

async fn service_exists(conn: &mut PgConnection, id: i64) -> StoreResult<()> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM services WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await
        .db()?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::not_found("service"))
    }
}

#[async_trait]
impl EvidenceStore for PgStore {
    async fn checklist_items(&self, service_id: i64) -> StoreResult<BTreeMap<String, Vec<String>>> {
        let found: Vec<(String, Vec<String>)> =
            sqlx::query_as("SELECT moment_key, items FROM checklist_items WHERE service_id = $1")
                .bind(service_id)
                .fetch_all(&self.pool)
                .await
                .db()?;
        Ok(found.into_iter().collect())
    }

    async fn set_checklist_items(
        &self,
        actor: &Actor,
        service_id: i64,
        moment_key: &str,
        items: &[String],
    ) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        service_exists(&mut tx, service_id).await?;
        let before: Option<Vec<String>> = sqlx::query_scalar(
            "SELECT items FROM checklist_items WHERE service_id = $1 AND moment_key = $2 \
             FOR UPDATE",
        )
        .bind(service_id)
        .bind(moment_key)
        .fetch_optional(&mut *tx)
        .await
        .db()?;
        let write = if items.is_empty() {
            sqlx::query("DELETE FROM checklist_items WHERE service_id = $1 AND moment_key = $2")
                .bind(service_id)
                .bind(moment_key)
        } else {
            sqlx::query(
                "INSERT INTO checklist_items (service_id, moment_key, items, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (service_id, moment_key) \
                 DO UPDATE SET items = EXCLUDED.items, updated_at = EXCLUDED.updated_at",
            )
            .bind(service_id)
            .bind(moment_key)
            .bind(items)
            .bind(now)
        };
        write.execute(&mut *tx).await.db()?;
        let state = |items: &[String]| json!({ "moment_key": moment_key, "items": items });
        let entry = NewAuditEntry::change(
            actor,
            "checklist.update",
            "checklist",
            service_id,
            Some(&state(before.as_deref().unwrap_or_default())),
            Some(&state(items)),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(())
    }

    async fn record_visit(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle_version_id: i64,
        visit: &ValidVisit,
    ) -> StoreResult<AuditVisit> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        service_exists(&mut tx, service_id).await?;
        let ours: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM cycle_versions WHERE id = $1 AND service_id = $2)",
        )
        .bind(cycle_version_id)
        .bind(service_id)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        if !ours {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "cycle_version_id",
                "not a version of this service's cycle",
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_visits (service_id, cycle_version_id, auditor_user_id, auditor, \
               site_id, visited_at, visit, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(service_id)
        .bind(cycle_version_id)
        .bind(actor.user_id)
        .bind(&actor.label)
        .bind(visit.site_id)
        .bind(micros(visit.visited_at))
        .bind(Json(visit))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let recorded = AuditVisit {
            id,
            service_id,
            cycle_version_id,
            auditor_user_id: actor.user_id,
            auditor: actor.label.clone(),
            visit: visit.clone(),
            recorded_at: now,
        };
        let entry = NewAuditEntry::change::<AuditVisit, AuditVisit>(
            actor,
            "visit.create",
            "visit",
            id,
            None,
            Some(&recorded),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(recorded)
    }

    async fn get_visit(&self, visit_id: i64) -> StoreResult<AuditVisit> {
        let row = sqlx::query(&format!("{VISIT_SELECT} WHERE e.id = $1"))
            .bind(visit_id)
            .fetch_optional(&self.pool)
            .await
            .db()?
            .ok_or(StoreError::not_found("visit"))?;
        rows::visit(&row).db()
    }

    async fn list_visits(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<AuditVisit>> {
        list_evidence(&self.pool, &VISITS, f, q, rows::visit).await
    }

    async fn record_measurements(
        &self,
        actor: &Actor,
        items: &[NewMeasurement],
    ) -> StoreResult<Vec<SubmitOutcome>> {
        self.insert_measurements(actor, items).await
    }

    async fn list_measurements(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Measurement>> {
        self.measurement_page(f, q).await
    }

    async fn measurement_compliance(&self, f: &EvidenceFilter) -> StoreResult<(i64, i64)> {
        self.compliance(f).await
    }

    async fn record_compliment(
        &self,
        actor: &Actor,
        service_id: Option<i64>,
        c: &ValidCompliment,
    ) -> StoreResult<Compliment> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO compliments (service_id, moment_id, moment_key, staff_id, site_id, \
               received_at, compliment, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(service_id)
        .bind(c.moment_id)
        .bind(&c.moment_key)
        .bind(c.staff_id)
        .bind(c.site_id)
        .bind(micros(c.received_at))
        .bind(Json(c))
        .bind(&actor.label)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let recorded = Compliment {
            id,
            service_id,
            compliment: c.clone(),
            recorded_by: actor.label.clone(),
            recorded_at: now,
        };
        let entry = NewAuditEntry::change::<Compliment, Compliment>(
            actor,
            "compliment.create",
            "compliment",
            id,
            None,
            Some(&recorded),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(recorded)
    }

    async fn list_compliments(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Compliment>> {
        list_evidence(&self.pool, &COMPLIMENTS, f, q, rows::compliment).await
    }
}
