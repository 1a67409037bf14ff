//! Requirements on SQLite.
use crate::{
    audit,
    rows::{get_parsed, get_ts, map_err, not_found, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    improvement::{Requirement, RequirementFilter, ValidRequirement},
    listing::{ListQuery, Page},
};

const COLS: &str = "id, service_id, moment_key, site_id, text, source, response_id, \
     question_code, status, recorded_by, recorded_by_user_id, created_at, updated_at";

fn row(r: &Row<'_>) -> rusqlite::Result<Requirement> {
    Ok(Requirement {
        id: r.get(0)?,
        service_id: r.get(1)?,
        moment_key: r.get(2)?,
        site_id: r.get(3)?,
        text: r.get(4)?,
        source: get_parsed(r, 5)?,
        response_id: r.get(6)?,
        question_code: r.get(7)?,
        status: get_parsed(r, 8)?,
        recorded_by: r.get(9)?,
        recorded_by_user_id: r.get(10)?,
        created_at: get_ts(r, 11)?,
        updated_at: get_ts(r, 12)?,
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<Requirement> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM requirements WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], row))
        .map_err(not_found("requirement"))
}

fn exists(conn: &Connection, sql: &str, id: i64) -> StoreResult<bool> {
    conn.query_row(sql, [id], |_| Ok(()))
        .optional()
        .map(|f| f.is_some())
        .map_err(map_err)
}

/// The references a requirement makes must exist (checked here, so both backends name the
/// same fields whatever their foreign keys say).
pub(crate) fn check_refs(
    conn: &Connection,
    service_id: i64,
    site_id: Option<i64>,
    response_id: Option<i64>,
) -> StoreResult<()> {
    let mut errors = ValidationErrors::new();
    if !exists(conn, "SELECT 1 FROM services WHERE id = ?1", service_id)? {
        errors.push("service_id", "no service has this id");
    }
    if let Some(site) = site_id
        && !exists(conn, "SELECT 1 FROM sites WHERE id = ?1", site)?
    {
        errors.push("site_id", "no site has this id");
    }
    if let Some(response) = response_id
        && !exists(conn, "SELECT 1 FROM responses WHERE id = ?1", response)?
    {
        errors.push("response_id", "no survey response has this id");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

pub(crate) fn create(
    conn: &Connection,
    actor: &Actor,
    r: &ValidRequirement,
    now: DateTime<Utc>,
) -> StoreResult<Requirement> {
    check_refs(conn, r.service_id, r.site_id, r.response_id)?;
    let id: i64 = conn
        .query_row(
            "INSERT INTO requirements (service_id, moment_key, site_id, text, source,
                 response_id, question_code, status, recorded_by, recorded_by_user_id,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) RETURNING id",
            params![
                r.service_id,
                r.moment_key,
                r.site_id,
                r.text,
                r.source.as_str(),
                r.response_id,
                r.question_code,
                r.status.as_str(),
                actor.label,
                actor.user_id,
                ts(now)
            ],
            |row| row.get(0),
        )
        .map_err(map_err)?;
    let created = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.create",
        "requirement",
        id,
        None::<&()>,
        Some(&created),
    );
    audit::insert(conn, &entry, now)?;
    Ok(created)
}

pub(crate) fn update(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    r: &ValidRequirement,
    now: DateTime<Utc>,
) -> StoreResult<Requirement> {
    let before = get(conn, id)?;
    check_refs(conn, r.service_id, r.site_id, r.response_id)?;
    conn.execute(
        "UPDATE requirements SET service_id = ?2, moment_key = ?3, site_id = ?4, text = ?5,
             source = ?6, response_id = ?7, question_code = ?8, status = ?9, updated_at = ?10
         WHERE id = ?1",
        params![
            id,
            r.service_id,
            r.moment_key,
            r.site_id,
            r.text,
            r.source.as_str(),
            r.response_id,
            r.question_code,
            r.status.as_str(),
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.update",
        "requirement",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

pub(crate) fn delete(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = get(conn, id)?;
    conn.execute(
        "DELETE FROM action_plan_requirements WHERE requirement_id = ?1",
        [id],
    )
    .map_err(map_err)?;
    conn.execute("DELETE FROM requirements WHERE id = ?1", [id])
        .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "requirement.delete",
        "requirement",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::insert(conn, &entry, now)
}

pub(crate) fn list(
    conn: &Connection,
    f: &RequirementFilter,
    q: &ListQuery,
) -> StoreResult<Page<Requirement>> {
    let q = q.clone().clamped();
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut push = |cond: &str, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(s) = f.service_id {
        push("service_id = ?{n}", Value::Integer(s));
    }
    if let Some(k) = &f.moment_key {
        push("moment_key = ?{n}", Value::Text(k.clone()));
    }
    if let Some(s) = f.status {
        push("status = ?{n}", Value::Text(s.as_str().into()));
    }
    if let Some(s) = f.site_id {
        push("(site_id = ?{n} OR site_id IS NULL)", Value::Integer(s));
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        push(
            "instr(tp_fold(text), ?{n}) > 0",
            Value::Text(term.to_lowercase()),
        );
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM requirements{filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(map_err)?;
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let (l, o) = (args.len() - 1, args.len());
    let items = conn
        .prepare(&format!(
            "SELECT {COLS} FROM requirements{filter}
             ORDER BY created_at DESC, id DESC LIMIT ?{l} OFFSET ?{o}"
        ))
        .and_then(|mut s| s.query_map(params_from_iter(args.iter()), row)?.collect())
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
