//! The ranking of customers by sales over a period: one page of it, its totals, and CSV.
use super::{cache::RankingCache, period::Period};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use touchpoint_core::{
    portfolio::{
        Money, RankedCustomer, RankedRow, Ranking, RankingSettings, Tier, identify, rank,
        ranking::{Concentration, CustomerTotal},
    },
    store::Store,
};
use utoipa::{IntoParams, ToSchema};

/// Which ranking to show.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingParams {
    /// ISO 4217 code; required only when the period has sales in several currencies.
    pub currency: Option<String>,
    /// Page size, 1 to 1000 (default 50); ignored by the CSV download.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// Only customers of this tier (`important`, `medium`, `small`).
    pub tier: Option<Tier>,
}

/// One page of the ranking with the figures of the whole of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingPage {
    pub period: Period,
    pub currency: String,
    /// Every currency with sales in the period.
    pub currencies: Vec<String>,
    pub total: Money,
    pub customers: u64,
    pub tier_counts: Vec<TierCount>,
    pub concentration: Concentration,
    pub settings: RankingSettings,
    /// Rows in the page (after the tier filter), and how many there are in all.
    pub items: Vec<RankedCustomer>,
    pub matching: u64,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TierCount {
    pub tier: Tier,
    pub customers: u64,
}

/// The currency to rank in: the one asked for, or the only one with sales in the period.
async fn currency_for(
    store: &dyn Store,
    period: Period,
    asked: Option<&str>,
) -> Result<(String, Vec<String>), AppError> {
    let currencies = store.sales_currencies(period.from, period.to).await?;
    let asked = asked.map(str::trim).filter(|c| !c.is_empty());
    let currency = match (asked, currencies.as_slice()) {
        (Some(c), _) => {
            let c = c.to_ascii_uppercase();
            if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(AppError::invalid(
                    "currency",
                    "must be a currency code like USD",
                ));
            }
            c
        }
        (None, [only]) => only.clone(),
        (None, []) => String::new(),
        (None, several) => {
            return Err(AppError::invalid(
                "currency",
                format!("the period has sales in {}; choose one", several.join(", ")),
            ));
        }
    };
    Ok((currency, currencies))
}

/// The whole ranking of a period: the kept one while customers and sales are unchanged.
pub async fn full_ranking(
    store: &dyn Store,
    cache: &RankingCache,
    period: Period,
    currency: Option<&str>,
    settings: &RankingSettings,
) -> Result<(Arc<Ranking>, String, Vec<String>), AppError> {
    // Read the revision first: a write landing during the computation makes the kept
    // ranking look older than it is (computed again next time), never newer.
    let revision = store.portfolio_revision().await?;
    let (currency, currencies) = currency_for(store, period, currency).await?;
    let ranking = cache
        .get_or_compute(period, &currency, settings, revision, async || {
            let totals: Vec<CustomerTotal> = store
                .customer_totals(period.from, period.to, &currency)
                .await?;
            Ok::<_, AppError>(rank(totals, settings))
        })
        .await?;
    Ok((ranking, currency, currencies))
}

pub async fn ranking(
    store: &dyn Store,
    cache: &RankingCache,
    period: Period,
    params: &RankingParams,
    settings: &RankingSettings,
) -> Result<RankingPage, AppError> {
    let (r, currency, currencies) =
        full_ranking(store, cache, period, params.currency.as_deref(), settings).await?;
    let limit = params.limit.unwrap_or(50).clamp(1, 1000);
    let offset = params.offset.unwrap_or(0);
    let of_tier: Vec<RankedRow>;
    let rows: &[RankedRow] = match params.tier {
        None => &r.rows,
        Some(t) => {
            of_tier = r.rows.iter().filter(|row| row.tier == t).copied().collect();
            &of_tier
        }
    };
    let shown: Vec<RankedRow> = rows
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .copied()
        .collect();
    let items = identify(store, &shown).await?;
    Ok(RankingPage {
        period,
        currency,
        currencies,
        total: r.total,
        customers: r.rows.len() as u64,
        tier_counts: r
            .tier_counts
            .iter()
            .map(|(tier, n)| TierCount {
                tier: *tier,
                customers: *n,
            })
            .collect(),
        concentration: r.concentration.clone(),
        settings: *settings,
        matching: rows.len() as u64,
        items,
        limit,
        offset,
    })
}

/// The CSV columns of a ranking, in order.
pub const CSV_COLUMNS: [&str; 10] = [
    "rank",
    "ref",
    "name",
    "status",
    "sales",
    "cumulative",
    "share_pct",
    "cumulative_pct",
    "tier",
    "currency",
];

/// Cells a spreadsheet would run as a formula get a leading `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The whole ranking as CSV (every customer, never a page of it).
pub fn ranking_csv(rows: &[RankedCustomer], currency: &str) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record(CSV_COLUMNS).map_err(fail)?;
    for row in rows {
        out.write_record([
            row.rank.to_string(),
            cell(&row.reference),
            cell(&row.name),
            row.status.as_str().to_string(),
            row.sales.to_string(),
            row.cumulative.to_string(),
            row.share_percent(),
            row.cumulative_percent(),
            row.tier.as_str().to_string(),
            currency.to_string(),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.error().to_string()))
}

/// The whole ranking of `period` as a CSV download (API and pages).
pub async fn csv_download(
    store: &dyn Store,
    cache: &RankingCache,
    period: Period,
    currency: Option<&str>,
    settings: &RankingSettings,
) -> Result<axum::response::Response, AppError> {
    use axum::{http::header, response::IntoResponse};
    let (r, currency, _) = full_ranking(store, cache, period, currency, settings).await?;
    let bytes = ranking_csv(&identify(store, &r.rows).await?, &currency)?;
    let name = format!(
        "attachment; filename=\"ranking-{}-{}.csv\"",
        period.from, period.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}
