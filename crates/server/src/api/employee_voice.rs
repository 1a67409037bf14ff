//! Employee voice of a service: what staff answered in employee surveys, per moment and site.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
};
use crate::{
    error::{AppError, Problem},
    feedback::{known_site, scorecard::period_or_problem},
    recognition::voice::{EmployeeVoice, load_employee_voice},
    state::AppState,
};
use axum::extract::State;
use chrono::NaiveDate;
use serde::Deserialize;
use touchpoint_core::ValidationErrors;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VoiceParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only responses from this site (id).
    pub site: Option<i64>,
}

/// What staff say is needed: the answers to the service's employee-audience surveys in the
/// period, per moment of the current cycle (answers under earlier versions count by key) and
/// site — the mean of the rating, NPS and effort answers on the 0–100 scale with its `n`, the
/// number of respondents, and the written answers, newest first (at most 50 per group;
/// `texts_total` counts all). Answers about no moment form the group with `moment_key: null`.
#[utoipa::path(
    get, path = "/services/{id}/employee-voice", tag = "services",
    params(("id" = i64, Path, description = "Service id"), VoiceParams),
    responses(
        (status = 200, description = "The employee voice of the period", body = EmployeeVoice),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, or an unknown `site`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_employee_voice(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<VoiceParams>,
) -> Result<ApiJson<EmployeeVoice>, AppError> {
    let store = state.store.as_ref();
    let service = store.get_service(p.id).await?;
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
    let period = period.ok_or_else(|| AppError::Internal("employee voice period".into()))?;
    Ok(ApiJson(
        load_employee_voice(store, service.id, period, params.site).await?,
    ))
}
