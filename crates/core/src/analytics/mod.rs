//! Analytics: figures computed from the evidence the stores keep — the cycle scorecard, then
//! the decision analyses of issue 5: SERVQUAL gaps, importance–performance, consistency and
//! priorities. Pure, like the rest of core: callers load roll-ups, responses, compliance
//! counts, visits, compliments and complaint counts, and hand them in.
pub mod consistency;
pub mod employee_voice;
pub mod evidence;
pub mod gaps;
pub mod ipa;
pub mod priorities;
pub mod samples;
pub mod scorecard;
pub mod significance;
pub mod trend;

pub use consistency::{Consistency, MomentConsistency, SiteMean, Spread, consistency};
pub use evidence::{MomentEvidence, MomentKeys, PeriodEvidence, QuestionKinds};
pub use gaps::{DimensionGap, Gap, GapReport, ItemGap, SiteGaps, gap_questions, gaps};
pub use ipa::{Importance, Ipa, IpaPoint, Quadrant, ipa};
pub use priorities::{
    Contribution, Factor, Priorities, Priority, PriorityConfig, PriorityWeights, priorities,
};
pub use samples::{ImportanceMethod, Samples, ScoredResponse, normalised};
pub use scorecard::{
    Figure, MomentScore, Period, Scorecard, Status, StatusBasis, Targets, scorecard,
};
pub use trend::{Direction, Trend, TrendTest};

#[cfg(test)]
mod analysis_tests;
