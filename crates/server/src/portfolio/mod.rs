//! The portfolio use cases shared by the API, the pages and the CLI: the ranking of a period,
//! its CSV form, and the summary of statuses, tiers and losses.
pub mod at_risk;
pub mod cache;
pub mod period;
pub mod personal;
pub mod ranking;
pub mod summary;

pub use at_risk::{AtRiskCustomer, at_risk};
pub use cache::RankingCache;
pub use period::{Period, PeriodParams};
pub use personal::{PersonalData, personal_data};
pub use ranking::{RankingPage, RankingParams, ranking, ranking_csv};
pub use summary::{PortfolioSummary, summary};
