//! The escalation list, and the configuration behind promises: response policies per severity
//! and channel, and business calendars per site.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    paging::{ListParams, Paged},
};
use crate::{
    error::{AppError, Problem},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use touchpoint_core::complaints::{BusinessCalendar, Escalation, PolicyInput, ResponsePolicy};
use utoipa::{IntoParams, ToSchema};

/// Which site's escalations or calendar; none means all sites (escalations) or the
/// organisation's default (calendars).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteParam {
    pub site_id: Option<i64>,
}

/// Promises the scheduler broke and escalated, newest first.
#[utoipa::path(
    get, path = "/escalations", tag = "complaints",
    params(SiteParam, ListParams),
    responses(
        (status = 200, description = "One page of escalations", body = Paged<Escalation>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_escalations(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(site): ApiQuery<SiteParam>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<Paged<Escalation>>, AppError> {
    let page = state
        .store
        .list_escalations(site.site_id, &params.to_query())
        .await?;
    Ok(ApiJson(page.into()))
}

/// Every response policy, by severity (low first), the channel-less one first.
#[utoipa::path(
    get, path = "/complaint-policies", tag = "complaints",
    responses((status = 200, description = "Every policy", body = Vec<ResponsePolicy>))
)]
pub async fn list_policies(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<Vec<ResponsePolicy>>, AppError> {
    Ok(ApiJson(state.store.list_policies().await?))
}

/// Create or replace the policy of a severity and channel (`channel` left out: any channel).
///
/// Applies to complaints registered from now on; existing promises keep their due times.
#[utoipa::path(
    put, path = "/complaint-policies", tag = "complaints",
    request_body = PolicyInput,
    responses(
        (status = 200, description = "The policy as saved", body = ResponsePolicy),
        (status = 403, description = "The role may not change the configuration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_policy(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<ApiJson<ResponsePolicy>, AppError> {
    let p = input.validate()?;
    Ok(ApiJson(state.store.save_policy(&caller.actor(), &p).await?))
}

/// Delete a response policy; complaints registered later fall back to the severity's
/// channel-less policy, or get no policy promises. Existing promises are kept.
#[utoipa::path(
    delete, path = "/complaint-policies/{id}", tag = "complaints",
    params(("id" = i64, Path, description = "Policy id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The role may not change the configuration", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such policy", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_policy(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.delete_policy(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The calendar that applies to a site.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedCalendar {
    /// The site's own calendar, else the organisation's default; `null` when neither exists
    /// (promises then count wall-clock time).
    pub calendar: Option<BusinessCalendar>,
}

/// The business calendar that applies to a site (or the default without `site_id`).
#[utoipa::path(
    get, path = "/business-calendars", tag = "complaints",
    params(SiteParam),
    responses(
        (status = 200, description = "The calendar in force", body = AppliedCalendar),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_calendar(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(site): ApiQuery<SiteParam>,
) -> Result<ApiJson<AppliedCalendar>, AppError> {
    let calendar = state.store.business_calendar(site.site_id).await?;
    Ok(ApiJson(AppliedCalendar { calendar }))
}

/// Set a site's business calendar (or the default without `site_id`): weekly opening periods
/// and holidays in local time at a fixed UTC offset.
#[utoipa::path(
    put, path = "/business-calendars", tag = "complaints",
    params(SiteParam),
    request_body = BusinessCalendar,
    responses(
        (status = 200, description = "The calendar as saved", body = AppliedCalendar),
        (status = 403, description = "The role may not change the configuration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an unknown site", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_calendar(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiQuery(site): ApiQuery<SiteParam>,
    ApiJson(input): ApiJson<BusinessCalendar>,
) -> Result<ApiJson<AppliedCalendar>, AppError> {
    let cal = input.validate()?;
    if let Some(id) = site.site_id
        && !state.store.site_exists(id).await?
    {
        return Err(AppError::invalid("site_id", format!("no site {id}")));
    }
    state
        .store
        .set_business_calendar(&caller.actor(), site.site_id, &cal)
        .await?;
    Ok(ApiJson(AppliedCalendar {
        calendar: Some(cal),
    }))
}
