//! Staff recognition: a month's ranking per site with every component, its sample size and
//! its contribution, and the organisation's formula settings.
use super::{
    extract::{ApiQuery, Caller, ManageCatalog, Read},
    json::ApiJson,
    scorecard::ScorecardFormat,
};
use crate::{
    error::{AppError, Problem},
    feedback::known_site,
    recognition::{Recognition, csv_out::to_csv, load_recognition},
    state::AppState,
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use touchpoint_core::{
    ValidationErrors,
    recognition::{Month, RecognitionSettings},
};
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecognitionParams {
    /// `YYYY-MM` (UTC calendar month); default: the last complete month.
    pub month: Option<String>,
    /// Only the staff of this site (id).
    pub site: Option<i64>,
    /// `json` (default) or `csv` (one row per staff member).
    pub format: Option<ScorecardFormat>,
}

/// Parse `month` (default: the last complete month by the clock); problems go to `errors`.
pub fn month_param(
    text: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    errors: &mut ValidationErrors,
) -> Option<Month> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(Month::previous_complete(now)),
        Some(t) => match Month::parse(t) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push("month", e);
                None
            }
        },
    }
}

/// A month's staff recognition, ranked per site.
///
/// For every active staff member: audit (mystery-shopper moment scores at the moments of their
/// role), satisfaction of the customers whose responses name them, compliments, complaints
/// resolved to the customer's satisfaction and promises kept on their complaints — each with
/// its value, sample size `n`, minimum sample, whether it qualifies, its configured and
/// effective weight and the points it adds. Components below their minimum are left out and
/// the other weights re-normalised; people whose qualifying components carry less than
/// `min_coverage` of the weight are listed without a rank. `?format=csv` answers one row per
/// person.
#[utoipa::path(
    get, path = "/recognition", tag = "recognition",
    params(RecognitionParams),
    responses(
        (status = 200, description = "The ranking (JSON, or CSV with `format=csv`)",
            content((Recognition = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed `month` or an unknown `site`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_recognition(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<RecognitionParams>,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let mut errors = ValidationErrors::new();
    let month = month_param(params.month.as_deref(), state.clock.now(), &mut errors);
    if let Some(site) = params.site {
        known_site(store, &mut errors, "site", site).await?;
    }
    errors.into_result(())?;
    let month = month.ok_or_else(|| AppError::Internal("recognition month".into()))?;
    let recognition = load_recognition(store, month, params.site).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(recognition).into_response(),
        ScorecardFormat::Csv => {
            let disposition = format!("attachment; filename=\"recognition.{month}.csv\"");
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                to_csv(&recognition)?,
            )
                .into_response()
        }
    })
}

/// The recognition formula's settings (saved, else the defaults).
#[utoipa::path(
    get, path = "/recognition/settings", tag = "recognition",
    responses((status = 200, description = "The settings", body = RecognitionSettings))
)]
pub async fn get_settings(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<RecognitionSettings>, AppError> {
    Ok(ApiJson(state.store.recognition_settings().await?))
}

/// Replace the recognition formula's settings: a weight (0–100, not all 0) and a minimum
/// sample per component, the compliments that earn full marks and the minimum coverage (0–1).
#[utoipa::path(
    put, path = "/recognition/settings", tag = "recognition",
    request_body = RecognitionSettings,
    responses(
        (status = 200, description = "The saved settings", body = RecognitionSettings),
        (status = 403, description = "The role may not change the configuration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Values out of range, each named by its field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_settings(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<RecognitionSettings>,
) -> Result<ApiJson<RecognitionSettings>, AppError> {
    let valid = input.validate()?;
    Ok(ApiJson(
        state
            .store
            .save_recognition_settings(&caller.actor(), &valid)
            .await?,
    ))
}
