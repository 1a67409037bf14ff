//! Requirements on PostgreSQL.
use crate::{audit, complaint_rows::parse, errors::Db, listing::like_pattern};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row, postgres::PgRow};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    improvement::{Requirement, RequirementFilter, ValidRequirement},
    listing::{ListQuery, Page},
};

const SELECT: &str = "SELECT id, service_id, moment_key, site_id, text, source, response_id, \
     question_code, status, recorded_by, recorded_by_user_id, created_at, updated_at \
     FROM requirements";

fn row(r: &PgRow) -> Result<Requirement, sqlx::Error> {
    Ok(Requirement {
        id: r.try_get("id")?,
        service_id: r.try_get("service_id")?,
        moment_key: r.try_get("moment_key")?,
        site_id: r.try_get("site_id")?,
        text: r.try_get("text")?,
        source: parse(r, "source")?,
        response_id: r.try_get("response_id")?,
        question_code: r.try_get("question_code")?,
        status: parse(r, "status")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_by_user_id: r.try_get("recorded_by_user_id")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(crate) async fn get(conn: &mut PgConnection, id: i64) -> StoreResult<Requirement> {
    let found = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?;
    found
        .as_ref()
        .map(row)
        .transpose()
        .db()?
        .ok_or(StoreError::not_found("requirement"))
}

async fn exists(conn: &mut PgConnection, sql: &str, id: i64) -> StoreResult<bool> {
    let found: Option<i32> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?;
    Ok(found.is_some())
}

/// The references a requirement makes must exist (checked here, so both backends name the
/// same fields whatever their foreign keys say).
pub(crate) async fn check_refs(
    conn: &mut PgConnection,
    service_id: i64,
    site_id: Option<i64>,
    response_id: Option<i64>,
) -> StoreResult<()> {
    let mut errors = ValidationErrors::new();
    if !exists(
        &mut *conn,
        "SELECT 1 FROM services WHERE id = $1",
        service_id,
    )
    .await?
    {
        errors.push("service_id", "no service has this id");
    }
    if let Some(site) = site_id
        && !exists(&mut *conn, "SELECT 1 FROM sites WHERE id = $1", site).await?
    {
        errors.push("site_id", "no site has this id");
    }
    if let Some(response) = response_id
        && !exists(
            &mut *conn,
            "SELECT 1 FROM responses WHERE id = $1",
            response,
        )
        .await?
    {
        errors.push("response_id", "no survey response has this id");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

pub(crate) async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    r: &ValidRequirement,
    now: DateTime<Utc>,
) -> StoreResult<Requirement> {
    check_refs(&mut *conn, r.service_id, r.site_id, r.response_id).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO requirements (service_id, moment_key, site_id, text, source, response_id, \
           question_code, status, recorded_by, recorded_by_user_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(r.service_id)
    .bind(&r.moment_key)
    .bind(r.site_id)
    .bind(&r.text)
    .bind(r.source.as_str())
    .bind(r.response_id)
    .bind(&r.question_code)
    .bind(r.status.as_str())
    .bind(&actor.label)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let created = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.create",
        "requirement",
        id,
        None::<&()>,
        Some(&created),
    );
    audit::write(conn, now, &entry).await?;
    Ok(created)
}

async fn lock(conn: &mut PgConnection, id: i64) -> StoreResult<Requirement> {
    sqlx::query("SELECT 1 FROM requirements WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    get(conn, id).await
}

pub(crate) async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    r: &ValidRequirement,
    now: DateTime<Utc>,
) -> StoreResult<Requirement> {
    let before = lock(&mut *conn, id).await?;
    check_refs(&mut *conn, r.service_id, r.site_id, r.response_id).await?;
    sqlx::query(
        "UPDATE requirements SET service_id = $2, moment_key = $3, site_id = $4, text = $5, \
           source = $6, response_id = $7, question_code = $8, status = $9, updated_at = $10 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(r.service_id)
    .bind(&r.moment_key)
    .bind(r.site_id)
    .bind(&r.text)
    .bind(r.source.as_str())
    .bind(r.response_id)
    .bind(&r.question_code)
    .bind(r.status.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    let after = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.update",
        "requirement",
        id,
        Some(&before),
        Some(&after),
    );
    audit::write(conn, now, &entry).await?;
    Ok(after)
}

pub(crate) async fn delete(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = lock(&mut *conn, id).await?;
    sqlx::query("DELETE FROM action_plan_requirements WHERE requirement_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query("DELETE FROM requirements WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.delete",
        "requirement",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::write(conn, now, &entry).await
}

fn filters(qb: &mut QueryBuilder<'_, Postgres>, f: &RequirementFilter, q: &ListQuery) {
    qb.push(" WHERE TRUE");
    if let Some(s) = f.service_id {
        qb.push(" AND service_id = ").push_bind(s);
    }
    if let Some(k) = &f.moment_key {
        qb.push(" AND moment_key = ").push_bind(k.clone());
    }
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(s) = f.site_id {
        qb.push(" AND (site_id IS NULL OR site_id = ")
            .push_bind(s)
            .push(")");
    }
    if let Some(p) = like_pattern(q.search.as_deref()) {
        qb.push(" AND text ILIKE ")
            .push_bind(p)
            .push(" ESCAPE '\\'");
    }
}

pub(crate) async fn list(
    conn: &mut PgConnection,
    f: &RequirementFilter,
    q: &ListQuery,
) -> StoreResult<Page<Requirement>> {
    let q = q.clone().clamped();
    let mut count = QueryBuilder::<Postgres>::new("SELECT count(*) FROM requirements");
    filters(&mut count, f, &q);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&mut *conn)
        .await
        .db()?;
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    filters(&mut qb, f, &q);
    qb.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(i64::from(q.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let rows = qb.build().fetch_all(&mut *conn).await.db()?;
    let items = rows.iter().map(row).collect::<Result<_, _>>().db()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
