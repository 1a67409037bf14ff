//! Paged, sorted, searchable lists built from fixed SQL fragments (never user input).
use crate::rows::map_err;
use rusqlite::{Connection, Row, params_from_iter, types::Value};
use touchpoint_core::{
    StoreResult,
    listing::{ListQuery, Page, SortField},
};

/// How one entity is listed. Every string is a constant of this crate.
pub(crate) struct ListSpec {
    /// `SELECT … FROM …` without WHERE/ORDER.
    pub select: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub key: &'static str,
    pub created_at: &'static str,
    /// Columns `search` looks into (case-insensitive substring, Unicode case folding).
    pub search: &'static [&'static str],
    /// Condition keeping only active rows, applied unless `include_inactive`.
    pub active: &'static str,
}

/// Run the list; `extra` adds `(condition with one ?, value)` filters.
pub(crate) fn list<T>(
    conn: &Connection,
    spec: &ListSpec,
    q: &ListQuery,
    extra: &[(&'static str, Value)],
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Page<T>> {
    let q = q.clone().clamped();
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if !q.include_inactive {
        conds.push(spec.active.to_string());
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        args.push(Value::Text(term.to_lowercase()));
        let n = args.len();
        let any: Vec<String> = spec
            .search
            .iter()
            .map(|c| format!("instr(tp_fold({c}), ?{n}) > 0"))
            .collect();
        conds.push(format!("({})", any.join(" OR ")));
    }
    for (cond, value) in extra {
        args.push(value.clone());
        conds.push(cond.replace('?', &format!("?{}", args.len())));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let column = match q.sort {
        SortField::Name => spec.name,
        SortField::Key => spec.key,
        SortField::CreatedAt => spec.created_at,
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let total_sql = format!("SELECT count(*) FROM ({}{filter})", spec.select);
    let total: i64 = conn
        .query_row(&total_sql, params_from_iter(args.iter()), |r| r.get(0))
        .map_err(map_err)?;
    let n = args.len();
    let sql = format!(
        "{}{filter} ORDER BY {column} {dir}, {id} {dir} LIMIT ?{} OFFSET ?{}",
        spec.select,
        n + 1,
        n + 2,
        id = spec.id,
    );
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let mut stmt = conn.prepare_cached(&sql).map_err(map_err)?;
    let items = stmt
        .query_map(params_from_iter(args.iter()), map)
        .map_err(map_err)?
        .collect::<rusqlite::Result<Vec<T>>>()
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}
