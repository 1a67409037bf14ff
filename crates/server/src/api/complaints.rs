//! Complaints: register a case (its policy's promises appear with it), list and filter cases,
//! and read one case with everything that happened to it. Working a case (transitions,
//! assignment, updates, the resolution, promises) is in [`super::complaint_actions`].
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    needs::HandleComplaints,
    paging::{Order, Paged},
};
use crate::{
    auth::secrets::{random_secret, sha256_hex},
    error::{AppError, Problem},
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    StoreError, ValidationErrors,
    complaints::{
        Complaint, ComplaintFilter, ComplaintInput, ComplaintOrder, ComplaintStatus,
        ComplaintUpdate, Promise, Severity, Transition,
    },
    cycle::CycleVersion,
    listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT, SortField},
};
use utoipa::{IntoParams, ToSchema};

/// Filters, sorting and paging of the complaint list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintParams {
    pub status: Option<ComplaintStatus>,
    pub severity: Option<Severity>,
    pub site_id: Option<i64>,
    /// The moment of truth where it happened.
    pub moment_key: Option<String>,
    pub assignee_id: Option<i64>,
    pub customer_ref: Option<String>,
    /// `true`: only open cases with a promise past its due time that nobody honoured.
    pub overdue: Option<bool>,
    /// `received_at` (default), `updated_at`, `severity` or `reference`.
    pub sort: Option<ComplaintOrder>,
    /// `asc` (default) or `desc`.
    pub order: Option<Order>,
    /// Case-insensitive search in the reference, customer and description.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl ComplaintParams {
    /// The store's filter; "overdue" is judged at `now` (the injected clock).
    pub fn filter(&self, now: chrono::DateTime<chrono::Utc>) -> ComplaintFilter {
        ComplaintFilter {
            status: self.status,
            severity: self.severity,
            site_id: self.site_id,
            moment_key: self.moment_key.clone().filter(|k| !k.trim().is_empty()),
            assignee_id: self.assignee_id,
            customer_ref: self.customer_ref.clone().filter(|c| !c.trim().is_empty()),
            overdue_at: self.overdue.unwrap_or(false).then_some(now),
            order: self.sort.unwrap_or_default(),
        }
    }

    pub fn query(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            // Ignored by the store in favour of the filter's order.
            sort: SortField::CreatedAt,
            descending: self.order == Some(Order::Desc),
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

/// List complaints.
#[utoipa::path(
    get, path = "/complaints", tag = "complaints",
    params(ComplaintParams),
    responses(
        (status = 200, description = "One page of complaints", body = Paged<Complaint>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_complaints(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ComplaintParams>,
) -> Result<ApiJson<Paged<Complaint>>, AppError> {
    let filter = params.filter(state.clock.now());
    let page = state
        .store
        .list_complaints(&filter, &params.query())
        .await?;
    Ok(ApiJson(page.into()))
}

/// A complaint just registered, with the one and only copy of its status-page address.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedComplaint {
    pub complaint: Complaint,
    /// The promises its response policy made.
    pub promises: Vec<Promise>,
    /// Where the customer follows the case: `/c/{token}`, relative to this server's address.
    /// Shown only now: only a hash of the token is kept.
    pub status_url: String,
}

/// The current cycle of the service named by `service_key`, if it has one; an unknown service
/// is an error on `service_key`.
pub async fn cycle_of(
    state: &AppState,
    service_key: Option<&str>,
) -> Result<Option<CycleVersion>, AppError> {
    let Some(key) = service_key.map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let service = match state.store.get_service_by_key(key).await {
        Ok(s) => s,
        Err(StoreError::NotFound { .. }) => {
            return Err(AppError::invalid(
                "service_key",
                format!("no service '{key}'"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    match state.store.current_cycle(service.id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Register a complaint.
///
/// The response policy for its severity and channel adds its promises (acknowledge, first
/// response, updates, resolve), counted in the site's business time. The customer's
/// relationship account gets a `complaint` withdrawal. Text is stored exactly as written.
#[utoipa::path(
    post, path = "/complaints", tag = "complaints",
    request_body = ComplaintInput,
    responses(
        (status = 201, description = "The new complaint, its promises and its status URL", body = CreatedComplaint,
            headers(("location" = String, description = "URL of the new complaint"))),
        (status = 403, description = "The role may not handle complaints", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_complaint(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiJson(input): ApiJson<ComplaintInput>,
) -> Result<impl IntoResponse, AppError> {
    let cycle = match cycle_of(&state, input.service_key.as_deref()).await {
        Ok(c) => c,
        // Report the unknown service together with every other problem of the input.
        Err(AppError::Invalid(mut e)) => {
            let mut without_service = input.clone();
            without_service.service_key = None;
            without_service.moment_key = None;
            let dimensions = state.store.list_dimensions().await?;
            if let Err(more) = without_service.validate(None, &dimensions, state.clock.now()) {
                e.extend(more);
            }
            return Err(AppError::Invalid(e));
        }
        Err(e) => return Err(e),
    };
    let dimensions = state.store.list_dimensions().await?;
    let valid = input.validate(cycle.as_ref(), &dimensions, state.clock.now())?;
    let token = random_secret();
    let complaint = state
        .store
        .create_complaint(&caller.actor(), &valid, &sha256_hex(&token))
        .await?;
    let promises = state.store.complaint_promises(complaint.id).await?;
    let location = format!("/api/v1/complaints/{}", complaint.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(CreatedComplaint {
            complaint,
            promises,
            status_url: format!("/c/{token}"),
        }),
    ))
}

/// One complaint with its history: transitions, promises, updates (internal notes included)
/// and the customer's relationship balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDetail {
    pub complaint: Complaint,
    /// Oldest first, starting with the creation.
    pub transitions: Vec<Transition>,
    /// Oldest due first.
    pub promises: Vec<Promise>,
    /// Oldest first, internal notes included.
    pub updates: Vec<ComplaintUpdate>,
    /// The customer's relationship-account balance (deposits minus withdrawals).
    pub ledger_balance: i64,
}

/// Get one complaint with its history.
#[utoipa::path(
    get, path = "/complaints/{id}", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint and its history", body = ComplaintDetail),
        (status = 404, description = "No such complaint", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_complaint(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<ComplaintDetail>, AppError> {
    let complaint = state.store.get_complaint(p.id).await?;
    let (transitions, promises, updates, ledger_balance) = tokio::try_join!(
        state.store.complaint_transitions(p.id),
        state.store.complaint_promises(p.id),
        state.store.complaint_updates(p.id, true),
        state.store.ledger_balance(&complaint.customer_ref),
    )?;
    Ok(ApiJson(ComplaintDetail {
        complaint,
        transitions,
        promises,
        updates,
        ledger_balance,
    }))
}

/// Several ids in a body, at most this many at once (a bulk action on one page of a list).
pub const MAX_BULK: usize = 500;

/// Check a list of ids from a bulk request.
pub fn check_ids(ids: &[i64]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if ids.is_empty() {
        errors.push("ids", "name at least one complaint");
    } else if ids.len() > MAX_BULK {
        errors.push("ids", format!("at most {MAX_BULK} complaints at once"));
    }
    for (i, id) in ids.iter().enumerate() {
        if *id <= 0 {
            errors.push(format!("ids[{i}]"), "not a valid id");
        }
    }
    errors.into_result(())
}
