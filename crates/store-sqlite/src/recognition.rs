//! Recognition: the formula's settings and the month's evidence per staff member, each source
//! read with one grouped query (see `touchpoint_core::recognition::store` for the rules).
use crate::{
    SqliteStore, audit, responses,
    rows::{map_err, to_json, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    recognition::{
        AuditMomentTally, CountTally, PromiseTally, RecognitionSettings, RecognitionStore,
        ResolutionTally, ScoreTally, StaffMonthEvidence, response_satisfaction,
    },
};

fn settings(conn: &Connection) -> StoreResult<RecognitionSettings> {
    let json: Option<String> = conn
        .query_row(
            "SELECT settings_json FROM recognition_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(map_err)?;
    json.map_or(Ok(RecognitionSettings::default()), |j| {
        serde_json::from_str(&j).map_err(StoreError::backend)
    })
}

fn save_settings(
    conn: &Connection,
    actor: &Actor,
    s: &RecognitionSettings,
    now: DateTime<Utc>,
) -> StoreResult<RecognitionSettings> {
    let before = settings(conn)?;
    conn.execute(
        "INSERT INTO recognition_settings (id, settings_json, updated_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET settings_json = excluded.settings_json,
             updated_at = excluded.updated_at",
        params![to_json(s)?, ts(now)],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "recognition.settings",
        "recognition_settings",
        1,
        Some(&before),
        Some(s),
    );
    audit::insert(conn, &entry, now)?;
    Ok(*s)
}

/// Staff member ↔ user: the staff member whose email is the user's (case-insensitive).
const ASSIGNEE_STAFF: &str = "JOIN users u ON u.id = c.assignee_id
     JOIN staff st ON st.email <> '' AND lower(st.email) = lower(u.email)";

fn audits(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<AuditMomentTally>> {
    conn.prepare_cached(
        "SELECT CAST(s.value AS INTEGER), v.service_id, json_extract(m.value, '$.moment_key'),
                sum(json_extract(m.value, '$.score')), count(json_extract(m.value, '$.score'))
         FROM audit_visits v, json_each(v.visit_json, '$.staff_ids') s,
              json_each(v.visit_json, '$.moments') m
         WHERE v.visited_at >= ?1 AND v.visited_at < ?2
         GROUP BY 1, 2, 3 HAVING count(json_extract(m.value, '$.score')) > 0
         ORDER BY 1, 2, 3",
    )
    .and_then(|mut st| {
        st.query_map(params![from, to], |r| {
            Ok(AuditMomentTally {
                staff_id: r.get(0)?,
                service_id: r.get(1)?,
                moment_key: r.get(2)?,
                score_sum: r.get(3)?,
                scored: r.get(4)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

/// Customer responses naming a staff member, each scored once, summed per staff member.
fn satisfaction(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<ScoreTally>> {
    let records = responses::fetch(
        conn,
        &format!(
            "{} JOIN surveys s ON s.id = r.survey_id
             WHERE r.staff_id IS NOT NULL AND r.submitted_at >= ?1 AND r.submitted_at < ?2
               AND s.audience = 'customers'",
            responses::SELECT
        ),
        params![from.timestamp_micros(), to.timestamp_micros()],
    )?;
    let mut per_staff: BTreeMap<i64, (f64, i64)> = BTreeMap::new();
    for r in records {
        if let (Some(staff), Some(score)) = (r.staff_id, response_satisfaction(&r.answers)) {
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

fn compliments(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<CountTally>> {
    conn.prepare_cached(
        "SELECT staff_id, count(*) FROM compliments
         WHERE staff_id IS NOT NULL AND received_at >= ?1 AND received_at < ?2
         GROUP BY staff_id ORDER BY staff_id",
    )
    .and_then(|mut st| {
        st.query_map(params![from, to], |r| {
            Ok(CountTally {
                staff_id: r.get(0)?,
                count: r.get(1)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

fn resolutions(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<ResolutionTally>> {
    conn.prepare_cached(&format!(
        "SELECT st.id, count(*),
                sum(CASE WHEN json_extract(c.resolution_json, '$.customer_satisfied') = 1
                         THEN 1 ELSE 0 END)
         FROM complaints c {ASSIGNEE_STAFF}
         WHERE c.id IN (SELECT complaint_id FROM complaint_transitions
                        WHERE to_status = 'resolved' AND at >= ?1 AND at < ?2)
         GROUP BY st.id ORDER BY st.id"
    ))
    .and_then(|mut st| {
        st.query_map(params![from, to], |r| {
            Ok(ResolutionTally {
                staff_id: r.get(0)?,
                resolved: r.get(1)?,
                satisfied: r.get(2)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

fn promises(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<PromiseTally>> {
    conn.prepare_cached(&format!(
        "SELECT st.id, sum(p.state = 'kept'), sum(p.state = 'broken')
         FROM complaint_promises p JOIN complaints c ON c.id = p.complaint_id {ASSIGNEE_STAFF}
         WHERE p.state IN ('kept', 'broken') AND p.settled_at >= ?1 AND p.settled_at < ?2
         GROUP BY st.id ORDER BY st.id"
    ))
    .and_then(|mut st| {
        st.query_map(params![from, to], |r| {
            Ok(PromiseTally {
                staff_id: r.get(0)?,
                kept: r.get(1)?,
                broken: r.get(2)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

fn evidence(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<StaffMonthEvidence> {
    let (f, t) = (ts(from), ts(to));
    Ok(StaffMonthEvidence {
        audits: audits(conn, &f, &t)?,
        satisfaction: satisfaction(conn, from, to)?,
        compliments: compliments(conn, &f, &t)?,
        resolutions: resolutions(conn, &f, &t)?,
        promises: promises(conn, &f, &t)?,
    })
}

#[async_trait]
impl RecognitionStore for SqliteStore {
    async fn recognition_settings(&self) -> StoreResult<RecognitionSettings> {
        self.read(settings).await
    }

    async fn save_recognition_settings(
        &self,
        actor: &Actor,
        s: &RecognitionSettings,
    ) -> StoreResult<RecognitionSettings> {
        let (actor, s, now) = (actor.clone(), *s, self.now());
        self.write(move |c| save_settings(c, &actor, &s, now)).await
    }

    async fn staff_month_evidence(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<StaffMonthEvidence> {
        self.read(move |c| evidence(c, from, to)).await
    }
}
