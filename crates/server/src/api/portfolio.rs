//! Sales and the portfolio figures: the 80/20 ranking (JSON and CSV) and the summary.
use super::{
    extract::{ApiQuery, Caller, Read},
    json::ApiJson,
    needs::ManageCustomers,
};
use crate::{
    error::{AppError, Problem},
    portfolio::{self, Period, PeriodParams, PortfolioSummary, RankingPage, RankingParams},
    state::AppState,
};
use axum::{extract::State, http::StatusCode, response::IntoResponse};
use serde::Serialize;
use touchpoint_core::{
    FieldError,
    feedback::records::SubmitOutcome,
    portfolio::{SaleInput, ValidSale},
};
use utoipa::ToSchema;

/// Most sales one call may record.
pub const MAX_SALES: usize = 5000;

/// What happened to one sale of a batch, in input order.
#[derive(Debug, Serialize, ToSchema)]
pub struct SaleOutcome {
    pub index: usize,
    /// `created`, `already_present` or `rejected`.
    pub result: &'static str,
    pub id: Option<i64>,
    /// Why it was rejected, each problem named by its field (`customer`, `date`, …).
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalesResult {
    pub created: usize,
    pub already_present: usize,
    pub rejected: usize,
    pub items: Vec<SaleOutcome>,
}

fn rejected(index: usize, errors: Vec<FieldError>) -> SaleOutcome {
    SaleOutcome {
        index,
        result: "rejected",
        id: None,
        errors,
    }
}

/// Record sales.
///
/// Each sale names its customer by `ref`; give `sale_id` (the source's id) so a retry records
/// nothing twice. Good sales are kept and bad ones reported with their index and fields; the
/// answer is 200 when every sale was accepted, 207 when some were rejected.
#[utoipa::path(
    post, path = "/sales", tag = "customers",
    request_body = Vec<SaleInput>,
    responses(
        (status = 200, description = "Every sale recorded (or already present)", body = SalesResult),
        (status = 207, description = "Some sales were rejected; see `items`", body = SalesResult),
        (status = 403, description = "The role may not record sales", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty or too large batch", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_sales(
    State(state): State<AppState>,
    caller: Caller<ManageCustomers>,
    ApiJson(input): ApiJson<Vec<SaleInput>>,
) -> Result<impl IntoResponse, AppError> {
    if input.is_empty() || input.len() > MAX_SALES {
        return Err(AppError::invalid(
            "items",
            format!("send between 1 and {MAX_SALES} sales"),
        ));
    }
    let mut items: Vec<Option<SaleOutcome>> = Vec::with_capacity(input.len());
    let mut valid: Vec<(usize, ValidSale)> = Vec::new();
    for (i, s) in input.iter().enumerate() {
        match s.validate() {
            Ok(v) => {
                valid.push((i, v));
                items.push(None);
            }
            Err(e) => items.push(Some(rejected(i, e.prefixed(&format!("[{i}].")).0))),
        }
    }
    let sales: Vec<ValidSale> = valid.iter().map(|(_, v)| v.clone()).collect();
    let outcomes = state.store.record_sales(&caller.actor(), &sales).await?;
    for ((i, _), outcome) in valid.iter().zip(outcomes) {
        items[*i] = Some(match outcome {
            Ok(SubmitOutcome::Created(id)) => SaleOutcome {
                index: *i,
                result: "created",
                id: Some(id),
                errors: vec![],
            },
            Ok(SubmitOutcome::AlreadyExists(id)) => SaleOutcome {
                index: *i,
                result: "already_present",
                id: Some(id),
                errors: vec![],
            },
            Err(touchpoint_core::StoreError::Invalid(e)) => {
                rejected(*i, e.prefixed(&format!("[{i}].")).0)
            }
            Err(e) => return Err(e.into()),
        });
    }
    let items: Vec<SaleOutcome> = items.into_iter().flatten().collect();
    let count = |r: &str| items.iter().filter(|o| o.result == r).count();
    let result = SalesResult {
        created: count("created"),
        already_present: count("already_present"),
        rejected: count("rejected"),
        items,
    };
    let status = if result.rejected == 0 {
        StatusCode::OK
    } else {
        StatusCode::MULTI_STATUS
    };
    Ok((status, ApiJson(result)))
}

/// The ranking of customers by sales over a period.
///
/// Order: sales descending, then `ref` ascending (byte order), then id; customers without
/// sales rank last with zero. Tiers: **important** while the customers above hold less than
/// 80 % of sales, **medium** below 95 %, then **small** (thresholds configurable). Shares are
/// in hundredths of a percent (`4141` = 41.41 %). Defaults to the last 365 days.
#[utoipa::path(
    get, path = "/portfolio/ranking", tag = "portfolio",
    params(PeriodParams, RankingParams),
    responses(
        (status = 200, description = "One page of the ranking with the period's totals", body = RankingPage),
        (status = 422, description = "A bad period or currency, named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ranking(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(period): ApiQuery<PeriodParams>,
    ApiQuery(params): ApiQuery<RankingParams>,
) -> Result<ApiJson<RankingPage>, AppError> {
    let period = Period::resolve(period.from, period.to, state.clock.now().date_naive())?;
    let page = portfolio::ranking(
        state.store.as_ref(),
        &state.rankings,
        period,
        &params,
        &state.config.ranking,
    )
    .await?;
    Ok(ApiJson(page))
}

/// The whole ranking as CSV.
///
/// Columns: rank, ref, name, status, sales, cumulative, share_pct, cumulative_pct, tier,
/// currency. Amounts are plain decimals (`20500`, `12.50`); percentages have two decimals.
#[utoipa::path(
    get, path = "/portfolio/ranking.csv", tag = "portfolio",
    params(PeriodParams, RankingParams),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 422, description = "A bad period or currency, named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ranking_csv(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(period): ApiQuery<PeriodParams>,
    ApiQuery(params): ApiQuery<RankingParams>,
) -> Result<axum::response::Response, AppError> {
    let period = Period::resolve(period.from, period.to, state.clock.now().date_naive())?;
    portfolio::ranking::csv_download(
        state.store.as_ref(),
        &state.rankings,
        period,
        params.currency.as_deref(),
        &state.config.ranking,
    )
    .await
}

/// Statuses now and month by month, customers lost by reason and moment, and tier movements
/// since the previous period of equal length.
#[utoipa::path(
    get, path = "/portfolio/summary", tag = "portfolio",
    params(PeriodParams, RankingParams),
    responses(
        (status = 200, description = "The portfolio's state", body = PortfolioSummary),
        (status = 422, description = "A bad period or currency, named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_summary(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(period): ApiQuery<PeriodParams>,
    ApiQuery(params): ApiQuery<RankingParams>,
) -> Result<ApiJson<PortfolioSummary>, AppError> {
    let period = Period::resolve(period.from, period.to, state.clock.now().date_naive())?;
    let s = portfolio::summary(
        state.store.as_ref(),
        &state.rankings,
        period,
        params.currency.as_deref(),
        &state.config.ranking,
    )
    .await?;
    Ok(ApiJson(s))
}

/// Important customers at risk: a broken promise or an open complaint, or a negative or
/// falling relationship balance in the period — each with the reasons that apply, most
/// serious first, in ranking order.
#[utoipa::path(
    get, path = "/portfolio/at-risk", tag = "portfolio",
    params(PeriodParams, RankingParams),
    responses(
        (status = 200, description = "The important customers at risk", body = Vec<crate::portfolio::AtRiskCustomer>),
        (status = 422, description = "A bad period or currency, named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_at_risk(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(period): ApiQuery<PeriodParams>,
    ApiQuery(params): ApiQuery<RankingParams>,
) -> Result<ApiJson<Vec<crate::portfolio::AtRiskCustomer>>, AppError> {
    let period = Period::resolve(period.from, period.to, state.clock.now().date_naive())?;
    let list = portfolio::at_risk(
        state.store.as_ref(),
        &state.rankings,
        period,
        params.currency.as_deref(),
        &state.config.ranking,
    )
    .await?;
    Ok(ApiJson(list))
}
