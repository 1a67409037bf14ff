//! Paged, sorted, searchable lists. Sort columns come from fixed lists, never from input.
use crate::errors::Db;
use sqlx::{PgPool, Postgres, QueryBuilder, postgres::PgRow};
use touchpoint_core::{
    StoreResult,
    listing::{ListQuery, Page, SortField},
};

/// How one table is listed.
pub(crate) struct ListSpec {
    /// `SELECT ... FROM table s [joins]`; the table is aliased `s`.
    pub select: &'static str,
    /// `table s`, for the count.
    pub table: &'static str,
    /// Condition that keeps only active rows.
    pub active: &'static str,
    /// Columns the search matches (case-insensitively); a row matches if any does.
    pub search: &'static [&'static str],
    /// Column for each sort field.
    pub sort: fn(SortField) -> &'static str,
}

/// `%text%` for ILIKE with `\`, `%` and `_` escaped, or `None` for a blank search.
pub(crate) fn like_pattern(search: Option<&str>) -> Option<String> {
    let s = search.map(str::trim).filter(|s| !s.is_empty())?;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    Some(out)
}

/// A value an extra `column = value` condition compares with.
#[derive(Debug, Clone)]
pub(crate) enum FilterValue {
    Int(i64),
    Text(String),
}

fn push_filters(
    qb: &mut QueryBuilder<'_, Postgres>,
    spec: &ListSpec,
    q: &ListQuery,
    filters: &[(&'static str, FilterValue)],
) {
    qb.push(" WHERE TRUE");
    if !q.include_inactive {
        qb.push(" AND ").push(spec.active);
    }
    if let Some(pattern) = like_pattern(q.search.as_deref()) {
        qb.push(" AND (FALSE");
        for column in spec.search {
            qb.push(" OR ")
                .push(column)
                .push(" ILIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        qb.push(")");
    }
    for (column, value) in filters {
        qb.push(" AND ").push(*column).push(" = ");
        match value {
            FilterValue::Int(v) => qb.push_bind(*v),
            FilterValue::Text(v) => qb.push_bind(v.clone()),
        };
    }
}

/// One page of `spec`'s rows plus the total, with an optional `column = value` filter.
pub(crate) async fn list_page<T>(
    pool: &PgPool,
    spec: &ListSpec,
    q: &ListQuery,
    filter: Option<(&'static str, i64)>,
    map: fn(&PgRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Page<T>> {
    let filters: Vec<_> = filter
        .map(|(c, v)| (c, FilterValue::Int(v)))
        .into_iter()
        .collect();
    list_page_where(pool, spec, q, &filters, map).await
}

/// One page of `spec`'s rows plus the total, keeping rows where every `column = value`.
pub(crate) async fn list_page_where<T>(
    pool: &PgPool,
    spec: &ListSpec,
    q: &ListQuery,
    filters: &[(&'static str, FilterValue)],
    map: fn(&PgRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Page<T>> {
    let q = q.clone().clamped();
    let mut count = QueryBuilder::new(format!("SELECT count(*) FROM {}", spec.table));
    push_filters(&mut count, spec, &q, filters);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await.db()?;

    let mut qb = QueryBuilder::new(spec.select);
    push_filters(&mut qb, spec, &q, filters);
    let dir = if q.descending { "DESC" } else { "ASC" };
    qb.push(format!(
        " ORDER BY {} {dir}, s.id {dir} LIMIT ",
        (spec.sort)(q.sort)
    ))
    .push_bind(i64::from(q.limit))
    .push(" OFFSET ")
    .push_bind(i64::from(q.offset));
    let rows = qb.build().fetch_all(pool).await.db()?;
    let items = rows.iter().map(map).collect::<Result<Vec<_>, _>>().db()?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

/// Sorting for tables with a `key`: names and keys compare case-insensitively.
pub(crate) fn keyed_sort(f: SortField) -> &'static str {
    match f {
        SortField::Name => "lower(s.name) COLLATE \"C\"",
        SortField::Key => "s.key COLLATE \"C\"",
        SortField::CreatedAt => "s.created_at",
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(like_pattern(Some(" 50%_a\\ ")).unwrap(), "%50\\%\\_a\\\\%");
        assert_eq!(like_pattern(Some("  ")), None);
        assert_eq!(like_pattern(None), None);
    }
}
