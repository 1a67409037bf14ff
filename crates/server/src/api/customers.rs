//! Customers: the portfolio's people and companies, their status history, their personal data
//! (exported and erased on request) and the configurable reasons for losing one.
use super::{
    extract::{Administer, ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read},
    json::ApiJson,
    needs::ManageCustomers,
    paging::{ListParams, Paged},
};
use crate::{
    error::{AppError, Problem},
    portfolio::{PersonalData, personal_data},
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Deserialize;
use touchpoint_core::{
    ValidationErrors,
    portfolio::{
        Customer, CustomerFilter, CustomerInput, CustomerStatus, LostReason, Sale, StatusChange,
        StatusFields,
    },
};
use utoipa::{IntoParams, ToSchema};

/// Filters of the customer list, besides paging and search (`q` matches name and ref).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerParams {
    pub status: Option<CustomerStatus>,
    pub segment: Option<String>,
    pub site_id: Option<i64>,
}

impl CustomerParams {
    pub fn filter(&self) -> CustomerFilter {
        CustomerFilter {
            status: self.status,
            segment: self.segment.clone(),
            site_id: self.site_id,
        }
    }
}

/// List customers.
///
/// `sort=key` sorts by ref. Erased customers are left out unless `include_archived=true`.
#[utoipa::path(
    get, path = "/customers", tag = "customers",
    params(ListParams, CustomerParams),
    responses(
        (status = 200, description = "One page of customers", body = Paged<Customer>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_customers(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<CustomerParams>,
) -> Result<ApiJson<Paged<Customer>>, AppError> {
    let page = state
        .store
        .list_customers(&params.to_query(), &filter.filter())
        .await?;
    Ok(ApiJson(page.into()))
}

/// Create a customer.
///
/// Without `status` a new customer is `unknown`; a `lost` one needs a `lost_reason` from
/// `GET /lost-reasons`.
#[utoipa::path(
    post, path = "/customers", tag = "customers",
    request_body = CustomerInput,
    responses(
        (status = 201, description = "The new customer", body = Customer,
            headers(("location" = String, description = "URL of the new customer"))),
        (status = 403, description = "The role may not change customers", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ref is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_customer(
    State(state): State<AppState>,
    caller: Caller<ManageCustomers>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<impl IntoResponse, AppError> {
    let fields = input.validate()?;
    let c = state
        .store
        .create_customer(&caller.actor(), &fields)
        .await?;
    let location = format!("/api/v1/customers/{}", c.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(c),
    ))
}

/// Get one customer.
#[utoipa::path(
    get, path = "/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer", body = Customer),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_customer(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Customer>, AppError> {
    Ok(ApiJson(state.store.get_customer(p.id).await?))
}

/// Replace a customer's fields.
///
/// Leaving `status` out keeps the current one; a new status is added to the history.
#[utoipa::path(
    put, path = "/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = CustomerInput,
    responses(
        (status = 200, description = "The changed customer", body = Customer),
        (status = 403, description = "The role may not change customers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ref is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_customer(
    State(state): State<AppState>,
    caller: Caller<ManageCustomers>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<ApiJson<Customer>, AppError> {
    let fields = input.validate()?;
    let c = state
        .store
        .update_customer(&caller.actor(), p.id, &fields)
        .await?;
    Ok(ApiJson(c))
}

/// A new status for a customer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `active`, `lost`, `potential` or `unknown`.
    pub status: String,
    /// Required when lost: a key from `GET /lost-reasons`.
    #[serde(default)]
    pub lost_reason: Option<String>,
    #[serde(default)]
    pub lost_note: String,
    /// The moment of truth that caused the loss, when known.
    #[serde(default)]
    pub lost_moment_key: Option<String>,
    /// When the status began (RFC 3339), if earlier than now and not before the customer's
    /// latest status change.
    #[serde(default)]
    pub status_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl StatusInput {
    pub fn validate(&self) -> Result<StatusFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let s = StatusFields::validate(
            &mut errors,
            &self.status,
            self.lost_reason.as_deref(),
            &self.lost_note,
            self.lost_moment_key.as_deref(),
        );
        match s {
            Some(s) if errors.is_empty() => Ok(StatusFields {
                since: self.status_since,
                ..s
            }),
            _ => Err(errors),
        }
    }
}

/// Change a customer's status.
#[utoipa::path(
    post, path = "/customers/{id}/status", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = StatusInput,
    responses(
        (status = 200, description = "The customer with the new status", body = Customer),
        (status = 403, description = "The role may not change customers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_customer_status(
    State(state): State<AppState>,
    caller: Caller<ManageCustomers>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<ApiJson<Customer>, AppError> {
    let s = input.validate()?;
    let c = state
        .store
        .set_customer_status(&caller.actor(), p.id, &s)
        .await?;
    Ok(ApiJson(c))
}

/// A customer's status history, oldest first.
#[utoipa::path(
    get, path = "/customers/{id}/history", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "Every status the customer had", body = Vec<StatusChange>),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn customer_history(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Vec<StatusChange>>, AppError> {
    Ok(ApiJson(state.store.status_history(p.id).await?))
}

/// A customer's sales, newest first.
#[utoipa::path(
    get, path = "/customers/{id}/sales", tag = "customers",
    params(("id" = i64, Path, description = "Customer id"), ListParams),
    responses(
        (status = 200, description = "One page of sales", body = Paged<Sale>),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn customer_sales(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<Paged<Sale>>, AppError> {
    let page = state.store.list_sales(p.id, &params.to_query()).await?;
    Ok(ApiJson(page.into()))
}

/// Export one customer's personal data (admins).
#[utoipa::path(
    get, path = "/customers/{id}/personal-data", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer's data", body = PersonalData),
        (status = 403, description = "Only admins export personal data", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export_personal_data(
    State(state): State<AppState>,
    _caller: Caller<Administer>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<impl IntoResponse, AppError> {
    let data = personal_data(state.store.as_ref(), p.id).await?;
    let name = format!("attachment; filename=\"customer-{}.json\"", p.id);
    Ok(([(header::CONTENT_DISPOSITION, name)], ApiJson(data)))
}

/// Erase a customer's identity (admins); irreversible.
///
/// Name, ref, email, phone and notes are removed here, from survey responses and invitations
/// and from earlier audit records; sales and statuses stay, so every figure is unchanged.
#[utoipa::path(
    post, path = "/customers/{id}/erase", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 204, description = "Erased (erasing again changes nothing)"),
        (status = 403, description = "Only admins erase customers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn erase_customer(
    State(state): State<AppState>,
    caller: Caller<Administer>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.erase_customer(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reasons a customer can be lost for, by key.
#[utoipa::path(
    get, path = "/lost-reasons", tag = "customers",
    responses((status = 200, description = "Every reason, inactive ones included", body = Vec<LostReason>))
)]
pub async fn list_lost_reasons(
    State(state): State<AppState>,
    _caller: Caller<Read>,
) -> Result<ApiJson<Vec<LostReason>>, AppError> {
    Ok(ApiJson(state.store.lost_reasons().await?))
}

/// Create or change a lost reason (deactivate it with `active: false`).
#[utoipa::path(
    put, path = "/lost-reasons", tag = "customers",
    request_body = LostReason,
    responses(
        (status = 200, description = "The reason as saved", body = LostReason),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_lost_reason(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiJson(input): ApiJson<LostReason>,
) -> Result<ApiJson<LostReason>, AppError> {
    let r = input.validate()?;
    Ok(ApiJson(
        state.store.save_lost_reason(&caller.actor(), &r).await?,
    ))
}
