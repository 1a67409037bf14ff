//! Writing responses: prepared off the writer thread (answers encoded, timestamps as integers,
//! roll-ups added up), then inserted by one writer job per call.
//!
//! Duplicates are found by the partial unique indexes: `INSERT … ON CONFLICT DO NOTHING`, and
//! only when nothing was inserted is the existing id looked up — no SELECT before each insert.
use crate::{
    answers::VersionInfo,
    links,
    pending::Pending,
    rollups::{Rollups, Share},
    rows::{exec_cached, map_err},
};
use chrono::{DateTime, Utc};
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use std::{collections::HashMap, sync::Arc};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    feedback::records::{NewResponse, SubmitOutcome},
};

/// What the store knows about the (survey, version) a response names.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Ok(Arc<VersionInfo>),
    NoSurvey,
    ForeignVersion,
}

impl Target {
    fn error(&self) -> Option<StoreError> {
        match self {
            Target::Ok(_) => None,
            Target::NoSurvey => Some(StoreError::not_found("survey")),
            Target::ForeignVersion => Some(StoreError::Invalid(ValidationErrors::single(
                "survey_version_id",
                "not a version of this survey",
            ))),
        }
    }
}

/// Decide the target of a (survey, version) pair from the database.
pub(crate) fn target(conn: &Connection, survey_id: i64, version_id: i64) -> StoreResult<Target> {
    Ok(match VersionInfo::load(conn, version_id)? {
        Some(v) if v.survey_id == survey_id => Target::Ok(Arc::new(v)),
        _ if crate::surveys::exists(conn, survey_id)? => Target::ForeignVersion,
        _ => Target::NoSurvey,
    })
}

/// One response ready to insert.
struct Row {
    survey_id: i64,
    version_id: i64,
    source: &'static str,
    external_id: Option<String>,
    idempotency_key: Option<String>,
    link_id: Option<i64>,
    /// Microseconds since the Unix epoch.
    submitted_at: i64,
    customer: Option<String>,
    site_id: Option<i64>,
    staff_id: Option<i64>,
    language: String,
    answers: String,
    share: Share,
    error: Option<StoreError>,
}

/// A batch ready for the writer.
pub(crate) struct Prepared {
    rows: Vec<Row>,
    rollups: Rollups,
}

/// Encode every response and add up its roll-ups, assuming it will be created.
pub(crate) fn prepare(
    responses: &[NewResponse],
    targets: &HashMap<(i64, i64), Target>,
) -> StoreResult<Prepared> {
    let mut rollups = Rollups::default();
    let mut rows = Vec::with_capacity(responses.len());
    let mut buf = Vec::with_capacity(512);
    for r in responses {
        let target = targets
            .get(&(r.survey_id, r.survey_version_id))
            .ok_or_else(|| StoreError::Backend("response target was not resolved".into()))?;
        let mut share = 0..0;
        let mut answers = String::new();
        if let Target::Ok(info) = target {
            buf.clear();
            info.encode(&r.answers, &mut buf)
                .map_err(StoreError::backend)?;
            answers = String::from_utf8(std::mem::take(&mut buf)).map_err(StoreError::backend)?;
            share = rollups.count(
                r.survey_id,
                r.submitted_at.date_naive(),
                r.site_id,
                r.staff_id,
                &r.answers,
            );
        }
        rows.push(Row {
            survey_id: r.survey_id,
            version_id: r.survey_version_id,
            source: r.source.as_str(),
            external_id: r.external_id.clone(),
            idempotency_key: r.idempotency_key.clone(),
            link_id: r.link_id,
            submitted_at: r.submitted_at.timestamp_micros(),
            customer: r.customer.clone(),
            site_id: r.site_id,
            staff_id: r.staff_id,
            language: r.language.clone(),
            answers,
            share,
            error: target.error(),
        });
    }
    Ok(Prepared { rows, rollups })
}

const INSERT: &str = "INSERT INTO responses (survey_id, survey_version_id, source, external_id,
        idempotency_key, link_id, submitted_at, received_at, customer, site_id, staff_id,
        language, answers)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
    ON CONFLICT DO NOTHING";

/// The id of the response `r` repeats (same idempotency key, else same external id).
fn existing(conn: &Connection, r: &Row) -> StoreResult<i64> {
    let by = |sql: &str, key: &str| -> StoreResult<Option<i64>> {
        conn.prepare_cached(sql)
            .and_then(|mut s| {
                s.query_row(params![r.survey_id, key], |row| row.get(0))
                    .optional()
            })
            .map_err(map_err)
    };
    if let Some(k) = &r.idempotency_key
        && let Some(id) = by(
            "SELECT id FROM responses WHERE survey_id = ?1 AND idempotency_key = ?2",
            k,
        )?
    {
        return Ok(id);
    }
    if let Some(e) = &r.external_id
        && let Some(id) = by(
            "SELECT id FROM responses WHERE survey_id = ?1 AND external_id = ?2",
            e,
        )?
    {
        return Ok(id);
    }
    Err(StoreError::Backend(
        "a response insert was skipped but no duplicate was found".into(),
    ))
}

fn insert(
    conn: &Connection,
    stmt: &mut CachedStatement<'_>,
    r: &Row,
    received: i64,
) -> StoreResult<SubmitOutcome> {
    let n = stmt
        .execute(params![
            r.survey_id,
            r.version_id,
            r.source,
            r.external_id,
            r.idempotency_key,
            r.link_id,
            r.submitted_at,
            received,
            r.customer,
            r.site_id,
            r.staff_id,
            r.language,
            r.answers
        ])
        .map_err(map_err)?;
    if n == 1 {
        Ok(SubmitOutcome::Created(conn.last_insert_rowid()))
    } else {
        existing(conn, r).map(SubmitOutcome::AlreadyExists)
    }
}

/// Insert a response that came through a link, inside its own savepoint: a retry is
/// recognised first; a new response then claims the invitation or is rolled back.
fn insert_linked(
    conn: &Connection,
    stmt: &mut CachedStatement<'_>,
    r: &Row,
    link_id: i64,
    received: i64,
    now: &str,
) -> StoreResult<StoreResult<SubmitOutcome>> {
    exec_cached(conn, "SAVEPOINT linked_response").map_err(map_err)?;
    let outcome = insert(conn, stmt, r, received).and_then(|o| match o {
        SubmitOutcome::Created(id) => links::claim(conn, link_id, r.survey_id, id, now).map(|()| o),
        existing => Ok(existing),
    });
    if outcome.is_err() {
        exec_cached(conn, "ROLLBACK TO linked_response").map_err(map_err)?;
    }
    exec_cached(conn, "RELEASE linked_response").map_err(map_err)?;
    match outcome {
        Err(e @ (StoreError::Conflict { .. } | StoreError::Invalid(_))) => Ok(Err(e)),
        other => other.map(Ok),
    }
}

/// Write a prepared batch and its roll-ups in the caller's transaction; one outcome per
/// response. A response's rule violation (unknown survey, used invitation…) is its own `Err`;
/// a database failure fails the whole call.
pub(crate) fn write(
    conn: &Connection,
    mut batch: Prepared,
    now: DateTime<Utc>,
) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
    let received = now.timestamp_micros();
    let now_text = crate::rows::ts(now);
    let mut stmt = conn.prepare_cached(INSERT).map_err(map_err)?;
    let mut created: HashMap<i64, i64> = HashMap::new();
    let mut out = Vec::with_capacity(batch.rows.len());
    for r in &mut batch.rows {
        if let Some(e) = r.error.take() {
            out.push(Err(e));
            continue;
        }
        let outcome = match r.link_id {
            Some(link) => insert_linked(conn, &mut stmt, r, link, received, &now_text)?,
            None => Ok(insert(conn, &mut stmt, r, received)?),
        };
        if let Ok(SubmitOutcome::Created(_)) = outcome {
            *created.entry(r.survey_id).or_default() += 1;
        } else {
            batch.rollups.uncount(r.share.clone());
        }
        out.push(outcome);
    }
    // Roll-ups and counters are merged with the other jobs of this commit and written once.
    crate::pending::defer(Pending::new(batch.rollups, created));
    Ok(out)
}
