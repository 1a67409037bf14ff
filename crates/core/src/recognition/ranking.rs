//! The recognition formula and the ranking per site.
//!
//! For each staff member and component:
//! * **value** in the component's own unit (a 0–100 score, a count, a percentage) and its
//!   sample size **n**;
//! * **normalised** to 0–1: audit and satisfaction ÷ 100; compliments ÷ the compliments that
//!   earn full marks, capped at 1; resolution and promises kept are shares already;
//! * a component **qualifies** when n reaches its minimum sample (and its weight is above 0);
//!   the others are left out — neither credit nor penalty — and the weights of the qualifying
//!   ones are re-normalised to add up to 1 (the **effective weight**);
//! * **contribution** = effective weight × normalised × 100 points, and the **score** (0–100)
//!   is their sum.
//!
//! Leaving thin components out is what stops three perfect answers from winning; the
//! **coverage** rule stops a person from winning on one thin-but-qualifying component alone:
//! a person is ranked only when their qualifying components carry at least `min_coverage` of
//! the total configured weight. Everyone else is listed, unranked, with the reason.
//!
//! Ranking is per site (the staff member's own site). Order: score descending, then coverage
//! descending (more evidence first), then name, then id — deterministic. Scores are compared
//! rounded to 1e-9 so two backends summing in different orders cannot swap a tie.
use super::{
    evidence::{MomentRoles, StaffMonthEvidence},
    settings::{ComponentKind, RecognitionSettings},
};
use crate::org::StaffMember;
use serde::{Deserialize, Serialize};
use std::{cmp::Ordering, collections::BTreeMap};

/// One component of one person's score, with everything needed to see why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Component {
    pub kind: ComponentKind,
    /// In the component's unit: a 0–100 score (audit, satisfaction), a count (compliments) or a
    /// percentage (resolution, promises kept); `None` without evidence.
    pub value: Option<f64>,
    pub n: i64,
    pub min_sample: u32,
    /// n reached the minimum sample and the weight is above 0.
    pub qualifies: bool,
    /// 0–1; `None` without evidence.
    pub normalised: Option<f64>,
    /// The configured weight.
    pub weight: f64,
    /// Share of the score this component carries after re-normalisation (0 when left out).
    pub effective_weight: f64,
    /// Points (0–100 scale) this component adds to the score.
    pub points: f64,
}

/// Which moments the audit component of a person counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditBasis {
    /// Only the moments whose role is the person's role.
    RoleMoments,
    /// No observed moment names the person's role, so every moment of the visits that
    /// observed them counts.
    AllObservedMoments,
    /// No visit observed them.
    NotObserved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffRank {
    pub staff_id: i64,
    pub name: String,
    pub role: String,
    pub site_id: Option<i64>,
    /// 1-based place within the site; `None` when not ranked (not enough evidence).
    pub rank: Option<u32>,
    /// 0–100; `None` when no component qualifies.
    pub score: Option<f64>,
    /// Share (0–1) of the total configured weight carried by the qualifying components.
    pub coverage: f64,
    pub audit_basis: AuditBasis,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteRanking {
    /// `None` for staff members without a site.
    pub site_id: Option<i64>,
    /// Ranked people first in rank order, then the unranked by name.
    pub staff: Vec<StaffRank>,
}

impl SiteRanking {
    /// The ranked people sharing the best score (usually one).
    pub fn winners(&self) -> Vec<&StaffRank> {
        let Some(top) = self.staff.first().and_then(|s| s.rank.and(s.score)) else {
            return Vec::new();
        };
        self.staff
            .iter()
            .filter(|s| s.rank.is_some() && s.score.is_some_and(|x| same(x, top)))
            .collect()
    }
}

fn key(x: f64) -> i64 {
    (x * 1e9).round() as i64
}

fn same(a: f64, b: f64) -> bool {
    key(a) == key(b)
}

/// (value, n, normalised) of one component from raw tallies.
type Raw = (Option<f64>, i64, Option<f64>);

fn share(part: i64, whole: i64) -> Raw {
    if whole > 0 {
        let s = part as f64 / whole as f64;
        (Some(s * 100.0), whole, Some(s))
    } else {
        (None, 0, None)
    }
}

fn mean(sum: f64, n: i64) -> Raw {
    if n > 0 {
        let m = sum / n as f64;
        (Some(m), n, Some((m / 100.0).clamp(0.0, 1.0)))
    } else {
        (None, 0, None)
    }
}

fn audit_of(
    staff: &StaffMember,
    ev: &StaffMonthEvidence,
    roles: &MomentRoles,
) -> (Raw, AuditBasis) {
    let rows: Vec<_> = ev
        .audits
        .iter()
        .filter(|a| a.staff_id == staff.id)
        .collect();
    if rows.is_empty() {
        return ((None, 0, None), AuditBasis::NotObserved);
    }
    let role = staff.role.trim().to_lowercase();
    let matches = |a: &&&super::evidence::AuditMomentTally| {
        !role.is_empty()
            && roles
                .get(&(a.service_id, a.moment_key.clone()))
                .is_some_and(|r| r.trim().to_lowercase() == role)
    };
    let own: Vec<_> = rows.iter().filter(matches).collect();
    let (basis, picked): (AuditBasis, Vec<_>) = if own.is_empty() {
        (AuditBasis::AllObservedMoments, rows.iter().collect())
    } else {
        (AuditBasis::RoleMoments, own.into_iter().collect())
    };
    let (sum, n) = picked
        .iter()
        .fold((0.0, 0), |(s, n), a| (s + a.score_sum, n + a.scored));
    (mean(sum, n), basis)
}

fn raw_component(
    kind: ComponentKind,
    staff: &StaffMember,
    ev: &StaffMonthEvidence,
    settings: &RecognitionSettings,
) -> Raw {
    let id = staff.id;
    match kind {
        ComponentKind::Audit => unreachable!("audit has its own rule"),
        ComponentKind::Satisfaction => ev
            .satisfaction
            .iter()
            .find(|t| t.staff_id == id)
            .map_or((None, 0, None), |t| mean(t.sum, t.count)),
        ComponentKind::Compliments => {
            let count = ev
                .compliments
                .iter()
                .find(|t| t.staff_id == id)
                .map_or(0, |t| t.count);
            let full = f64::from(settings.compliments_for_full_marks.max(1));
            // Zero compliments is evidence too: every contact could have earned one.
            (
                Some(count as f64),
                count,
                Some((count as f64 / full).min(1.0)),
            )
        }
        ComponentKind::Resolution => ev
            .resolutions
            .iter()
            .find(|t| t.staff_id == id)
            .map_or((None, 0, None), |t| share(t.satisfied, t.resolved)),
        ComponentKind::PromisesKept => ev
            .promises
            .iter()
            .find(|t| t.staff_id == id)
            .map_or((None, 0, None), |t| share(t.kept, t.kept + t.broken)),
    }
}

fn score_one(
    staff: &StaffMember,
    ev: &StaffMonthEvidence,
    roles: &MomentRoles,
    settings: &RecognitionSettings,
) -> StaffRank {
    let (audit, audit_basis) = audit_of(staff, ev, roles);
    let mut components: Vec<Component> = ComponentKind::ALL
        .iter()
        .map(|&kind| {
            let (value, n, normalised) = match kind {
                ComponentKind::Audit => audit,
                _ => raw_component(kind, staff, ev, settings),
            };
            let rule = settings.rule(kind);
            let qualifies =
                normalised.is_some() && rule.weight > 0.0 && n >= i64::from(rule.min_sample);
            Component {
                kind,
                value,
                n,
                min_sample: rule.min_sample,
                qualifies,
                normalised,
                weight: rule.weight,
                effective_weight: 0.0,
                points: 0.0,
            }
        })
        .collect();
    let qualifying_weight: f64 = components
        .iter()
        .filter(|c| c.qualifies)
        .map(|c| c.weight)
        .sum();
    let total = settings.total_weight();
    let coverage = if total > 0.0 {
        qualifying_weight / total
    } else {
        0.0
    };
    let mut score = None;
    if qualifying_weight > 0.0 {
        let mut sum = 0.0;
        for c in components.iter_mut().filter(|c| c.qualifies) {
            c.effective_weight = c.weight / qualifying_weight;
            c.points = c.effective_weight * c.normalised.unwrap_or(0.0) * 100.0;
            sum += c.points;
        }
        score = Some(sum);
    }
    StaffRank {
        staff_id: staff.id,
        name: staff.name.clone(),
        role: staff.role.clone(),
        site_id: staff.site_id,
        rank: None,
        score,
        coverage,
        audit_basis,
        components,
    }
}

fn ranked_order(a: &StaffRank, b: &StaffRank) -> Ordering {
    let s = |r: &StaffRank| r.score.map_or(i64::MIN, key);
    s(b).cmp(&s(a))
        .then(key(b.coverage).cmp(&key(a.coverage)))
        .then(a.name.cmp(&b.name))
        .then(a.staff_id.cmp(&b.staff_id))
}

/// Score every staff member in `staff` and rank them per site (see the module rules). Sites
/// come in id order, staff without a site last. `roles` says which role serves each moment,
/// for the audit component.
pub fn rank(
    staff: &[StaffMember],
    evidence: &StaffMonthEvidence,
    roles: &MomentRoles,
    settings: &RecognitionSettings,
) -> Vec<SiteRanking> {
    let mut by_site: BTreeMap<(bool, i64), Vec<StaffRank>> = BTreeMap::new();
    for s in staff {
        let site_key = (s.site_id.is_none(), s.site_id.unwrap_or(0));
        by_site
            .entry(site_key)
            .or_default()
            .push(score_one(s, evidence, roles, settings));
    }
    by_site
        .into_iter()
        .map(|((_, _), people)| {
            let site_id = people.first().and_then(|p| p.site_id);
            let (mut ranked, mut unranked): (Vec<_>, Vec<_>) = people
                .into_iter()
                .partition(|p| p.score.is_some() && p.coverage + 1e-9 >= settings.min_coverage);
            ranked.sort_by(ranked_order);
            for (i, p) in ranked.iter_mut().enumerate() {
                p.rank = Some(i as u32 + 1);
            }
            unranked.sort_by(|a, b| a.name.cmp(&b.name).then(a.staff_id.cmp(&b.staff_id)));
            ranked.extend(unranked);
            SiteRanking {
                site_id,
                staff: ranked,
            }
        })
        .collect()
}
