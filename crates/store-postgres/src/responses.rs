//! Responses: written with their roll-ups atomically, read back for pages, the API and exports.
use crate::{
    PgStore, audit, batch,
    errors::Db,
    feedback_rows::{self as rows, RESPONSE_SELECT},
    rollups::{self, Rollups},
    surveys,
};
use async_trait::async_trait;
use sqlx::{Postgres, QueryBuilder};
use std::sync::LazyLock;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    feedback::{
        records::{
            NewResponse, ResponseRecord, RollupQuery, RollupRebuild, RollupRow, SubmitOutcome,
        },
        store::ResponseStore,
    },
    listing::{ListQuery, Page},
};

/// Most rows one `responses_after` call returns.
const MAX_EXPORT_PAGE: u32 = 10_000;

/// Response and roll-ups in one statement (so one round trip, atomic without an explicit
/// transaction): the roll-up insert only runs when the response row was new.
///
/// Lock order: PostgreSQL runs the data-modifying CTEs the main query does not read after it,
/// last written first. So the per-staff CTE `s` is written before the per-site `u`: this
/// statement upserts per-site rows, then per-staff rows — the order of the batch statement
/// ([`rollups::upsert`]: per-site rows in its main `INSERT`, per-staff in its CTE). With the
/// opposite order a single submission and an import sharing a staff member, site and day
/// deadlocked (`single_and_batch_submissions_on_shared_rollups_never_deadlock`).
static SINGLE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH r AS (INSERT INTO responses (survey_id, survey_version_id, source, external_id, \
           idempotency_key, link_id, submitted_at, received_at, customer, site_id, staff_id, \
           language, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
           ON CONFLICT DO NOTHING RETURNING id), \
         s AS ({}), \
         u AS ({}) \
         SELECT id FROM r",
        rollups::upsert_staff_sql(14 + rollups::SITE_PARAMS, "WHERE EXISTS (SELECT 1 FROM r)"),
        rollups::upsert_sql(14, "WHERE EXISTS (SELECT 1 FROM r)")
    )
});

impl PgStore {
    /// Write a response that claims no personal invitation.
    async fn submit_unclaimed(&self, r: &NewResponse) -> StoreResult<SubmitOutcome> {
        let mut sums = Rollups::default();
        sums.add(r);
        let mut query = sqlx::query(SINGLE_SQL.as_str())
            .bind(r.survey_id)
            .bind(r.survey_version_id)
            .bind(r.source.as_str())
            .bind(&r.external_id)
            .bind(&r.idempotency_key)
            .bind(r.link_id)
            .bind(crate::micros(r.submitted_at))
            .bind(self.now())
            .bind(&r.customer)
            .bind(r.site_id)
            .bind(r.staff_id)
            .bind(&r.language)
            .bind(sqlx::types::Json(&r.answers));
        query = sums.bind(query);
        let mut conn = self.pool.acquire().await.db()?;
        let row = match query.fetch_optional(&mut *conn).await.db() {
            Ok(row) => row,
            Err(StoreError::Invalid(e)) if e.first_field() == Some("survey_version_id") => {
                // The version check failed: say so about the survey when it is the survey
                // that does not exist.
                surveys::ensure_exists(&mut conn, r.survey_id).await?;
                return Err(StoreError::Invalid(e));
            }
            Err(e) => return Err(e),
        };
        if let Some(row) = row {
            return Ok(SubmitOutcome::Created(sqlx::Row::try_get(&row, 0).db()?));
        }
        let found = batch::existing_ids(&mut conn, &[r]).await?;
        found
            .first()
            .copied()
            .flatten()
            .map(SubmitOutcome::AlreadyExists)
            .ok_or_else(|| StoreError::backend("skipped response not found"))
    }
}

#[async_trait]
impl ResponseStore for PgStore {
    async fn submit_response(&self, response: &NewResponse) -> StoreResult<SubmitOutcome> {
        rollups::check_scores(response)?;
        if let Some(link_id) = response.link_id {
            let kind: Option<(String, i64)> =
                sqlx::query_as("SELECT kind, survey_id FROM survey_links WHERE id = $1")
                    .bind(link_id)
                    .fetch_optional(&self.pool)
                    .await
                    .db()?;
            let personal = match kind {
                Some((kind, survey_id)) if survey_id == response.survey_id => kind == "personal",
                _ => {
                    return Err(StoreError::Invalid(
                        touchpoint_core::ValidationErrors::single(
                            "link_id",
                            "no link of this survey has this id",
                        ),
                    ));
                }
            };
            if personal {
                let mut tx = self.pool.begin().await.db()?;
                let mut slots =
                    batch::write(&mut tx, self.now(), std::slice::from_ref(response)).await?;
                let slot = slots
                    .pop()
                    .ok_or_else(|| StoreError::backend("no outcome"))?;
                if slot.is_ok() {
                    tx.commit().await.db()?;
                }
                return slot;
            }
        }
        self.submit_unclaimed(response).await
    }

    async fn submit_responses(
        &self,
        responses: &[NewResponse],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.pool.begin().await.db()?;
        let slots = batch::write(&mut tx, self.now(), responses).await?;
        tx.commit().await.db()?;
        Ok(slots)
    }

    async fn get_response(&self, response_id: i64) -> StoreResult<ResponseRecord> {
        let row = sqlx::query(&format!("{RESPONSE_SELECT} WHERE r.id = $1"))
            .bind(response_id)
            .fetch_optional(&self.pool)
            .await
            .db()?
            .ok_or(StoreError::not_found("response"))?;
        rows::response(&row).db()
    }

    async fn list_responses(
        &self,
        survey_id: i64,
        q: &ListQuery,
    ) -> StoreResult<Page<ResponseRecord>> {
        let q = q.clone().clamped();
        let mut conn = self.pool.acquire().await.db()?;
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM responses WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_one(&mut *conn)
            .await
            .db()?;
        if total == 0 {
            surveys::ensure_exists(&mut conn, survey_id).await?;
        }
        let mut qb = QueryBuilder::<Postgres>::new(RESPONSE_SELECT);
        qb.push(" WHERE r.survey_id = ")
            .push_bind(survey_id)
            .push(" ORDER BY r.submitted_at DESC, r.id DESC LIMIT ")
            .push_bind(i64::from(q.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let found = qb.build().fetch_all(&mut *conn).await.db()?;
        let items = found
            .iter()
            .map(rows::response)
            .collect::<Result<Vec<_>, _>>()
            .db()?;
        Ok(Page {
            items,
            total,
            limit: q.limit,
            offset: q.offset,
        })
    }

    async fn responses_after(
        &self,
        survey_id: i64,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<ResponseRecord>> {
        let mut conn = self.pool.acquire().await.db()?;
        let found = sqlx::query(&format!(
            "{RESPONSE_SELECT} WHERE r.survey_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3"
        ))
        .bind(survey_id)
        .bind(after_id)
        .bind(i64::from(limit.clamp(1, MAX_EXPORT_PAGE)))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        if found.is_empty() {
            surveys::ensure_exists(&mut conn, survey_id).await?;
        }
        found
            .iter()
            .map(rows::response)
            .collect::<Result<Vec<_>, _>>()
            .db()
    }

    async fn rollups(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
        rollups::query(&self.pool, q).await
    }

    async fn rollup_totals(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
        rollups::totals(&self.pool, q).await
    }

    async fn rebuild_rollups(&self, actor: &Actor, survey_id: i64) -> StoreResult<RollupRebuild> {
        let mut tx = self.pool.begin().await.db()?;
        let report = self.rebuild_in(&mut tx, actor, survey_id).await?;
        tx.commit().await.db()?;
        Ok(report)
    }
}

impl PgStore {
    /// Rebuild every survey a migration marked (`rollup_rebuilds_pending`), each in its own
    /// transaction and claimed with `SKIP LOCKED`, so nodes starting together split the work
    /// and each survey is rebuilt once.
    pub(crate) async fn rebuild_pending_rollups(&self) -> StoreResult<()> {
        let actor = Actor::system("migration");
        loop {
            let mut tx = self.pool.begin().await.db()?;
            let claimed: Option<i64> = sqlx::query_scalar(
                "SELECT survey_id FROM rollup_rebuilds_pending ORDER BY survey_id \
                 LIMIT 1 FOR UPDATE SKIP LOCKED",
            )
            .fetch_optional(&mut *tx)
            .await
            .db()?;
            let Some(survey_id) = claimed else {
                return Ok(());
            };
            self.rebuild_in(&mut tx, &actor, survey_id).await?;
            tx.commit().await.db()?;
        }
    }

    async fn rebuild_in(
        &self,
        tx: &mut sqlx::PgConnection,
        actor: &Actor,
        survey_id: i64,
    ) -> StoreResult<RollupRebuild> {
        surveys::ensure_exists(&mut *tx, survey_id).await?;
        // Submissions upsert their roll-ups before they commit: holding this lock, the
        // rebuild sees every response whose increments it deletes, and a response committing
        // later adds its increments after the rebuild's, never into a table being rebuilt.
        sqlx::query("LOCK TABLE response_rollups IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .db()?;
        for sql in [
            "DELETE FROM response_rollups WHERE survey_id = $1",
            "DELETE FROM response_staff_rollups WHERE survey_id = $1",
            "DELETE FROM rollup_rebuilds_pending WHERE survey_id = $1",
        ] {
            sqlx::query(sql)
                .bind(survey_id)
                .execute(&mut *tx)
                .await
                .db()?;
        }
        let mut report = RollupRebuild::default();
        let mut after = 0i64;
        loop {
            let page = sqlx::query(&format!(
                "{RESPONSE_SELECT} WHERE r.survey_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3"
            ))
            .bind(survey_id)
            .bind(after)
            .bind(i64::from(MAX_EXPORT_PAGE))
            .fetch_all(&mut *tx)
            .await
            .db()?;
            let page = page
                .iter()
                .map(rows::response)
                .collect::<Result<Vec<_>, _>>()
                .db()?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let mut sums = Rollups::default();
            for r in &page {
                sums.add_stored(r);
            }
            rollups::upsert(&mut *tx, &sums).await?;
            report.responses += page.len() as u64;
        }
        for (table, rows) in [
            ("response_rollups", &mut report.rows),
            ("response_staff_rollups", &mut report.staff_rows),
        ] {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT count(*) FROM {table} WHERE survey_id = $1"
            ))
            .bind(survey_id)
            .fetch_one(&mut *tx)
            .await
            .db()?;
            *rows = n as u64;
        }
        audit::write(
            &mut *tx,
            self.now(),
            &NewAuditEntry::change(
                actor,
                "rollups.rebuild",
                "survey",
                survey_id,
                None::<&()>,
                Some(&report),
            ),
        )
        .await?;
        Ok(report)
    }
}
