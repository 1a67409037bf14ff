//! Writing many responses in one transaction with few round trips (imports).
//!
//! 1. One query checks every (survey, version) pair; then, in memory, refuse unrollable
//!    scores and resolve repeats *within* the batch (same survey and external id or
//!    idempotency key) to the first occurrence.
//! 2. One query finds the kind of every link used; a personal invitation used twice in the
//!    batch conflicts from its second use on.
//! 3. Ids are taken from the identity sequence up front, and rows are inserted in chunks with
//!    `INSERT … SELECT FROM UNNEST … ON CONFLICT DO NOTHING RETURNING id`: an id missing from
//!    the answer is a row that already existed, whose id one more query finds.
//! 4. Invitations are claimed in one statement that locks the unanswered ones (in id order)
//!    and stamps them; a response whose invitation was already answered (by another node,
//!    say) is deleted again and conflicts.
//! 5. Roll-ups of the rows that stay are summed in memory and upserted once per key.
//!
//! Rows are inserted in key order and roll-ups upserted in key order, so concurrent batches
//! take their locks in the same order and cannot deadlock each other.
use crate::{errors::Db, feedback_rows as rows, rollups};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use std::collections::{HashMap, HashSet};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    feedback::records::{LinkKind, NewResponse, SubmitOutcome},
};

/// Rows per INSERT statement.
const CHUNK: usize = 1000;

type Slot = StoreResult<SubmitOutcome>;

pub(crate) fn invitation_conflict() -> StoreError {
    StoreError::conflict("invitation", "this invitation has already been answered")
}

fn bad_link() -> StoreError {
    StoreError::Invalid(ValidationErrors::single(
        "link_id",
        "no link of this survey has this id",
    ))
}

/// A copy of a slot's error for a later repeat of the same response.
fn same_error(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound { entity } => StoreError::NotFound { entity },
        StoreError::Conflict { field, message } => StoreError::conflict(field, message),
        StoreError::Invalid(v) => StoreError::Invalid(v.clone()),
        StoreError::Backend(m) => StoreError::Backend(m.clone()),
    }
}

/// Kind and survey of each link in `ids`.
async fn link_kinds(
    conn: &mut PgConnection,
    ids: Vec<i64>,
) -> StoreResult<HashMap<i64, (LinkKind, i64)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = sqlx::query("SELECT id, kind, survey_id FROM survey_links WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(conn)
        .await
        .db()?;
    let mut out = HashMap::with_capacity(found.len());
    for r in &found {
        let kind: String = r.try_get("kind").db()?;
        out.insert(
            r.try_get("id").db()?,
            (rows::link_kind(&kind).db()?, r.try_get("survey_id").db()?),
        );
    }
    Ok(out)
}

/// For each (survey, version) pair of `items`: whether the survey exists, and whether the
/// version is one of its versions.
async fn known_versions(
    conn: &mut PgConnection,
    items: &[NewResponse],
) -> StoreResult<HashMap<(i64, i64), (bool, bool)>> {
    let pairs: HashSet<(i64, i64)> = items
        .iter()
        .map(|r| (r.survey_id, r.survey_version_id))
        .collect();
    let found: Vec<(i64, i64, bool, bool)> = sqlx::query_as(
        "SELECT u.s, u.v, EXISTS (SELECT 1 FROM surveys WHERE id = u.s), \
           EXISTS (SELECT 1 FROM survey_versions WHERE survey_id = u.s AND id = u.v) \
         FROM UNNEST($1::bigint[], $2::bigint[]) AS u(s, v)",
    )
    .bind(pairs.iter().map(|p| p.0).collect::<Vec<_>>())
    .bind(pairs.iter().map(|p| p.1).collect::<Vec<_>>())
    .fetch_all(conn)
    .await
    .db()?;
    Ok(found
        .into_iter()
        .map(|(s, v, survey, version)| ((s, v), (survey, version)))
        .collect())
}

/// Insert `rows` (with their preassigned ids); returns the ids actually inserted.
async fn insert_rows(
    conn: &mut PgConnection,
    received_at: DateTime<Utc>,
    rows: &[(i64, &NewResponse)],
) -> StoreResult<HashSet<i64>> {
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let text = |f: fn(&NewResponse) -> Option<&str>| {
            chunk.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
        };
        let ids = |f: fn(&NewResponse) -> Option<i64>| {
            chunk.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
        };
        let mut answers = Vec::with_capacity(chunk.len());
        for (_, r) in chunk {
            answers.push(serde_json::to_string(&r.answers).map_err(StoreError::backend)?);
        }
        let got: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO responses (id, survey_id, survey_version_id, source, external_id, \
               idempotency_key, link_id, submitted_at, received_at, customer, site_id, \
               staff_id, language, answers) \
             SELECT u.id, u.sid, u.vid, u.src, u.ext, u.idem, u.link, u.sub, $13, u.cust, \
               u.site, u.staff, u.lang, u.ans::jsonb \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], \
               $6::text[], $7::bigint[], $8::timestamptz[], $9::text[], $10::bigint[], \
               $11::bigint[], $12::text[], $14::text[]) \
               AS u(id, sid, vid, src, ext, idem, link, sub, cust, site, staff, lang, ans) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(chunk.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(ids(|r| Some(r.survey_id)))
        .bind(ids(|r| Some(r.survey_version_id)))
        .bind(text(|r| Some(r.source.as_str())))
        .bind(text(|r| r.external_id.as_deref()))
        .bind(text(|r| r.idempotency_key.as_deref()))
        .bind(ids(|r| r.link_id))
        .bind(
            chunk
                .iter()
                .map(|(_, r)| crate::micros(r.submitted_at))
                .collect::<Vec<_>>(),
        )
        .bind(text(|r| r.customer.as_deref()))
        .bind(ids(|r| r.site_id))
        .bind(ids(|r| r.staff_id))
        .bind(text(|r| Some(r.language.as_str())))
        .bind(received_at)
        .bind(answers)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        inserted.extend(got);
    }
    Ok(inserted)
}

/// Ids of the stored responses `items` repeat (by external id, else idempotency key), in
/// order; `None` where nothing matches.
pub(crate) async fn existing_ids(
    conn: &mut PgConnection,
    items: &[&NewResponse],
) -> StoreResult<Vec<Option<i64>>> {
    let found: Vec<(i32, Option<i64>)> = sqlx::query_as(
        "SELECT u.i, COALESCE( \
           (SELECT r.id FROM responses r WHERE r.survey_id = u.s AND r.external_id = u.e), \
           (SELECT r.id FROM responses r WHERE r.survey_id = u.s AND r.idempotency_key = u.k)) \
         FROM UNNEST($1::int[], $2::bigint[], $3::text[], $4::text[]) AS u(i, s, e, k)",
    )
    .bind((0..).take(items.len()).collect::<Vec<i32>>())
    .bind(items.iter().map(|r| r.survey_id).collect::<Vec<_>>())
    .bind(
        items
            .iter()
            .map(|r| r.external_id.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(
        items
            .iter()
            .map(|r| r.idempotency_key.as_deref())
            .collect::<Vec<_>>(),
    )
    .fetch_all(conn)
    .await
    .db()?;
    let mut out = vec![None; items.len()];
    for (i, id) in found {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            *slot = id;
        }
    }
    Ok(out)
}

/// Write `items` using `conn`, which must be inside a transaction. Outcomes are in input
/// order; an error of the whole call means the transaction must be rolled back.
pub(crate) async fn write(
    conn: &mut PgConnection,
    received_at: DateTime<Utc>,
    items: &[NewResponse],
) -> StoreResult<Vec<Slot>> {
    let n = items.len();
    let mut out: Vec<Option<Slot>> = (0..n).map(|_| None).collect();
    let mut repeat_of: Vec<Option<usize>> = vec![None; n];
    let (mut by_ext, mut by_key) = (HashMap::new(), HashMap::new());
    let versions = known_versions(conn, items).await?;
    for (i, r) in items.iter().enumerate() {
        match versions.get(&(r.survey_id, r.survey_version_id)) {
            Some((true, true)) => {}
            Some((true, false)) => {
                out[i] = Some(Err(StoreError::Invalid(ValidationErrors::single(
                    "survey_version_id",
                    "not a published version of this survey",
                ))));
                continue;
            }
            _ => {
                out[i] = Some(Err(StoreError::not_found("survey")));
                continue;
            }
        }
        if let Err(e) = rollups::check_scores(r) {
            out[i] = Some(Err(StoreError::Invalid(e)));
            continue;
        }
        let ext = r.external_id.as_deref().map(|e| (r.survey_id, e));
        let key = r.idempotency_key.as_deref().map(|k| (r.survey_id, k));
        let first = ext
            .and_then(|e| by_ext.get(&e))
            .or_else(|| key.and_then(|k| by_key.get(&k)));
        if let Some(&first) = first {
            repeat_of[i] = Some(first);
            continue;
        }
        ext.map(|e| by_ext.insert(e, i));
        key.map(|k| by_key.insert(k, i));
    }

    let link_ids: Vec<i64> = (0..n)
        .filter(|&i| out[i].is_none() && repeat_of[i].is_none())
        .filter_map(|i| items[i].link_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let kinds = link_kinds(conn, link_ids).await?;
    let mut claimed = HashSet::new();
    let mut candidates = Vec::new();
    for (i, r) in items.iter().enumerate() {
        if out[i].is_some() || repeat_of[i].is_some() {
            continue;
        }
        if let Some(link) = r.link_id {
            match kinds.get(&link) {
                Some((_, survey)) if *survey != r.survey_id => {
                    out[i] = Some(Err(bad_link()));
                    continue;
                }
                None => {
                    out[i] = Some(Err(bad_link()));
                    continue;
                }
                Some((LinkKind::Personal, _)) if !claimed.insert(link) => {
                    out[i] = Some(Err(invitation_conflict()));
                    continue;
                }
                Some(_) => {}
            }
        }
        candidates.push(i);
    }

    // Ids in input order; rows written in key order.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('responses', 'id')) \
         FROM generate_series(1, $1::int)",
    )
    .bind(i32::try_from(candidates.len()).map_err(StoreError::backend)?)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut rows: Vec<(i64, usize)> = ids.into_iter().zip(candidates).collect();
    rows.sort_by(|a, b| {
        let (x, y) = (&items[a.1], &items[b.1]);
        (x.survey_id, &x.external_id, &x.idempotency_key).cmp(&(
            y.survey_id,
            &y.external_id,
            &y.idempotency_key,
        ))
    });
    let refs: Vec<(i64, &NewResponse)> = rows.iter().map(|&(id, i)| (id, &items[i])).collect();
    let inserted = insert_rows(conn, received_at, &refs).await?;

    let skipped: Vec<usize> = rows
        .iter()
        .filter(|(id, _)| !inserted.contains(id))
        .map(|&(_, i)| i)
        .collect();
    if !skipped.is_empty() {
        let found = existing_ids(
            conn,
            &skipped.iter().map(|&i| &items[i]).collect::<Vec<_>>(),
        )
        .await?;
        for (&i, id) in skipped.iter().zip(found) {
            let id = id.ok_or_else(|| StoreError::backend("skipped response not found"))?;
            out[i] = Some(Ok(SubmitOutcome::AlreadyExists(id)));
        }
    }

    // Claim the invitations of the new rows, in link order.
    let mut invited: Vec<(i64, i64)> = rows
        .iter()
        .filter(|(id, _)| inserted.contains(id))
        .filter_map(|&(id, i)| {
            let link = items[i].link_id?;
            matches!(kinds.get(&link), Some((LinkKind::Personal, _))).then_some((link, id))
        })
        .collect();
    invited.sort_unstable();
    let mut lost = HashSet::new();
    if !invited.is_empty() {
        let won: HashSet<i64> = sqlx::query_scalar(
            "WITH free AS MATERIALIZED (SELECT id FROM survey_links \
               WHERE id = ANY($2) AND answered_at IS NULL ORDER BY id FOR NO KEY UPDATE) \
             UPDATE survey_links l SET answered_at = $1, response_id = u.rid \
             FROM UNNEST($2::bigint[], $3::bigint[]) AS u(lid, rid), free \
             WHERE l.id = u.lid AND free.id = l.id RETURNING l.id",
        )
        .bind(received_at)
        .bind(invited.iter().map(|p| p.0).collect::<Vec<_>>())
        .bind(invited.iter().map(|p| p.1).collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await
        .db()?
        .into_iter()
        .collect();
        lost = invited
            .iter()
            .filter(|(link, _)| !won.contains(link))
            .map(|p| p.1)
            .collect();
        if !lost.is_empty() {
            sqlx::query("DELETE FROM responses WHERE id = ANY($1)")
                .bind(lost.iter().copied().collect::<Vec<_>>())
                .execute(&mut *conn)
                .await
                .db()?;
        }
    }

    let mut sums = rollups::Rollups::default();
    for &(id, i) in &rows {
        if !inserted.contains(&id) {
            continue;
        }
        if lost.contains(&id) {
            out[i] = Some(Err(invitation_conflict()));
        } else {
            sums.add(&items[i]);
            out[i] = Some(Ok(SubmitOutcome::Created(id)));
        }
    }
    rollups::upsert(conn, &sums).await?;

    let mut done = Vec::with_capacity(n);
    for i in 0..n {
        let slot = match (out[i].take(), repeat_of[i]) {
            (Some(slot), _) => slot,
            (None, Some(first)) => match &done[first] {
                Ok(o) => Ok(SubmitOutcome::AlreadyExists(SubmitOutcome::id(o))),
                Err(e) => Err(same_error(e)),
            },
            (None, None) => Err(StoreError::backend("response without an outcome")),
        };
        done.push(slot);
    }
    Ok(done)
}
