//! Customers and their status history.
use crate::{
    audit,
    listing::{ListSpec, list},
    rows::{get_opt_ts, get_parsed, get_ts, map_err, not_found, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params, types::Value};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    listing::{ListQuery, Page},
    portfolio::{
        Customer, CustomerFields, CustomerFilter, SaveOutcome, StatusChange, StatusFields,
    },
};

pub(crate) const CUSTOMER_COLS: &str = "id, ref, name, email, phone, segment, site_id, status, \
     lost_reason, lost_note, lost_moment_key, created_at, updated_at, erased_at";

const CUSTOMERS: ListSpec = ListSpec {
    select: "SELECT id, ref, name, email, phone, segment, site_id, status, lost_reason, \
             lost_note, lost_moment_key, created_at, updated_at, erased_at FROM customers",
    id: "id",
    name: "lower(name)",
    key: "ref",
    created_at: "created_at",
    search: &["name", "ref"],
    active: "erased_at IS NULL",
};

pub(crate) fn customer_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        reference: r.get(1)?,
        name: r.get(2)?,
        email: r.get(3)?,
        phone: r.get(4)?,
        segment: r.get(5)?,
        site_id: r.get(6)?,
        status: get_parsed(r, 7)?,
        lost_reason: r.get(8)?,
        lost_note: r.get(9)?,
        lost_moment_key: r.get(10)?,
        created_at: get_ts(r, 11)?,
        updated_at: get_ts(r, 12)?,
        erased_at: get_opt_ts(r, 13)?,
    })
}

pub(crate) fn customer(conn: &Connection, id: i64) -> StoreResult<Customer> {
    conn.prepare_cached(&format!(
        "SELECT {CUSTOMER_COLS} FROM customers WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], customer_row))
    .map_err(not_found("customer"))
}

pub(crate) fn customer_by_ref(conn: &Connection, reference: &str) -> StoreResult<Customer> {
    conn.prepare_cached(&format!(
        "SELECT {CUSTOMER_COLS} FROM customers WHERE ref = ?1"
    ))
    .and_then(|mut s| s.query_row([reference], customer_row))
    .map_err(not_found("customer"))
}

pub(crate) fn list_customers(
    conn: &Connection,
    q: &ListQuery,
    f: &CustomerFilter,
) -> StoreResult<Page<Customer>> {
    let mut extra: Vec<(&'static str, Value)> = Vec::new();
    if let Some(s) = f.status {
        extra.push(("status = ?", Value::Text(s.as_str().into())));
    }
    if let Some(s) = f.segment.as_deref().filter(|s| !s.is_empty()) {
        extra.push(("segment = ?", Value::Text(s.into())));
    }
    if let Some(id) = f.site_id {
        extra.push(("site_id = ?", Value::Integer(id)));
    }
    list(conn, &CUSTOMERS, q, &extra, customer_row)
}

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, message))
}

/// `Invalid` on `site_id` / `lost_reason` when they name nothing that exists.
fn check_refs(conn: &Connection, f: &CustomerFields) -> StoreResult<()> {
    if let Some(id) = f.site_id {
        let found = conn
            .prepare_cached("SELECT 1 FROM sites WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
            .map_err(map_err)?;
        if found.is_none() {
            return Err(invalid("site_id", format!("there is no site with id {id}")));
        }
    }
    if let Some(s) = &f.status {
        check_reason(conn, s)?;
    }
    Ok(())
}

fn check_reason(conn: &Connection, s: &StatusFields) -> StoreResult<()> {
    let Some(reason) = &s.lost_reason else {
        return Ok(());
    };
    let found = conn
        .prepare_cached("SELECT 1 FROM lost_reasons WHERE key = ?1 AND active = 1")
        .and_then(|mut st| st.query_row([reason], |_| Ok(())).optional())
        .map_err(map_err)?;
    match found {
        Some(()) => Ok(()),
        None => Err(invalid(
            "lost_reason",
            format!("'{reason}' is not one of the configured lost reasons"),
        )),
    }
}

fn append_history(
    conn: &Connection,
    id: i64,
    s: &StatusFields,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let latest: Option<String> = conn
        .prepare_cached(
            "SELECT max(changed_at) FROM customer_status_history WHERE customer_id = ?1",
        )
        .and_then(|mut st| st.query_row([id], |r| r.get(0)))
        .map_err(map_err)?;
    let at = status_time(s, now, latest.as_deref())?;
    conn.prepare_cached(
        "INSERT INTO customer_status_history
             (customer_id, status, lost_reason, lost_note, lost_moment_key, changed_at, changed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut st| {
        st.execute(params![
            id,
            s.status.as_str(),
            s.lost_reason,
            s.lost_note,
            s.lost_moment_key,
            at,
            actor.label
        ])
    })
    .map_err(map_err)?;
    Ok(())
}

/// The stored time of a status change: its `since` (checked) or now.
fn status_time(s: &StatusFields, now: DateTime<Utc>, latest: Option<&str>) -> StoreResult<String> {
    let at = ts(s.since.unwrap_or(now));
    if at > ts(now) {
        return Err(invalid("status_since", "must not be in the future".into()));
    }
    match latest {
        Some(l) if at.as_str() < l => Err(invalid(
            "status_since",
            format!("must not be before the customer's latest status change ({l})"),
        )),
        _ => Ok(at),
    }
}

pub(crate) fn create_customer(
    conn: &Connection,
    actor: &Actor,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    check_refs(conn, f)?;
    let s = f.status.clone().unwrap_or_else(StatusFields::unknown);
    conn.prepare_cached(
        "INSERT INTO customers (ref, name, email, phone, segment, site_id, status, lost_reason,
                                lost_note, lost_moment_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )
    .and_then(|mut st| {
        st.execute(params![
            f.reference,
            f.name,
            f.email,
            f.phone,
            f.segment,
            f.site_id,
            s.status.as_str(),
            s.lost_reason,
            s.lost_note,
            s.lost_moment_key,
            ts(now)
        ])
    })
    .map_err(map_err)?;
    let id = conn.last_insert_rowid();
    append_history(conn, id, &s, actor, now)?;
    let c = customer(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.create",
        "customer",
        id,
        None::<&()>,
        Some(&c),
    );
    audit::insert(conn, &entry, now)?;
    Ok(c)
}

pub(crate) fn update_customer(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    let before = customer(conn, id)?;
    if before.erased_at.is_some() {
        return Err(invalid(
            "ref",
            "an erased customer cannot be changed".into(),
        ));
    }
    check_refs(conn, f)?;
    let s = f.status.clone().unwrap_or_else(|| before.status_fields());
    conn.prepare_cached(
        "UPDATE customers SET ref = ?2, name = ?3, email = ?4, phone = ?5, segment = ?6,
             site_id = ?7, status = ?8, lost_reason = ?9, lost_note = ?10, lost_moment_key = ?11,
             updated_at = ?12
         WHERE id = ?1",
    )
    .and_then(|mut st| {
        st.execute(params![
            id,
            f.reference,
            f.name,
            f.email,
            f.phone,
            f.segment,
            f.site_id,
            s.status.as_str(),
            s.lost_reason,
            s.lost_note,
            s.lost_moment_key,
            ts(now)
        ])
    })
    .map_err(map_err)?;
    if !s.same_as(&before.status_fields()) {
        append_history(conn, id, &s, actor, now)?;
    }
    let after = customer(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.update",
        "customer",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

pub(crate) fn set_status(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    s: &StatusFields,
    now: DateTime<Utc>,
) -> StoreResult<Customer> {
    let before = customer(conn, id)?;
    if before.erased_at.is_some() {
        return Err(invalid(
            "status",
            "an erased customer cannot be changed".into(),
        ));
    }
    check_reason(conn, s)?;
    conn.prepare_cached(
        "UPDATE customers SET status = ?2, lost_reason = ?3, lost_note = ?4,
             lost_moment_key = ?5, updated_at = ?6
         WHERE id = ?1",
    )
    .and_then(|mut st| {
        st.execute(params![
            id,
            s.status.as_str(),
            s.lost_reason,
            s.lost_note,
            s.lost_moment_key,
            ts(now)
        ])
    })
    .map_err(map_err)?;
    append_history(conn, id, s, actor, now)?;
    let after = customer(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "customer.status",
        "customer",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

/// Create or update one customer by ref, inside its own savepoint so a failure leaves no
/// trace of it and does not fail the batch.
pub(crate) fn save_one(
    conn: &Connection,
    actor: &Actor,
    f: &CustomerFields,
    now: DateTime<Utc>,
) -> StoreResult<StoreResult<SaveOutcome>> {
    conn.execute_batch("SAVEPOINT customer_item")
        .map_err(map_err)?;
    let result = match customer_by_ref(conn, &f.reference) {
        Ok(c) if !f.would_change(&c) => Ok(SaveOutcome::Unchanged(c.id)),
        Ok(c) => update_customer(conn, actor, c.id, f, now).map(|c| SaveOutcome::Updated(c.id)),
        Err(StoreError::NotFound { .. }) => {
            create_customer(conn, actor, f, now).map(|c| SaveOutcome::Created(c.id))
        }
        Err(e) => Err(e),
    };
    let end = if result.is_ok() {
        "RELEASE customer_item"
    } else {
        "ROLLBACK TO customer_item; RELEASE customer_item"
    };
    conn.execute_batch(end).map_err(map_err)?;
    Ok(result)
}

pub(crate) fn history(conn: &Connection, id: i64) -> StoreResult<Vec<StatusChange>> {
    customer(conn, id)?;
    conn.prepare_cached(
        "SELECT customer_id, status, lost_reason, lost_note, lost_moment_key, changed_at, changed_by
         FROM customer_status_history WHERE customer_id = ?1 ORDER BY changed_at, id",
    )
    .and_then(|mut s| {
        s.query_map([id], |r| {
            Ok(StatusChange {
                customer_id: r.get(0)?,
                status: get_parsed(r, 1)?,
                lost_reason: r.get(2)?,
                lost_note: r.get(3)?,
                lost_moment_key: r.get(4)?,
                changed_at: get_ts(r, 5)?,
                changed_by: r.get(6)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}
