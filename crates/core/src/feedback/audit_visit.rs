//! Mystery-shopper visits: an evaluator posing as a customer checks each moment of the cycle.
//!
//! The checklist of a moment is its standards (in order, codes `standard-1`, `standard-2`…)
//! followed by free items written for the audit (`item-1`, `item-2`…). Every item of every
//! moment must be marked met, not met or not applicable, so two visits are always comparable.
//!
//! Scoring rule: a moment scores met / (met + not met) × 100; items marked not applicable are
//! left out, and a moment with nothing applicable has no score (it was not observed, which is
//! not the same as 0 or 100). The visit's overall score is the plain mean of the moment scores
//! that exist, so a moment with many items does not drown the others. Separately, any `not
//! met` at a critical moment is listed as a critical failure: one such failure can spoil the
//! whole service, whatever the average says.
use crate::{cycle::CycleVersion, error::ValidationErrors, standard::ServiceStandard, validate};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_EXTRA_ITEMS: usize = 50;
pub const MAX_STAFF_PER_VISIT: usize = 20;
/// Clock skew tolerated between the auditor's phone and the server.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    pub label: String,
    /// The standard this item checks, when it comes from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<ServiceStandard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChecklistMoment {
    pub moment_id: i64,
    pub key: String,
    pub name: String,
    pub critical: bool,
    pub items: Vec<ChecklistItem>,
}

/// What an auditor checks, per moment, in cycle order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checklist {
    pub cycle_version_id: i64,
    pub moments: Vec<ChecklistMoment>,
}

impl Checklist {
    /// Build the checklist of a cycle version; `extra_items` adds free items per moment key.
    pub fn from_cycle(
        cycle: &CycleVersion,
        extra_items: &BTreeMap<String, Vec<String>>,
    ) -> Result<Checklist, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        for key in extra_items.keys() {
            if !cycle.moments.iter().any(|m| &m.key == key) {
                errors.push(
                    format!("extra_items.{key}"),
                    format!("the cycle has no moment '{key}'"),
                );
            }
        }
        let mut moments = Vec::with_capacity(cycle.moments.len());
        for m in &cycle.moments {
            let mut items: Vec<ChecklistItem> = (1..)
                .zip(&m.standards)
                .map(|(n, s)| ChecklistItem {
                    code: format!("standard-{n}"),
                    label: if s.description.is_empty() {
                        s.to_string()
                    } else {
                        s.description.clone()
                    },
                    standard: Some(s.clone()),
                })
                .collect();
            let extras = extra_items.get(&m.key).map_or(&[][..], Vec::as_slice);
            if extras.len() > MAX_EXTRA_ITEMS {
                errors.push(
                    format!("extra_items.{}", m.key),
                    format!("at most {MAX_EXTRA_ITEMS} items per moment"),
                );
            }
            for (i, text) in extras.iter().enumerate() {
                let field = format!("extra_items.{}[{i}]", m.key);
                let label = validate::name(&mut errors, &field, text);
                if !label.is_empty() && items.iter().any(|it| it.label == label) {
                    errors.push(field, format!("'{label}' is already on this checklist"));
                }
                items.push(ChecklistItem {
                    code: format!("item-{}", i + 1),
                    label,
                    standard: None,
                });
            }
            moments.push(ChecklistMoment {
                moment_id: m.id,
                key: m.key.clone(),
                name: m.name.clone(),
                critical: m.critical,
                items,
            });
        }
        errors.into_result(Checklist {
            cycle_version_id: cycle.id,
            moments,
        })
    }

    pub fn moment(&self, key: &str) -> Option<&ChecklistMoment> {
        self.moments.iter().find(|m| m.key == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Met,
    NotMet,
    NotApplicable,
}

/// Counts of marks; also what roll-ups across visits add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemTally {
    pub met: u64,
    pub not_met: u64,
    pub not_applicable: u64,
}

impl ItemTally {
    pub fn of(results: impl IntoIterator<Item = ItemResult>) -> Self {
        results.into_iter().fold(Self::default(), |mut t, r| {
            match r {
                ItemResult::Met => t.met += 1,
                ItemResult::NotMet => t.not_met += 1,
                ItemResult::NotApplicable => t.not_applicable += 1,
            }
            t
        })
    }

    /// met / (met + not met) × 100; `None` when nothing was applicable.
    pub fn score(&self) -> Option<f64> {
        let applicable = self.met + self.not_met;
        (applicable > 0).then(|| self.met as f64 * 100.0 / applicable as f64)
    }
}

/// Mean of the moment scores that exist; `None` when no moment was observed.
pub fn overall_score(moment_scores: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = moment_scores
        .into_iter()
        .flatten()
        .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// A visit as the auditor submits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VisitDraft {
    pub site_id: i64,
    pub visited_at: DateTime<Utc>,
    /// Staff members observed during the visit.
    #[serde(default)]
    pub staff_ids: Vec<i64>,
    /// Moment key → item code → mark.
    pub results: BTreeMap<String, BTreeMap<String, ItemResult>>,
    #[serde(default)]
    pub notes: String,
    /// Optional note per moment key.
    #[serde(default)]
    pub moment_notes: BTreeMap<String, String>,
}

/// One checked item of a visit, with the label it had on the checklist the auditor saw:
/// free items can be edited or removed later, and the visit must still say what was checked.
///
/// Stored visits written before the label was kept hold `[code, result]` pairs; they still
/// read, with an empty label (hence the field order: a sequence fills `code`, then `result`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VisitMark {
    /// The checklist item code (`standard-1`, `item-2`…).
    pub code: String,
    pub result: ItemResult,
    /// The item's label when the visit was recorded; empty only in visits recorded before
    /// labels were kept.
    #[serde(default)]
    pub label: String,
}

/// One moment of a checked visit, marks in checklist order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MomentVisit {
    pub moment_id: i64,
    pub moment_key: String,
    pub critical: bool,
    pub marks: Vec<VisitMark>,
    pub note: String,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidVisit {
    pub site_id: i64,
    pub visited_at: DateTime<Utc>,
    pub staff_ids: Vec<i64>,
    pub notes: String,
    pub moments: Vec<MomentVisit>,
    pub overall: Option<f64>,
    /// Keys of critical moments with at least one item not met.
    pub critical_failures: Vec<String>,
}

impl ValidVisit {
    pub fn score_per_moment(&self) -> impl Iterator<Item = (&str, Option<f64>)> {
        self.moments
            .iter()
            .map(|m| (m.moment_key.as_str(), m.score))
    }
}

impl VisitDraft {
    /// Check the visit against its checklist; `now` rejects visits dated in the future.
    pub fn validate(
        &self,
        checklist: &Checklist,
        now: DateTime<Utc>,
    ) -> Result<ValidVisit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.site_id <= 0 {
            errors.push("site_id", "choose the site that was visited");
        }
        if self.visited_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
            errors.push("visited_at", "a visit cannot be dated in the future");
        }
        if self.staff_ids.len() > MAX_STAFF_PER_VISIT {
            errors.push(
                "staff_ids",
                format!("at most {MAX_STAFF_PER_VISIT} staff members per visit"),
            );
        }
        for (i, id) in self.staff_ids.iter().enumerate() {
            if *id <= 0 {
                errors.push(format!("staff_ids[{i}]"), "not a staff member id");
            } else if self.staff_ids[..i].contains(id) {
                errors.push(
                    format!("staff_ids[{i}]"),
                    "this staff member is listed twice",
                );
            }
        }
        let notes = validate::text(&mut errors, "notes", &self.notes);
        for key in self.results.keys().chain(self.moment_notes.keys()) {
            if checklist.moment(key).is_none() {
                let field = if self.results.contains_key(key) {
                    "results"
                } else {
                    "moment_notes"
                };
                errors.push(
                    format!("{field}.{key}"),
                    format!("the checklist has no moment '{key}'"),
                );
            }
        }
        let mut moments = Vec::with_capacity(checklist.moments.len());
        for m in &checklist.moments {
            let given = self.results.get(&m.key);
            for code in given.into_iter().flat_map(BTreeMap::keys) {
                if !m.items.iter().any(|it| &it.code == code) {
                    errors.push(
                        format!("results.{}.{code}", m.key),
                        format!("moment '{}' has no checklist item '{code}'", m.key),
                    );
                }
            }
            let mut marks = Vec::with_capacity(m.items.len());
            for item in &m.items {
                match given.and_then(|g| g.get(&item.code)) {
                    Some(r) => marks.push(VisitMark {
                        code: item.code.clone(),
                        result: *r,
                        label: item.label.clone(),
                    }),
                    None => errors.push(
                        format!("results.{}.{}", m.key, item.code),
                        "mark this item met, not met or not applicable",
                    ),
                }
            }
            let note_field = format!("moment_notes.{}", m.key);
            let note = self.moment_notes.get(&m.key).map_or(String::new(), |n| {
                validate::text(&mut errors, &note_field, n)
            });
            let score = ItemTally::of(marks.iter().map(|k| k.result)).score();
            moments.push(MomentVisit {
                moment_id: m.moment_id,
                moment_key: m.key.clone(),
                critical: m.critical,
                marks,
                note,
                score,
            });
        }
        let critical_failures = moments
            .iter()
            .filter(|m| m.critical && m.marks.iter().any(|k| k.result == ItemResult::NotMet))
            .map(|m| m.moment_key.clone())
            .collect();
        errors.into_result(ValidVisit {
            site_id: self.site_id,
            visited_at: self.visited_at,
            staff_ids: self.staff_ids.clone(),
            notes,
            overall: overall_score(moments.iter().map(|m| m.score)),
            moments,
            critical_failures,
        })
    }
}

#[cfg(test)]
#[path = "audit_visit_tests.rs"]
mod tests;
