//! Working a complaint: move it through its lifecycle, assign cases in bulk, write updates
//! (for the customer or internal), record the resolution, and make, fulfil or cancel promises.
use super::{
    complaints::{check_ids, cycle_of},
    extract::{ApiPath, Caller, IdPath},
    json::ApiJson,
    needs::HandleComplaints,
};
use crate::{
    error::{AppError, Problem},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use touchpoint_core::complaints::{
    Complaint, ComplaintStatus, ComplaintUpdate, NewPromise, Promise, ResolutionInput, UpdateInput,
};
use utoipa::ToSchema;

/// A status change.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The next status: `acknowledged`, `assessed`, `investigating`, `responded`, `resolved`,
    /// `closed` or `reopened`.
    pub to: String,
    /// Why (kept with the transition).
    #[serde(default)]
    pub note: String,
}

/// Move a complaint to its next status.
///
/// Moves settle the promises they honour (`acknowledged` the acknowledge promise, `responded`
/// the first response, `resolved` the resolution); `closed` cancels what is still open and,
/// when the case's response policy names a `resolution_survey_key`, invites the customer to
/// that survey (retiring an unanswered invitation of an earlier close) and sends the
/// `complaint.closed` notification with its link.
#[utoipa::path(
    post, path = "/complaints/{id}/transitions", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = TransitionInput,
    responses(
        (status = 200, description = "The complaint in its new status", body = Complaint),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a status, or not allowed from the current one (`status` names the allowed ones)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transition_complaint(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<TransitionInput>,
) -> Result<ApiJson<Complaint>, AppError> {
    let to: ComplaintStatus = input.to.parse().map_err(|e| AppError::invalid("to", e))?;
    if input.note.chars().count() > 4000 {
        return Err(AppError::invalid("note", "must be at most 4000 characters"));
    }
    let actor = caller.actor();
    let c =
        crate::complaint_closing::transition(&state, &actor, p.id, to, input.note.trim()).await?;
    Ok(ApiJson(c))
}

/// Complaints to (un)assign.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    pub ids: Vec<i64>,
    /// The user to assign them to; `null` unassigns.
    #[serde(default)]
    pub assignee_id: Option<i64>,
}

/// Assign (or unassign) several complaints at once, all or none.
#[utoipa::path(
    post, path = "/complaints/assign", tag = "complaints",
    request_body = AssignInput,
    responses(
        (status = 200, description = "The complaints, in the order given", body = Vec<Complaint>),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "One of the complaints does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No ids, or an unknown assignee", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn assign_complaints(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<ApiJson<Vec<Complaint>>, AppError> {
    check_ids(&input.ids)?;
    if input.assignee_id.is_some_and(|id| id <= 0) {
        return Err(AppError::invalid("assignee_id", "not a valid id"));
    }
    let cs = state
        .store
        .assign_complaints(&caller.actor(), &input.ids, input.assignee_id)
        .await?;
    Ok(ApiJson(cs))
}

/// Write an update: `customer` ones are shown on the status page and honour the "we will keep
/// you informed" promise; `internal` ones are staff notes.
#[utoipa::path(
    post, path = "/complaints/{id}/updates", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = UpdateInput,
    responses(
        (status = 201, description = "The update", body = ComplaintUpdate),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_update(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<UpdateInput>,
) -> Result<(StatusCode, ApiJson<ComplaintUpdate>), AppError> {
    let u = input.validate()?;
    let update = state
        .store
        .add_complaint_update(&caller.actor(), p.id, &u)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(update)))
}

/// Record (or replace) how the complaint was put right.
///
/// `customer_satisfied: true` adds a deposit to the customer's relationship account, once per
/// complaint.
#[utoipa::path(
    post, path = "/complaints/{id}/resolution", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = ResolutionInput,
    responses(
        (status = 200, description = "The complaint with its resolution", body = Complaint),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the complaint is closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_resolution(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<ResolutionInput>,
) -> Result<ApiJson<Complaint>, AppError> {
    let complaint = state.store.get_complaint(p.id).await?;
    let cycle = cycle_of(&state, complaint.service_key.as_deref()).await?;
    let r = input.validate(cycle.as_ref())?;
    let c = state
        .store
        .record_resolution(&caller.actor(), p.id, &r)
        .await?;
    Ok(ApiJson(c))
}

/// Record a promise made to the customer ("we will call you back by 15:00").
#[utoipa::path(
    post, path = "/complaints/{id}/promises", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = NewPromise,
    responses(
        (status = 201, description = "The promise", body = Promise),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a promise is due in the future)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_promise(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<NewPromise>,
) -> Result<(StatusCode, ApiJson<Promise>), AppError> {
    let promise = input.validate(state.clock.now())?;
    let made = state
        .store
        .add_promise(&caller.actor(), p.id, &promise)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(made)))
}

/// What was promised happened now: kept if on time, otherwise broken (late is still recorded).
#[utoipa::path(
    post, path = "/promises/{id}/fulfil", tag = "complaints",
    params(("id" = i64, Path, description = "Promise id")),
    responses(
        (status = 200, description = "The settled promise", body = Promise),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such promise", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The promise was already settled (`state`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn fulfil_promise(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Promise>, AppError> {
    Ok(ApiJson(
        state.store.fulfil_promise(&caller.actor(), p.id).await?,
    ))
}

/// Why a promise is withdrawn.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    pub reason: String,
}

/// Withdraw an open promise, with a reason.
#[utoipa::path(
    post, path = "/promises/{id}/cancel", tag = "complaints",
    params(("id" = i64, Path, description = "Promise id")),
    request_body = CancelInput,
    responses(
        (status = 200, description = "The cancelled promise", body = Promise),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such promise", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or the promise is no longer open", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_promise(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<CancelInput>,
) -> Result<ApiJson<Promise>, AppError> {
    if input.reason.trim().is_empty() {
        return Err(AppError::invalid(
            "reason",
            "give a reason for cancelling the promise",
        ));
    }
    if input.reason.chars().count() > 4000 {
        return Err(AppError::invalid(
            "reason",
            "must be at most 4000 characters",
        ));
    }
    let promise = state
        .store
        .cancel_promise(&caller.actor(), p.id, input.reason.trim())
        .await?;
    Ok(ApiJson(promise))
}
