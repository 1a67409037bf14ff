//! What the stores gather per staff member for one month, already grouped (one row per staff
//! member, or per staff member × moment for audits), and the per-response satisfaction rule.
use crate::{
    analytics::normalised,
    feedback::{AnswerValue, records::StoredAnswer},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Moment scores of visits that observed a staff member, per service and moment key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditMomentTally {
    pub staff_id: i64,
    pub service_id: i64,
    pub moment_key: String,
    /// Sum of the moment scores (0–100 each).
    pub score_sum: f64,
    /// Scored observations (a moment with nothing applicable on a visit has no score).
    pub scored: i64,
}

/// A sum of 0–100 scores and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreTally {
    pub staff_id: i64,
    pub sum: f64,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountTally {
    pub staff_id: i64,
    pub count: i64,
}

/// Complaints a staff member resolved in the month and how many of those customers said they
/// were satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionTally {
    pub staff_id: i64,
    pub resolved: i64,
    pub satisfied: i64,
}

/// Promises settled in the month on complaints assigned to a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseTally {
    pub staff_id: i64,
    pub kept: i64,
    pub broken: i64,
}

/// Everything recognition needs about one month, each list ordered by staff id (audits then
/// by service and moment key) so both backends answer identically.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffMonthEvidence {
    pub audits: Vec<AuditMomentTally>,
    pub satisfaction: Vec<ScoreTally>,
    pub compliments: Vec<CountTally>,
    pub resolutions: Vec<ResolutionTally>,
    pub promises: Vec<PromiseTally>,
}

/// (service id, moment key) → the role that serves the moment (from the current cycle).
pub type MomentRoles = BTreeMap<(i64, String), String>;

/// A response's satisfaction: the mean of its rating, NPS and effort answers on the common
/// 0–100 scale (see [`crate::analytics::samples`]); `None` when it has none. One value per
/// response, so a long questionnaire does not outweigh a short one.
pub fn response_satisfaction(answers: &[StoredAnswer]) -> Option<f64> {
    let (sum, n) = answers
        .iter()
        .filter_map(|a| match a.value {
            AnswerValue::Score(s) => normalised(a.kind, s),
            _ => None,
        })
        .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}
