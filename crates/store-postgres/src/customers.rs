//! Customers and their status history.
use crate::{
    audit,
    errors::{Db, corrupt},
    listing::{FilterValue, ListSpec, list_page_where},
};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Row, postgres::PgRow};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    listing::{ListQuery, Page, SortField},
    portfolio::{
        Customer, CustomerFields, CustomerFilter, CustomerStatus, SaveOutcome, StatusChange,
        StatusFields,
    },
};

const SELECT: &str = "SELECT s.id, s.ref, s.name, s.email, s.phone, s.segment, s.site_id, \
     s.status, s.lost_reason, s.lost_note, s.lost_moment_key, s.created_at, s.updated_at, \
     s.erased_at FROM customers s";

fn sort(f: SortField) -> &'static str {
    match f {
        SortField::Name => "lower(s.name) COLLATE \"C\"",
        SortField::Key => "s.ref COLLATE \"C\"",
        SortField::CreatedAt => "s.created_at",
    }
}

const CUSTOMERS: ListSpec = ListSpec {
    select: SELECT,
    table: "customers s",
    active: "s.erased_at IS NULL",
    search: &["s.name", "s.ref"],
    sort,
};

pub(crate) fn parse_status(text: &str) -> Result<CustomerStatus, sqlx::Error> {
    text.parse().map_err(|e| corrupt("customer status", e))
}

pub(crate) fn customer_row(r: &PgRow) -> Result<Customer, sqlx::Error> {
    Ok(Customer {
        id: r.try_get(0)?,
        reference: r.try_get(1)?,
        name: r.try_get(2)?,
        email: r.try_get(3)?,
        phone: r.try_get(4)?,
        segment: r.try_get(5)?,
        site_id: r.try_get(6)?,
        status: parse_status(r.try_get(7)?)?,
        lost_reason: r.try_get(8)?,
        lost_note: r.try_get(9)?,
        lost_moment_key: r.try_get(10)?,
        created_at: r.try_get(11)?,
        updated_at: r.try_get(12)?,
        erased_at: r.try_get(13)?,
    })
}

pub(crate) async fn fetch(conn: &mut PgConnection, id: i64, lock: bool) -> StoreResult<Customer> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("{SELECT} WHERE s.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("customer"))?;
    customer_row(&row).db()
}

pub(crate) async fn fetch_by_ref(
    conn: &mut PgConnection,
    reference: &str,
) -> StoreResult<Customer> {
    let row = sqlx::query(&format!("{SELECT} WHERE s.ref = $1"))
        .bind(reference)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("customer"))?;
    customer_row(&row).db()
}

pub(crate) async fn list(
    pool: &PgPool,
    q: &ListQuery,
    f: &CustomerFilter,
) -> StoreResult<Page<Customer>> {
    let mut filters = Vec::new();
    if let Some(s) = f.status {
        filters.push(("s.status", FilterValue::Text(s.as_str().into())));
    }
    if let Some(s) = f.segment.as_deref().filter(|s| !s.is_empty()) {
        filters.push(("s.segment", FilterValue::Text(s.into())));
    }
    if let Some(id) = f.site_id {
        filters.push(("s.site_id", FilterValue::Int(id)));
    }
    list_page_where(pool, &CUSTOMERS, q, &filters, customer_row).await
}

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, message))
}

async fn check_refs(conn: &mut PgConnection, f: &CustomerFields) -> StoreResult<()> {
    if let Some(id) = f.site_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .db()?;
        if found.is_none() {
            return Err(invalid("site_id", format!("there is no site with id {id}")));
        }
    }
    if let Some(s) = &f.status {
        check_reason(conn, s).await?;
    }
    Ok(())
}

pub(crate) async fn check_reason(conn: &mut PgConnection, s: &StatusFields) -> StoreResult<()> {
    let Some(reason) = &s.lost_reason else {
        return Ok(());
    };
    let found: Option<String> =
        sqlx::query_scalar("SELECT key FROM lost_reasons WHERE key = $1 AND active")
            .bind(reason)
            .fetch_optional(conn)
            .await
            .db()?;
    match found {
        Some(_) => Ok(()),
        None => Err(invalid(
            "lost_reason",
            format!("'{reason}' is not one of the configured lost reasons"),
        )),
    }
}

async fn append_history(
    conn: &mut PgConnection,
    id: i64,
    s: &StatusFields,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let latest: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT max(changed_at) FROM customer_status_history WHERE customer_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let at = crate::micros(s.since.unwrap_or(now));
    if at > now {
        return Err(invalid("status_since", "must not be in the future".into()));
    }
    if let Some(l) = latest.filter(|l| at < *l) {
        return Err(invalid(
            "status_since",
            format!(
                "must not be before the customer's latest status change ({})",
                l.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO customer_status_history \
         (customer_id, status, lost_reason, lost_note, lost_moment_key, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(s.status.as_str())
    .bind(&s.lost_reason)
    .bind(&s.lost_note)
    .bind(&s.lost_moment_key)
    .bind(at)
    .bind(&actor.label)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub(crate) async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    check_refs(conn, f).await?;
    let s = f.status.clone().unwrap_or_else(StatusFields::unknown);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (ref, name, email, phone, segment, site_id, status, lost_reason, \
         lost_note, lost_moment_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(&f.reference)
    .bind(&f.name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.segment)
    .bind(f.site_id)
    .bind(s.status.as_str())
    .bind(&s.lost_reason)
    .bind(&s.lost_note)
    .bind(&s.lost_moment_key)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    append_history(conn, id, &s, actor, now).await?;
    let c = fetch(conn, id, false).await?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.create",
        "customer",
        id,
        None::<&()>,
        Some(&c),
    );
    audit::write(conn, now, &entry).await?;
    Ok(c)
}

pub(crate) async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    let before = fetch(conn, id, true).await?;
    if before.erased_at.is_some() {
        return Err(invalid(
            "ref",
            "an erased customer cannot be changed".into(),
        ));
    }
    check_refs(conn, f).await?;
    let s = f.status.clone().unwrap_or_else(|| before.status_fields());
    sqlx::query(
        "UPDATE customers SET ref = $2, name = $3, email = $4, phone = $5, segment = $6, \
         site_id = $7, status = $8, lost_reason = $9, lost_note = $10, lost_moment_key = $11, \
         updated_at = $12 WHERE id = $1",
    )
    .bind(id)
    .bind(&f.reference)
    .bind(&f.name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.segment)
    .bind(f.site_id)
    .bind(s.status.as_str())
    .bind(&s.lost_reason)
    .bind(&s.lost_note)
    .bind(&s.lost_moment_key)
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    if !s.same_as(&before.status_fields()) {
        append_history(conn, id, &s, actor, now).await?;
    }
    let after = fetch(conn, id, false).await?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.update",
        "customer",
        id,
        Some(&before),
        Some(&after),
    );
    audit::write(conn, now, &entry).await?;
    Ok(after)
}

pub(crate) async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    s: &StatusFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    let before = fetch(conn, id, true).await?;
    if before.erased_at.is_some() {
        return Err(invalid(
            "status",
            "an erased customer cannot be changed".into(),
        ));
    }
    check_reason(conn, s).await?;
    sqlx::query(
        "UPDATE customers SET status = $2, lost_reason = $3, lost_note = $4, \
         lost_moment_key = $5, updated_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(s.status.as_str())
    .bind(&s.lost_reason)
    .bind(&s.lost_note)
    .bind(&s.lost_moment_key)
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    append_history(conn, id, s, actor, now).await?;
    let after = fetch(conn, id, false).await?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.status",
        "customer",
        id,
        Some(&before),
        Some(&after),
    );
    audit::write(conn, now, &entry).await?;
    Ok(after)
}

/// Create or update one customer by ref.
pub(crate) async fn save_one(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<SaveOutcome> {
    match fetch_by_ref(conn, &f.reference).await {
        Ok(c) if !f.would_change(&c) => Ok(SaveOutcome::Unchanged(c.id)),
        Ok(c) => update(conn, actor, c.id, f, now)
            .await
            .map(|c| SaveOutcome::Updated(c.id)),
        Err(StoreError::NotFound { .. }) => create(conn, actor, f, now)
            .await
            .map(|c| SaveOutcome::Created(c.id)),
        Err(e) => Err(e),
    }
}

pub(crate) async fn history(pool: &PgPool, id: i64) -> StoreResult<Vec<StatusChange>> {
    let mut conn = pool.acquire().await.db()?;
    fetch(&mut conn, id, false).await?;
    let rows = sqlx::query(
        "SELECT customer_id, status, lost_reason, lost_note, lost_moment_key, changed_at, \
         changed_by FROM customer_status_history WHERE customer_id = $1 ORDER BY changed_at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            Ok(StatusChange {
                customer_id: r.try_get(0)?,
                status: parse_status(r.try_get(1)?)?,
                lost_reason: r.try_get(2)?,
                lost_note: r.try_get(3)?,
                lost_moment_key: r.try_get(4)?,
                changed_at: r.try_get(5)?,
                changed_by: r.try_get(6)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .db()
}
