//! Staff members: the people in contact with customers.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::{ApiJson, nullable},
    paging::{ListParams, Paged},
};
use crate::{error::AppError, error::Problem, state::AppState};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Deserialize;
use touchpoint_core::org::{StaffInput, StaffMember};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffFilter {
    /// Only the staff of this site.
    pub site_id: Option<i64>,
}

/// List staff members, optionally of one site.
#[utoipa::path(
    get, path = "/staff", tag = "staff",
    params(ListParams, StaffFilter),
    responses(
        (status = 200, description = "One page of staff members", body = Paged<StaffMember>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_staff(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<StaffFilter>,
) -> Result<ApiJson<Paged<StaffMember>>, AppError> {
    let page = state
        .store
        .list_staff(&params.to_query(), filter.site_id)
        .await?;
    Ok(ApiJson(page.into()))
}

/// Add a staff member.
#[utoipa::path(
    post, path = "/staff", tag = "staff",
    request_body = StaffInput,
    responses(
        (status = 201, description = "The new staff member", body = StaffMember,
            headers(("location" = String, description = "URL of the new staff member"))),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (or an unknown `site_id`), each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_staff(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<StaffInput>,
) -> Result<impl IntoResponse, AppError> {
    let fields = input.validate()?;
    let member = state.store.create_staff(&caller.actor(), &fields).await?;
    let location = format!("/api/v1/staff/{}", member.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(member),
    ))
}

/// Get one staff member.
#[utoipa::path(
    get, path = "/staff/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Staff member id")),
    responses(
        (status = 200, description = "The staff member", body = StaffMember),
        (status = 404, description = "No such staff member", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_staff(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<StaffMember>, AppError> {
    Ok(ApiJson(state.store.get_staff(p.id).await?))
}

/// Fields of a staff member to change; absent fields stay, `"site_id": null` clears the site.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StaffPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub site_id: Option<Option<i64>>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

impl StaffPatch {
    fn onto(self, current: StaffMember) -> StaffInput {
        StaffInput {
            name: self.name.unwrap_or(current.name),
            role: self.role.unwrap_or(current.role),
            site_id: self.site_id.unwrap_or(current.site_id),
            email: self.email.unwrap_or(current.email),
            active: Some(self.active.unwrap_or(current.active)),
        }
    }
}

/// Change a staff member.
#[utoipa::path(
    patch, path = "/staff/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Staff member id")),
    request_body = StaffPatch,
    responses(
        (status = 200, description = "The changed staff member", body = StaffMember),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff member", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_staff(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(patch): ApiJson<StaffPatch>,
) -> Result<ApiJson<StaffMember>, AppError> {
    let current = state.store.get_staff(p.id).await?;
    let fields = patch.onto(current).validate()?;
    let member = state
        .store
        .update_staff(&caller.actor(), p.id, &fields)
        .await?;
    Ok(ApiJson(member))
}

/// Deactivate a staff member (kept, because feedback may name them).
#[utoipa::path(
    delete, path = "/staff/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Staff member id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff member", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn deactivate_staff(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.deactivate_staff(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
