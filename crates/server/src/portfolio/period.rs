//! The period a portfolio figure covers: inclusive days, by default the last twelve months.
use crate::error::AppError;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Longest period a figure may cover.
const MAX_DAYS: i64 = 366 * 10;

/// `from` and `to` as query parameters (`YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First day (default: a year before `to`, plus one day).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Check `from <= to` and the length; fill what is missing from `today`.
    pub fn resolve(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, AppError> {
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to - Duration::days(364));
        if from > to {
            return Err(AppError::invalid("from", "must be on or before 'to'"));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(AppError::invalid(
                "from",
                "a period can cover at most ten years",
            ));
        }
        Ok(Period { from, to })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of equal length that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let to = self.from - Duration::days(1);
        Period {
            from: to - Duration::days(self.days() - 1),
            to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_to_the_last_365_days_and_knows_the_previous_period() {
        let p = Period::resolve(None, None, d("2026-11-29")).unwrap();
        assert_eq!(
            (p.from, p.to, p.days()),
            (d("2025-11-30"), d("2026-11-29"), 365)
        );
        let prev = p.previous();
        assert_eq!((prev.from, prev.to), (d("2024-11-30"), d("2025-11-29")));
    }

    #[test]
    fn refuses_backwards_and_endless_periods() {
        assert!(
            Period::resolve(
                Some(d("2026-02-01")),
                Some(d("2026-01-01")),
                d("2026-11-29")
            )
            .is_err()
        );
        assert!(Period::resolve(Some(d("2000-01-01")), None, d("2026-11-29")).is_err());
    }
}
