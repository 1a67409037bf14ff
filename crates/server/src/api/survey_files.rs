//! Surveys from templates and files, their published versions, and export as YAML or JSON.
use super::{
    cycles::FileFormat,
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read, VersionPath},
    file_body,
    json::ApiJson,
    needs::ManageSurveys,
    surveys::{created, validate_draft},
};
use crate::{
    error::{AppError, Problem},
    feedback::{current_cycle, service_by_id_field, survey_context},
    state::AppState,
};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    StoreError,
    cycle_file::Format,
    feedback::{
        SurveyDocument, SurveyFileError,
        records::{Survey, SurveyVersion},
        survey_file, templates,
    },
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// One 1–5 rating per moment of the current cycle, an overall rating and a comment.
    MomentCsat,
    /// The recommendation question (0–10) and the reason for the score.
    Nps,
    /// Fifteen expectation/perception statements over the five SERVQUAL groups.
    Servqual,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromTemplate {
    pub template: Template,
    pub service_id: i64,
    /// The survey key; `<service key>-csat` (`-nps`, `-servqual`) when absent.
    #[serde(default)]
    pub key: Option<String>,
}

/// Create a survey from a template.
///
/// The survey is an ordinary draft (English and Spanish): edit it with
/// `PUT /surveys/{id}/draft`, then publish it.
#[utoipa::path(
    post, path = "/surveys/from-template", tag = "surveys",
    request_body = FromTemplate,
    responses(
        (status = 201, description = "The new survey (unpublished)", body = Survey,
            headers(("location" = String, description = "URL of the new survey"))),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown service, a per-moment survey of a service without a cycle, or a bad key", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_survey_from_template(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiJson(input): ApiJson<FromTemplate>,
) -> Result<impl IntoResponse, AppError> {
    let store = state.store.as_ref();
    let service = service_by_id_field(store, "service_id", input.service_id).await?;
    let mut draft = match input.template {
        Template::MomentCsat => {
            let Some(cycle) = current_cycle(store, service.id).await? else {
                return Err(AppError::invalid(
                    "service_id",
                    "the service has no published cycle, so there are no moments to ask about",
                ));
            };
            templates::moment_csat_survey(&service.key, &service.name, &cycle, true)
        }
        Template::Nps => templates::nps_survey(&service.key, &service.name),
        Template::Servqual => templates::servqual_survey(&service.key, &service.name),
    };
    if let Some(key) = input.key.filter(|k| !k.trim().is_empty()) {
        draft.key = key;
    }
    let valid = validate_draft(&state, &draft).await?;
    let survey = state.store.create_survey(&caller.actor(), &valid).await?;
    Ok(created(survey))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyImportResult {
    /// Whether the key was new (and so the survey created by this import).
    pub created: bool,
    pub survey: Survey,
}

/// Import a survey file (YAML or JSON, chosen by `Content-Type`).
///
/// A new key creates the survey; a known one replaces its draft (publish to make it
/// answerable). Syntax errors name line and column (field `body`); rule errors name the field
/// (`questions[2].text.es`).
#[utoipa::path(
    post, path = "/surveys/import", tag = "surveys",
    request_body(description = "A survey document as exported",
        content((String = "application/yaml"), (String = "application/json"))),
    responses(
        (status = 201, description = "The survey was created", body = SurveyImportResult),
        (status = 200, description = "The draft of an existing survey was replaced", body = SurveyImportResult),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither YAML nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Syntax or rule errors, each naming a line or field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn import_survey(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    headers: HeaderMap,
    req: Request,
) -> Result<impl IntoResponse, AppError> {
    let (text, format) = file_body::read_file(&state, &headers, req, "survey").await?;
    let text = text.as_str();
    let doc = survey_file::parse(text, format).map_err(file_error)?;
    let ctx = survey_context(state.store.as_ref(), doc.service.as_deref()).await?;
    let valid = doc.validate(&ctx).map_err(file_error)?;
    let actor = caller.actor();
    let (survey, created) = match state.store.get_survey_by_key(&valid.key).await {
        Ok(existing) => (
            state
                .store
                .update_survey_draft(&actor, existing.id, &valid)
                .await?,
            false,
        ),
        Err(StoreError::NotFound { .. }) => {
            (state.store.create_survey(&actor, &valid).await?, true)
        }
        Err(e) => return Err(e.into()),
    };
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(SurveyImportResult { created, survey })))
}

fn file_error(e: SurveyFileError) -> AppError {
    match e {
        SurveyFileError::Syntax { .. } => AppError::invalid("body", e.to_string()),
        SurveyFileError::Invalid(errors) => AppError::Invalid(errors),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurveyExportParams {
    /// `yaml` (default) or `json`.
    pub format: Option<FileFormat>,
    /// Export this published version instead of the draft.
    pub version: Option<i32>,
}

/// Export a survey as a file.
///
/// The draft by default, so export → edit → import round-trips; `version` exports a
/// published version instead.
#[utoipa::path(
    get, path = "/surveys/{id}/export", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), SurveyExportParams),
    responses(
        (status = 200, description = "The survey document",
            content((String = "application/yaml"), (String = "application/json"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export_survey(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<SurveyExportParams>,
) -> Result<impl IntoResponse, AppError> {
    let survey = state.store.get_survey(p.id).await?;
    let doc = match params.version {
        Some(v) => {
            let version = state.store.survey_version(p.id, v).await?;
            SurveyDocument::from_survey(&version.definition, Some(v))
        }
        None => {
            let version = survey
                .current_version
                .filter(|_| !survey.has_unpublished_changes);
            SurveyDocument::from_survey(&survey.draft, version)
        }
    };
    let (format, content_type, ext) = match params.format.unwrap_or_default() {
        FileFormat::Yaml => (Format::Yaml, "application/yaml", "yaml"),
        FileFormat::Json => (Format::Json, "application/json", "json"),
    };
    let disposition = format!("attachment; filename=\"{}.survey.{ext}\"", survey.key);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        doc.to_text(format),
    ))
}

/// The published versions of a survey, newest first.
#[utoipa::path(
    get, path = "/surveys/{id}/versions", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "Published versions, newest first", body = Vec<SurveyVersion>),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_survey_versions(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Vec<SurveyVersion>>, AppError> {
    state.store.get_survey(p.id).await?;
    Ok(ApiJson(state.store.list_survey_versions(p.id).await?))
}

/// One published version of a survey.
#[utoipa::path(
    get, path = "/surveys/{id}/versions/{version}", tag = "surveys",
    params(
        ("id" = i64, Path, description = "Survey id"),
        ("version" = i32, Path, description = "Version number, 1 for the first"),
    ),
    responses(
        (status = 200, description = "That version", body = SurveyVersion),
        (status = 404, description = "No such survey or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_survey_version(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<VersionPath>,
) -> Result<ApiJson<SurveyVersion>, AppError> {
    state.store.get_survey(p.id).await?;
    Ok(ApiJson(state.store.survey_version(p.id, p.version).await?))
}
