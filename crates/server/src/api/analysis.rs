//! The decision analyses of a service: SERVQUAL gaps, importance–performance, consistency
//! and priorities, for a period and optionally a site; JSON or CSV (`?format=csv`).
use super::{
    analysis_csv as csv_out,
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    scorecard::ScorecardFormat,
};
use crate::{
    error::{AppError, Problem},
    feedback::{
        analysis::{Analysis, Parts, load_analysis},
        known_site,
        scorecard::{STAFF_FILTER_REFUSED, period_or_problem},
    },
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
    analytics::{Consistency, GapReport, Ipa, Period, Priorities, PriorityConfig, PriorityWeights},
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only evidence from this site (id).
    pub site: Option<i64>,
    /// Refused with a 422: the analyses compare sites and staff themselves; filter the
    /// scorecard by staff member instead (`/scorecard?staff=`).
    pub staff: Option<i64>,
    /// `json` (default) or `csv`.
    pub format: Option<ScorecardFormat>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriorityParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only evidence from this site (id).
    pub site: Option<i64>,
    /// Refused with a 422: the analyses compare sites and staff themselves; filter the
    /// scorecard by staff member instead (`/scorecard?staff=`).
    pub staff: Option<i64>,
    /// `json` (default) or `csv`.
    pub format: Option<ScorecardFormat>,
    /// Weight of criticality (default 0.30); weights need not sum to 1.
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

/// Where an analysis comes from: the service, its cycle version, the period and the site.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnalysisScope {
    pub service_id: i64,
    pub cycle_version: i32,
    pub period: Period,
    pub site_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapsResponse {
    pub scope: AnalysisScope,
    pub gaps: GapReport,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IpaResponse {
    pub scope: AnalysisScope,
    pub ipa: Ipa,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsistencyResponse {
    pub scope: AnalysisScope,
    pub consistency: Consistency,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrioritiesResponse {
    pub scope: AnalysisScope,
    pub priorities: Priorities,
}

/// Validate the shared query (every problem at once) and load the analysis.
async fn analyse(
    state: &AppState,
    service_id: i64,
    (from, to, site, staff): (
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<i64>,
        Option<i64>,
    ),
    weights: Option<PriorityWeights>,
    parts: Parts,
) -> Result<(String, Analysis), AppError> {
    let store = state.store.as_ref();
    let service = store.get_service(service_id).await?;
    let mut errors = ValidationErrors::new();
    let period = period_or_problem(&mut errors, from, to, state.clock.now().date_naive());
    if staff.is_some() {
        errors.push("staff", STAFF_FILTER_REFUSED);
    }
    if let Some(site) = site {
        known_site(store, &mut errors, "site", site).await?;
    }
    if let Some(Err(e)) = weights.map(|w| w.validate()) {
        errors.extend(e);
    }
    errors.into_result(())?;
    let period = period.ok_or_else(|| AppError::Internal("analysis period".into()))?;
    let config = PriorityConfig {
        weights: weights.unwrap_or_default(),
        ..PriorityConfig::default()
    };
    let analysis = load_analysis(store, service.id, period, site, config, parts)
        .await?
        .ok_or_else(|| AppError::NotFound("cycle".into()))?;
    Ok((service.key, analysis))
}

fn scope(a: &Analysis) -> AnalysisScope {
    AnalysisScope {
        service_id: a.cycle.service_id,
        cycle_version: a.cycle.version,
        period: a.period,
        site_id: a.site_id,
    }
}

fn csv_response(name: &str, service_key: &str, a: &Analysis, body: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{service_key}.{name}.{}.{}.csv\"",
        a.period.from, a.period.to
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

fn shared(
    p: &AnalysisParams,
) -> (
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
    Option<i64>,
) {
    (p.from, p.to, p.site, p.staff)
}

/// SERVQUAL gaps per item and dimension, overall and per site.
///
/// Gap = mean perception − mean expectation (1–7 each), from the roll-ups of the servqual
/// parts; a dimension's gap is the mean of its items'. Intervals are conservative 95% t
/// intervals (roll-ups keep no cross products, so Var(P − E) ≤ (s_P + s_E)² is used).
/// `weighted` weighs each dimension by its stated importance: a rating question with a
/// quality dimension and no moment. `?format=csv` answers one row per item and dimension.
#[utoipa::path(
    get, path = "/services/{id}/gaps", tag = "services",
    params(("id" = i64, Path, description = "Service id"), AnalysisParams),
    responses(
        (status = 200, description = "The gaps (JSON, or CSV with `format=csv`)",
            content((GapsResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site`, or a `staff` filter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_gaps(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<AnalysisParams>,
) -> Result<Response, AppError> {
    let (key, a) = analyse(&state, p.id, shared(&params), None, Parts::Gaps).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(GapsResponse {
            scope: scope(&a),
            gaps: a.gaps.clone(),
        })
        .into_response(),
        ScorecardFormat::Csv => csv_response("gaps", &key, &a, csv_out::gaps(&a.gaps)?),
    })
}

/// Importance–performance analysis per moment.
///
/// Performance = mean answer on a 0–100 scale (rating, effort reversed and NPS mapped
/// linearly from their scale's worst to best answer), with its t interval. Importance =
/// Pearson's r across respondents between the moment's score and the overall item of the
/// same response (`pearson_overall_csat`, else `pearson_nps`; named per point), with a Fisher
/// z interval. Quadrants split at the means of the plotted points.
#[utoipa::path(
    get, path = "/services/{id}/ipa", tag = "services",
    params(("id" = i64, Path, description = "Service id"), AnalysisParams),
    responses(
        (status = 200, description = "The IPA points (JSON, or CSV with `format=csv`)",
            content((IpaResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site`, or a `staff` filter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ipa(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<AnalysisParams>,
) -> Result<Response, AppError> {
    let (key, a) = analyse(&state, p.id, shared(&params), None, Parts::All).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(IpaResponse {
            scope: scope(&a),
            ipa: a.ipa.clone(),
        })
        .into_response(),
        ScorecardFormat::Csv => csv_response("ipa", &key, &a, csv_out::ipa(&a.ipa)?),
    })
}

/// Consistency per moment: site means, their standard deviation and the share of sites
/// meeting the target (75 on the 0–100 scale), and the spread over weeks and staff members
/// (groups of 10 answers or more). `good_but_inconsistent`: the mean meets the target but a
/// site is below it, or sites or staff spread by 10 points (SD) or more.
#[utoipa::path(
    get, path = "/services/{id}/consistency", tag = "services",
    params(("id" = i64, Path, description = "Service id"), AnalysisParams),
    responses(
        (status = 200, description = "Consistency per moment (JSON, or CSV with `format=csv`)",
            content((ConsistencyResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site`, or a `staff` filter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_consistency(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<AnalysisParams>,
) -> Result<Response, AppError> {
    let (key, a) = analyse(&state, p.id, shared(&params), None, Parts::All).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(ConsistencyResponse {
            scope: scope(&a),
            consistency: a.consistency.clone(),
        })
        .into_response(),
        ScorecardFormat::Csv => csv_response(
            "consistency",
            &key,
            &a,
            csv_out::consistency(&a.consistency)?,
        ),
    })
}

/// Moments ranked for improvement, with every factor's contribution.
///
/// Score (0–100) = Σ weight × factor / Σ weights × 100, factors normalised to 0–1:
/// criticality (1/0), gap to target (largest shortfall below 75 of the mean or of a site's
/// mean, over 75), importance (derived r, negatives as 0), inconsistency (SD of site means
/// over 25) and complaints per 1,000 answers (over 20); caps at 1. Weights come from the
/// `w_*` parameters. Ties break by criticality, lower performance, then cycle position.
#[utoipa::path(
    get, path = "/services/{id}/priorities", tag = "services",
    params(("id" = i64, Path, description = "Service id"), PriorityParams),
    responses(
        (status = 200, description = "Ranked moments (JSON, or CSV with `format=csv`)",
            content((PrioritiesResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site`, a `staff` filter, or unusable weights", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_priorities(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<PriorityParams>,
) -> Result<Response, AppError> {
    let weights = PriorityWeights::or_defaults([
        params.w_criticality,
        params.w_gap,
        params.w_importance,
        params.w_inconsistency,
        params.w_complaints,
    ]);
    let q = (params.from, params.to, params.site, params.staff);
    let (key, a) = analyse(&state, p.id, q, Some(weights), Parts::All).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(PrioritiesResponse {
            scope: scope(&a),
            priorities: a.priorities.clone(),
        })
        .into_response(),
        ScorecardFormat::Csv => {
            csv_response("priorities", &key, &a, csv_out::priorities(&a.priorities)?)
        }
    })
}
