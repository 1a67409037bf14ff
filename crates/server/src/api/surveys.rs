//! Surveys: multi-language questionnaires about a service's moments of truth. A survey has an
//! editable draft; publishing freezes it into an answerable version.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    needs::ManageSurveys,
    paging::{ListParams, Paged},
};
use crate::{
    error::{AppError, Problem},
    feedback::survey_context,
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Deserialize;
use touchpoint_core::feedback::{
    SurveyDraft, ValidSurvey,
    records::{Survey, SurveyVersion},
};
use utoipa::IntoParams;

/// Filters of the survey list, on top of the paging parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurveyFilter {
    /// Only surveys about this service.
    pub service_id: Option<i64>,
}

/// List surveys.
///
/// Sorted by title (`sort=name`), key or creation time; `q` searches the English title.
/// Archived surveys are left out unless `include_archived=true`.
#[utoipa::path(
    get, path = "/surveys", tag = "surveys",
    params(ListParams, SurveyFilter),
    responses(
        (status = 200, description = "One page of surveys", body = Paged<Survey>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_surveys(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<SurveyFilter>,
) -> Result<ApiJson<Paged<Survey>>, AppError> {
    let page = state
        .store
        .list_surveys(&params.to_query(), filter.service_id)
        .await?;
    Ok(ApiJson(page.into()))
}

/// Check a draft against its service's current cycle and the configured quality dimensions.
pub(crate) async fn validate_draft(
    state: &AppState,
    draft: &SurveyDraft,
) -> Result<ValidSurvey, AppError> {
    let ctx = survey_context(state.store.as_ref(), draft.service_key.as_deref()).await?;
    Ok(draft.validate(&ctx)?)
}

/// `201 Created` with the survey's URL.
pub(crate) fn created(survey: Survey) -> impl IntoResponse {
    let location = format!("/api/v1/surveys/{}", survey.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(survey),
    )
}

/// Create a survey from a draft.
///
/// `moment_key`s must be moments of the service's current cycle and `dimension`s configured
/// quality dimensions. Nothing can be answered until the survey is published.
#[utoipa::path(
    post, path = "/surveys", tag = "surveys",
    request_body = SurveyDraft,
    responses(
        (status = 201, description = "The new survey (unpublished)", body = Survey,
            headers(("location" = String, description = "URL of the new survey"))),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid survey; each problem names its field, e.g. `questions[2].text.es`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_survey(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiJson(draft): ApiJson<SurveyDraft>,
) -> Result<impl IntoResponse, AppError> {
    let valid = validate_draft(&state, &draft).await?;
    let survey = state.store.create_survey(&caller.actor(), &valid).await?;
    Ok(created(survey))
}

/// Get one survey with its draft.
#[utoipa::path(
    get, path = "/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The survey", body = Survey),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_survey(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Survey>, AppError> {
    Ok(ApiJson(state.store.get_survey(p.id).await?))
}

/// Replace a survey's draft.
///
/// The key and the service may not change. Published versions stay as they are; publish again
/// to make the edit answerable.
#[utoipa::path(
    put, path = "/surveys/{id}/draft", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = SurveyDraft,
    responses(
        (status = 200, description = "The survey with its new draft", body = Survey),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid survey, or a changed key or service; each problem names its field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_survey_draft(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(draft): ApiJson<SurveyDraft>,
) -> Result<ApiJson<Survey>, AppError> {
    state.store.get_survey(p.id).await?;
    let valid = validate_draft(&state, &draft).await?;
    let survey = state
        .store
        .update_survey_draft(&caller.actor(), p.id, &valid)
        .await?;
    Ok(ApiJson(survey))
}

/// Publish the draft as the next version.
///
/// The version is frozen: its questions' moments are resolved against the service's current
/// cycle, and answers always refer to the version they were given to.
#[utoipa::path(
    post, path = "/surveys/{id}/publish", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 201, description = "The new version", body = SurveyVersion,
            headers(("location" = String, description = "URL of the new version"))),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The draft is unchanged since the last version (`errors` names `draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A question's moment is no longer in the service's cycle", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish_survey(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<impl IntoResponse, AppError> {
    let version = state.store.publish_survey(&caller.actor(), p.id).await?;
    let location = format!("/api/v1/surveys/{}/versions/{}", p.id, version.version);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(version),
    ))
}

/// Archive a survey.
///
/// It leaves the lists and accepts no more responses through the API; its versions and
/// responses stay.
#[utoipa::path(
    delete, path = "/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn archive_survey(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.archive_survey(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
