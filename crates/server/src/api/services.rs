//! Services: what the organization offers.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    paging::{ListParams, Paged},
};
use crate::{error::AppError, error::Problem, state::AppState};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use touchpoint_core::service::{NewService, Service, ServicePatch};

/// List services.
///
/// Archived services are left out unless `include_archived=true`. Each item carries the
/// number of its current cycle version and how many moments (and critical ones) it has.
#[utoipa::path(
    get, path = "/services", tag = "services",
    params(ListParams),
    responses(
        (status = 200, description = "One page of services", body = Paged<Service>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_services(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<Paged<Service>>, AppError> {
    let page = state.store.list_services(&params.to_query()).await?;
    Ok(ApiJson(page.into()))
}

/// Create a service.
///
/// The `key` is derived from the name when absent. It has no cycle until one is published
/// with `PUT /services/{id}/cycle`.
#[utoipa::path(
    post, path = "/services", tag = "services",
    request_body = NewService,
    responses(
        (status = 201, description = "The new service", body = Service,
            headers(("location" = String, description = "URL of the new service"))),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_service(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<NewService>,
) -> Result<impl IntoResponse, AppError> {
    let fields = input.validate()?;
    let service = state.store.create_service(&caller.actor(), &fields).await?;
    let location = format!("/api/v1/services/{}", service.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(service),
    ))
}

/// Get one service.
#[utoipa::path(
    get, path = "/services/{id}", tag = "services",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 200, description = "The service", body = Service),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_service(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Service>, AppError> {
    Ok(ApiJson(state.store.get_service(p.id).await?))
}

/// Change a service's key, name or description.
///
/// Absent fields stay as they are.
#[utoipa::path(
    patch, path = "/services/{id}", tag = "services",
    params(("id" = i64, Path, description = "Service id")),
    request_body = ServicePatch,
    responses(
        (status = 200, description = "The changed service", body = Service),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_service(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(patch): ApiJson<ServicePatch>,
) -> Result<ApiJson<Service>, AppError> {
    let current = state.store.get_service(p.id).await?;
    let fields = patch.apply(&current)?;
    let service = state
        .store
        .update_service(&caller.actor(), p.id, &fields)
        .await?;
    Ok(ApiJson(service))
}

/// Archive a service.
///
/// It leaves the lists; its cycle history and the feedback pointing at it stay.
#[utoipa::path(
    delete, path = "/services/{id}", tag = "services",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn archive_service(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.archive_service(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
