//! Action plans on SQLite: the plan row, its moments (in order) and the requirements it answers.
use crate::{
    audit,
    requirements::check_refs,
    rows::{get_parsed, get_ts, map_err, not_found, ts},
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params, params_from_iter, types::Value};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    improvement::{ActionPlan, ActionPlanFilter, ValidActionPlan},
    listing::{ListQuery, Page},
};

const COLS: &str = "id, service_id, title, owner, start_date, due_date, status, \
     expected_effect, created_by, created_at, updated_at";

fn row(r: &Row<'_>) -> rusqlite::Result<ActionPlan> {
    Ok(ActionPlan {
        id: r.get(0)?,
        service_id: r.get(1)?,
        title: r.get(2)?,
        owner: r.get(3)?,
        start_date: get_parsed(r, 4)?,
        due_date: get_parsed(r, 5)?,
        status: get_parsed(r, 6)?,
        expected_effect: r.get(7)?,
        moment_keys: Vec::new(),
        requirement_ids: Vec::new(),
        created_by: r.get(8)?,
        created_at: get_ts(r, 9)?,
        updated_at: get_ts(r, 10)?,
    })
}

/// Fill in the plan's moments and requirements.
fn with_links(conn: &Connection, mut p: ActionPlan) -> StoreResult<ActionPlan> {
    p.moment_keys = conn
        .prepare_cached(
            "SELECT moment_key FROM action_plan_moments WHERE plan_id = ?1 ORDER BY position",
        )
        .and_then(|mut s| s.query_map([p.id], |r| r.get(0))?.collect())
        .map_err(map_err)?;
    p.requirement_ids = conn
        .prepare_cached(
            "SELECT requirement_id FROM action_plan_requirements WHERE plan_id = ?1
             ORDER BY requirement_id",
        )
        .and_then(|mut s| s.query_map([p.id], |r| r.get(0))?.collect())
        .map_err(map_err)?;
    Ok(p)
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<ActionPlan> {
    let p = conn
        .prepare_cached(&format!("SELECT {COLS} FROM action_plans WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], row))
        .map_err(not_found("action_plan"))?;
    with_links(conn, p)
}

/// The service must exist and every requirement must be one of its own.
fn check(conn: &Connection, p: &ValidActionPlan) -> StoreResult<()> {
    check_refs(conn, p.service_id, None, None)?;
    for id in &p.requirement_ids {
        let service: Option<i64> = conn
            .query_row(
                "SELECT service_id FROM requirements WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(map_err)?;
        if service != Some(p.service_id) {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "requirement_ids",
                format!("requirement {id} does not exist or is about another service"),
            )));
        }
    }
    Ok(())
}

fn write_links(conn: &Connection, id: i64, p: &ValidActionPlan) -> StoreResult<()> {
    conn.execute("DELETE FROM action_plan_moments WHERE plan_id = ?1", [id])
        .map_err(map_err)?;
    conn.execute(
        "DELETE FROM action_plan_requirements WHERE plan_id = ?1",
        [id],
    )
    .map_err(map_err)?;
    for (i, key) in p.moment_keys.iter().enumerate() {
        conn.execute(
            "INSERT INTO action_plan_moments (plan_id, position, moment_key) VALUES (?1, ?2, ?3)",
            params![id, i as i64, key],
        )
        .map_err(map_err)?;
    }
    for r in &p.requirement_ids {
        conn.execute(
            "INSERT INTO action_plan_requirements (plan_id, requirement_id) VALUES (?1, ?2)",
            params![id, r],
        )
        .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) fn create(
    conn: &Connection,
    actor: &Actor,
    p: &ValidActionPlan,
    now: DateTime<Utc>,
) -> StoreResult<ActionPlan> {
    check(conn, p)?;
    let id: i64 = conn
        .query_row(
            "INSERT INTO action_plans (service_id, title, owner, start_date, due_date, status,
                 expected_effect, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
            params![
                p.service_id,
                p.title,
                p.owner,
                p.start_date.to_string(),
                p.due_date.to_string(),
                p.status.as_str(),
                p.expected_effect,
                actor.label,
                ts(now)
            ],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    write_links(conn, id, p)?;
    let created = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.create",
        "action_plan",
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
    p: &ValidActionPlan,
    now: DateTime<Utc>,
) -> StoreResult<ActionPlan> {
    let before = get(conn, id)?;
    check(conn, p)?;
    conn.execute(
        "UPDATE action_plans SET service_id = ?2, title = ?3, owner = ?4, start_date = ?5,
             due_date = ?6, status = ?7, expected_effect = ?8, updated_at = ?9
         WHERE id = ?1",
        params![
            id,
            p.service_id,
            p.title,
            p.owner,
            p.start_date.to_string(),
            p.due_date.to_string(),
            p.status.as_str(),
            p.expected_effect,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    write_links(conn, id, p)?;
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.update",
        "action_plan",
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
    conn.execute("DELETE FROM action_plan_moments WHERE plan_id = ?1", [id])
        .map_err(map_err)?;
    conn.execute(
        "DELETE FROM action_plan_requirements WHERE plan_id = ?1",
        [id],
    )
    .map_err(map_err)?;
    conn.execute("DELETE FROM action_plans WHERE id = ?1", [id])
        .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "action_plan.delete",
        "action_plan",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::insert(conn, &entry, now)
}

pub(crate) fn list(
    conn: &Connection,
    f: &ActionPlanFilter,
    q: &ListQuery,
) -> StoreResult<Page<ActionPlan>> {
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
    if let Some(s) = f.status {
        push("status = ?{n}", Value::Text(s.as_str().into()));
    }
    if let Some(k) = &f.moment_key {
        push(
            "EXISTS (SELECT 1 FROM action_plan_moments m
                      WHERE m.plan_id = action_plans.id AND m.moment_key = ?{n})",
            Value::Text(k.clone()),
        );
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        push(
            "instr(tp_fold(title), ?{n}) > 0",
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
            &format!("SELECT count(*) FROM action_plans{filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(map_err)?;
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let (l, o) = (args.len() - 1, args.len());
    let plans: Vec<ActionPlan> = conn
        .prepare(&format!(
            "SELECT {COLS} FROM action_plans{filter}
             ORDER BY due_date, id LIMIT ?{l} OFFSET ?{o}"
        ))
        .and_then(|mut s| s.query_map(params_from_iter(args.iter()), row)?.collect())
        .map_err(map_err)?;
    let items = plans
        .into_iter()
        .map(|p| with_links(conn, p))
        .collect::<StoreResult<_>>()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
