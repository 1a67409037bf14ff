//! The at-risk list: important customers of the period's ranking with a broken promise, an
//! open complaint, or a negative or falling relationship balance — each row saying why.
//!
//! Cost: complaints and escalations are read once (paged); the relationship account is read
//! per important customer, so the list is meant for the important tier (hundreds to a few
//! thousand customers), not for a whole portfolio of millions.
use super::{cache::RankingCache, period::Period, ranking::full_ranking};
use crate::error::AppError;
use chrono::Duration;
use serde::Serialize;
use std::collections::HashMap;
use touchpoint_core::{
    complaints::ComplaintFilter,
    listing::{ListQuery, MAX_LIMIT},
    portfolio::{
        Money, RankedRow, RankingSettings, Tier, identify,
        risk::{RiskReason, RiskSignals, risk_reasons},
    },
    store::Store,
};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AtRiskCustomer {
    pub rank: u64,
    pub customer_id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    pub sales: Money,
    pub balance: i64,
    pub reasons: Vec<RiskReason>,
}

fn all() -> ListQuery {
    ListQuery {
        limit: MAX_LIMIT,
        include_inactive: true,
        ..ListQuery::default()
    }
}

/// Open complaints and, per customer, promises broken in the period.
async fn complaint_signals(
    store: &dyn Store,
    period: Period,
) -> Result<(HashMap<String, u32>, HashMap<String, u32>), AppError> {
    let mut open: HashMap<String, u32> = HashMap::new();
    let mut q = all();
    loop {
        let page = store
            .list_complaints(&ComplaintFilter::default(), &q)
            .await?;
        for c in page.items.iter().filter(|c| c.status.is_open()) {
            *open.entry(c.customer_ref.clone()).or_default() += 1;
        }
        if !page.has_next() {
            break;
        }
        q.offset += q.limit;
    }
    let start = period
        .from
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let end = (period.to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut broken: HashMap<String, u32> = HashMap::new();
    let mut q = all();
    'pages: loop {
        // Newest first: stop at the first escalation older than the period.
        let page = store.list_escalations(None, &q).await?;
        for e in &page.items {
            if e.escalated_at < start {
                break 'pages;
            }
            if e.escalated_at < end {
                *broken.entry(e.customer_ref.clone()).or_default() += 1;
            }
        }
        if !page.has_next() {
            break;
        }
        q.offset += q.limit;
    }
    Ok((open, broken))
}

pub async fn at_risk(
    store: &dyn Store,
    cache: &RankingCache,
    period: Period,
    currency: Option<&str>,
    settings: &RankingSettings,
) -> Result<Vec<AtRiskCustomer>, AppError> {
    let (ranking, _, _) = full_ranking(store, cache, period, currency, settings).await?;
    let (open, broken) = complaint_signals(store, period).await?;
    let start = period
        .from
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut out = Vec::new();
    let important: Vec<RankedRow> = ranking
        .rows
        .iter()
        .filter(|r| r.tier == Tier::Important)
        .copied()
        .collect();
    for r in identify(store, &important).await? {
        let balance = store.ledger_balance(&r.reference).await?;
        let mut change = 0i64;
        let mut q = all();
        'history: loop {
            let page = store.ledger_history(&r.reference, &q).await?;
            for e in &page.items {
                if e.occurred_at < start {
                    break 'history;
                }
                if e.occurred_at.date_naive() <= period.to {
                    change += i64::from(e.amount);
                }
            }
            if !page.has_next() {
                break;
            }
            q.offset += q.limit;
        }
        let signals = RiskSignals {
            balance,
            change_in_period: change,
            open_complaints: open.get(&r.reference).copied().unwrap_or(0),
            broken_promises: broken.get(&r.reference).copied().unwrap_or(0),
        };
        let reasons = risk_reasons(&signals);
        if !reasons.is_empty() {
            out.push(AtRiskCustomer {
                rank: r.rank,
                customer_id: r.customer_id,
                reference: r.reference.clone(),
                name: r.name.clone(),
                sales: r.sales,
                balance,
                reasons,
            });
        }
    }
    Ok(out)
}
