//! Complaint analysis: where complaints come from (moment, quality dimension, root cause, site),
//! the Pareto of root causes, the promise-kept rate per moment, site and assignee, and the
//! estimates of silent dissatisfaction and word of mouth.
//!
//! The estimates are **not measurements**: they multiply the complaint count by assumptions
//! quoted in the service-management literature (about 25 silent dissatisfied customers per
//! complaint; a dissatisfied customer tells about 11 people, a satisfied one about 3). Every
//! result carries the assumptions it was computed with so no surface can show a figure without
//! them, and the organisation can set its own.
use crate::{
    error::ValidationErrors,
    feedback::{Estimate, stats},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which complaints to analyse: one service's, received in `[since, until)`, optionally at one
/// site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFactQuery {
    pub service_key: String,
    pub since: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub site_id: Option<i64>,
}

/// What the analysis needs of one complaint: where it happened, its cause once known, and how
/// its promises ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplaintFact {
    pub id: i64,
    pub moment_key: Option<String>,
    pub dimension_key: Option<String>,
    pub site_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// The resolution's root cause, once recorded.
    pub root_cause: Option<String>,
    /// Whether the customer said they were satisfied with the resolution.
    pub customer_satisfied: Option<bool>,
    pub promises_kept: u64,
    pub promises_broken: u64,
}

/// The multipliers behind the estimates, configurable per organisation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assumptions {
    /// Dissatisfied customers who stay silent for every one who complains (default 25).
    pub silent_per_complaint: f64,
    /// People a dissatisfied customer tells (default 11).
    pub told_by_dissatisfied: f64,
    /// People a satisfied customer tells (default 3).
    pub told_by_satisfied: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            silent_per_complaint: 25.0,
            told_by_dissatisfied: 11.0,
            told_by_satisfied: 3.0,
        }
    }
}

/// The largest multiplier accepted: far above any figure quoted, low enough to catch a typo.
pub const MAX_MULTIPLIER: f64 = 1000.0;

impl Assumptions {
    /// Each multiplier must be a finite number from 0 to 1,000.
    pub fn validate(&self) -> Result<Assumptions, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        for (field, v) in [
            ("silent_per_complaint", self.silent_per_complaint),
            ("told_by_dissatisfied", self.told_by_dissatisfied),
            ("told_by_satisfied", self.told_by_satisfied),
        ] {
            if !v.is_finite() || !(0.0..=MAX_MULTIPLIER).contains(&v) {
                errors.push(
                    field,
                    format!("must be a number from 0 to {MAX_MULTIPLIER}"),
                );
            }
        }
        errors.into_result(*self)
    }
}

/// Complaints with one value of a text attribute (`None`: not recorded on the complaint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Count {
    pub key: Option<String>,
    pub count: u64,
    /// % of all complaints analysed.
    pub share: f64,
}

/// Complaints at one site (`None`: no site recorded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteCount {
    pub site_id: Option<i64>,
    pub count: u64,
    pub share: f64,
}

/// One bar of the Pareto chart of root causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ParetoBar {
    /// The cause as most often written (causes are grouped ignoring case and spacing).
    pub cause: String,
    pub count: u64,
    /// % of the complaints with a known cause.
    pub share: f64,
    /// Running total of `share`, bars in descending order.
    pub cumulative_share: f64,
    /// Part of the smallest set of causes that covers 80% (the "vital few").
    pub vital_few: bool,
}

/// Promises kept out of those that ended kept or broken (open and cancelled ones are not
/// judged), with a Wilson interval in %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PromiseRate {
    /// The moment key or, for sites and assignees, the id as text; `None` when not recorded.
    pub key: Option<String>,
    pub kept: u64,
    pub broken: u64,
    /// `None` when no promise ended kept or broken.
    pub kept_percent: Option<Estimate>,
}

/// Figures derived from the complaint count and [`Assumptions`]: estimates, never facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Estimates {
    pub assumptions: Assumptions,
    pub complaints: u64,
    /// Complainants who said they were satisfied with the resolution.
    pub satisfied_complainants: u64,
    /// complaints × `silent_per_complaint`.
    pub silent_dissatisfied: f64,
    /// Silent dissatisfied + complainants not known to be satisfied.
    pub dissatisfied: f64,
    /// dissatisfied × `told_by_dissatisfied`: people who hear a bad story.
    pub told_by_dissatisfied: f64,
    /// satisfied complainants × `told_by_satisfied`: people who hear a good one.
    pub told_by_satisfied: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplaintAnalysis {
    pub complaints: u64,
    /// Most complaints first, then by key; "not recorded" (`None`) last.
    pub by_moment: Vec<Count>,
    pub by_dimension: Vec<Count>,
    pub by_site: Vec<SiteCount>,
    /// The Pareto of root causes, largest first.
    pub pareto: Vec<ParetoBar>,
    /// Complaints whose root cause is not recorded yet (left out of the Pareto).
    pub cause_unknown: u64,
    pub promises: PromiseRate,
    pub promises_by_moment: Vec<PromiseRate>,
    pub promises_by_site: Vec<PromiseRate>,
    /// Per assignee (user id): who handled the case.
    pub promises_by_assignee: Vec<PromiseRate>,
    pub estimates: Estimates,
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Count by key; most first, ties by key, `None` last.
fn tally<K: Ord + Clone>(keys: impl Iterator<Item = Option<K>>) -> Vec<(Option<K>, u64)> {
    let mut counts: BTreeMap<Option<K>, u64> = BTreeMap::new();
    keys.for_each(|k| *counts.entry(k).or_insert(0) += 1);
    let mut out: Vec<_> = counts.into_iter().collect();
    out.sort_by(|(ka, a), (kb, b)| {
        (ka.is_none(), std::cmp::Reverse(*a), ka).cmp(&(kb.is_none(), std::cmp::Reverse(*b), kb))
    });
    out
}

fn counts(facts: &[ComplaintFact], key: impl Fn(&ComplaintFact) -> Option<String>) -> Vec<Count> {
    let total = facts.len() as u64;
    tally(facts.iter().map(key))
        .into_iter()
        .map(|(key, count)| Count {
            key,
            count,
            share: percent(count, total),
        })
        .collect()
}

/// Causes grouped ignoring case and runs of spaces ("Long queue" = "long  queue").
fn cause_group(cause: &str) -> String {
    cause
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The Pareto of root causes: bars largest first (ties by cause), with the running share.
pub fn pareto(facts: &[ComplaintFact]) -> Vec<ParetoBar> {
    // group → (count, spelling → count)
    let mut groups: BTreeMap<String, (u64, BTreeMap<String, u64>)> = BTreeMap::new();
    for cause in facts.iter().filter_map(|f| f.root_cause.as_deref()) {
        let spelled = cause.split_whitespace().collect::<Vec<_>>().join(" ");
        if spelled.is_empty() {
            continue;
        }
        let g = groups.entry(cause_group(cause)).or_default();
        g.0 += 1;
        *g.1.entry(spelled).or_insert(0) += 1;
    }
    let known: u64 = groups.values().map(|g| g.0).sum();
    let mut bars: Vec<(String, u64)> = groups
        .into_values()
        .map(|(count, spellings)| {
            // The most frequent spelling names the bar; ties take the first in byte order.
            let label = spellings
                .into_iter()
                .max_by(|(sa, a), (sb, b)| a.cmp(b).then(sb.cmp(sa)))
                .map(|(s, _)| s)
                .unwrap_or_default();
            (label, count)
        })
        .collect();
    bars.sort_by(|(la, a), (lb, b)| b.cmp(a).then(la.cmp(lb)));
    let mut running = 0u64;
    bars.into_iter()
        .map(|(cause, count)| {
            // A bar belongs to the vital few while the bars before it cover less than 80%.
            let vital_few = percent(running, known) < 80.0;
            running += count;
            ParetoBar {
                cause,
                count,
                share: percent(count, known),
                cumulative_share: percent(running, known),
                vital_few,
            }
        })
        .collect()
}

fn rate(key: Option<String>, kept: u64, broken: u64) -> PromiseRate {
    PromiseRate {
        key,
        kept,
        broken,
        kept_percent: stats::wilson(kept, kept + broken).map(|w| Estimate {
            value: w.value * 100.0,
            low: w.low * 100.0,
            high: w.high * 100.0,
            n: w.n,
        }),
    }
}

/// Promise-kept rates grouped by `key`; groups without a judged promise are left out. Largest
/// samples first, then by key.
fn rates(
    facts: &[ComplaintFact],
    key: impl Fn(&ComplaintFact) -> Option<String>,
) -> Vec<PromiseRate> {
    let mut groups: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
    for f in facts {
        let g = groups.entry(key(f)).or_default();
        g.0 += f.promises_kept;
        g.1 += f.promises_broken;
    }
    let mut out: Vec<PromiseRate> = groups
        .into_iter()
        .filter(|(_, (k, b))| k + b > 0)
        .map(|(key, (k, b))| rate(key, k, b))
        .collect();
    out.sort_by(|a, b| {
        (
            a.key.is_none(),
            std::cmp::Reverse(a.kept + a.broken),
            &a.key,
        )
            .cmp(&(
                b.key.is_none(),
                std::cmp::Reverse(b.kept + b.broken),
                &b.key,
            ))
    });
    out
}

/// The estimates of silent dissatisfaction and word of mouth.
pub fn estimates(facts: &[ComplaintFact], a: Assumptions) -> Estimates {
    let complaints = facts.len() as u64;
    let satisfied = facts
        .iter()
        .filter(|f| f.customer_satisfied == Some(true))
        .count() as u64;
    let silent = complaints as f64 * a.silent_per_complaint;
    let dissatisfied = silent + (complaints - satisfied) as f64;
    Estimates {
        assumptions: a,
        complaints,
        satisfied_complainants: satisfied,
        silent_dissatisfied: silent,
        dissatisfied,
        told_by_dissatisfied: dissatisfied * a.told_by_dissatisfied,
        told_by_satisfied: satisfied as f64 * a.told_by_satisfied,
    }
}

/// The whole analysis of `facts` (already limited to a service, period and site).
pub fn analyse(facts: &[ComplaintFact], assumptions: Assumptions) -> ComplaintAnalysis {
    let total = facts.len() as u64;
    let by_site = tally(facts.iter().map(|f| f.site_id))
        .into_iter()
        .map(|(site_id, count)| SiteCount {
            site_id,
            count,
            share: percent(count, total),
        })
        .collect();
    let id_text = |id: Option<i64>| id.map(|i| i.to_string());
    ComplaintAnalysis {
        complaints: total,
        by_moment: counts(facts, |f| f.moment_key.clone()),
        by_dimension: counts(facts, |f| f.dimension_key.clone()),
        by_site,
        pareto: pareto(facts),
        cause_unknown: facts
            .iter()
            .filter(|f| f.root_cause.as_deref().is_none_or(|c| c.trim().is_empty()))
            .count() as u64,
        promises: rate(
            None,
            facts.iter().map(|f| f.promises_kept).sum(),
            facts.iter().map(|f| f.promises_broken).sum(),
        ),
        promises_by_moment: rates(facts, |f| f.moment_key.clone()),
        promises_by_site: rates(facts, |f| id_text(f.site_id)),
        promises_by_assignee: rates(facts, |f| id_text(f.assignee_id)),
        estimates: estimates(facts, assumptions),
    }
}

#[cfg(test)]
#[path = "complaint_analysis_tests.rs"]
mod tests;
