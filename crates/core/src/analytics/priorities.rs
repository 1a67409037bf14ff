//! Priorities: which moments to improve first, and why.
//!
//! Score = Σ weightᵢ × factorᵢ / Σ weights × 100 (0–100), every factor normalised to 0–1 and
//! every contribution returned, so a manager can read why a moment ranks where it does:
//! * **criticality** — 1 for a critical moment, 0 otherwise;
//! * **gap to target** — the largest shortfall below the target (0–100 scale) of the moment's
//!   overall mean or of any qualifying site's mean, divided by the target (a score of 0 is 1);
//! * **importance** — the derived importance (Pearson's r) of [`super::ipa`], negatives as 0;
//! * **inconsistency** — the standard deviation of the site means over
//!   [`PriorityConfig::inconsistency_full_at`], capped at 1;
//! * **complaints** — complaints per 1,000 answers over
//!   [`PriorityConfig::complaints_full_at`], capped at 1 (1 when there are complaints but no
//!   answers to relate them to).
//!
//! Ties break by criticality, then lower performance, then cycle position.
use super::{
    consistency::{DEFAULT_TARGET, MomentConsistency, SiteMean, moment_consistency},
    ipa::{Importance, importance},
    samples::{MomentSample, Samples},
    scorecard::per_thousand,
};
use crate::{cycle::CycleVersion, error::ValidationErrors};
use serde::{Deserialize, Serialize};
use std::{cmp::Ordering, collections::BTreeMap};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PriorityWeights {
    pub criticality: f64,
    pub gap: f64,
    pub importance: f64,
    pub inconsistency: f64,
    pub complaints: f64,
}

impl Default for PriorityWeights {
    /// Criticality and the gap to target lead (the sources' "prioritise by criticality and
    /// poor performance"); importance and complaints refine; spread breaks near-ties.
    fn default() -> Self {
        Self {
            criticality: 0.30,
            gap: 0.30,
            importance: 0.15,
            inconsistency: 0.10,
            complaints: 0.15,
        }
    }
}

impl PriorityWeights {
    /// The weights asked for (criticality, gap, importance, inconsistency, complaints), each
    /// missing one at its default; not yet validated.
    pub fn or_defaults(asked: [Option<f64>; 5]) -> Self {
        let d = Self::default();
        let [criticality, gap, importance, inconsistency, complaints] = asked;
        Self {
            criticality: criticality.unwrap_or(d.criticality),
            gap: gap.unwrap_or(d.gap),
            importance: importance.unwrap_or(d.importance),
            inconsistency: inconsistency.unwrap_or(d.inconsistency),
            complaints: complaints.unwrap_or(d.complaints),
        }
    }

    pub fn get(&self, f: Factor) -> f64 {
        match f {
            Factor::Criticality => self.criticality,
            Factor::Gap => self.gap,
            Factor::Importance => self.importance,
            Factor::Inconsistency => self.inconsistency,
            Factor::Complaints => self.complaints,
        }
    }

    /// Every weight finite and non-negative, and at least one positive; problems are named
    /// by the query parameter `w_<factor>`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        for f in Factor::ALL {
            let w = self.get(f);
            if !w.is_finite() || w < 0.0 {
                errors.push(format!("w_{}", f.as_str()), "must be a number of 0 or more");
            }
        }
        if errors.is_empty() && Factor::ALL.iter().all(|f| self.get(*f) == 0.0) {
            errors.push("w_criticality", "at least one weight must be above 0");
        }
        errors.into_result(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PriorityConfig {
    pub weights: PriorityWeights,
    /// Performance target on the 0–100 scale.
    pub target: f64,
    /// Standard deviation of site means (points) that counts as fully inconsistent.
    pub inconsistency_full_at: f64,
    /// Complaints per 1,000 answers that count as the full complaint factor.
    pub complaints_full_at: f64,
}

impl Default for PriorityConfig {
    fn default() -> Self {
        Self {
            weights: PriorityWeights::default(),
            target: DEFAULT_TARGET,
            inconsistency_full_at: 25.0,
            complaints_full_at: 20.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Criticality,
    Gap,
    Importance,
    Inconsistency,
    Complaints,
}

impl Factor {
    pub const ALL: [Factor; 5] = [
        Factor::Criticality,
        Factor::Gap,
        Factor::Importance,
        Factor::Inconsistency,
        Factor::Complaints,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Criticality => "criticality",
            Factor::Gap => "gap",
            Factor::Importance => "importance",
            Factor::Inconsistency => "inconsistency",
            Factor::Complaints => "complaints",
        }
    }
}

/// One factor's part in a moment's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contribution {
    pub factor: Factor,
    /// The figure behind it: 1/0 for criticality, points below target, r, SD in points,
    /// complaints per 1,000; `None` when unknown (the factor is then 0).
    pub raw: Option<f64>,
    /// 0–1.
    pub normalised: f64,
    pub weight: f64,
    /// Points of the 0–100 score this factor adds.
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Priority {
    /// 1 = improve first.
    pub rank: u32,
    pub key: String,
    pub position: i32,
    pub name: String,
    pub critical: bool,
    /// 0–100.
    pub score: f64,
    /// In [`Factor::ALL`] order.
    pub contributions: Vec<Contribution>,
    /// Overall mean 0–100 and the number of answers.
    pub performance: Option<f64>,
    pub answers: u64,
    /// The qualifying site with the lowest mean, when it is below the target and below the
    /// overall mean: where the gap was measured.
    pub worst_site: Option<SiteMean>,
    pub importance: Option<Importance>,
    pub site_sd: Option<f64>,
    pub complaints: u64,
    pub complaints_per_1000: Option<f64>,
    /// No scored answer in the period.
    pub blind_spot: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Priorities {
    pub config: PriorityConfig,
    /// Highest score first.
    pub moments: Vec<Priority>,
}

fn gap(c: &MomentConsistency, target: f64) -> (Option<f64>, Option<SiteMean>) {
    let worst_site = c
        .sites
        .first()
        .filter(|s| s.mean < target && c.mean.is_some_and(|m| s.mean < m))
        .copied();
    let lowest = match (c.mean, worst_site) {
        (Some(m), Some(s)) => Some(m.min(s.mean)),
        (m, _) => m,
    };
    (lowest.map(|l| (target - l).max(0.0)), worst_site)
}

fn priority(
    m: &crate::cycle::Moment,
    s: &MomentSample,
    complaints: u64,
    config: &PriorityConfig,
) -> Priority {
    let c = moment_consistency(s, config.target);
    let (shortfall, worst_site) = gap(&c, config.target);
    let imp = importance(s);
    let per_1000 = per_thousand(complaints, c.n);
    let unit = |x: f64| x.clamp(0.0, 1.0);
    let factors = [
        (
            Some(f64::from(u8::from(m.critical))),
            f64::from(u8::from(m.critical)),
        ),
        (
            shortfall,
            shortfall.map_or(0.0, |g| unit(g / config.target.max(1e-9))),
        ),
        (imp.map(|i| i.value), imp.map_or(0.0, |i| unit(i.value))),
        (
            c.site_spread.sd,
            c.site_spread
                .sd
                .map_or(0.0, |sd| unit(sd / config.inconsistency_full_at.max(1e-9))),
        ),
        (
            per_1000.or((complaints > 0).then_some(f64::INFINITY)),
            per_1000.map_or(f64::from(u8::from(complaints > 0)), |p| {
                unit(p / config.complaints_full_at.max(1e-9))
            }),
        ),
    ];
    let total: f64 = Factor::ALL.iter().map(|f| config.weights.get(*f)).sum();
    let contributions: Vec<Contribution> = Factor::ALL
        .iter()
        .zip(factors)
        .map(|(f, (raw, normalised))| {
            let weight = config.weights.get(*f);
            Contribution {
                factor: *f,
                raw: raw.filter(|r| r.is_finite()),
                normalised,
                weight,
                points: if total > 0.0 {
                    weight * normalised / total * 100.0
                } else {
                    0.0
                },
            }
        })
        .collect();
    Priority {
        rank: 0,
        key: m.key.clone(),
        position: m.position,
        name: m.name.clone(),
        critical: m.critical,
        score: contributions.iter().map(|c| c.points).sum(),
        contributions,
        performance: c.mean,
        answers: c.n,
        worst_site,
        importance: imp,
        site_sd: c.site_spread.sd,
        complaints,
        complaints_per_1000: per_1000,
        blind_spot: c.n == 0,
    }
}

/// Higher score first; then critical first, lower performance (unknown last), position.
fn order(a: &Priority, b: &Priority) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.critical.cmp(&a.critical))
        .then_with(|| match (a.performance, b.performance) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then(a.position.cmp(&b.position))
        .then_with(|| a.key.cmp(&b.key))
}

/// Rank every moment of the current cycle version; `complaints` counts the period's
/// complaints per moment key.
pub fn priorities(
    cycle: &CycleVersion,
    samples: &Samples,
    complaints: &BTreeMap<String, u64>,
    config: PriorityConfig,
) -> Priorities {
    let empty = MomentSample::default();
    let mut moments: Vec<Priority> = cycle
        .moments
        .iter()
        .map(|m| {
            let s = samples.moment(&m.key).unwrap_or(&empty);
            priority(m, s, complaints.get(&m.key).copied().unwrap_or(0), &config)
        })
        .collect();
    moments.sort_by(order);
    for (i, p) in moments.iter_mut().enumerate() {
        p.rank = i as u32 + 1;
    }
    Priorities { config, moments }
}
