//! The recognition formula's configuration: a weight and a minimum sample per component,
//! how many compliments earn full marks, and how much of the weight a ranked person must cover.
use crate::error::ValidationErrors;
use serde::{Deserialize, Serialize};

/// The evidence a recognition score is made of.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// Mystery-shopper moment scores (0–100) at the moments the person serves, from visits
    /// that observed them; n = scored moment observations.
    Audit,
    /// Mean satisfaction (0–100 scale of rating, NPS and effort answers) of the customer
    /// responses naming the person; n = responses.
    Satisfaction,
    /// Compliments about the person received in the month; n = the count itself.
    Compliments,
    /// Share of the complaints the person resolved in the month whose customer said they were
    /// satisfied; n = complaints resolved.
    Resolution,
    /// Share of the promises settled in the month on complaints assigned to the person that
    /// were kept; n = promises kept + broken.
    PromisesKept,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 5] = [
        ComponentKind::Audit,
        ComponentKind::Satisfaction,
        ComponentKind::Compliments,
        ComponentKind::Resolution,
        ComponentKind::PromisesKept,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Audit => "audit",
            ComponentKind::Satisfaction => "satisfaction",
            ComponentKind::Compliments => "compliments",
            ComponentKind::Resolution => "resolution",
            ComponentKind::PromisesKept => "promises_kept",
        }
    }
}

/// How one component counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComponentRule {
    /// Relative weight (≥ 0); only the ratios between weights matter.
    pub weight: f64,
    /// Below this sample size the component is left out of the person's score.
    pub min_sample: u32,
}

/// The whole formula's configuration, one per organisation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecognitionSettings {
    pub audit: ComponentRule,
    pub satisfaction: ComponentRule,
    pub compliments: ComponentRule,
    pub resolution: ComponentRule,
    pub promises_kept: ComponentRule,
    /// Compliments in a month that earn the full compliments component (fewer earn a share).
    pub compliments_for_full_marks: u32,
    /// Share (0–1) of the total weight a person's qualifying components must carry for them
    /// to be ranked; with less they are listed as "not enough evidence".
    pub min_coverage: f64,
}

pub const MAX_WEIGHT: f64 = 100.0;
pub const MAX_MIN_SAMPLE: u32 = 10_000;
pub const MAX_FULL_MARKS: u32 = 1_000;

impl Default for RecognitionSettings {
    fn default() -> Self {
        let rule = |weight, min_sample| ComponentRule { weight, min_sample };
        Self {
            audit: rule(0.30, 5),
            satisfaction: rule(0.30, 10),
            compliments: rule(0.15, 0),
            resolution: rule(0.10, 3),
            promises_kept: rule(0.15, 5),
            compliments_for_full_marks: 5,
            min_coverage: 0.5,
        }
    }
}

impl RecognitionSettings {
    pub fn rule(&self, kind: ComponentKind) -> ComponentRule {
        match kind {
            ComponentKind::Audit => self.audit,
            ComponentKind::Satisfaction => self.satisfaction,
            ComponentKind::Compliments => self.compliments,
            ComponentKind::Resolution => self.resolution,
            ComponentKind::PromisesKept => self.promises_kept,
        }
    }

    pub fn total_weight(&self) -> f64 {
        ComponentKind::ALL
            .iter()
            .map(|k| self.rule(*k).weight)
            .sum()
    }

    /// Every problem at once, each named by its field (`audit.weight`, `min_coverage`…).
    pub fn validate(&self) -> Result<RecognitionSettings, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        for kind in ComponentKind::ALL {
            let rule = self.rule(kind);
            if !rule.weight.is_finite() || !(0.0..=MAX_WEIGHT).contains(&rule.weight) {
                errors.push(
                    format!("{}.weight", kind.as_str()),
                    format!("must be a number from 0 to {MAX_WEIGHT}"),
                );
            }
            if rule.min_sample > MAX_MIN_SAMPLE {
                errors.push(
                    format!("{}.min_sample", kind.as_str()),
                    format!("must be at most {MAX_MIN_SAMPLE}"),
                );
            }
        }
        if errors.is_empty() && self.total_weight() <= 0.0 {
            errors.push("audit.weight", "at least one weight must be above 0");
        }
        if !(1..=MAX_FULL_MARKS).contains(&self.compliments_for_full_marks) {
            errors.push(
                "compliments_for_full_marks",
                format!("must be a whole number from 1 to {MAX_FULL_MARKS}"),
            );
        }
        if !self.min_coverage.is_finite() || !(0.0..=1.0).contains(&self.min_coverage) {
            errors.push(
                "min_coverage",
                "must be a share from 0 to 1 (0.5 = half the weight)",
            );
        }
        errors.into_result(*self)
    }
}
