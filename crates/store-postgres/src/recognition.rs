//! Recognition on PostgreSQL: the formula's settings and the month's evidence per staff
//! member, each source read with one grouped query (rules in
//! `touchpoint_core::recognition::store`).
use crate::{PgStore, audit, errors::Db};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row, types::Json};
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreResult,
    audit::{Actor, NewAuditEntry},
    feedback::records::StoredAnswer,
    recognition::{
        AuditMomentTally, CountTally, PromiseTally, RecognitionSettings, RecognitionStore,
        ResolutionTally, ScoreTally, StaffMonthEvidence, response_satisfaction,
    },
};

async fn settings(conn: &mut PgConnection) -> StoreResult<RecognitionSettings> {
    let found: Option<Json<RecognitionSettings>> =
        sqlx::query_scalar("SELECT settings FROM recognition_settings WHERE id = 1")
            .fetch_optional(conn)
            .await
            .db()?;
    Ok(found.map_or_else(RecognitionSettings::default, |j| j.0))
}

async fn save_settings(
    conn: &mut PgConnection,
    actor: &Actor,
    s: &RecognitionSettings,
    now: DateTime<Utc>,
) -> StoreResult<RecognitionSettings> {
    // Serialise concurrent saves so each audit record's "before" is the row it replaced.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('recognition_settings'))")
        .execute(&mut *conn)
        .await
        .db()?;
    let before = settings(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO recognition_settings (id, settings, updated_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings, \
             updated_at = EXCLUDED.updated_at",
    )
    .bind(Json(s))
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    let entry = NewAuditEntry::change(
        actor,
        "recognition.settings",
        "recognition_settings",
        1,
        Some(&before),
        Some(s),
    );
    audit::write(conn, now, &entry).await?;
    Ok(*s)
}

/// Staff member ↔ user: the staff member whose email is the user's (case-insensitive).
const ASSIGNEE_STAFF: &str = "JOIN users u ON u.id = c.assignee_id \
     JOIN staff st ON st.email <> '' AND lower(st.email) = lower(u.email)";

type Period = (DateTime<Utc>, DateTime<Utc>);

async fn audits(conn: &mut PgConnection, (from, to): Period) -> StoreResult<Vec<AuditMomentTally>> {
    let rows = sqlx::query(
        "SELECT s.value::bigint AS staff_id, v.service_id, m->>'moment_key' AS moment_key, \
                sum((m->>'score')::float8) AS score_sum, count(m->>'score') AS scored \
         FROM audit_visits v \
         CROSS JOIN LATERAL jsonb_array_elements_text(v.visit->'staff_ids') s(value) \
         CROSS JOIN LATERAL jsonb_array_elements(v.visit->'moments') m \
         WHERE v.visited_at >= $1 AND v.visited_at < $2 \
         GROUP BY 1, 2, 3 HAVING count(m->>'score') > 0 \
         ORDER BY 1, 2, (m->>'moment_key') COLLATE \"C\"",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            Ok(AuditMomentTally {
                staff_id: r.try_get("staff_id")?,
                service_id: r.try_get("service_id")?,
                moment_key: r.try_get("moment_key")?,
                score_sum: r.try_get("score_sum")?,
                scored: r.try_get("scored")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

/// Customer responses naming a staff member, each scored once, summed per staff member.
async fn satisfaction(conn: &mut PgConnection, (from, to): Period) -> StoreResult<Vec<ScoreTally>> {
    let rows: Vec<(i64, Json<Vec<StoredAnswer>>)> = sqlx::query_as(
        "SELECT r.staff_id, r.answers FROM responses r JOIN surveys s ON s.id = r.survey_id \
         WHERE r.staff_id IS NOT NULL AND r.submitted_at >= $1 AND r.submitted_at < $2 \
           AND s.audience = 'customers'",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .db()?;
    let mut per_staff: BTreeMap<i64, (f64, i64)> = BTreeMap::new();
    for (staff, answers) in rows {
        if let Some(score) = response_satisfaction(&answers.0) {
            let t = per_staff.entry(staff).or_default();
            t.0 += score;
            t.1 += 1;
        }
    }
    Ok(per_staff
        .into_iter()
        .map(|(staff_id, (sum, count))| ScoreTally {
            staff_id,
            sum,
            count,
        })
        .collect())
}

async fn compliments(conn: &mut PgConnection, (from, to): Period) -> StoreResult<Vec<CountTally>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT staff_id, count(*) FROM compliments \
         WHERE staff_id IS NOT NULL AND received_at >= $1 AND received_at < $2 \
         GROUP BY staff_id ORDER BY staff_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .db()?;
    Ok(rows
        .into_iter()
        .map(|(staff_id, count)| CountTally { staff_id, count })
        .collect())
}

async fn resolutions(
    conn: &mut PgConnection,
    (from, to): Period,
) -> StoreResult<Vec<ResolutionTally>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT st.id, count(*), \
                count(*) FILTER (WHERE (c.resolution->>'customer_satisfied')::boolean) \
         FROM complaints c {ASSIGNEE_STAFF} \
         WHERE c.id IN (SELECT complaint_id FROM complaint_transitions \
                        WHERE to_status = 'resolved' AND at >= $1 AND at < $2) \
         GROUP BY st.id ORDER BY st.id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .db()?;
    Ok(rows
        .into_iter()
        .map(|(staff_id, resolved, satisfied)| ResolutionTally {
            staff_id,
            resolved,
            satisfied,
        })
        .collect())
}

async fn promises(conn: &mut PgConnection, (from, to): Period) -> StoreResult<Vec<PromiseTally>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT st.id, count(*) FILTER (WHERE p.state = 'kept'), \
                count(*) FILTER (WHERE p.state = 'broken') \
         FROM complaint_promises p JOIN complaints c ON c.id = p.complaint_id {ASSIGNEE_STAFF} \
         WHERE p.state IN ('kept', 'broken') AND p.settled_at >= $1 AND p.settled_at < $2 \
         GROUP BY st.id ORDER BY st.id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
    .db()?;
    Ok(rows
        .into_iter()
        .map(|(staff_id, kept, broken)| PromiseTally {
            staff_id,
            kept,
            broken,
        })
        .collect())
}

#[async_trait]
impl RecognitionStore for PgStore {
    async fn recognition_settings(&self) -> StoreResult<RecognitionSettings> {
        let mut conn = self.pool.acquire().await.db()?;
        settings(&mut conn).await
    }

    async fn save_recognition_settings(
        &self,
        actor: &Actor,
        s: &RecognitionSettings,
    ) -> StoreResult<RecognitionSettings> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let saved = save_settings(&mut tx, actor, s, now).await?;
        tx.commit().await.db()?;
        Ok(saved)
    }

    async fn staff_month_evidence(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<StaffMonthEvidence> {
        let period = (from, to);
        let mut conn = self.pool.acquire().await.db()?;
        Ok(StaffMonthEvidence {
            audits: audits(&mut conn, period).await?,
            satisfaction: satisfaction(&mut conn, period).await?,
            compliments: compliments(&mut conn, period).await?,
            resolutions: resolutions(&mut conn, period).await?,
            promises: promises(&mut conn, period).await?,
        })
    }
}
