//! Complaint changes on PostgreSQL: create (with policy promises and the customer's
//! withdrawal), transitions (settling the promises they fulfil), assignment, updates and
//! resolutions. Each runs in one transaction with its audit records; changes to one complaint
//! lock its row first, so concurrent transitions see each other's result.
use crate::{
    audit,
    complaint_config::{Entry, calendar, insert_entry, policies},
    complaint_promises,
    complaint_rows::{UPDATE_SELECT, get, lock, must_exist, update_row},
    errors::Db,
};
use chrono::{DateTime, Datelike, Utc};
use sqlx::{PgConnection, types::Json};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    complaints::{
        Closed, ClosingInvitation, Complaint, ComplaintStatus, ComplaintUpdate, LedgerKind,
        PromiseKind, PromiseSource, Resolution, ValidComplaint, ValidUpdate, Visibility,
        format_reference, policy_for, promises_for,
    },
    feedback::records::NewLink,
};

async fn record_transition(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    from: Option<ComplaintStatus>,
    to: ComplaintStatus,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO complaint_transitions (complaint_id, from_status, to_status, at, \
           actor_user_id, actor, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(from.map(ComplaintStatus::as_str))
    .bind(to.as_str())
    .bind(now)
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(note)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// The case's row (reference of `year`) and its first transition into `status`; shared by
/// registering and importing.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_case(
    conn: &mut PgConnection,
    actor: &Actor,
    c: &ValidComplaint,
    token_hash: &str,
    status: ComplaintStatus,
    year: i32,
    external_id: Option<&str>,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    must_exist(&mut *conn, "sites", "site_id", c.site_id).await?;
    must_exist(&mut *conn, "users", "assignee_id", c.assignee_id).await?;
    // The counter row stays locked until commit: concurrent creates get consecutive numbers.
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_sequences (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = complaint_sequences.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaints (reference, token_hash, customer_ref, channel, site_id, \
           service_key, moment_key, moment_id, dimension_key, description, remedy_requested, \
           severity, status, assignee_id, received_at, created_at, updated_at, external_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
           $16, $17) RETURNING id",
    )
    .bind(format_reference(year, seq))
    .bind(token_hash)
    .bind(&c.customer_ref)
    .bind(c.channel.as_str())
    .bind(c.site_id)
    .bind(&c.service_key)
    .bind(&c.moment_key)
    .bind(c.moment_id)
    .bind(&c.dimension_key)
    .bind(&c.description)
    .bind(&c.remedy_requested)
    .bind(c.severity.as_str())
    .bind(status.as_str())
    .bind(c.assignee_id)
    .bind(crate::micros(c.received_at))
    .bind(now)
    .bind(external_id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let created = get(&mut *conn, id).await?;
    record_transition(&mut *conn, actor, id, None, status, note, now).await?;
    Ok(created)
}

pub(crate) async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    c: &ValidComplaint,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let created = insert_case(
        &mut *conn,
        actor,
        c,
        token_hash,
        ComplaintStatus::Received,
        now.year(),
        None,
        "",
        now,
    )
    .await?;
    let id = created.id;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.create",
        "complaint",
        id,
        None::<&()>,
        Some(&created),
    );
    audit::write(&mut *conn, now, &entry).await?;
    let stored = policies(&mut *conn).await?;
    if let Some(policy) = policy_for(&stored, c.severity, c.channel) {
        let cal = calendar(&mut *conn, c.site_id).await?;
        for p in promises_for(policy, c.received_at, cal.as_ref()) {
            complaint_promises::insert(&mut *conn, actor, id, &p, PromiseSource::Policy, now)
                .await?;
        }
    }
    let withdrawal = Entry {
        customer_ref: &c.customer_ref,
        kind: LedgerKind::Complaint,
        weight: None,
        occurred_at: c.received_at,
        complaint_id: Some(id),
        promise_id: None,
        note: &created.reference,
        recorded_by: &actor.label,
    };
    insert_entry(conn, withdrawal, now).await?;
    Ok(created)
}

fn invalid_status(message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single("status", message))
}

/// The close and the invitation it sets in motion, in the caller's transaction.
pub(crate) async fn close(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    note: &str,
    invitation: Option<&ClosingInvitation>,
    now: DateTime<Utc>,
) -> StoreResult<Closed> {
    let complaint = transition(&mut *conn, actor, id, ComplaintStatus::Closed, note, now).await?;
    let Some(inv) = invitation else {
        return Ok(Closed {
            complaint,
            invitation: None,
            queued: false,
        });
    };
    let reference = complaint.reference.as_str();
    crate::links::retire_for_complaint(&mut *conn, actor, inv.survey_id, reference, now).await?;
    let new = NewLink {
        complaint_ref: Some(complaint.reference.clone()),
        ..inv.link.clone()
    };
    let link = crate::links::insert(&mut *conn, actor, inv.survey_id, &[new], now)
        .await?
        .pop()
        .ok_or_else(|| StoreError::backend("created invitation missing"))?;
    let notice = (inv.notice)(&complaint, &link);
    let queued = crate::complaint_outbox::enqueue_notification(&mut *conn, &notice, now).await?;
    Ok(Closed {
        complaint,
        invitation: Some(link),
        queued,
    })
}

pub(crate) async fn transition(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    to: ComplaintStatus,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let before = lock(&mut *conn, id).await?;
    before
        .status
        .transition(to)
        .map_err(|e| invalid_status(e.message()))?;
    sqlx::query("UPDATE complaints SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(to.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await
        .db()?;
    record_transition(
        &mut *conn,
        actor,
        id,
        Some(before.status),
        to,
        note.trim(),
        now,
    )
    .await?;
    let fulfilled: &[PromiseKind] = match to {
        ComplaintStatus::Acknowledged => &[PromiseKind::Acknowledge],
        ComplaintStatus::Responded => &[PromiseKind::FirstResponse],
        ComplaintStatus::Resolved => &[PromiseKind::Resolve],
        _ => &[],
    };
    complaint_promises::fulfil_kinds(&mut *conn, actor, id, fulfilled, now).await?;
    if to == ComplaintStatus::Closed {
        complaint_promises::cancel_open(&mut *conn, actor, id, "complaint closed", now).await?;
    }
    let after = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.transition",
        "complaint",
        id,
        Some(&before),
        Some(&after),
    );
    audit::write(conn, now, &entry).await?;
    Ok(after)
}

pub(crate) async fn assign(
    conn: &mut PgConnection,
    actor: &Actor,
    ids: &[i64],
    assignee_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Complaint>> {
    must_exist(&mut *conn, "users", "assignee_id", assignee_id).await?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let before = lock(&mut *conn, id).await?;
        sqlx::query("UPDATE complaints SET assignee_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(assignee_id)
            .bind(now)
            .execute(&mut *conn)
            .await
            .db()?;
        let after = get(&mut *conn, id).await?;
        let entry = NewAuditEntry::change(
            actor,
            "complaint.assign",
            "complaint",
            id,
            Some(&before),
            Some(&after),
        );
        audit::write(&mut *conn, now, &entry).await?;
        out.push(after);
    }
    Ok(out)
}

pub(crate) async fn add_update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    u: &ValidUpdate,
    now: DateTime<Utc>,
) -> StoreResult<ComplaintUpdate> {
    let c = lock(&mut *conn, id).await?;
    let row = sqlx::query(&format!(
        "WITH inserted AS (INSERT INTO complaint_updates (complaint_id, visibility, text, at, \
           actor_user_id, actor) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *) \
         {} ",
        UPDATE_SELECT.replace("complaint_updates", "inserted")
    ))
    .bind(id)
    .bind(u.visibility.as_str())
    .bind(&u.text)
    .bind(now)
    .bind(actor.user_id)
    .bind(&actor.label)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let update = update_row(&row).db()?;
    sqlx::query("UPDATE complaints SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.update",
        "complaint",
        id,
        None::<&()>,
        Some(&update),
    );
    audit::write(&mut *conn, now, &entry).await?;
    if u.visibility == Visibility::Customer {
        complaint_promises::fulfil_kinds(&mut *conn, actor, id, &[PromiseKind::Update], now)
            .await?;
        if c.status.is_open() {
            let stored = policies(&mut *conn).await?;
            let cal = calendar(&mut *conn, c.site_id).await?;
            if let Some(next) = policy_for(&stored, c.severity, c.channel)
                .and_then(|p| p.next_update(now, cal.as_ref()))
            {
                complaint_promises::insert(conn, actor, id, &next, PromiseSource::Policy, now)
                    .await?;
            }
        }
    }
    Ok(update)
}

pub(crate) async fn record_resolution(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    r: &Resolution,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let before = lock(&mut *conn, id).await?;
    if before.status == ComplaintStatus::Closed {
        return Err(invalid_status(
            "a closed complaint's resolution cannot change; reopen it first".into(),
        ));
    }
    sqlx::query("UPDATE complaints SET resolution = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(Json(r))
        .bind(now)
        .execute(&mut *conn)
        .await
        .db()?;
    let already: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM relationship_ledger \
         WHERE complaint_id = $1 AND kind = 'complaint_resolved_satisfied')",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .db()?;
    if r.customer_satisfied == Some(true) && !already {
        let deposit = Entry {
            customer_ref: &before.customer_ref,
            kind: LedgerKind::ComplaintResolvedSatisfied,
            weight: None,
            occurred_at: now,
            complaint_id: Some(id),
            promise_id: None,
            note: &before.reference,
            recorded_by: &actor.label,
        };
        insert_entry(&mut *conn, deposit, now).await?;
    }
    let after = get(&mut *conn, id).await?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.resolution",
        "complaint",
        id,
        Some(&before),
        Some(&after),
    );
    audit::write(conn, now, &entry).await?;
    Ok(after)
}
