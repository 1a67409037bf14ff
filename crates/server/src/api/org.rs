//! Sites (branches, stores, call centres) and the quality dimensions.
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
use touchpoint_core::{
    dimension::QualityDimension,
    org::{Site, SiteInput},
};
use utoipa::ToSchema;

/// List sites.
///
/// Inactive sites are left out unless `include_archived=true`.
#[utoipa::path(
    get, path = "/sites", tag = "sites",
    params(ListParams),
    responses(
        (status = 200, description = "One page of sites", body = Paged<Site>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_sites(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<Paged<Site>>, AppError> {
    Ok(ApiJson(
        state.store.list_sites(&params.to_query()).await?.into(),
    ))
}

/// Create a site.
///
/// The `key` is derived from the name when absent; the time zone defaults to UTC. The
/// optional `manager_email` is told about every promise broken at the site.
#[utoipa::path(
    post, path = "/sites", tag = "sites",
    request_body = SiteInput,
    responses(
        (status = 201, description = "The new site", body = Site,
            headers(("location" = String, description = "URL of the new site"))),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_site(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<SiteInput>,
) -> Result<impl IntoResponse, AppError> {
    let fields = input.validate()?;
    let site = state.store.create_site(&caller.actor(), &fields).await?;
    let location = format!("/api/v1/sites/{}", site.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(site),
    ))
}

/// Get one site.
#[utoipa::path(
    get, path = "/sites/{id}", tag = "sites",
    params(("id" = i64, Path, description = "Site id")),
    responses(
        (status = 200, description = "The site", body = Site),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_site(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Site>, AppError> {
    Ok(ApiJson(state.store.get_site(p.id).await?))
}

/// Fields of a site to change; absent fields stay as they are, `"manager_email": null`
/// removes the manager.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SitePatch {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// IANA time zone name, e.g. `America/Bogota`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// The site manager's email, told about promises broken at the site.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub manager_email: Option<Option<String>>,
    #[serde(default)]
    pub active: Option<bool>,
}

impl SitePatch {
    fn onto(self, current: Site) -> SiteInput {
        SiteInput {
            key: Some(self.key.unwrap_or(current.key)),
            name: self.name.unwrap_or(current.name),
            city: self.city.unwrap_or(current.city),
            timezone: Some(self.timezone.unwrap_or(current.timezone)),
            manager_email: self.manager_email.unwrap_or(current.manager_email),
            active: Some(self.active.unwrap_or(current.active)),
        }
    }
}

/// Change a site.
#[utoipa::path(
    patch, path = "/sites/{id}", tag = "sites",
    params(("id" = i64, Path, description = "Site id")),
    request_body = SitePatch,
    responses(
        (status = 200, description = "The changed site", body = Site),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_site(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(patch): ApiJson<SitePatch>,
) -> Result<ApiJson<Site>, AppError> {
    let current = state.store.get_site(p.id).await?;
    let fields = patch.onto(current).validate()?;
    let site = state
        .store
        .update_site(&caller.actor(), p.id, &fields)
        .await?;
    Ok(ApiJson(site))
}

/// Deactivate a site.
///
/// Sites are never deleted: feedback and measurements point at them.
#[utoipa::path(
    delete, path = "/sites/{id}", tag = "sites",
    params(("id" = i64, Path, description = "Site id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn deactivate_site(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.deactivate_site(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The quality dimensions, in order, each mapped to one of SERVQUAL's five.
#[utoipa::path(
    get, path = "/dimensions", tag = "dimensions",
    responses((status = 200, description = "Every dimension", body = Vec<QualityDimension>))
)]
pub async fn list_dimensions(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<Vec<QualityDimension>>, AppError> {
    Ok(ApiJson(state.store.list_dimensions().await?))
}
