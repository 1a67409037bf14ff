//! Importing a case from another system on PostgreSQL (rules in `touchpoint_core::complaints::
//! import`): one transaction for the case, its transition, promises, withdrawal and audit
//! record. Two importers racing on one external id meet the unique index: one commits, the
//! other gets a conflict on `external_id` (a re-run then finds it present).
use crate::{
    audit,
    complaint_config::{Entry, calendar, insert_entry, policies},
    complaint_promises,
    complaint_writes::insert_case,
    errors::Db,
};
use chrono::{DateTime, Datelike, Utc};
use sqlx::PgConnection;
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::{
        ImportOutcome, ImportedComplaint, LedgerKind, PromiseSource, import_promises, policy_for,
    },
};

pub(crate) async fn import(
    conn: &mut PgConnection,
    actor: &Actor,
    i: &ImportedComplaint,
    now: DateTime<Utc>,
) -> StoreResult<ImportOutcome> {
    let present: Option<i64> =
        sqlx::query_scalar("SELECT id FROM complaints WHERE external_id = $1")
            .bind(&i.external_id)
            .fetch_optional(&mut *conn)
            .await
            .db()?;
    if let Some(id) = present {
        return Ok(ImportOutcome::AlreadyPresent(id));
    }
    let c = &i.complaint;
    let note = format!("imported (external id {})", i.external_id);
    let created = insert_case(
        &mut *conn,
        actor,
        c,
        &i.status_token_hash,
        i.status,
        c.received_at.year(),
        Some(&i.external_id),
        &note,
        now,
    )
    .await?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint.import",
        "complaint",
        created.id,
        None::<&()>,
        Some(&created),
    );
    audit::write(&mut *conn, now, &entry).await?;
    let stored = policies(&mut *conn).await?;
    if let Some(policy) = policy_for(&stored, c.severity, c.channel) {
        let cal = calendar(&mut *conn, c.site_id).await?;
        for p in import_promises(policy, i.status, now, cal.as_ref()) {
            complaint_promises::insert(
                &mut *conn,
                actor,
                created.id,
                &p,
                PromiseSource::Policy,
                now,
            )
            .await?;
        }
    }
    let withdrawal = Entry {
        customer_ref: &c.customer_ref,
        kind: LedgerKind::Complaint,
        weight: None,
        occurred_at: c.received_at,
        complaint_id: Some(created.id),
        promise_id: None,
        note: &created.reference,
        recorded_by: &actor.label,
    };
    insert_entry(conn, withdrawal, now).await?;
    Ok(ImportOutcome::Created(created.id))
}
