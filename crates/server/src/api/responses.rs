//! Responses: submitted by integrations (idempotently), listed and read back.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    needs::RecordFeedback,
    paging::Paged,
};
use crate::{
    auth::secrets::sha256_hex,
    error::{AppError, Problem},
    feedback::{
        LinkRefusal, MAX_IDEMPOTENCY_KEY, ResponseMeta, build_response, known_site, known_staff,
        link_refusal,
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, sync::Arc};
use touchpoint_core::{
    StoreError, ValidationErrors,
    feedback::{
        AnswerValue,
        records::{ResponseRecord, ResponseSource, SubmitOutcome, SurveyVersion},
    },
    listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT},
};
use utoipa::{IntoParams, ToSchema};

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Paging of lists without sorting or search.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl PageParams {
    pub fn to_query(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            ..ListQuery::default()
        }
    }
}

/// A response as an integration sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// Question code → answer: a number for scores, `{"expectation": e, "perception": p}` for
    /// servqual items, an option code (string) for single choice, a list of option codes for
    /// multiple choice, a string for text.
    pub answers: BTreeMap<String, AnswerValue>,
    /// When the customer answered (default: now).
    #[serde(default)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// One of the survey's languages (default: its first).
    #[serde(default)]
    pub language: Option<String>,
    /// The token of a personal invitation this answers; it can be answered once.
    #[serde(default)]
    pub invitation_token: Option<String>,
}

/// What a submission did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedResponse {
    pub id: i64,
    pub survey_id: i64,
    /// The version that was answered.
    pub survey_version: i32,
    /// False when an earlier submission with the same `Idempotency-Key` already created it.
    pub created: bool,
}

/// Submit a response to the current version of a survey.
///
/// Send an `Idempotency-Key` (any unique string up to 200 characters) and retry freely: the
/// same key never creates a second response, even across restarts; a retry answers 200 with
/// the first response's id and `Idempotent-Replayed: true`. The answer comes only after the
/// response is durably stored. Answer problems are named `answers.<code>`.
#[utoipa::path(
    post, path = "/surveys/{id}/responses", tag = "responses",
    params(
        ("id" = i64, Path, description = "Survey id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Unique per submission; a retry with the same key returns the first response"),
    ),
    request_body = ResponseInput,
    responses(
        (status = 201, description = "Stored", body = SubmittedResponse,
            headers(("location" = String, description = "URL of the response"))),
        (status = 200, description = "A retry: the response this key already created", body = SubmittedResponse,
            headers(("idempotent-replayed" = String, description = "`true`"))),
        (status = 400, description = "A malformed `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not record feedback", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not published, archived, or the invitation was already answered, deactivated or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers (`answers.<code>`) or fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn submit_response(
    State(state): State<AppState>,
    _caller: Caller<RecordFeedback>,
    ApiPath(p): ApiPath<IdPath>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Response, AppError> {
    let idempotency_key = idempotency_key(&headers)?;
    let version = answerable_version(&state, p.id).await?;
    let now = state.clock.now();
    let mut meta = match input.invitation_token.as_deref().map(str::trim) {
        Some(token) if !token.is_empty() => invitation_meta(&state, p.id, token, now).await?,
        _ => ResponseMeta::new(ResponseSource::Api),
    };
    meta.idempotency_key = idempotency_key;
    meta.submitted_at = input.submitted_at;
    meta.customer = input.customer.or(meta.customer);
    meta.site_id = input.site_id.or(meta.site_id);
    meta.staff_id = input.staff_id.or(meta.staff_id);
    meta.language = input.language.or(meta.language);
    let (site_id, staff_id) = (meta.site_id, meta.staff_id);
    let new = build_response(&version, &input.answers, meta, now)?;
    let mut errors = ValidationErrors::new();
    if let Some(id) = site_id {
        known_site(state.store.as_ref(), &mut errors, "site_id", id).await?;
    }
    if let Some(id) = staff_id {
        known_staff(state.store.as_ref(), &mut errors, "staff_id", id).await?;
    }
    errors.into_result(())?;
    let outcome = state.store.submit_response(&new).await?;
    let id = outcome.id();
    let created = matches!(outcome, SubmitOutcome::Created(_));
    let body = ApiJson(SubmittedResponse {
        id,
        survey_id: p.id,
        survey_version: version.version,
        created,
    });
    Ok(if created {
        let location = format!("/api/v1/responses/{id}");
        (StatusCode::CREATED, [(header::LOCATION, location)], body).into_response()
    } else {
        let replayed = [(
            HeaderName::from_static(IDEMPOTENT_REPLAYED),
            HeaderValue::from_static("true"),
        )];
        (StatusCode::OK, replayed, body).into_response()
    })
}

/// The `Idempotency-Key` header: absent, or 1 to 200 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let bad = |message: &str| AppError::BadParameter {
        field: "Idempotency-Key".into(),
        message: message.into(),
    };
    let key = value
        .to_str()
        .map_err(|_| bad("must be visible ASCII text"))?
        .trim();
    if key.is_empty() {
        return Err(bad("must not be empty"));
    }
    if key.len() > MAX_IDEMPOTENCY_KEY {
        return Err(bad("must be at most 200 characters"));
    }
    Ok(Some(key.to_string()))
}

/// The current version of a live survey: 404 without the survey, 409 when it is archived or
/// was never published.
async fn answerable_version(
    state: &AppState,
    survey_id: i64,
) -> Result<Arc<SurveyVersion>, AppError> {
    let status = state.store.survey_status(survey_id).await?;
    let conflict = |message: &str| AppError::Conflict {
        field: "survey".into(),
        message: message.into(),
    };
    if status.archived_at.is_some() {
        return Err(conflict(
            "the survey is archived and accepts no more responses",
        ));
    }
    status
        .current_version
        .ok_or_else(|| conflict("the survey has no published version yet; publish it first"))
}

/// What the invitation behind `token` says about the response. Whether it was already
/// answered is left to the store, so a retry with the same `Idempotency-Key` still replays.
async fn invitation_meta(
    state: &AppState,
    survey_id: i64,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ResponseMeta, AppError> {
    let unknown = || {
        AppError::invalid(
            "invitation_token",
            "no invitation of this survey has this token",
        )
    };
    let target = match state.store.find_link(&sha256_hex(token)).await {
        Ok(t) => t,
        Err(StoreError::NotFound { .. }) => return Err(unknown()),
        Err(e) => return Err(e.into()),
    };
    if target.link.survey_id != survey_id {
        return Err(unknown());
    }
    match link_refusal(&target.link, now) {
        Some(r @ (LinkRefusal::Inactive | LinkRefusal::Expired)) => Err(AppError::Conflict {
            field: "invitation".into(),
            message: r.to_string(),
        }),
        _ => Ok(ResponseMeta::from_link(&target.link, ResponseSource::Api)),
    }
}

/// The responses to a survey, newest first.
#[utoipa::path(
    get, path = "/surveys/{id}/responses", tag = "responses",
    params(("id" = i64, Path, description = "Survey id"), PageParams),
    responses(
        (status = 200, description = "One page of responses", body = Paged<ResponseRecord>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_responses(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<ApiJson<Paged<ResponseRecord>>, AppError> {
    state.store.get_survey(p.id).await?;
    let list = state.store.list_responses(p.id, &page.to_query()).await?;
    Ok(ApiJson(list.into()))
}

/// One response with its answers.
#[utoipa::path(
    get, path = "/responses/{id}", tag = "responses",
    params(("id" = i64, Path, description = "Response id")),
    responses(
        (status = 200, description = "The response", body = ResponseRecord),
        (status = 404, description = "No such response", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_response(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<ResponseRecord>, AppError> {
    Ok(ApiJson(state.store.get_response(p.id).await?))
}
