//! The state of the portfolio: statuses now and over time, losses by reason and moment, and
//! the movements between tiers since the previous period.
use super::{cache::RankingCache, period::Period, ranking::full_ranking};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use touchpoint_core::{
    portfolio::{CustomerStatus, LostCount, Money, RankingSettings, Tier, ranking::tier_movements},
    store::Store,
};
use utoipa::ToSchema;

/// Months of status history the summary shows.
const MONTHS: usize = 12;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusShare {
    pub status: CustomerStatus,
    pub customers: i64,
    /// Share of all customers, in hundredths of a percent.
    pub share_hundredths: i64,
}

/// The statuses at the end of one day (a month's last day, or the period's).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusSnapshot {
    pub at: NaiveDate,
    pub total: i64,
    pub statuses: Vec<StatusShare>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TierMove {
    pub from: Tier,
    pub to: Tier,
    pub customers: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortfolioSummary {
    pub period: Period,
    pub previous: Period,
    /// At the end of the period.
    pub now: StatusSnapshot,
    /// At the end of each of the last twelve months up to the period's end, oldest first.
    pub monthly: Vec<StatusSnapshot>,
    /// Customers who became lost in the period, by reason and moment.
    pub lost: Vec<LostCount>,
    /// Customers per (tier in the previous period, tier in this one), in the currency ranked.
    pub tier_moves: Vec<TierMove>,
    pub currency: String,
}

async fn snapshot(store: &dyn Store, day: NaiveDate) -> Result<StatusSnapshot, AppError> {
    let end = (day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        - Duration::microseconds(1);
    let counts: BTreeMap<CustomerStatus, i64> =
        store.status_counts_at(end.with_timezone(&Utc)).await?;
    let total: i64 = counts.values().sum();
    let statuses = counts
        .into_iter()
        .map(|(status, customers)| StatusShare {
            status,
            customers,
            share_hundredths: Money::percent_hundredths(i128::from(customers), i128::from(total))
                .unwrap_or(0),
        })
        .collect();
    Ok(StatusSnapshot {
        at: day,
        total,
        statuses,
    })
}

/// The last day of each of the `MONTHS` months ending with `day`'s month (the last one is
/// `day` itself), oldest first.
fn month_ends(day: NaiveDate) -> Vec<NaiveDate> {
    let mut out = vec![day];
    let mut first = day.with_day(1).unwrap_or(day);
    while out.len() < MONTHS {
        let last_of_previous = first - Duration::days(1);
        out.push(last_of_previous);
        first = last_of_previous.with_day(1).unwrap_or(last_of_previous);
    }
    out.reverse();
    out
}

pub async fn summary(
    store: &dyn Store,
    cache: &RankingCache,
    period: Period,
    currency: Option<&str>,
    settings: &RankingSettings,
) -> Result<PortfolioSummary, AppError> {
    let now = snapshot(store, period.to).await?;
    let mut monthly = Vec::with_capacity(MONTHS);
    for day in month_ends(period.to) {
        monthly.push(snapshot(store, day).await?);
    }
    let lost = store.lost_counts(period.from, period.to).await?;
    let previous = period.previous();
    let (current, currency, _) = full_ranking(store, cache, period, currency, settings).await?;
    let (before, _, _) = full_ranking(
        store,
        cache,
        previous,
        Some(&currency)
            .filter(|c| !c.is_empty())
            .map(String::as_str),
        settings,
    )
    .await?;
    let tier_moves = tier_movements(&before, &current)
        .into_iter()
        .map(|((from, to), customers)| TierMove {
            from,
            to,
            customers,
        })
        .collect();
    Ok(PortfolioSummary {
        period,
        previous,
        now,
        monthly,
        lost,
        tier_moves,
        currency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_walk_back_twelve_months() {
        let days = month_ends("2026-03-15".parse().unwrap());
        assert_eq!(days.len(), 12);
        assert_eq!(days[0].to_string(), "2025-04-30");
        assert_eq!(days[10].to_string(), "2026-02-28");
        assert_eq!(days[11].to_string(), "2026-03-15");
    }
}
