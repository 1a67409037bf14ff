//! Services and their cycles (the cycle SQL lives in `cycles.rs`).
use crate::{
    PgStore, audit, cycles,
    errors::Db,
    listing::{ListSpec, keyed_sort, list_page},
    rows,
};
use async_trait::async_trait;
use sqlx::PgConnection;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    cycle::{CycleVersion, CycleVersionSummary, ValidCycle},
    listing::{ListQuery, Page},
    service::{Service, ServiceFields},
    store::ServiceStore,
};

const SERVICES: ListSpec = ListSpec {
    select: rows::SERVICE_SELECT,
    table: "services s",
    active: "s.archived_at IS NULL",
    search: &["s.name"],
    sort: keyed_sort,
};

/// The service with its current-cycle counts, or `NotFound { entity: "service" }`.
pub(crate) async fn fetch(conn: &mut PgConnection, id: i64) -> StoreResult<Service> {
    let row = sqlx::query(&format!("{} WHERE s.id = $1", rows::SERVICE_SELECT))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("service"))?;
    rows::service(&row).db()
}

/// Lock the service row for the rest of the transaction; `NotFound` if it does not exist.
pub(crate) async fn lock(conn: &mut PgConnection, id: i64) -> StoreResult<()> {
    sqlx::query("SELECT id FROM services WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .map(|_| ())
        .ok_or(StoreError::not_found("service"))
}

#[async_trait]
impl ServiceStore for PgStore {
    async fn list_services(&self, q: &ListQuery) -> StoreResult<Page<Service>> {
        list_page(&self.pool, &SERVICES, q, None, rows::service).await
    }

    async fn get_service(&self, id: i64) -> StoreResult<Service> {
        let mut conn = self.pool.acquire().await.db()?;
        fetch(&mut conn, id).await
    }

    async fn get_service_by_key(&self, key: &str) -> StoreResult<Service> {
        let row = sqlx::query(&format!("{} WHERE s.key = $1", rows::SERVICE_SELECT))
            .bind(key.trim())
            .fetch_optional(&self.pool)
            .await
            .db()?
            .ok_or(StoreError::not_found("service"))?;
        rows::service(&row).db()
    }

    async fn create_service(&self, actor: &Actor, f: &ServiceFields) -> StoreResult<Service> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO services (key, name, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(&f.key)
        .bind(&f.name)
        .bind(&f.description)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let created = fetch(&mut tx, id).await?;
        let entry = NewAuditEntry::change::<Service, Service>(
            actor,
            "service.create",
            "service",
            id,
            None,
            Some(&created),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(created)
    }

    async fn update_service(
        &self,
        actor: &Actor,
        id: i64,
        f: &ServiceFields,
    ) -> StoreResult<Service> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        lock(&mut tx, id).await?;
        let before = fetch(&mut tx, id).await?;
        sqlx::query(
            "UPDATE services SET key = $2, name = $3, description = $4, updated_at = $5 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(&f.key)
        .bind(&f.name)
        .bind(&f.description)
        .bind(now)
        .execute(&mut *tx)
        .await
        .db()?;
        let after = fetch(&mut tx, id).await?;
        let entry = NewAuditEntry::change(
            actor,
            "service.update",
            "service",
            id,
            Some(&before),
            Some(&after),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(after)
    }

    async fn archive_service(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        lock(&mut tx, id).await?;
        let before = fetch(&mut tx, id).await?;
        sqlx::query(
            "UPDATE services SET archived_at = COALESCE(archived_at, $2), updated_at = $2 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .db()?;
        let entry = NewAuditEntry::change::<Service, Service>(
            actor,
            "service.archive",
            "service",
            id,
            Some(&before),
            None,
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(())
    }

    async fn publish_cycle(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle: &ValidCycle,
    ) -> StoreResult<CycleVersion> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        // Serialises concurrent publishers of this service, on any node.
        lock(&mut tx, service_id).await?;
        let published = cycles::insert(&mut tx, service_id, cycle, &actor.label, now).await?;
        let entry = NewAuditEntry::change::<CycleVersion, CycleVersion>(
            actor,
            "cycle.publish",
            "cycle",
            service_id,
            None,
            Some(&published),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(published)
    }

    async fn current_cycle(&self, service_id: i64) -> StoreResult<CycleVersion> {
        let mut conn = self.pool.acquire().await.db()?;
        cycles::load(&mut conn, service_id, None).await
    }

    async fn cycle_version(&self, service_id: i64, version: i32) -> StoreResult<CycleVersion> {
        let mut conn = self.pool.acquire().await.db()?;
        cycles::load(&mut conn, service_id, Some(version)).await
    }

    async fn list_cycle_versions(&self, service_id: i64) -> StoreResult<Vec<CycleVersionSummary>> {
        cycles::summaries(&self.pool, service_id).await
    }
}
