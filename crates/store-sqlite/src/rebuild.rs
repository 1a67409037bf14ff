//! `rebuild_rollups`: a survey's roll-ups recomputed from its stored responses.
//!
//! It runs as one write job, so it sees every response committed before it and the group
//! commit's earlier jobs: what those jobs deferred to the end of the transaction (their
//! roll-up increments) is written first, since the responses they belong to are already in
//! the table the rebuild reads. If the rebuild fails, that deferred work is handed back.
use crate::{audit, pending, responses, rollups::Rollups, rows::map_err, surveys};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    feedback::records::RollupRebuild,
};

/// Responses read per page: the increments are written per page, so memory stays flat.
const PAGE: u32 = 5_000;

pub(crate) fn rebuild(
    conn: &Connection,
    actor: &Actor,
    survey_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<RollupRebuild> {
    if !surveys::exists(conn, survey_id)? {
        return Err(StoreError::NotFound { entity: "survey" });
    }
    let earlier = pending::take_transaction();
    let done = earlier
        .as_ref()
        .map_or(Ok(()), |p| p.flush(conn))
        .and_then(|()| recompute(conn, survey_id));
    let report = match done {
        Ok(report) => report,
        Err(e) => {
            if let Some(p) = earlier {
                pending::restore_transaction(p);
            }
            return Err(e);
        }
    };
    audit::insert(
        conn,
        &NewAuditEntry::change(
            actor,
            "rollups.rebuild",
            "survey",
            survey_id,
            None::<&()>,
            Some(&report),
        ),
        now,
    )?;
    Ok(report)
}

fn recompute(conn: &Connection, survey_id: i64) -> StoreResult<RollupRebuild> {
    for sql in [
        "DELETE FROM response_rollups WHERE survey_id = ?1",
        "DELETE FROM response_month_rollups WHERE survey_id = ?1",
        "DELETE FROM response_staff_rollups WHERE survey_id = ?1",
        "DELETE FROM rollup_rebuilds_pending WHERE survey_id = ?1",
    ] {
        conn.execute(sql, [survey_id]).map_err(map_err)?;
    }
    let mut report = RollupRebuild::default();
    let mut after = 0;
    loop {
        let page = responses::after(conn, survey_id, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let mut sums = Rollups::default();
        for r in &page {
            sums.count(
                survey_id,
                r.submitted_at.date_naive(),
                r.site_id,
                r.staff_id,
                &r.answers,
            );
        }
        sums.flush(conn)?;
        report.responses += page.len() as u64;
    }
    conn.execute(
        "UPDATE surveys SET response_count = ?2 WHERE id = ?1",
        [survey_id, report.responses as i64],
    )
    .map_err(map_err)?;
    let count = |table: &str| {
        conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE survey_id = ?1"),
            [survey_id],
            |r| r.get::<_, i64>(0),
        )
        .map_err(map_err)
        .map(|n| n as u64)
    };
    report.rows = count("response_rollups")?;
    report.staff_rows = count("response_staff_rollups")?;
    Ok(report)
}

/// Rebuild the roll-ups of every survey a migration marked (see `rollup_rebuilds_pending`),
/// each recorded in the audit log as done by `migration`. Runs at open, before any write.
pub(crate) fn rebuild_pending(conn: &Connection, now: DateTime<Utc>) -> StoreResult<()> {
    let pending: Vec<i64> = conn
        .prepare("SELECT survey_id FROM rollup_rebuilds_pending ORDER BY survey_id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(map_err)?;
    for survey_id in pending {
        rebuild(conn, &Actor::system("migration"), survey_id, now)?;
    }
    Ok(())
}
