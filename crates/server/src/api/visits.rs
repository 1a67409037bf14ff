//! Mystery-shopper visits: recorded against the checklist of the service's current cycle.
use super::{
    evidence::EvidenceParams,
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
    needs::RecordAudit,
    paging::Paged,
};
use crate::{
    error::{AppError, Problem},
    feedback::{checklist, known_site, known_staff, service_by_id_field},
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use touchpoint_core::{
    ValidationErrors,
    feedback::{ItemResult, VisitDraft, records::AuditVisit},
};
use utoipa::ToSchema;

/// A visit as the auditor sends it, for one service (the fields of a visit draft plus
/// `service_id`, kept flat so every problem names its exact path).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    pub service_id: i64,
    pub site_id: i64,
    pub visited_at: DateTime<Utc>,
    /// Staff members observed during the visit.
    #[serde(default)]
    pub staff_ids: Vec<i64>,
    /// Moment key → item code → `met`, `not_met` or `not_applicable`, for every item.
    pub results: BTreeMap<String, BTreeMap<String, ItemResult>>,
    #[serde(default)]
    pub notes: String,
    /// Optional note per moment key.
    #[serde(default)]
    pub moment_notes: BTreeMap<String, String>,
}

impl VisitInput {
    fn draft(self) -> VisitDraft {
        VisitDraft {
            site_id: self.site_id,
            visited_at: self.visited_at,
            staff_ids: self.staff_ids,
            results: self.results,
            notes: self.notes,
            moment_notes: self.moment_notes,
        }
    }
}

/// Record a mystery-shopper visit.
///
/// It is checked against the checklist of the service's current cycle: every item of every
/// moment is marked. The caller is recorded as the auditor.
#[utoipa::path(
    post, path = "/visits", tag = "audits",
    request_body = VisitInput,
    responses(
        (status = 201, description = "The visit with its scores", body = AuditVisit,
            headers(("location" = String, description = "URL of the visit"))),
        (status = 403, description = "The role may not record audits", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems named by field, e.g. `results.wait-turn.standard-1`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_visit(
    State(state): State<AppState>,
    caller: Caller<RecordAudit>,
    ApiJson(input): ApiJson<VisitInput>,
) -> Result<impl IntoResponse, AppError> {
    let store = state.store.as_ref();
    let service_id = input.service_id;
    service_by_id_field(store, "service_id", service_id).await?;
    let draft = input.draft();
    let (cycle, list) = match checklist(store, service_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::invalid(
                "service_id",
                "the service has no published cycle, so there is nothing to audit",
            ));
        }
        other => other?,
    };
    let mut errors = ValidationErrors::new();
    if draft.site_id > 0 {
        known_site(store, &mut errors, "site_id", draft.site_id).await?;
    }
    for (i, id) in draft.staff_ids.iter().enumerate() {
        if *id > 0 {
            known_staff(store, &mut errors, &format!("staff_ids[{i}]"), *id).await?;
        }
    }
    let checked = draft.validate(&list, state.clock.now());
    if let Err(e) = &checked {
        errors.extend(e.clone());
    }
    errors.into_result(())?;
    let valid = checked?;
    let visit = store
        .record_visit(&caller.actor(), service_id, cycle.id, &valid)
        .await?;
    let location = format!("/api/v1/visits/{}", visit.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(visit),
    ))
}

/// Recorded visits, newest first.
#[utoipa::path(
    get, path = "/visits", tag = "audits",
    params(EvidenceParams),
    responses(
        (status = 200, description = "One page of visits", body = Paged<AuditVisit>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_visits(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<EvidenceParams>,
) -> Result<ApiJson<Paged<AuditVisit>>, AppError> {
    let page = state
        .store
        .list_visits(&params.filter(), &params.page())
        .await?;
    Ok(ApiJson(page.into()))
}

/// One visit with its marks and scores.
#[utoipa::path(
    get, path = "/visits/{id}", tag = "audits",
    params(("id" = i64, Path, description = "Visit id")),
    responses(
        (status = 200, description = "The visit", body = AuditVisit),
        (status = 404, description = "No such visit", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_visit(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<AuditVisit>, AppError> {
    Ok(ApiJson(state.store.get_visit(p.id).await?))
}
