//! Action plans on PostgreSQL: the plan row, its moments (in order) and the requirements it
//! answers.
use crate::{
    audit, complaint_rows::parse, errors::Db, improvement_requirements::check_refs,
    listing::like_pattern,
};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row, postgres::PgRow};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    improvement::{ActionPlan, ActionPlanFilter, ValidActionPlan},
    listing::{ListQuery, Page},
};

const SELECT: &str = "SELECT id, service_id, title, owner, start_date, due_date, status, \
     expected_effect, created_by, created_at, updated_at FROM action_plans";

fn row(r: &PgRow) -> Result<ActionPlan, sqlx::Error> {
    Ok(ActionPlan {
        id: r.try_get("id")?,
        service_id: r.try_get("service_id")?,
        title: r.try_get("title")?,
        owner: r.try_get("owner")?,
        start_date: r.try_get("start_date")?,
        due_date: r.try_get("due_date")?,
        status: parse(r, "status")?,
        expected_effect: r.try_get("expected_effect")?,
        moment_keys: Vec::new(),
        requirement_ids: Vec::new(),
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

async fn with_links(conn: &mut PgConnection, mut p: ActionPlan) -> StoreResult<ActionPlan> {
    p.moment_keys = sqlx::query_scalar(
        "SELECT moment_key FROM action_plan_moments WHERE plan_id = $1 ORDER BY position",
    )
    .bind(p.id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    p.requirement_ids = sqlx::query_scalar(
        "SELECT requirement_id FROM action_plan_requirements WHERE plan_id = $1 \
         ORDER BY requirement_id",
    )
    .bind(p.id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    Ok(p)
}

pub(crate) async fn get(conn: &mut PgConnection, id: i64) -> StoreResult<ActionPlan> {
    let found = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    let p = found
        .as_ref()
        .map(row)
        .transpose()
        .db()?
        .ok_or(StoreError::not_found("action_plan"))?;
    with_links(conn, p).await
}

async fn lock(conn: &mut PgConnection, id: i64) -> StoreResult<ActionPlan> {
    sqlx::query("SELECT 1 FROM action_plans WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    get(conn, id).await
}

/// The service must exist and every requirement must be one of its own.
async fn check(conn: &mut PgConnection, p: &ValidActionPlan) -> StoreResult<()> {
    check_refs(&mut *conn, p.service_id, None, None).await?;
    for id in &p.requirement_ids {
        let service: Option<i64> =
            sqlx::query_scalar("SELECT service_id FROM requirements WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .db()?;
        if service != Some(p.service_id) {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "requirement_ids",
                format!("requirement {id} does not exist or is about another service"),
            )));
        }
    }
    Ok(())
}

async fn write_links(conn: &mut PgConnection, id: i64, p: &ValidActionPlan) -> StoreResult<()> {
    for table in ["action_plan_moments", "action_plan_requirements"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE plan_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    let positions: Vec<i32> = (0..p.moment_keys.len() as i32).collect();
    sqlx::query(
        "INSERT INTO action_plan_moments (plan_id, position, moment_key) \
         SELECT $1, * FROM UNNEST($2::int[], $3::text[])",
    )
    .bind(id)
    .bind(positions)
    .bind(&p.moment_keys)
    .execute(&mut *conn)
    .await
    .db()?;
    sqlx::query(
        "INSERT INTO action_plan_requirements (plan_id, requirement_id) \
         SELECT $1, * FROM UNNEST($2::bigint[])",
    )
    .bind(id)
    .bind(&p.requirement_ids)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

pub(crate) async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &ValidActionPlan,
    now: DateTime<Utc>,
) -> StoreResult<ActionPlan> {
    check(&mut *conn, p).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO action_plans (service_id, title, owner, start_date, due_date, status, \
           expected_effect, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(p.service_id)
    .bind(&p.title)
    .bind(&p.owner)
    .bind(p.start_date)
    .bind(p.due_date)
    .bind(p.status.as_str())
    .bind(&p.expected_effect)
    .bind(&actor.label)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    write_links(&mut *conn, id, p).await?;
    let created = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.create",
        "action_plan",
        id,
        None::<&()>,
        Some(&created),
    );
    audit::write(conn, now, &entry).await?;
    Ok(created)
}

pub(crate) async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    p: &ValidActionPlan,
    now: DateTime<Utc>,
) -> StoreResult<ActionPlan> {
    let before = lock(&mut *conn, id).await?;
    check(&mut *conn, p).await?;
    sqlx::query(
        "UPDATE action_plans SET service_id = $2, title = $3, owner = $4, start_date = $5, \
           due_date = $6, status = $7, expected_effect = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(id)
    .bind(p.service_id)
    .bind(&p.title)
    .bind(&p.owner)
    .bind(p.start_date)
    .bind(p.due_date)
    .bind(p.status.as_str())
    .bind(&p.expected_effect)
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    write_links(&mut *conn, id, p).await?;
    let after = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.update",
        "action_plan",
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
    sqlx::query("DELETE FROM action_plans WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.delete",
        "action_plan",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::write(conn, now, &entry).await
}

fn filters(qb: &mut QueryBuilder<'_, Postgres>, f: &ActionPlanFilter, q: &ListQuery) {
    qb.push(" WHERE TRUE");
    if let Some(s) = f.service_id {
        qb.push(" AND service_id = ").push_bind(s);
    }
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(k) = &f.moment_key {
        qb.push(
            " AND EXISTS (SELECT 1 FROM action_plan_moments m \
             WHERE m.plan_id = action_plans.id AND m.moment_key = ",
        )
        .push_bind(k.clone())
        .push(")");
    }
    if let Some(p) = like_pattern(q.search.as_deref()) {
        qb.push(" AND title ILIKE ")
            .push_bind(p)
            .push(" ESCAPE '\\'");
    }
}

pub(crate) async fn list(
    conn: &mut PgConnection,
    f: &ActionPlanFilter,
    q: &ListQuery,
) -> StoreResult<Page<ActionPlan>> {
    let q = q.clone().clamped();
    let mut count = QueryBuilder::<Postgres>::new("SELECT count(*) FROM action_plans");
    filters(&mut count, f, &q);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&mut *conn)
        .await
        .db()?;
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    filters(&mut qb, f, &q);
    qb.push(" ORDER BY due_date, id LIMIT ")
        .push_bind(i64::from(q.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let rows = qb.build().fetch_all(&mut *conn).await.db()?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        items.push(with_links(&mut *conn, row(r).db()?).await?);
    }
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
