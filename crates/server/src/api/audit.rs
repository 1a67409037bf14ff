//! The audit log (admins only): browse it, or download it as CSV.
use super::{
    extract::{Administer, ApiQuery, Caller},
    json::ApiJson,
    paging::Paged,
};
use crate::{error::AppError, error::Problem, state::AppState};
use axum::{extract::State, http::header, response::IntoResponse};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use touchpoint_core::{
    audit::{AuditEntry, AuditQuery},
    listing::{DEFAULT_LIMIT, MAX_LIMIT},
};
use utoipa::IntoParams;

/// Rows a CSV export holds at most; narrow the filters for more.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Prefix of the action: `login` matches `login.ok` and `login.failed`.
    pub action: Option<String>,
    /// Who acted (user email, or a tool such as `cli`).
    pub actor: Option<String>,
    /// Kind of thing touched, e.g. `service`.
    pub entity: Option<String>,
    /// Only entries at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50); ignored by the export.
    pub limit: Option<u32>,
    /// Rows to skip; ignored by the export.
    pub offset: Option<u32>,
}

impl AuditParams {
    fn query(&self) -> AuditQuery {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        AuditQuery {
            action: text(&self.action),
            actor: text(&self.actor),
            entity: text(&self.entity),
            since: self.since,
            until: self.until,
        }
    }
}

/// Browse the audit log, newest first.
#[utoipa::path(
    get, path = "/audit", tag = "audit",
    params(AuditParams),
    responses(
        (status = 200, description = "One page of audit entries", body = Paged<AuditEntry>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only admins read the audit log", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_audit(
    State(state): State<AppState>,
    _caller: Caller<Administer>,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<ApiJson<Paged<AuditEntry>>, AppError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let page = state
        .store
        .list_audit(&params.query(), limit, params.offset.unwrap_or(0))
        .await?;
    Ok(ApiJson(page.into()))
}

/// Download the audit log as CSV (same filters, newest first, at most 100 000 rows).
///
/// Columns: id, at, actor, action, entity, entity_id, detail, before, after. Cells that a
/// spreadsheet would run as a formula are prefixed with `'`.
#[utoipa::path(
    get, path = "/audit/export", tag = "audit",
    params(AuditParams),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only admins read the audit log", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export_audit(
    State(state): State<AppState>,
    _caller: Caller<Administer>,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<impl IntoResponse, AppError> {
    let query = params.query();
    let mut out = csv::Writer::from_writer(Vec::new());
    let header_row = [
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "detail",
        "before",
        "after",
    ];
    out.write_record(header_row).map_err(internal)?;
    let mut offset = 0u32;
    while offset < MAX_EXPORT_ROWS {
        let page = state.store.list_audit(&query, MAX_LIMIT, offset).await?;
        for e in &page.items {
            out.write_record(csv_row(e)).map_err(internal)?;
        }
        offset += page.items.len() as u32;
        if page.items.is_empty() || i64::from(offset) >= page.total {
            break;
        }
    }
    let bytes = out.into_inner().map_err(|e| internal(e.error()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"touchpoint-audit.csv\"",
            ),
        ],
        bytes,
    ))
}

fn csv_row(e: &AuditEntry) -> [String; 9] {
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    [
        e.id.to_string(),
        e.at.to_rfc3339_opts(SecondsFormat::Millis, true),
        defuse(&e.actor),
        defuse(&e.action),
        defuse(&e.entity),
        defuse(e.entity_id.as_deref().unwrap_or_default()),
        defuse(&e.detail),
        json(&e.before),
        json(&e.after),
    ]
}

/// Keep a spreadsheet from running a cell as a formula (CSV injection).
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused_and_plain_text_is_kept() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@sum"), "'@sum");
        assert_eq!(defuse("ana@bank.com"), "ana@bank.com");
    }
}
