//! Sites, staff members and quality dimensions.
use crate::{
    PgStore, audit,
    errors::Db,
    listing::{ListSpec, keyed_sort, list_page},
    rows,
};
use async_trait::async_trait;
use sqlx::PgConnection;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    dimension::QualityDimension,
    listing::{ListQuery, Page, SortField},
    org::{Site, SiteFields, StaffFields, StaffMember},
    store::OrgStore,
};

const SITES: ListSpec = ListSpec {
    select: rows::SITE_SELECT,
    table: "sites s",
    active: "s.active",
    search: &["s.name"],
    sort: keyed_sort,
};

/// Staff have no key: sorting "by key" sorts by name.
fn staff_sort(f: SortField) -> &'static str {
    match f {
        SortField::Name | SortField::Key => "lower(s.name) COLLATE \"C\"",
        SortField::CreatedAt => "s.created_at",
    }
}

const STAFF: ListSpec = ListSpec {
    select: rows::STAFF_SELECT,
    table: "staff s",
    active: "s.active",
    search: &["s.name"],
    sort: staff_sort,
};

/// `for_update` locks the row for the rest of the transaction.
async fn fetch_site(conn: &mut PgConnection, id: i64, for_update: bool) -> StoreResult<Site> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("{} WHERE s.id = $1{lock}", rows::SITE_SELECT))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("site"))?;
    rows::site(&row).db()
}

async fn fetch_staff(
    conn: &mut PgConnection,
    id: i64,
    for_update: bool,
) -> StoreResult<StaffMember> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("{} WHERE s.id = $1{lock}", rows::STAFF_SELECT))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("staff"))?;
    rows::staff(&row).db()
}

impl PgStore {
    /// Update a site (all fields, or only deactivate it when `f` is `None`) and audit it.
    async fn write_site(
        &self,
        actor: &Actor,
        id: i64,
        f: Option<&SiteFields>,
    ) -> StoreResult<Site> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let before = fetch_site(&mut tx, id, true).await?;
        let (query, action) = match f {
            Some(f) => (
                sqlx::query(
                    "UPDATE sites SET key = $3, name = $4, city = $5, timezone = $6, \
                     active = $7, manager_email = $8, updated_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .bind(&f.key)
                .bind(&f.name)
                .bind(&f.city)
                .bind(&f.timezone)
                .bind(f.active)
                .bind(&f.manager_email),
                "site.update",
            ),
            None => (
                sqlx::query("UPDATE sites SET active = FALSE, updated_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now),
                "site.deactivate",
            ),
        };
        query.execute(&mut *tx).await.db()?;
        let after = fetch_site(&mut tx, id, false).await?;
        let entry = NewAuditEntry::change(actor, action, "site", id, Some(&before), Some(&after));
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(after)
    }

    /// Update a staff member (all fields, or only deactivate when `f` is `None`) and audit it.
    async fn write_staff(
        &self,
        actor: &Actor,
        id: i64,
        f: Option<&StaffFields>,
    ) -> StoreResult<StaffMember> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let before = fetch_staff(&mut tx, id, true).await?;
        let (query, action) = match f {
            Some(f) => (
                sqlx::query(
                    "UPDATE staff SET name = $3, role = $4, site_id = $5, email = $6, \
                     active = $7, updated_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .bind(&f.name)
                .bind(&f.role)
                .bind(f.site_id)
                .bind(&f.email)
                .bind(f.active),
                "staff.update",
            ),
            None => (
                sqlx::query("UPDATE staff SET active = FALSE, updated_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now),
                "staff.deactivate",
            ),
        };
        query.execute(&mut *tx).await.db()?;
        let after = fetch_staff(&mut tx, id, false).await?;
        let entry = NewAuditEntry::change(actor, action, "staff", id, Some(&before), Some(&after));
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(after)
    }
}

#[async_trait]
impl OrgStore for PgStore {
    async fn list_sites(&self, q: &ListQuery) -> StoreResult<Page<Site>> {
        list_page(&self.pool, &SITES, q, None, rows::site).await
    }

    async fn get_site(&self, id: i64) -> StoreResult<Site> {
        let mut conn = self.pool.acquire().await.db()?;
        fetch_site(&mut conn, id, false).await
    }

    async fn create_site(&self, actor: &Actor, f: &SiteFields) -> StoreResult<Site> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sites \
             (key, name, city, timezone, active, created_at, updated_at, manager_email) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
        )
        .bind(&f.key)
        .bind(&f.name)
        .bind(&f.city)
        .bind(&f.timezone)
        .bind(f.active)
        .bind(now)
        .bind(&f.manager_email)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let site = fetch_site(&mut tx, id, false).await?;
        let entry = NewAuditEntry::change::<Site, Site>(
            actor,
            "site.create",
            "site",
            id,
            None,
            Some(&site),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(site)
    }

    async fn update_site(&self, actor: &Actor, id: i64, f: &SiteFields) -> StoreResult<Site> {
        self.write_site(actor, id, Some(f)).await
    }

    async fn deactivate_site(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        self.write_site(actor, id, None).await?;
        Ok(())
    }

    async fn list_staff(
        &self,
        q: &ListQuery,
        site_id: Option<i64>,
    ) -> StoreResult<Page<StaffMember>> {
        let filter = site_id.map(|id| ("s.site_id", id));
        list_page(&self.pool, &STAFF, q, filter, rows::staff).await
    }

    async fn get_staff(&self, id: i64) -> StoreResult<StaffMember> {
        let mut conn = self.pool.acquire().await.db()?;
        fetch_staff(&mut conn, id, false).await
    }

    async fn create_staff(&self, actor: &Actor, f: &StaffFields) -> StoreResult<StaffMember> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (name, role, site_id, email, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&f.name)
        .bind(&f.role)
        .bind(f.site_id)
        .bind(&f.email)
        .bind(f.active)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let member = fetch_staff(&mut tx, id, false).await?;
        let entry = NewAuditEntry::change::<StaffMember, StaffMember>(
            actor,
            "staff.create",
            "staff",
            id,
            None,
            Some(&member),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(member)
    }

    async fn update_staff(
        &self,
        actor: &Actor,
        id: i64,
        f: &StaffFields,
    ) -> StoreResult<StaffMember> {
        self.write_staff(actor, id, Some(f)).await
    }

    async fn deactivate_staff(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        self.write_staff(actor, id, None).await?;
        Ok(())
    }

    async fn list_dimensions(&self) -> StoreResult<Vec<QualityDimension>> {
        let found = sqlx::query(
            "SELECT key, name_en, name_es, servqual, position FROM quality_dimensions \
             ORDER BY position, key",
        )
        .fetch_all(&self.pool)
        .await
        .db()?;
        found
            .iter()
            .map(rows::dimension)
            .collect::<Result<Vec<_>, _>>()
            .db()
    }
}
