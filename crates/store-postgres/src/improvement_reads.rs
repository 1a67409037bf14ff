//! The complaint analysis' read and the estimate assumptions on PostgreSQL.
use crate::{audit, errors::Db};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    improvement::{Assumptions, ComplaintFact, ComplaintFactQuery},
};

pub(crate) async fn facts(
    conn: &mut PgConnection,
    q: &ComplaintFactQuery,
) -> StoreResult<Vec<ComplaintFact>> {
    let rows = sqlx::query(
        "SELECT c.id, c.moment_key, c.dimension_key, c.site_id, c.assignee_id, \
           c.resolution->>'root_cause' AS root_cause, \
           (c.resolution->>'customer_satisfied')::boolean AS satisfied, \
           (SELECT count(*) FROM complaint_promises p \
             WHERE p.complaint_id = c.id AND p.state = 'kept') AS kept, \
           (SELECT count(*) FROM complaint_promises p \
             WHERE p.complaint_id = c.id AND p.state = 'broken') AS broken \
         FROM complaints c \
         WHERE c.service_key = $1 AND c.received_at >= $2 \
           AND ($3::timestamptz IS NULL OR c.received_at < $3) \
           AND ($4::bigint IS NULL OR c.site_id = $4) \
         ORDER BY c.id",
    )
    .bind(&q.service_key)
    .bind(q.since)
    .bind(q.until)
    .bind(q.site_id)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            let cause: Option<String> = r.try_get("root_cause")?;
            Ok(ComplaintFact {
                id: r.try_get("id")?,
                moment_key: r.try_get("moment_key")?,
                dimension_key: r.try_get("dimension_key")?,
                site_id: r.try_get("site_id")?,
                assignee_id: r.try_get("assignee_id")?,
                root_cause: cause.filter(|c| !c.trim().is_empty()),
                customer_satisfied: r.try_get("satisfied")?,
                promises_kept: r.try_get::<i64, _>("kept")?.max(0) as u64,
                promises_broken: r.try_get::<i64, _>("broken")?.max(0) as u64,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

pub(crate) async fn assumptions(conn: &mut PgConnection) -> StoreResult<Assumptions> {
    let row = sqlx::query(
        "SELECT silent_per_complaint, told_by_dissatisfied, told_by_satisfied \
         FROM complaint_assumptions WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
    .db()?;
    row.map(|r| {
        Ok(Assumptions {
            silent_per_complaint: r.try_get(0)?,
            told_by_dissatisfied: r.try_get(1)?,
            told_by_satisfied: r.try_get(2)?,
        })
    })
    .transpose()
    .db()
    .map(Option::unwrap_or_default)
}

pub(crate) async fn set_assumptions(
    conn: &mut PgConnection,
    actor: &Actor,
    a: &Assumptions,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    // Lock the row (when present) so two changes record each other as "before".
    sqlx::query("SELECT 1 FROM complaint_assumptions WHERE id = 1 FOR UPDATE")
        .execute(&mut *conn)
        .await
        .db()?;
    let before = assumptions(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO complaint_assumptions \
           (id, silent_per_complaint, told_by_dissatisfied, told_by_satisfied, updated_at) \
         VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET \
           silent_per_complaint = EXCLUDED.silent_per_complaint, \
           told_by_dissatisfied = EXCLUDED.told_by_dissatisfied, \
           told_by_satisfied = EXCLUDED.told_by_satisfied, updated_at = EXCLUDED.updated_at",
    )
    .bind(a.silent_per_complaint)
    .bind(a.told_by_dissatisfied)
    .bind(a.told_by_satisfied)
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "complaint_assumptions.set",
        "settings",
        "complaint_assumptions",
        Some(&before),
        Some(a),
    );
    audit::write(conn, now, &entry).await
}
