//! The relationship account of a customer: an append-only ledger of deposits (goodwill earned)
//! and withdrawals (goodwill spent), each with its moment and weight, and its balance.
//!
//! Weights are configurable per kind; each entry stores the signed weight it was written with,
//! so changing a weight later never rewrites a customer's history.
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest weight a single entry or a kind may carry, so one entry cannot swamp an account.
pub const MAX_WEIGHT: i32 = 1000;

str_enum! {
    LedgerKind, "ledger entry kind" {
        ThankYouNote => "thank_you_note",
        CourtesyCall => "courtesy_call",
        Offer => "offer",
        ComplimentActedOn => "compliment_acted_on",
        ComplaintResolvedSatisfied => "complaint_resolved_satisfied",
        Complaint => "complaint",
        BrokenPromise => "broken_promise",
        FailedStandard => "failed_standard",
    }
}

impl LedgerKind {
    pub fn is_deposit(self) -> bool {
        matches!(
            self,
            LedgerKind::ThankYouNote
                | LedgerKind::CourtesyCall
                | LedgerKind::Offer
                | LedgerKind::ComplimentActedOn
                | LedgerKind::ComplaintResolvedSatisfied
        )
    }

    /// The default weight (a magnitude; withdrawals are subtracted). A broken promise costs
    /// more than the complaint itself: the sources stress that a broken promise is the most
    /// visible failure.
    pub fn default_weight(self) -> i32 {
        match self {
            LedgerKind::ThankYouNote => 1,
            LedgerKind::CourtesyCall => 2,
            LedgerKind::Offer => 2,
            LedgerKind::ComplimentActedOn => 2,
            LedgerKind::ComplaintResolvedSatisfied => 5,
            LedgerKind::Complaint => 3,
            LedgerKind::BrokenPromise => 5,
            LedgerKind::FailedStandard => 2,
        }
    }

    /// `weight` with the sign of this kind: positive for deposits, negative for withdrawals.
    pub fn signed(self, weight: i32) -> i32 {
        let w = weight.abs();
        if self.is_deposit() { w } else { -w }
    }
}

/// Configured weights per kind (magnitudes); kinds not configured use their default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerWeights(pub BTreeMap<LedgerKind, i32>);

impl LedgerWeights {
    pub fn weight(&self, kind: LedgerKind) -> i32 {
        self.0
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_weight())
    }

    /// The signed amount an entry of `kind` is written with.
    pub fn amount(&self, kind: LedgerKind) -> i32 {
        kind.signed(self.weight(kind))
    }
}

/// An entry to append; `weight` overrides the configured weight (a magnitude).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewLedgerEntry {
    pub customer_ref: String,
    pub kind: LedgerKind,
    /// When it happened (the moment of the deposit or withdrawal).
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub weight: Option<i32>,
    #[serde(default)]
    pub complaint_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

impl LedgerKind {
    /// Kinds the system writes itself, each backed by the change behind it (the complaint, the
    /// broken promise, the satisfied resolution); staff may not write them by hand, or the
    /// account would count the same event twice.
    pub fn is_automatic(self) -> bool {
        matches!(
            self,
            LedgerKind::Complaint
                | LedgerKind::BrokenPromise
                | LedgerKind::ComplaintResolvedSatisfied
        )
    }
}

impl NewLedgerEntry {
    /// Check an entry recorded by staff (a thank-you note, a courtesy call, a failed
    /// standard…): a customer, a kind staff may write, a sensible weight, not in the future.
    pub fn validate_manual(&self, now: DateTime<Utc>) -> Result<NewLedgerEntry, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let customer_ref = validate::name(&mut errors, "customer_ref", &self.customer_ref);
        if self.kind.is_automatic() {
            errors.push(
                "kind",
                format!("'{}' entries are recorded automatically", self.kind),
            );
        }
        if self.weight.is_some_and(|w| !(0..=MAX_WEIGHT).contains(&w)) {
            errors.push("weight", format!("must be between 0 and {MAX_WEIGHT}"));
        }
        if self.occurred_at > now + Duration::minutes(5) {
            errors.push("occurred_at", "cannot be in the future");
        }
        if self.complaint_id.is_some_and(|id| id <= 0) {
            errors.push("complaint_id", "not a valid id");
        }
        let note = validate::text(&mut errors, "note", &self.note);
        errors.into_result(NewLedgerEntry {
            customer_ref,
            note,
            ..self.clone()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub customer_ref: String,
    pub kind: LedgerKind,
    pub occurred_at: DateTime<Utc>,
    /// Signed: positive deposits, negative withdrawals.
    pub amount: i32,
    pub complaint_id: Option<i64>,
    pub promise_id: Option<i64>,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// One account in short: what the at-risk list needs of every account at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSummary {
    pub customer_ref: String,
    /// The sum of every entry.
    pub balance: i64,
    /// The sum of the entries that occurred in the period asked for.
    pub change: i64,
}

/// The balance of a set of entries: the sum of their signed amounts.
pub fn balance(entries: &[LedgerEntry]) -> i64 {
    entries.iter().map(|e| i64::from(e.amount)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn staff_entries_are_checked_and_automatic_kinds_refused() {
        let now = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap();
        let entry = NewLedgerEntry {
            customer_ref: "  CU-1 ".into(),
            kind: LedgerKind::ThankYouNote,
            occurred_at: now,
            weight: None,
            complaint_id: None,
            note: "Card after the visit".into(),
        };
        assert_eq!(entry.validate_manual(now).unwrap().customer_ref, "CU-1");
        let bad = NewLedgerEntry {
            customer_ref: " ".into(),
            kind: LedgerKind::BrokenPromise,
            occurred_at: now + Duration::hours(1),
            weight: Some(-1),
            ..entry
        };
        let fields: Vec<_> = bad
            .validate_manual(now)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["customer_ref", "kind", "weight", "occurred_at"]);
    }

    #[test]
    fn deposits_add_and_withdrawals_subtract() {
        let mut w = LedgerWeights::default();
        assert_eq!(w.amount(LedgerKind::ThankYouNote), 1);
        assert_eq!(w.amount(LedgerKind::Complaint), -3);
        w.0.insert(LedgerKind::Complaint, -7);
        assert_eq!(
            w.amount(LedgerKind::Complaint),
            -7,
            "sign comes from the kind"
        );
        assert_eq!("broken promise".parse(), Ok(LedgerKind::BrokenPromise));
    }

    proptest! {
        #[test]
        fn balance_is_the_sum_of_signed_weights(
            items in proptest::collection::vec((0usize..8, 0i32..100), 0..50)
        ) {
            let entries: Vec<LedgerEntry> = items
                .iter()
                .enumerate()
                .map(|(i, (k, w))| {
                    let kind = LedgerKind::ALL[*k];
                    LedgerEntry {
                        id: i as i64,
                        customer_ref: "c".into(),
                        kind,
                        occurred_at: DateTime::<Utc>::MIN_UTC,
                        amount: kind.signed(*w),
                        complaint_id: None,
                        promise_id: None,
                        note: String::new(),
                        recorded_at: DateTime::<Utc>::MIN_UTC,
                        recorded_by: "t".into(),
                    }
                })
                .collect();
            let deposits: i64 = items.iter().filter(|(k, _)| LedgerKind::ALL[*k].is_deposit()).map(|(_, w)| i64::from(*w)).sum();
            let withdrawals: i64 = items.iter().filter(|(k, _)| !LedgerKind::ALL[*k].is_deposit()).map(|(_, w)| i64::from(*w)).sum();
            prop_assert_eq!(balance(&entries), deposits - withdrawals);
        }
    }
}
