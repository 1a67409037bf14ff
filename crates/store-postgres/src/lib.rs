//! PostgreSQL backend of Touchpoint's [`Store`], for larger deployments and several app nodes
//! sharing one database.
//!
//! * Migrations are embedded and run on connect; sqlx takes an advisory lock, so several
//!   nodes starting at once migrate safely.
//! * Every change writes its audit record in the same transaction.
//! * Timestamps come from the injected [`Clock`], truncated to microseconds (PostgreSQL's
//!   resolution) so what is stored reads back equal.
use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{PgPool, postgres::PgPoolOptions};
use std::{sync::Arc, time::Duration};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors, clock::Clock, dimension::default_dimensions,
    store::Store,
};

#[macro_use]
mod conn_macros;
mod audit;
mod batch;
mod complaint_config;
mod complaint_import;
mod complaint_outbox;
mod complaint_promises;
mod complaint_rows;
mod complaint_writes;
mod complaints;
mod customers;
mod cycles;
mod errors;
mod evidence;
mod feedback_rows;
mod improvement;
mod improvement_plans;
mod improvement_reads;
mod improvement_requirements;
mod links;
mod listing;
mod measurements;
mod org;
mod portfolio;
mod portfolio_totals;
mod recognition;
mod responses;
mod rollups;
mod rows;
mod services;
mod surveys;
pub mod testing;
mod tokens;
mod users;
mod versions;

use errors::Db;

/// Connections per node when not configured.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// A [`Store`] on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    clock: Arc<dyn Clock>,
}

impl PgStore {
    /// Connect to `url` (`postgres://` or `postgresql://`) and apply pending migrations.
    pub async fn connect(url: &str, clock: Arc<dyn Clock>) -> StoreResult<PgStore> {
        Self::connect_with(url, clock, DEFAULT_MAX_CONNECTIONS).await
    }

    /// Like [`PgStore::connect`] with at most `max_connections` pooled connections.
    pub async fn connect_with(
        url: &str,
        clock: Arc<dyn Clock>,
        max_connections: u32,
    ) -> StoreResult<PgStore> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "database_url",
                "must start with postgres:// or postgresql://",
            )));
        }
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .db()?;
        let store = PgStore { pool, clock };
        store.migrate().await?;
        Ok(store)
    }

    /// The underlying pool (for health checks and tools).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Close every pooled connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The clock's time at PostgreSQL's microsecond resolution.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        micros(self.clock.now())
    }

    async fn seed_dimensions(&self) -> StoreResult<()> {
        let dims = default_dimensions();
        let keys: Vec<&str> = dims.iter().map(|d| d.key.as_str()).collect();
        let en: Vec<&str> = dims.iter().map(|d| d.name_en.as_str()).collect();
        let es: Vec<&str> = dims.iter().map(|d| d.name_es.as_str()).collect();
        let sq: Vec<&str> = dims.iter().map(|d| d.servqual.as_str()).collect();
        let pos: Vec<i32> = dims.iter().map(|d| d.position).collect();
        sqlx::query(
            "INSERT INTO quality_dimensions (key, name_en, name_es, servqual, position) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(keys)
        .bind(en)
        .bind(es)
        .bind(sq)
        .bind(pos)
        .execute(&self.pool)
        .await
        .db()?;
        Ok(())
    }
}

/// Truncate to microseconds, the resolution of `timestamptz`.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

#[async_trait]
impl Store for PgStore {
    async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.db()?;
        if let Err(e) = MIGRATOR.run_direct(&mut *conn).await {
            // A failed run may leave sqlx's session-level advisory lock held: never pool it.
            conn.close_on_drop();
            return Err(StoreError::backend(format!("migration failed: {e}")));
        }
        drop(conn);
        self.seed_dimensions().await?;
        portfolio::seed_lost_reasons(&self.pool).await?;
        self.rebuild_pending_rollups().await
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.db()?;
        Ok(())
    }
}
