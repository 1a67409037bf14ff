//! Analytics: figures computed from the evidence the stores keep — first the cycle
//! scorecard (issue 5). Pure, like the rest of core: callers load roll-ups, compliance
//! counts, visits and compliment counts, and hand them in.
pub mod evidence;
pub mod scorecard;
pub mod significance;
pub mod trend;

pub use evidence::{MomentEvidence, MomentKeys, PeriodEvidence, QuestionKinds};
pub use scorecard::{
    Figure, MomentScore, Period, Scorecard, Status, StatusBasis, Targets, scorecard,
};
pub use trend::{Direction, Trend, TrendTest};
