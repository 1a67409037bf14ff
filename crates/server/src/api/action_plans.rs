//! Action plans: concrete improvements of one or more moments, and whether they worked
//! (`/action-plans/{id}/before-after`).
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    paging::Paged,
    scorecard::ScorecardFormat,
};
use crate::{
    error::{AppError, Problem},
    improvement::{csv, current_cycle, load_before_after},
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    StoreError, ValidationErrors,
    improvement::{
        ActionPlan, ActionPlanFilter, ActionPlanInput, BeforeAfter, PlanStatus, ValidActionPlan,
    },
    listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT, SortField},
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionPlanParams {
    pub service_id: Option<i64>,
    /// `planned`, `in_progress`, `done` or `cancelled`.
    pub status: Option<PlanStatus>,
    /// Plans that cover this moment.
    pub moment_key: Option<String>,
    /// Case-insensitive search in the title.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl ActionPlanParams {
    pub fn filter(&self) -> ActionPlanFilter {
        ActionPlanFilter {
            service_id: self.service_id,
            status: self.status,
            moment_key: self.moment_key.clone().filter(|k| !k.trim().is_empty()),
        }
    }

    pub fn query(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            sort: SortField::CreatedAt,
            descending: false,
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
    input: &ActionPlanInput,
) -> Result<ValidActionPlan, AppError> {
    match state.store.get_service(input.service_id).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            let mut errors = ValidationErrors::single("service_id", "no service has this id");
            if let Err(more) = input.validate(None) {
                let about_moments = |f: &str| f.starts_with("moment_keys");
                errors
                    .0
                    .extend(more.0.into_iter().filter(|e| !about_moments(&e.field)));
            }
            return Err(AppError::Invalid(errors));
        }
        Err(e) => return Err(e.into()),
    }
    let cycle = current_cycle(state.store.as_ref(), input.service_id).await?;
    Ok(input.validate(cycle.as_ref())?)
}

/// List action plans by due date.
#[utoipa::path(
    get, path = "/action-plans", tag = "improvement",
    params(ActionPlanParams),
    responses(
        (status = 200, description = "One page of action plans", body = Paged<ActionPlan>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_action_plans(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ActionPlanParams>,
) -> Result<ApiJson<Paged<ActionPlan>>, AppError> {
    let page = state
        .store
        .list_action_plans(&params.filter(), &params.query())
        .await?;
    Ok(ApiJson(page.into()))
}

/// Create an action plan for one or more moments of a service.
#[utoipa::path(
    post, path = "/action-plans", tag = "improvement",
    request_body = ActionPlanInput,
    responses(
        (status = 201, description = "The plan", body = ActionPlan,
            headers(("location" = String, description = "URL of the new plan"))),
        (status = 403, description = "The role may not manage plans", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_action_plan(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<ActionPlanInput>,
) -> Result<impl IntoResponse, AppError> {
    let valid = validated(&state, &input).await?;
    let p = state
        .store
        .create_action_plan(&caller.actor(), &valid)
        .await?;
    let location = format!("/api/v1/action-plans/{}", p.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(p),
    ))
}

/// Get one action plan.
#[utoipa::path(
    get, path = "/action-plans/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Action plan id")),
    responses(
        (status = 200, description = "The plan", body = ActionPlan),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_action_plan(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<ActionPlan>, AppError> {
    Ok(ApiJson(state.store.get_action_plan(p.id).await?))
}

/// Replace an action plan (who created it and when stay).
#[utoipa::path(
    put, path = "/action-plans/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Action plan id")),
    request_body = ActionPlanInput,
    responses(
        (status = 200, description = "The plan as changed", body = ActionPlan),
        (status = 403, description = "The role may not manage plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_action_plan(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<ActionPlanInput>,
) -> Result<ApiJson<ActionPlan>, AppError> {
    state.store.get_action_plan(p.id).await?;
    let valid = validated(&state, &input).await?;
    Ok(ApiJson(
        state
            .store
            .update_action_plan(&caller.actor(), p.id, &valid)
            .await?,
    ))
}

/// Delete an action plan.
#[utoipa::path(
    delete, path = "/action-plans/{id}", tag = "improvement",
    params(("id" = i64, Path, description = "Action plan id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The role may not manage plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_action_plan(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .delete_action_plan(&caller.actor(), p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParam {
    /// `json` (default) or `csv`.
    pub format: Option<ScorecardFormat>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanBeforeAfter {
    pub plan: ActionPlan,
    pub before_after: BeforeAfter,
}

/// Did the plan work? Each moment's figures before and after the start date.
///
/// Windows: "after" runs from the start date to today (at most 90 days), "before" is the
/// window of the same length ending the day before. Per figure: mean rating (Welch's t),
/// CSAT and compliance (pooled two-proportion z), NPS (z on the difference with each window's
/// trinomial variance), two-sided at 5%. A figure is judged only with at least `min_sample`
/// (30) answers or measurements in each window; otherwise `not_enough_data`. A moment is
/// `improved` when a figure rose significantly and none fell, `worse` in the mirror case, and
/// `no_detectable_change` otherwise. `?format=csv` answers one row per moment and figure.
#[utoipa::path(
    get, path = "/action-plans/{id}/before-after", tag = "improvement",
    params(("id" = i64, Path, description = "Action plan id"), FormatParam),
    responses(
        (status = 200, description = "The before/after (JSON, or CSV with `format=csv`)",
            content((PlanBeforeAfter = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_before_after(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<FormatParam>,
) -> Result<Response, AppError> {
    let plan = state.store.get_action_plan(p.id).await?;
    let today = state.clock.now().date_naive();
    let before_after = load_before_after(state.store.as_ref(), &plan, today).await?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(PlanBeforeAfter { plan, before_after }).into_response(),
        ScorecardFormat::Csv => {
            let disposition = format!(
                "attachment; filename=\"action-plan-{}.before-after.csv\"",
                plan.id
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                csv::before_after(&before_after)?,
            )
                .into_response()
        }
    })
}
