//! The whole cycle report of a service as JSON or CSV: the same figures as the printable page
//! (`/services/{id}/report`) and `touchpoint report cycle`, from the same loader.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    scorecard::ScorecardFormat,
};
use crate::{
    error::{AppError, Problem},
    feedback::{known_site, scorecard::period_or_problem},
    report::{CycleReport, ReportScope, csv::long_table, load_cycle_report},
    state::AppState,
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use serde::Deserialize;
use touchpoint_core::{ValidationErrors, analytics::PriorityWeights};
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only evidence from this site (id).
    pub site: Option<i64>,
    /// `json` (default) or `csv` (one long table: section, moment, item, figure, value,
    /// interval, n).
    pub format: Option<ScorecardFormat>,
    /// Weight of criticality in the priorities (default 0.30); weights need not sum to 1.
    pub w_criticality: Option<f64>,
    /// Weight of the gap to target (default 0.30).
    pub w_gap: Option<f64>,
    /// Weight of the derived importance (default 0.15).
    pub w_importance: Option<f64>,
    /// Weight of the spread across sites (default 0.10).
    pub w_inconsistency: Option<f64>,
    /// Weight of complaints per 1,000 answers (default 0.15).
    pub w_complaints: Option<f64>,
}

impl ReportParams {
    fn weights(&self) -> PriorityWeights {
        PriorityWeights::or_defaults([
            self.w_criticality,
            self.w_gap,
            self.w_importance,
            self.w_inconsistency,
            self.w_complaints,
        ])
    }
}

/// The cycle report of a service: every analysis of its current cycle for one period.
///
/// The scorecard, priorities (with the weights asked for), importance–performance,
/// consistency, SERVQUAL gaps, complaint analysis and the action plans under way with their
/// before/after verdicts, plus the sites, dimensions and assignees they name. Before a cycle
/// is published every section is empty (`cycle` is null). `?format=csv` answers one long
/// table instead.
#[utoipa::path(
    get, path = "/services/{id}/report", tag = "services",
    params(("id" = i64, Path, description = "Service id"), ReportParams),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `format=csv`)",
            content((CycleReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site`, or unusable weights", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_report(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let service = store.get_service(p.id).await?;
    let now = state.clock.now();
    // Every problem of the query at once, each named by its parameter.
    let mut errors = ValidationErrors::new();
    let period = period_or_problem(&mut errors, params.from, params.to, now.date_naive());
    if let Some(site) = params.site {
        known_site(store, &mut errors, "site", site).await?;
    }
    let weights = params.weights();
    if let Err(e) = weights.validate() {
        errors.extend(e);
    }
    errors.into_result(())?;
    let period = period.ok_or_else(|| AppError::Internal("report period".into()))?;
    let scope = ReportScope {
        service_id: service.id,
        period,
        site_id: params.site,
        weights,
    };
    let report = load_cycle_report(store, now, scope, state.config.organisation.clone()).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(report).into_response(),
        ScorecardFormat::Csv => {
            let disposition = format!(
                "attachment; filename=\"{}.report.{}.{}.csv\"",
                service.key, period.from, period.to
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                long_table(&report)?,
            )
                .into_response()
        }
    })
}
