//! Importing a case from another system on SQLite (rules in `touchpoint_core::complaints::
//! import`): one writer job, so the case, its transition, promises, withdrawal and audit
//! record commit together, and the writer thread makes the external-id check and the insert
//! atomic.
use crate::{
    audit,
    complaint_config::{calendar, insert_entry, policies},
    complaint_promises,
    complaint_writes::insert_case,
    rows::map_err,
};
use chrono::{DateTime, Datelike, Utc};
use rusqlite::{Connection, OptionalExtension};
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::{
        ImportOutcome, ImportedComplaint, LedgerKind, PromiseSource, import_promises, policy_for,
    },
};

pub(crate) fn import(
    conn: &Connection,
    actor: &Actor,
    i: &ImportedComplaint,
    now: DateTime<Utc>,
) -> StoreResult<ImportOutcome> {
    let present: Option<i64> = conn
        .query_row(
            "SELECT id FROM complaints WHERE external_id = ?1",
            [&i.external_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(map_err)?;
    if let Some(id) = present {
        return Ok(ImportOutcome::AlreadyPresent(id));
    }
    let c = &i.complaint;
    let note = format!("imported (external id {})", i.external_id);
    let created = insert_case(
        conn,
        actor,
        c,
        &i.status_token_hash,
        i.status,
        c.received_at.year(),
        Some(&i.external_id),
        &note,
        now,
    )?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.import",
        "complaint",
        created.id,
        None::<&()>,
        Some(&created),
    );
    audit::insert(conn, &entry, now)?;
    let stored = policies(conn)?;
    if let Some(policy) = policy_for(&stored, c.severity, c.channel) {
        let cal = calendar(conn, c.site_id)?;
        for p in import_promises(policy, i.status, now, cal.as_ref()) {
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
    Ok(ImportOutcome::Created(created.id))
}
