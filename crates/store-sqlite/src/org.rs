//! Sites, staff and quality dimensions.
use crate::{
    SqliteStore, audit,
    listing::{ListSpec, list},
    rows::{self, SITE_COLS, STAFF_COLS, map_err, not_found, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params, types::Value};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    dimension::QualityDimension,
    listing::{ListQuery, Page},
    org::{Site, SiteFields, StaffFields, StaffMember},
    store::OrgStore,
};

const SITES: ListSpec = ListSpec {
    select: "SELECT id, key, name, city, timezone, active, created_at, manager_email FROM sites",
    id: "id",
    name: "lower(name)",
    key: "key",
    created_at: "created_at",
    search: &["name"],
    active: "active = 1",
};

const STAFF: ListSpec = ListSpec {
    select: "SELECT id, name, role, site_id, email, active, created_at FROM staff",
    id: "id",
    name: "lower(name)",
    key: "lower(name)",
    created_at: "created_at",
    search: &["name"],
    active: "active = 1",
};

/// Whether `table` (a fixed name, never input) has a row with this id.
fn exists(conn: &Connection, table: &'static str, id: i64) -> StoreResult<bool> {
    conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
        .map(|o| o.is_some())
        .map_err(map_err)
}

fn site(conn: &Connection, id: i64) -> StoreResult<Site> {
    conn.prepare_cached(&format!("SELECT {SITE_COLS} FROM sites WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], rows::site))
        .map_err(not_found("site"))
}

fn staff(conn: &Connection, id: i64) -> StoreResult<StaffMember> {
    conn.prepare_cached(&format!("SELECT {STAFF_COLS} FROM staff WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], rows::staff))
        .map_err(not_found("staff"))
}

fn create_site(
    conn: &Connection,
    actor: &Actor,
    f: &SiteFields,
    now: DateTime<Utc>,
) -> StoreResult<Site> {
    conn.execute(
        "INSERT INTO sites
             (key, name, city, timezone, active, created_at, updated_at, manager_email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![
            f.key,
            f.name,
            f.city,
            f.timezone,
            f.active,
            ts(now),
            f.manager_email
        ],
    )
    .map_err(map_err)?;
    let s = site(conn, conn.last_insert_rowid())?;
    audit::insert(
        conn,
        &NewAuditEntry::change(actor, "site.create", "site", s.id, None::<&()>, Some(&s)),
        now,
    )?;
    Ok(s)
}

fn update_site(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    f: &SiteFields,
    now: DateTime<Utc>,
) -> StoreResult<Site> {
    let before = site(conn, id)?;
    conn.execute(
        "UPDATE sites SET key = ?2, name = ?3, city = ?4, timezone = ?5, active = ?6,
             updated_at = ?7, manager_email = ?8
         WHERE id = ?1",
        params![
            id,
            f.key,
            f.name,
            f.city,
            f.timezone,
            f.active,
            ts(now),
            f.manager_email
        ],
    )
    .map_err(map_err)?;
    let after = site(conn, id)?;
    audit::insert(
        conn,
        &NewAuditEntry::change(
            actor,
            "site.update",
            "site",
            id,
            Some(&before),
            Some(&after),
        ),
        now,
    )?;
    Ok(after)
}

fn deactivate_site(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = site(conn, id)?;
    conn.execute(
        "UPDATE sites SET active = 0, updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let after = site(conn, id)?;
    audit::insert(
        conn,
        &NewAuditEntry::change(
            actor,
            "site.deactivate",
            "site",
            id,
            Some(&before),
            Some(&after),
        ),
        now,
    )
}

/// `Invalid` on `site_id` unless the site exists.
fn check_site(conn: &Connection, site_id: Option<i64>) -> StoreResult<()> {
    let Some(id) = site_id else { return Ok(()) };
    let found = conn
        .query_row("SELECT 1 FROM sites WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map_err(map_err)?;
    match found {
        Some(()) => Ok(()),
        None => Err(StoreError::Invalid(ValidationErrors::single(
            "site_id",
            format!("there is no site with id {id}"),
        ))),
    }
}

fn create_staff(
    conn: &Connection,
    actor: &Actor,
    f: &StaffFields,
    now: DateTime<Utc>,
) -> StoreResult<StaffMember> {
    check_site(conn, f.site_id)?;
    conn.execute(
        "INSERT INTO staff (name, role, site_id, email, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![f.name, f.role, f.site_id, f.email, f.active, ts(now)],
    )
    .map_err(map_err)?;
    let s = staff(conn, conn.last_insert_rowid())?;
    audit::insert(
        conn,
        &NewAuditEntry::change(actor, "staff.create", "staff", s.id, None::<&()>, Some(&s)),
        now,
    )?;
    Ok(s)
}

fn update_staff(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    f: &StaffFields,
    now: DateTime<Utc>,
) -> StoreResult<StaffMember> {
    let before = staff(conn, id)?;
    check_site(conn, f.site_id)?;
    conn.execute(
        "UPDATE staff SET name = ?2, role = ?3, site_id = ?4, email = ?5, active = ?6, updated_at = ?7
         WHERE id = ?1",
        params![id, f.name, f.role, f.site_id, f.email, f.active, ts(now)],
    )
    .map_err(map_err)?;
    let after = staff(conn, id)?;
    audit::insert(
        conn,
        &NewAuditEntry::change(
            actor,
            "staff.update",
            "staff",
            id,
            Some(&before),
            Some(&after),
        ),
        now,
    )?;
    Ok(after)
}

fn deactivate_staff(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = staff(conn, id)?;
    conn.execute(
        "UPDATE staff SET active = 0, updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let after = staff(conn, id)?;
    audit::insert(
        conn,
        &NewAuditEntry::change(
            actor,
            "staff.deactivate",
            "staff",
            id,
            Some(&before),
            Some(&after),
        ),
        now,
    )
}

#[async_trait]
impl OrgStore for SqliteStore {
    async fn list_sites(&self, q: &ListQuery) -> StoreResult<Page<Site>> {
        let q = q.clone();
        self.read(move |c| list(c, &SITES, &q, &[], rows::site))
            .await
    }

    async fn get_site(&self, id: i64) -> StoreResult<Site> {
        self.read(move |c| site(c, id)).await
    }

    async fn site_exists(&self, id: i64) -> StoreResult<bool> {
        if self.known_sites.contains(id) {
            return Ok(true);
        }
        let found = self.read_point(move |c| exists(c, "sites", id)).await?;
        if found {
            self.known_sites.insert(id);
        }
        Ok(found)
    }

    async fn create_site(&self, actor: &Actor, f: &SiteFields) -> StoreResult<Site> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| create_site(c, &actor, &f, now)).await
    }

    async fn update_site(&self, actor: &Actor, id: i64, f: &SiteFields) -> StoreResult<Site> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| update_site(c, &actor, id, &f, now))
            .await
    }

    async fn deactivate_site(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| deactivate_site(c, &actor, id, now))
            .await
    }

    async fn list_staff(
        &self,
        q: &ListQuery,
        site_id: Option<i64>,
    ) -> StoreResult<Page<StaffMember>> {
        let q = q.clone();
        self.read(move |c| {
            let extra: Vec<(&'static str, Value)> = site_id
                .map(|id| ("site_id = ?", Value::Integer(id)))
                .into_iter()
                .collect();
            list(c, &STAFF, &q, &extra, rows::staff)
        })
        .await
    }

    async fn get_staff(&self, id: i64) -> StoreResult<StaffMember> {
        self.read(move |c| staff(c, id)).await
    }

    async fn staff_exists(&self, id: i64) -> StoreResult<bool> {
        if self.known_staff.contains(id) {
            return Ok(true);
        }
        let found = self.read_point(move |c| exists(c, "staff", id)).await?;
        if found {
            self.known_staff.insert(id);
        }
        Ok(found)
    }

    async fn create_staff(&self, actor: &Actor, f: &StaffFields) -> StoreResult<StaffMember> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| create_staff(c, &actor, &f, now)).await
    }

    async fn update_staff(
        &self,
        actor: &Actor,
        id: i64,
        f: &StaffFields,
    ) -> StoreResult<StaffMember> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| update_staff(c, &actor, id, &f, now))
            .await
    }

    async fn deactivate_staff(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| deactivate_staff(c, &actor, id, now))
            .await
    }

    async fn list_dimensions(&self) -> StoreResult<Vec<QualityDimension>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT key, name_en, name_es, servqual, position
                 FROM quality_dimensions ORDER BY position",
            )
            .and_then(|mut s| s.query_map([], rows::dimension)?.collect())
            .map_err(map_err)
        })
        .await
    }
}
