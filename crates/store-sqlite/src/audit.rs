//! The audit trail: written inside every change's transaction, browsed newest first.
use crate::{
    SqliteStore,
    rows::{self, AUDIT_COLS, map_err, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params, params_from_iter, types::Value};
use touchpoint_core::{
    StoreResult,
    audit::{AuditEntry, AuditQuery, NewAuditEntry},
    listing::{MAX_LIMIT, Page},
    store::AuditStore,
};

/// Append one record; call inside the change's savepoint so both commit or neither.
pub(crate) fn insert(conn: &Connection, e: &NewAuditEntry, at: DateTime<Utc>) -> StoreResult<()> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(serde_json::Value::to_string);
    conn.prepare_cached(
        "INSERT INTO audit_log
             (at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            ts(at),
            e.actor_user_id,
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            json(&e.before),
            json(&e.after),
            e.detail
        ])
    })
    .map_err(map_err)?;
    Ok(())
}

fn list(
    conn: &Connection,
    q: &AuditQuery,
    limit: u32,
    offset: u32,
) -> StoreResult<Page<AuditEntry>> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    // Each condition is a constant with `{n}` standing for its parameter number.
    let mut push = |cond: &'static str, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(a) = &q.action {
        // Literal prefix: compare the leading characters, so `%` and `_` mean themselves.
        push(
            "substr(action, 1, length(?{n})) = ?{n}",
            Value::Text(a.clone()),
        );
    }
    if let Some(a) = &q.actor {
        push("actor = ?{n}", Value::Text(a.clone()));
    }
    if let Some(e) = &q.entity {
        push("entity = ?{n}", Value::Text(e.clone()));
    }
    if let Some(t) = q.since {
        push("at >= ?{n}", Value::Text(ts(t)));
    }
    if let Some(t) = q.until {
        push("at < ?{n}", Value::Text(ts(t)));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM audit_log{filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let n = args.len();
    let sql = format!(
        "SELECT {AUDIT_COLS} FROM audit_log{filter} ORDER BY at DESC, id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    args.push(Value::Integer(i64::from(limit)));
    args.push(Value::Integer(i64::from(offset)));
    let items = conn
        .prepare_cached(&sql)
        .map_err(map_err)?
        .query_map(params_from_iter(args.iter()), rows::audit)
        .map_err(map_err)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit,
        offset,
    })
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn record(&self, entry: &NewAuditEntry) -> StoreResult<()> {
        let (entry, at) = (entry.clone(), self.now());
        self.write(move |c| insert(c, &entry, at)).await
    }

    async fn list_audit(
        &self,
        q: &AuditQuery,
        limit: u32,
        offset: u32,
    ) -> StoreResult<Page<AuditEntry>> {
        let q = q.clone();
        self.read(move |c| list(c, &q, limit, offset)).await
    }
}
