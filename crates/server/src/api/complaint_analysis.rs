//! The complaint analysis of a service (JSON or CSV) and the organisation's assumptions behind
//! its estimates.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    scorecard::ScorecardFormat,
};
use crate::{
    error::{AppError, Problem},
    feedback::{known_site, scorecard::period_or_problem},
    improvement::{csv, load_complaint_analysis},
    state::AppState,
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    ValidationErrors,
    analytics::Period,
    improvement::{Assumptions, ComplaintAnalysis},
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintAnalysisParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only complaints at this site (id).
    pub site: Option<i64>,
    /// `json` (default) or `csv`.
    pub format: Option<ScorecardFormat>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintAnalysisResponse {
    pub service_id: i64,
    pub period: Period,
    pub site_id: Option<i64>,
    pub analysis: ComplaintAnalysis,
}

/// Complaint analysis of a service.
///
/// The complaints received in the period (UTC days): counts and shares by moment, quality
/// dimension and site; the Pareto of root causes (grouped ignoring case and spacing, largest
/// first, with the cumulative % and the "vital few" that reach 80%); promises kept out of those
/// kept or broken, overall and per moment, site and assignee, with Wilson 95% intervals; and
/// **estimates** — silent dissatisfied customers (complaints × `silent_per_complaint`) and word
/// of mouth (dissatisfied × `told_by_dissatisfied`, satisfied complainants ×
/// `told_by_satisfied`) — computed from the assumptions returned with them, never facts.
/// `?format=csv` answers one row per figure.
#[utoipa::path(
    get, path = "/services/{id}/complaint-analysis", tag = "services",
    params(("id" = i64, Path, description = "Service id"), ComplaintAnalysisParams),
    responses(
        (status = 200, description = "The analysis (JSON, or CSV with `format=csv`)",
            content((ComplaintAnalysisResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, a period too long, or an unknown `site`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_complaint_analysis(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<ComplaintAnalysisParams>,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    store.get_service(p.id).await?;
    let mut errors = ValidationErrors::new();
    let period = period_or_problem(
        &mut errors,
        params.from,
        params.to,
        state.clock.now().date_naive(),
    );
    if let Some(site) = params.site {
        known_site(store, &mut errors, "site", site).await?;
    }
    errors.into_result(())?;
    let period = period.ok_or_else(|| AppError::Internal("analysis period".into()))?;
    let report = load_complaint_analysis(store, p.id, period, params.site).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(ComplaintAnalysisResponse {
            service_id: report.service.id,
            period,
            site_id: params.site,
            analysis: report.analysis,
        })
        .into_response(),
        ScorecardFormat::Csv => {
            let disposition = format!(
                "attachment; filename=\"{}.complaints.{}.{}.csv\"",
                report.service.key, period.from, period.to
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                csv::analysis(&report.analysis)?,
            )
                .into_response()
        }
    })
}

/// The assumptions behind the complaint estimates.
///
/// Defaults until set: 25 silent dissatisfied customers per complaint, 11 people told by a
/// dissatisfied customer, 3 by a satisfied one.
#[utoipa::path(
    get, path = "/complaint-assumptions", tag = "complaints",
    responses((status = 200, description = "The assumptions in use", body = Assumptions))
)]
pub async fn get_assumptions(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<Assumptions>, AppError> {
    Ok(ApiJson(state.store.complaint_assumptions().await?))
}

/// Set the assumptions behind the complaint estimates (each from 0 to 1,000).
#[utoipa::path(
    put, path = "/complaint-assumptions", tag = "complaints",
    request_body = Assumptions,
    responses(
        (status = 200, description = "The assumptions now in use", body = Assumptions),
        (status = 403, description = "The role may not change configuration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A multiplier out of range, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_assumptions(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<Assumptions>,
) -> Result<ApiJson<Assumptions>, AppError> {
    let valid = input.validate()?;
    state
        .store
        .set_complaint_assumptions(&caller.actor(), &valid)
        .await?;
    Ok(ApiJson(valid))
}
