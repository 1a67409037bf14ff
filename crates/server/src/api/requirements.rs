//! Requirements: what staff and managers say a moment needs. Entered by hand or taken from an
//! employee survey (`source: employee_survey` with the response it came from).
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    paging::Paged,
};
use crate::{
    error::{AppError, Problem},
    improvement::current_cycle,
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Deserialize;
use touchpoint_core::{
    StoreError, ValidationErrors,
    improvement::{
        Requirement, RequirementFilter, RequirementInput, RequirementStatus, ValidRequirement,
    },
    listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT, SortField},
};
use utoipa::IntoParams;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequirementParams {
    pub service_id: Option<i64>,
    pub moment_key: Option<String>,
    /// `open`, `planned`, `done` or `declined`.
    pub status: Option<RequirementStatus>,
    /// Requirements of this site and those for every site.
    pub site_id: Option<i64>,
    /// Case-insensitive search in the text.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl RequirementParams {
    pub fn filter(&self) -> RequirementFilter {
        RequirementFilter {
            service_id: self.service_id,
            moment_key: self.moment_key.clone().filter(|k| !k.trim().is_empty()),
            status: self.status,
            site_id: self.site_id,
        }
    }

    pub fn query(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            sort: SortField::CreatedAt,
            descending: true,
            search: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            include_inactive: true,
        }
    }
}

/// Validate against the service's current cycle; an unknown service is a problem on
/// `service_id` reported with the input's other problems.
pub async fn validated(
    state: &AppState,
    input: &RequirementInput,
) -> Result<ValidRequirement, AppError> {
    match state.store.get_service(input.service_id).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            let mut errors = ValidationErrors::single("service_id", "no service has this id");
            if let Err(more) = input.validate(None) {
                errors
                    .0
                    .extend(more.0.into_iter().filter(|e| e.field != "moment_key"));
            }
            return Err(AppError::Invalid(errors));
        }
        Err(e) => return Err(e.into()),
    }
    let cycle = current_cycle(state.store.as_ref(), input.service_id).await?;
    Ok(input.validate(cycle.as_ref())?)
}

/// List requirements, newest first.
#[utoipa::path(
    get, path = "/requirements", tag = "improvement",
    params(RequirementParams),
    responses(
        (status = 200, description = "One page of requirements", body = Paged<Requirement>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_requirements(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<RequirementParams>,
) -> Result<ApiJson<Paged<Requirement>>, AppError> {
    let page = state
        .store
        .list_requirements(&params.filter(), &params.query())
        .await?;
    Ok(ApiJson(page.into()))
}

/// Record a requirement for a moment of a service.
///
/// `source` is `entered` (default) or `employee_survey`; the latter names the survey response
/// (`response_id`, required) and optionally the question (`question_code`) it came from.
#[utoipa::path(
    post, path = "/requirements", tag = "improvement",
    request_body = RequirementInput,
    responses(
        (status = 201, description = "The requirement", body = Requirement,
            headers(("location" = String, description = "URL of the new requirement"))),
        (status = 403, description = "The role may not record requirements", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_requirement(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<RequirementInput>,
) -> Result<impl IntoResponse, AppError> {
    let valid = validated(&state, &input).await?;
    let r = state
        .store
        .create_requirement(&caller.actor(), &valid)
        .await?;
    let location = format!("/api/v1/requirements/{}", r.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(r),
    ))
}

/// Get one requirement.
#[utoipa::path(
    get, path = "/requirements/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Requirement id")),
    responses(
        (status = 200, description = "The requirement", body = Requirement),
        (status = 404, description = "No such requirement", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_requirement(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Requirement>, AppError> {
    Ok(ApiJson(state.store.get_requirement(p.id).await?))
}

/// Replace a requirement (who recorded it and when stay).
#[utoipa::path(
    put, path = "/requirements/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Requirement id")),
    request_body = RequirementInput,
    responses(
        (status = 200, description = "The requirement as changed", body = Requirement),
        (status = 403, description = "The role may not change requirements", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such requirement", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_requirement(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<RequirementInput>,
) -> Result<ApiJson<Requirement>, AppError> {
    state.store.get_requirement(p.id).await?;
    let valid = validated(&state, &input).await?;
    Ok(ApiJson(
        state
            .store
            .update_requirement(&caller.actor(), p.id, &valid)
            .await?,
    ))
}

/// Delete a requirement; plans that answered it no longer list it.
#[utoipa::path(
    delete, path = "/requirements/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Requirement id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The role may not delete requirements", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such requirement", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_requirement(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .delete_requirement(&caller.actor(), p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
