//! Reading responses: one row each, answers decoded against their survey version.
use crate::{
    answers::VersionInfo,
    rows::{map_err, not_found},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params, types::Type};
use std::collections::HashMap;
use touchpoint_core::{
    StoreError, StoreResult,
    feedback::records::{ResponseRecord, ResponseSource},
    listing::{ListQuery, Page},
};

fn source(s: &str) -> Option<ResponseSource> {
    match s {
        "web" => Some(ResponseSource::Web),
        "api" => Some(ResponseSource::Api),
        "import" => Some(ResponseSource::Import),
        _ => None,
    }
}

/// Stored instants of responses are integer microseconds (smaller rows and indexes).
fn micros(r: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let us: i64 = r.get(idx)?;
    DateTime::from_timestamp_micros(us).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(idx, Type::Integer, "instant out of range".into())
    })
}

pub(crate) const SELECT: &str =
    "SELECT r.id, r.survey_id, v.version, r.source, r.external_id, r.link_id,
        r.submitted_at, r.received_at, r.customer, r.site_id, r.staff_id, r.language,
        r.survey_version_id, r.answers
    FROM responses r JOIN survey_versions v ON v.id = r.survey_version_id";

/// A record whose answers are still in their stored form.
type Raw = (ResponseRecord, i64, String);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let src: String = r.get(3)?;
    let source = source(&src).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            Type::Text,
            format!("unknown source '{src}'").into(),
        )
    })?;
    let record = ResponseRecord {
        id: r.get(0)?,
        survey_id: r.get(1)?,
        survey_version: r.get(2)?,
        source,
        external_id: r.get(4)?,
        link_id: r.get(5)?,
        submitted_at: micros(r, 6)?,
        received_at: micros(r, 7)?,
        customer: r.get(8)?,
        site_id: r.get(9)?,
        staff_id: r.get(10)?,
        language: r.get(11)?,
        answers: Vec::new(),
    };
    Ok((record, r.get(12)?, r.get(13)?))
}

/// Run `sql` and decode every row's answers, loading each survey version once.
pub(crate) fn fetch(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> StoreResult<Vec<ResponseRecord>> {
    let raws: Vec<Raw> = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.query_map(args, raw)?.collect())
        .map_err(map_err)?;
    let mut versions: HashMap<i64, VersionInfo> = HashMap::new();
    let mut out = Vec::with_capacity(raws.len());
    for (mut record, version_id, text) in raws {
        let info = match versions.entry(version_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let info = VersionInfo::load(conn, version_id)?.ok_or_else(|| {
                    StoreError::Backend(format!("survey version {version_id} is missing"))
                })?;
                e.insert(info)
            }
        };
        record.answers = info
            .decode(&text)
            .map_err(|e| StoreError::Backend(format!("answers of response {}: {e}", record.id)))?;
        out.push(record);
    }
    Ok(out)
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<ResponseRecord> {
    fetch(conn, &format!("{SELECT} WHERE r.id = ?1"), [id])?
        .pop()
        .ok_or_else(|| StoreError::not_found("response"))
}

/// Newest first; the total is the survey's response counter.
pub(crate) fn list(
    conn: &Connection,
    survey_id: i64,
    q: &ListQuery,
) -> StoreResult<Page<ResponseRecord>> {
    let q = q.clone().clamped();
    let total: i64 = conn
        .query_row(
            "SELECT response_count FROM surveys WHERE id = ?1",
            [survey_id],
            |r| r.get(0),
        )
        .map_err(not_found("survey"))?;
    let items = fetch(
        conn,
        &format!(
            "{SELECT} WHERE r.survey_id = ?1
             ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?2 OFFSET ?3"
        ),
        params![survey_id, q.limit, q.offset],
    )?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

/// Keyset page in id order.
pub(crate) fn after(
    conn: &Connection,
    survey_id: i64,
    after_id: i64,
    limit: u32,
) -> StoreResult<Vec<ResponseRecord>> {
    fetch(
        conn,
        &format!("{SELECT} WHERE r.survey_id = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3"),
        params![survey_id, after_id, limit],
    )
}
