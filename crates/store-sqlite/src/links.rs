//! Links: open links and single-use personal invitations, found by the hash of their token.
use crate::{
    audit,
    caches::SurveyCache,
    rows::{get_opt_ts, get_ts, map_err, not_found, ts},
    surveys,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params, types::Type};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    complaints::AnnounceLink,
    feedback::records::{LinkKind, LinkSurvey, LinkTarget, NewLink, SurveyLink},
    listing::{ListQuery, Page},
};

const COLS: &str = "id, survey_id, kind, token, customer, email, language, site_id, staff_id,
    visit_date, complaint_ref, expires_at, created_at, answered_at, response_id, active";

fn kind_str(k: LinkKind) -> &'static str {
    match k {
        LinkKind::Open => "open",
        LinkKind::Personal => "personal",
    }
}

fn link(r: &Row<'_>) -> rusqlite::Result<SurveyLink> {
    let kind = match r.get::<_, String>(2)?.as_str() {
        "open" => LinkKind::Open,
        "personal" => LinkKind::Personal,
        other => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                2,
                Type::Text,
                format!("unknown link kind '{other}'").into(),
            ));
        }
    };
    Ok(SurveyLink {
        id: r.get(0)?,
        survey_id: r.get(1)?,
        kind,
        token: r.get(3)?,
        customer: r.get(4)?,
        email: r.get(5)?,
        language: r.get(6)?,
        site_id: r.get(7)?,
        staff_id: r.get(8)?,
        visit_date: r.get(9)?,
        complaint_ref: r.get(10)?,
        expires_at: get_opt_ts(r, 11)?,
        created_at: get_ts(r, 12)?,
        answered_at: get_opt_ts(r, 13)?,
        response_id: r.get(14)?,
        active: r.get(15)?,
    })
}

fn get(conn: &Connection, id: i64) -> StoreResult<SurveyLink> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM survey_links WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], link))
        .map_err(not_found("link"))
}

/// Insert the links (all or nothing: the caller's savepoint rolls back on error).
pub(crate) fn create(
    conn: &Connection,
    actor: &Actor,
    survey_id: i64,
    links: &[NewLink],
    now: DateTime<Utc>,
) -> StoreResult<Vec<SurveyLink>> {
    if !surveys::exists(conn, survey_id)? {
        return Err(StoreError::not_found("survey"));
    }
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO survey_links (survey_id, kind, token_hash, token, customer, email,
                 language, site_id, staff_id, visit_date, complaint_ref, expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .map_err(map_err)?;
    let mut out = Vec::with_capacity(links.len());
    for l in links {
        // A personal token is shown once, when created; only its hash is kept.
        let token = match l.kind {
            LinkKind::Open => l.token.as_deref(),
            LinkKind::Personal => None,
        };
        insert
            .execute(params![
                survey_id,
                kind_str(l.kind),
                l.token_hash,
                token,
                l.customer,
                l.email,
                l.language,
                l.site_id,
                l.staff_id,
                l.visit_date,
                l.complaint_ref,
                l.expires_at.map(ts),
                ts(now)
            ])
            .map_err(map_err)?;
        let created = get(conn, conn.last_insert_rowid())?;
        let entry = NewAuditEntry::change(
            actor,
            "link.create",
            "link",
            created.id,
            None::<&()>,
            Some(&created),
        );
        audit::insert(conn, &entry, now)?;
        out.push(created);
    }
    Ok(out)
}

pub(crate) fn find(
    conn: &Connection,
    cache: &SurveyCache,
    token_hash: &str,
) -> StoreResult<LinkTarget> {
    let generation = cache.generation();
    let link = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM survey_links WHERE token_hash = ?1"
        ))
        .and_then(|mut s| s.query_row([token_hash], link))
        .map_err(not_found("link"))?;
    // The cached state is all the answering page needs; the survey row itself (with its
    // draft's JSON text) is read only while nothing was published.
    let state = surveys::state(conn, cache, generation, link.survey_id)?;
    let unpublished_draft = match state.version {
        Some(_) => None,
        None => Some(surveys::get(conn, link.survey_id)?.draft),
    };
    Ok(LinkTarget {
        survey: LinkSurvey {
            id: link.survey_id,
            service_id: state.service_id,
            archived_at: state.archived_at,
            unpublished_draft,
        },
        link,
        version: state.version,
    })
}

/// Every link of the survey in creation order (reversed by `descending`), paged.
pub(crate) fn list(
    conn: &Connection,
    survey_id: i64,
    q: &ListQuery,
) -> StoreResult<Page<SurveyLink>> {
    let q = q.clone().clamped();
    let total: i64 = conn
        .query_row(
            "SELECT count(*) FROM survey_links WHERE survey_id = ?1",
            [survey_id],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let dir = if q.descending { "DESC" } else { "ASC" };
    let items = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM survey_links WHERE survey_id = ?1
             ORDER BY id {dir} LIMIT ?2 OFFSET ?3"
        ))
        .and_then(|mut s| {
            s.query_map(params![survey_id, q.limit, q.offset], link)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

pub(crate) fn deactivate(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = get(conn, id)?;
    conn.execute("UPDATE survey_links SET active = 0 WHERE id = ?1", [id])
        .map_err(map_err)?;
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "link.deactivate",
        "link",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)
}

/// Deactivate the complaint's invitations to the survey that could still be answered.
pub(crate) fn retire_for_complaint(
    conn: &Connection,
    actor: &Actor,
    survey_id: i64,
    reference: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let open: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM survey_links WHERE survey_id = ?1 AND complaint_ref = ?2
             AND active = 1 AND answered_at IS NULL ORDER BY id",
        )
        .and_then(|mut s| {
            s.query_map(params![survey_id, reference], |r| r.get(0))?
                .collect()
        })
        .map_err(map_err)?;
    for id in open {
        deactivate(conn, actor, id, now)?;
    }
    Ok(())
}

/// [`create`], then queue what `announce` writes for each link, in the caller's transaction.
pub(crate) fn create_announced(
    conn: &Connection,
    actor: &Actor,
    survey_id: i64,
    links: &[NewLink],
    announce: &AnnounceLink,
    now: DateTime<Utc>,
) -> StoreResult<(Vec<SurveyLink>, usize)> {
    let created = create(conn, actor, survey_id, links, now)?;
    let mut queued = 0;
    for (i, link) in created.iter().enumerate() {
        if let Some(n) = announce(i, link) {
            queued += usize::from(crate::complaint_outbox::enqueue_notification(
                conn, &n, now,
            )?);
        }
    }
    Ok((created, queued))
}

/// Stamp a personal invitation as answered by `response_id`. The `answered_at IS NULL`
/// condition makes the single use hold whatever else runs: zero rows changed on a personal
/// invitation means it was already used (`Conflict { field: "invitation" }`). Open links
/// accept any number of responses and are left alone.
pub(crate) fn claim(
    conn: &Connection,
    link_id: i64,
    survey_id: i64,
    response_id: i64,
    now: &str,
) -> StoreResult<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE survey_links SET answered_at = ?4, response_id = ?3
             WHERE id = ?1 AND survey_id = ?2 AND kind = 'personal' AND answered_at IS NULL",
        )
        .and_then(|mut s| s.execute(params![link_id, survey_id, response_id, now]))
        .map_err(map_err)?;
    if changed == 1 {
        return Ok(());
    }
    let found: Option<(String, i64)> = conn
        .prepare_cached("SELECT kind, survey_id FROM survey_links WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([link_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(map_err)?;
    let invalid = |m: &str| StoreError::Invalid(ValidationErrors::single("link_id", m));
    match found {
        None => Err(invalid("there is no such link")),
        Some((_, s)) if s != survey_id => Err(invalid("the link belongs to another survey")),
        Some((kind, _)) if kind == "personal" => Err(StoreError::conflict(
            "invitation",
            "this invitation has already been answered",
        )),
        Some(_) => Ok(()),
    }
}
