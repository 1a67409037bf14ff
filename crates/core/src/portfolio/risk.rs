//! At-risk customers: important customers whose relationship is going wrong. One list, each
//! row saying why: a negative relationship balance, a balance that fell over the period, an
//! open complaint, or a promise broken in the period.
use serde::{Deserialize, Serialize};

/// What is known about one customer's relationship, for the period looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSignals {
    /// The relationship account's balance now.
    pub balance: i64,
    /// The sum of the account's entries dated in the period (negative: it fell).
    pub change_in_period: i64,
    pub open_complaints: u32,
    pub broken_promises: u32,
}

/// One reason a customer is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RiskReason {
    NegativeBalance { balance: i64 },
    FallingBalance { change: i64 },
    OpenComplaints { count: u32 },
    BrokenPromises { count: u32 },
}

/// Every reason that applies, most serious first; empty when the customer is not at risk.
pub fn risk_reasons(s: &RiskSignals) -> Vec<RiskReason> {
    let mut out = Vec::new();
    if s.broken_promises > 0 {
        out.push(RiskReason::BrokenPromises {
            count: s.broken_promises,
        });
    }
    if s.open_complaints > 0 {
        out.push(RiskReason::OpenComplaints {
            count: s.open_complaints,
        });
    }
    if s.balance < 0 {
        out.push(RiskReason::NegativeBalance { balance: s.balance });
    }
    // A falling balance that is already reported as negative says nothing new.
    if s.change_in_period < 0 && s.balance >= 0 {
        out.push(RiskReason::FallingBalance {
            change: s.change_in_period,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_healthy_relationship_has_no_reasons() {
        let s = RiskSignals {
            balance: 12,
            change_in_period: 3,
            ..Default::default()
        };
        assert!(risk_reasons(&s).is_empty());
    }

    #[test]
    fn every_signal_is_named_most_serious_first() {
        let s = RiskSignals {
            balance: -4,
            change_in_period: -9,
            open_complaints: 1,
            broken_promises: 2,
        };
        assert_eq!(
            risk_reasons(&s),
            [
                RiskReason::BrokenPromises { count: 2 },
                RiskReason::OpenComplaints { count: 1 },
                RiskReason::NegativeBalance { balance: -4 },
            ]
        );
        let falling = RiskSignals {
            balance: 5,
            change_in_period: -6,
            ..Default::default()
        };
        assert_eq!(
            risk_reasons(&falling),
            [RiskReason::FallingBalance { change: -6 }]
        );
    }
}
