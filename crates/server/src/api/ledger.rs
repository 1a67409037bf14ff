//! The relationship ledger: a customer's account of goodwill (deposits and withdrawals), the
//! entries staff record by hand, and the weights per kind.
use super::{
    extract::{ApiQuery, Caller, ManageCatalog, Read},
    json::ApiJson,
    needs::HandleComplaints,
    paging::{ListParams, Paged},
};
use crate::{
    error::{AppError, Problem},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use touchpoint_core::complaints::{LedgerEntry, LedgerKind, NewLedgerEntry, ledger::MAX_WEIGHT};
use utoipa::{IntoParams, ToSchema};

/// Whose account.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerRefParam {
    /// The customer reference used on complaints.
    pub customer_ref: String,
}

/// A customer's relationship account.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerAccount {
    pub customer_ref: String,
    /// Deposits minus withdrawals, over the whole history.
    pub balance: i64,
    /// Newest first.
    pub entries: Paged<LedgerEntry>,
}

/// A customer's relationship account: balance and entries.
#[utoipa::path(
    get, path = "/customers/ledger", tag = "ledger",
    params(CustomerRefParam, ListParams),
    responses(
        (status = 200, description = "The account (empty for a customer with no entries)", body = LedgerAccount),
        (status = 400, description = "A malformed or missing query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ledger(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(who): ApiQuery<CustomerRefParam>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<LedgerAccount>, AppError> {
    let customer_ref = who.customer_ref.trim().to_string();
    if customer_ref.is_empty() {
        return Err(AppError::BadParameter {
            field: "customer_ref".into(),
            message: "name the customer".into(),
        });
    }
    let q = params.to_query();
    let (balance, entries) = tokio::try_join!(
        state.store.ledger_balance(&customer_ref),
        state.store.ledger_history(&customer_ref, &q),
    )?;
    Ok(ApiJson(LedgerAccount {
        customer_ref,
        balance,
        entries: entries.into(),
    }))
}

/// Record a deposit (thank-you note, courtesy call, offer, compliment acted on) or a failed
/// standard by hand.
///
/// Complaints, broken promises and satisfied resolutions are recorded automatically and
/// refused here. Without `weight` the configured weight of the kind applies.
#[utoipa::path(
    post, path = "/ledger", tag = "ledger",
    request_body = NewLedgerEntry,
    responses(
        (status = 201, description = "The entry as written", body = LedgerEntry),
        (status = 403, description = "The role may not write to the ledger", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn append_ledger(
    State(state): State<AppState>,
    caller: Caller<HandleComplaints>,
    ApiJson(input): ApiJson<NewLedgerEntry>,
) -> Result<(StatusCode, ApiJson<LedgerEntry>), AppError> {
    let entry = input.validate_manual(state.clock.now())?;
    let written = state.store.append_ledger(&caller.actor(), &entry).await?;
    Ok((StatusCode::CREATED, ApiJson(written)))
}

/// The weight of one kind of entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LedgerWeight {
    pub kind: LedgerKind,
    /// A magnitude; withdrawals are subtracted.
    pub weight: i32,
    /// Read-only: whether entries of this kind add to the balance.
    #[serde(default)]
    pub deposit: bool,
}

async fn weights(state: &AppState) -> Result<Vec<LedgerWeight>, AppError> {
    let w = state.store.ledger_weights().await?;
    Ok(LedgerKind::ALL
        .iter()
        .map(|&kind| LedgerWeight {
            kind,
            weight: w.weight(kind),
            deposit: kind.is_deposit(),
        })
        .collect())
}

/// The weight of every kind of ledger entry (configured, else the default).
#[utoipa::path(
    get, path = "/ledger-weights", tag = "ledger",
    responses((status = 200, description = "Every kind with its weight", body = Vec<LedgerWeight>))
)]
pub async fn get_weights(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<Vec<LedgerWeight>>, AppError> {
    Ok(ApiJson(weights(&state).await?))
}

/// Set the weight of one kind for future entries; entries already written keep theirs.
#[utoipa::path(
    put, path = "/ledger-weights", tag = "ledger",
    request_body = LedgerWeight,
    responses(
        (status = 200, description = "Every kind with its weight", body = Vec<LedgerWeight>),
        (status = 403, description = "The role may not change the configuration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A weight out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_weight(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<LedgerWeight>,
) -> Result<ApiJson<Vec<LedgerWeight>>, AppError> {
    if !(0..=MAX_WEIGHT).contains(&input.weight) {
        return Err(AppError::invalid(
            "weight",
            format!("must be between 0 and {MAX_WEIGHT}"),
        ));
    }
    state
        .store
        .set_ledger_weight(&caller.actor(), input.kind, input.weight)
        .await?;
    Ok(ApiJson(weights(&state).await?))
}
