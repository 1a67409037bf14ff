//! Services: rows with their current-cycle counts, and the `ServiceStore` implementation.
use crate::{
    SqliteStore, audit, cycles,
    listing::{ListSpec, list},
    rows::{get_ts, map_err, not_found, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    cycle::{CycleVersion, CycleVersionSummary, ValidCycle},
    listing::{ListQuery, Page},
    service::{Service, ServiceFields},
    store::ServiceStore,
};

/// A service with the version number and counts of its latest cycle (none: NULL, 0, 0).
const SELECT: &str = "SELECT s.id, s.key, s.name, s.description, s.created_at, s.updated_at,
        cv.version,
        (SELECT count(*) FROM moments m WHERE m.cycle_version_id = cv.id),
        (SELECT count(*) FROM moments m WHERE m.cycle_version_id = cv.id AND m.critical = 1)
    FROM services s
    LEFT JOIN cycle_versions cv ON cv.service_id = s.id
        AND cv.version = (SELECT max(x.version) FROM cycle_versions x WHERE x.service_id = s.id)";

const SPEC: ListSpec = ListSpec {
    select: SELECT,
    id: "s.id",
    name: "lower(s.name)",
    key: "s.key",
    created_at: "s.created_at",
    search: &["s.name"],
    active: "s.archived_at IS NULL",
};

fn service(r: &Row<'_>) -> rusqlite::Result<Service> {
    Ok(Service {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        created_at: get_ts(r, 4)?,
        updated_at: get_ts(r, 5)?,
        current_version: r.get(6)?,
        moment_count: r.get(7)?,
        critical_count: r.get(8)?,
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<Service> {
    conn.prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))
        .and_then(|mut s| s.query_row([id], service))
        .map_err(not_found("service"))
}

fn get_by_key(conn: &Connection, key: &str) -> StoreResult<Service> {
    conn.prepare_cached(&format!("{SELECT} WHERE s.key = ?1"))
        .and_then(|mut s| s.query_row([key], service))
        .map_err(not_found("service"))
}

/// Whether the service exists (archived or not).
pub(crate) fn exists(conn: &Connection, id: i64) -> StoreResult<bool> {
    conn.query_row("SELECT 1 FROM services WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
        .map_err(map_err)
}

fn create(
    conn: &Connection,
    actor: &Actor,
    f: &ServiceFields,
    now: DateTime<Utc>,
) -> StoreResult<Service> {
    conn.execute(
        "INSERT INTO services (key, name, description, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![f.key, f.name, f.description, ts(now)],
    )
    .map_err(map_err)?;
    let s = get(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(
        actor,
        "service.create",
        "service",
        s.id,
        None::<&()>,
        Some(&s),
    );
    audit::insert(conn, &entry, now)?;
    Ok(s)
}

fn update(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    f: &ServiceFields,
    now: DateTime<Utc>,
) -> StoreResult<Service> {
    let before = get(conn, id)?;
    conn.execute(
        "UPDATE services SET key = ?2, name = ?3, description = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, f.key, f.name, f.description, ts(now)],
    )
    .map_err(map_err)?;
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "service.update",
        "service",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

fn archive(conn: &Connection, actor: &Actor, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let before = get(conn, id)?;
    conn.execute(
        "UPDATE services SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "service.archive",
        "service",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::insert(conn, &entry, now)
}

#[async_trait]
impl ServiceStore for SqliteStore {
    async fn list_services(&self, q: &ListQuery) -> StoreResult<Page<Service>> {
        let q = q.clone();
        self.read(move |c| list(c, &SPEC, &q, &[], service)).await
    }

    async fn get_service(&self, id: i64) -> StoreResult<Service> {
        self.read(move |c| get(c, id)).await
    }

    async fn get_service_by_key(&self, key: &str) -> StoreResult<Service> {
        let key = key.to_string();
        self.read(move |c| get_by_key(c, &key)).await
    }

    async fn create_service(&self, actor: &Actor, f: &ServiceFields) -> StoreResult<Service> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| create(c, &actor, &f, now)).await
    }

    async fn update_service(
        &self,
        actor: &Actor,
        id: i64,
        f: &ServiceFields,
    ) -> StoreResult<Service> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| update(c, &actor, id, &f, now)).await
    }

    async fn archive_service(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| archive(c, &actor, id, now)).await
    }

    async fn publish_cycle(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle: &ValidCycle,
    ) -> StoreResult<CycleVersion> {
        let (actor, cycle, now) = (actor.clone(), cycle.clone(), self.now());
        self.write(move |c| {
            if !exists(c, service_id)? {
                return Err(StoreError::not_found("service"));
            }
            cycles::publish(c, &actor, service_id, &cycle, now)
        })
        .await
    }

    async fn current_cycle(&self, service_id: i64) -> StoreResult<CycleVersion> {
        self.read(move |c| cycles::load(c, service_id, None)).await
    }

    async fn cycle_version(&self, service_id: i64, version: i32) -> StoreResult<CycleVersion> {
        self.read(move |c| cycles::load(c, service_id, Some(version)))
            .await
    }

    async fn list_cycle_versions(&self, service_id: i64) -> StoreResult<Vec<CycleVersionSummary>> {
        self.read(move |c| cycles::history(c, service_id)).await
    }
}
