//! The at-risk list: important customers of the period's ranking with a broken promise, an
//! open complaint, or a negative or falling relationship balance — each row saying why.
//!
//! Cost: complaints and escalations are read once (paged), every relationship account is
//! summed in one grouped read, and only customers with some signal are looked up — so the
//! cost follows the number of complaints and accounts, not the size of the important tier.
use super::{cache::RankingCache, period::Period, ranking::full_ranking};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use touchpoint_core::{
    StoreError,
    complaints::ComplaintFilter,
    listing::{ListQuery, MAX_LIMIT},
    portfolio::{
        Money, RankedRow, RankingSettings, Tier,
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

/// The period as instants: from its first midnight (UTC) to the midnight after its last day.
fn bounds(period: Period) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    (
        midnight(period.from),
        midnight(period.to + Duration::days(1)),
    )
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
    let (start, end) = bounds(period);
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
    let (start, end) = bounds(period);
    let accounts: HashMap<String, (i64, i64)> = store
        .ledger_summaries(start, end)
        .await?
        .into_iter()
        .map(|a| (a.customer_ref, (a.balance, a.change)))
        .collect();
    // Only customers with some signal can be at risk: find who they are, then keep the
    // important ones (a few lookups, however large the important tier is).
    let refs: BTreeSet<&String> = open
        .keys()
        .chain(broken.keys())
        .chain(accounts.keys())
        .collect();
    let important: HashMap<i64, RankedRow> = ranking
        .rows
        .iter()
        .filter(|r| r.tier == Tier::Important)
        .map(|r| (r.customer_id, *r))
        .collect();
    let mut out = Vec::new();
    for reference in refs {
        let (balance, change) = accounts.get(reference).copied().unwrap_or((0, 0));
        let signals = RiskSignals {
            balance,
            change_in_period: change,
            open_complaints: open.get(reference).copied().unwrap_or(0),
            broken_promises: broken.get(reference).copied().unwrap_or(0),
        };
        let reasons = risk_reasons(&signals);
        if reasons.is_empty() {
            continue;
        }
        let customer = match store.get_customer_by_ref(reference).await {
            Ok(c) => c,
            // Complaints may name a customer who is not in the portfolio.
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        if let Some(r) = important.get(&customer.id) {
            out.push(AtRiskCustomer {
                rank: r.rank,
                customer_id: r.customer_id,
                reference: customer.reference,
                name: customer.name,
                sales: r.sales,
                balance,
                reasons,
            });
        }
    }
    out.sort_unstable_by_key(|a| a.rank);
    Ok(out)
}
