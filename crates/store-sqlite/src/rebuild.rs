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
    conn.execute(
        "DELETE FROM response_rollups WHERE survey_id = ?1",
        [survey_id],
    )
    .map_err(map_err)?;
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
    report.rows = conn
        .query_row(
            "SELECT count(*) FROM response_rollups WHERE survey_id = ?1",
            [survey_id],
            |r| r.get::<_, i64>(0),
        )
        .map_err(map_err)? as u64;
    Ok(report)
}
