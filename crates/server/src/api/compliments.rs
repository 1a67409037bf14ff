//! Compliments: positive feedback about a moment of truth and/or a staff member.
use super::{
    evidence::EvidenceParams,
    extract::{ApiQuery, Caller, Read},
    json::ApiJson,
    needs::RecordFeedback,
    paging::Paged,
};
use crate::{
    error::{AppError, Problem},
    feedback::{current_cycle, known_site, known_staff},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use touchpoint_core::{
    StoreError, ValidationErrors,
    feedback::{ComplimentDraft, records::Compliment},
};

/// Record a compliment about a moment of truth and/or a staff member.
#[utoipa::path(
    post, path = "/compliments", tag = "compliments",
    request_body = ComplimentDraft,
    responses(
        (status = 201, description = "Recorded", body = Compliment),
        (status = 403, description = "The role may not record feedback", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems named by field, e.g. `moment_key`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_compliment(
    State(state): State<AppState>,
    caller: Caller<RecordFeedback>,
    ApiJson(draft): ApiJson<ComplimentDraft>,
) -> Result<(StatusCode, ApiJson<Compliment>), AppError> {
    let store = state.store.as_ref();
    let mut errors = ValidationErrors::new();
    let service_key = draft
        .service_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let (mut service_id, mut cycle) = (None, None);
    if let Some(key) = service_key {
        match store.get_service_by_key(key).await {
            Ok(s) => {
                service_id = Some(s.id);
                cycle = current_cycle(store, s.id).await?;
            }
            Err(StoreError::NotFound { .. }) => {
                errors.push(
                    "service_key",
                    format!("there is no service with the key '{key}'"),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(id) = draft.site_id.filter(|id| *id > 0) {
        known_site(store, &mut errors, "site_id", id).await?;
    }
    if let Some(id) = draft.staff_id.filter(|id| *id > 0) {
        known_staff(store, &mut errors, "staff_id", id).await?;
    }
    errors.into_result(())?;
    let valid = draft.validate(cycle.as_ref(), state.clock.now())?;
    let compliment = store
        .record_compliment(&caller.actor(), service_id, &valid)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(compliment)))
}

/// Recorded compliments, newest first.
#[utoipa::path(
    get, path = "/compliments", tag = "compliments",
    params(EvidenceParams),
    responses(
        (status = 200, description = "One page of compliments", body = Paged<Compliment>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_compliments(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<EvidenceParams>,
) -> Result<ApiJson<Paged<Compliment>>, AppError> {
    let page = state
        .store
        .list_compliments(&params.filter(), &params.page())
        .await?;
    Ok(ApiJson(page.into()))
}
