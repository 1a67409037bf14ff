//! Complaint changes on SQLite: create (with policy promises and the customer's withdrawal),
//! transitions (settling the promises they fulfil), assignment, updates and resolutions. Each
//! runs inside one writer job, so everything it writes commits together with its audit record.
use crate::{
    audit,
    complaint_config::{calendar, insert_entry, policies},
    complaint_promises,
    complaint_rows::{get, get_update, must_exist},
    rows::{map_err, to_json, ts},
};
use chrono::{DateTime, Datelike, Utc};
use rusqlite::{Connection, params};
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

fn record_transition(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    from: Option<ComplaintStatus>,
    to: ComplaintStatus,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO complaint_transitions (complaint_id, from_status, to_status, at,
             actor_user_id, actor, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            from.map(ComplaintStatus::as_str),
            to.as_str(),
            ts(now),
            actor.user_id,
            actor.label,
            note
        ])
    })
    .map_err(map_err)?;
    Ok(())
}

/// The case's row (reference of `year`) and its first transition into `status`; shared by
/// registering and importing.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_case(
    conn: &Connection,
    actor: &Actor,
    c: &ValidComplaint,
    token_hash: &str,
    status: ComplaintStatus,
    year: i32,
    external_id: Option<&str>,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    must_exist(conn, "sites", "site_id", c.site_id)?;
    must_exist(conn, "users", "assignee_id", c.assignee_id)?;
    let seq: i64 = conn
        .query_row(
            "INSERT INTO complaint_sequences (year, last) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
            [year],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    conn.prepare_cached(
        "INSERT INTO complaints (reference, token_hash, customer_ref, channel, site_id,
             service_key, moment_key, moment_id, dimension_key, description, remedy_requested,
             severity, status, assignee_id, received_at, created_at, updated_at, external_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             ?16, ?17)",
    )
    .and_then(|mut s| {
        s.execute(params![
            format_reference(year, seq),
            token_hash,
            c.customer_ref,
            c.channel.as_str(),
            c.site_id,
            c.service_key,
            c.moment_key,
            c.moment_id,
            c.dimension_key,
            c.description,
            c.remedy_requested,
            c.severity.as_str(),
            status.as_str(),
            c.assignee_id,
            ts(c.received_at),
            ts(now),
            external_id
        ])
    })
    .map_err(map_err)?;
    let created = get(conn, conn.last_insert_rowid())?;
    record_transition(conn, actor, created.id, None, status, note, now)?;
    Ok(created)
}

pub(crate) fn create(
    conn: &Connection,
    actor: &Actor,
    c: &ValidComplaint,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let created = insert_case(
        conn,
        actor,
        c,
        token_hash,
        ComplaintStatus::Received,
        now.year(),
        None,
        "",
        now,
    )?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.create",
        "complaint",
        created.id,
        None::<&()>,
        Some(&created),
    );
    audit::insert(conn, &entry, now)?;
    let stored = policies(conn)?;
    if let Some(policy) = policy_for(&stored, c.severity, c.channel) {
        let cal = calendar(conn, c.site_id)?;
        for p in promises_for(policy, c.received_at, cal.as_ref()) {
            complaint_promises::insert(conn, actor, created.id, &p, PromiseSource::Policy, now)?;
        }
    }
    insert_entry(
        conn,
        &c.customer_ref,
        LedgerKind::Complaint,
        None,
        c.received_at,
        Some(created.id),
        None,
        &created.reference,
        &actor.label,
        now,
    )?;
    Ok(created)
}

fn invalid_status(message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single("status", message))
}

/// The close and the invitation it sets in motion, in the caller's transaction.
pub(crate) fn close(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    note: &str,
    invitation: Option<&ClosingInvitation>,
    now: DateTime<Utc>,
) -> StoreResult<Closed> {
    let complaint = transition(conn, actor, id, ComplaintStatus::Closed, note, now)?;
    let Some(inv) = invitation else {
        return Ok(Closed {
            complaint,
            invitation: None,
            queued: false,
        });
    };
    crate::links::retire_for_complaint(conn, actor, inv.survey_id, &complaint.reference, now)?;
    let new = NewLink {
        complaint_ref: Some(complaint.reference.clone()),
        ..inv.link.clone()
    };
    let link = crate::links::create(conn, actor, inv.survey_id, &[new], now)?
        .pop()
        .ok_or_else(|| StoreError::backend("created invitation missing"))?;
    let notice = (inv.notice)(&complaint, &link);
    let queued = crate::complaint_outbox::enqueue_notification(conn, &notice, now)?;
    Ok(Closed {
        complaint,
        invitation: Some(link),
        queued,
    })
}

pub(crate) fn transition(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    to: ComplaintStatus,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let before = get(conn, id)?;
    before
        .status
        .transition(to)
        .map_err(|e| invalid_status(e.message()))?;
    conn.execute(
        "UPDATE complaints SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, to.as_str(), ts(now)],
    )
    .map_err(map_err)?;
    record_transition(conn, actor, id, Some(before.status), to, note.trim(), now)?;
    let fulfilled: &[PromiseKind] = match to {
        ComplaintStatus::Acknowledged => &[PromiseKind::Acknowledge],
        ComplaintStatus::Responded => &[PromiseKind::FirstResponse],
        ComplaintStatus::Resolved => &[PromiseKind::Resolve],
        _ => &[],
    };
    complaint_promises::fulfil_kinds(conn, actor, id, fulfilled, now)?;
    if to == ComplaintStatus::Closed {
        complaint_promises::cancel_open(conn, actor, id, "complaint closed", now)?;
    }
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.transition",
        "complaint",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

pub(crate) fn assign(
    conn: &Connection,
    actor: &Actor,
    ids: &[i64],
    assignee_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Complaint>> {
    must_exist(conn, "users", "assignee_id", assignee_id)?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let before = get(conn, id)?;
        conn.execute(
            "UPDATE complaints SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, assignee_id, ts(now)],
        )
        .map_err(map_err)?;
        let after = get(conn, id)?;
        let entry = NewAuditEntry::change(
            actor,
            "complaint.assign",
            "complaint",
            id,
            Some(&before),
            Some(&after),
        );
        audit::insert(conn, &entry, now)?;
        out.push(after);
    }
    Ok(out)
}

pub(crate) fn add_update(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    u: &ValidUpdate,
    now: DateTime<Utc>,
) -> StoreResult<ComplaintUpdate> {
    let c = get(conn, id)?;
    conn.execute(
        "INSERT INTO complaint_updates (complaint_id, visibility, text, at, actor_user_id, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            u.visibility.as_str(),
            u.text,
            ts(now),
            actor.user_id,
            actor.label
        ],
    )
    .map_err(map_err)?;
    let update = get_update(conn, conn.last_insert_rowid())?;
    conn.execute(
        "UPDATE complaints SET updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.update",
        "complaint",
        id,
        None::<&()>,
        Some(&update),
    );
    audit::insert(conn, &entry, now)?;
    if u.visibility == Visibility::Customer {
        complaint_promises::fulfil_kinds(conn, actor, id, &[PromiseKind::Update], now)?;
        if c.status.is_open()
            && let Some(policy) = policy_for(&policies(conn)?, c.severity, c.channel)
            && let Some(next) = policy.next_update(now, calendar(conn, c.site_id)?.as_ref())
        {
            complaint_promises::insert(conn, actor, id, &next, PromiseSource::Policy, now)?;
        }
    }
    Ok(update)
}

pub(crate) fn record_resolution(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    r: &Resolution,
    now: DateTime<Utc>,
) -> StoreResult<Complaint> {
    let before = get(conn, id)?;
    if before.status == ComplaintStatus::Closed {
        return Err(invalid_status(
            "a closed complaint's resolution cannot change; reopen it first".into(),
        ));
    }
    conn.execute(
        "UPDATE complaints SET resolution_json = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, to_json(r)?, ts(now)],
    )
    .map_err(map_err)?;
    let already: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM relationship_ledger
                 WHERE complaint_id = ?1 AND kind = 'complaint_resolved_satisfied')",
            [id],
            |row| row.get(0),
        )
        .map_err(map_err)?;
    if r.customer_satisfied == Some(true) && !already {
        insert_entry(
            conn,
            &before.customer_ref,
            LedgerKind::ComplaintResolvedSatisfied,
            None,
            now,
            Some(id),
            None,
            &before.reference,
            &actor.label,
            now,
        )?;
    }
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.resolution",
        "complaint",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}
