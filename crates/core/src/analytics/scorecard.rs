//! The cycle scorecard: for every moment of the current cycle version, what customers said,
//! what was measured and observed, and whether it changed since the previous period.
//!
//! Pure: the caller gathers each period's [`PeriodEvidence`] from the stores. All figures are
//! exact (roll-ups, counts and visit scores, no sampling) and come with n and a 95% interval;
//! see `feedback::stats` for the intervals and [`super::trend`] for the tests.
//!
//! A moment with no evidence at all is a **blind spot**: it gets no status colour and no
//! figure, never a good one — silence is not satisfaction.
use super::{
    evidence::{MomentEvidence, PeriodEvidence},
    trend::{Trend, mean_trend, nps_trend, proportion_trend},
};
use crate::{
    cycle::CycleVersion,
    feedback::{Estimate, Scale, stats},
};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Inclusive range of UTC days (roll-ups are kept per UTC day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn days(&self) -> u64 {
        (self.to - self.from).num_days().max(0) as u64 + 1
    }

    /// The period of the same length that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let to = self.from - Days::new(1);
        Period {
            from: to - Days::new(self.days() - 1),
            to,
        }
    }
}

/// What a moment should reach to be shown green: default targets until targets can be set per
/// service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Targets {
    /// CSAT, in %.
    pub csat: f64,
    /// Standards compliance, in %.
    pub compliance: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            csat: 80.0,
            compliance: 90.0,
        }
    }
}

/// The colour of a moment on the journey map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or above target (green).
    Good,
    /// Below target, but the 95% interval still reaches it: not shown to miss (amber).
    Watch,
    /// The whole 95% interval is below target (red).
    Poor,
    /// Evidence exists, but neither CSAT nor compliance to judge against a target (grey).
    Unrated,
    /// No evidence at all (grey, hatched).
    BlindSpot,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Good => "good",
            Status::Watch => "watch",
            Status::Poor => "poor",
            Status::Unrated => "unrated",
            Status::BlindSpot => "blind_spot",
        }
    }
}

/// Which figure decided the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusBasis {
    Csat,
    Compliance,
}

/// A figure now, with its trend against the previous period when both can be computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figure {
    pub current: Estimate,
    pub trend: Option<Trend>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MomentScore {
    /// The moment's row id in the current cycle version.
    pub moment_id: i64,
    pub key: String,
    pub position: i32,
    pub name: String,
    pub critical: bool,
    /// Scored answers about the moment (rating, NPS, effort, servqual pairs).
    pub answers: u64,
    /// Mean rating on 1–5, t interval.
    pub rating_mean: Option<Figure>,
    /// Mean effort (CES) on 1–7, t interval; lower is better.
    pub effort_mean: Option<Figure>,
    /// Share of 4–5 ratings, %, Wilson interval.
    pub csat: Option<Figure>,
    /// % promoters − % detractors, trinomial interval.
    pub nps: Option<Figure>,
    /// Measurements meeting their standards, %, Wilson interval.
    pub compliance: Option<Figure>,
    /// Mean mystery-shopper moment score, 0–100, t interval over visits.
    pub audit_score: Option<Figure>,
    pub compliments: u64,
    /// Compliments per 1,000 answers; `None` without answers.
    pub compliments_per_1000: Option<f64>,
    /// Complaints received in the period about the moment (at the site, when filtered).
    /// `None` only on a scorecard filtered by staff member: complaints name no staff member.
    pub complaints: Option<u64>,
    /// Complaints per 1,000 answers; `None` without answers.
    pub complaints_per_1000: Option<f64>,
    /// No answer, measurement, audit observation, compliment or complaint in the period.
    pub blind_spot: bool,
    pub status: Status,
    pub status_basis: Option<StatusBasis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub service_id: i64,
    pub cycle_version_id: i64,
    pub cycle_version: i32,
    pub period: Period,
    /// The period of equal length just before, which trends compare against.
    pub previous_period: Period,
    pub site_id: Option<i64>,
    /// Set when the scorecard counts one staff member's evidence only (the caller's filter).
    pub staff_id: Option<i64>,
    pub targets: Targets,
    /// In cycle order.
    pub moments: Vec<MomentScore>,
}

const RATING: Scale = Scale { min: 1, max: 5 };
const EFFORT: Scale = Scale { min: 1, max: 7 };
const AUDIT: Scale = Scale { min: 0, max: 100 };

fn figure(
    current: Option<Estimate>,
    trend: impl FnOnce(Estimate) -> Option<Trend>,
) -> Option<Figure> {
    current.map(|c| Figure {
        current: c,
        trend: trend(c),
    })
}

/// `x` per 1,000 answers; `None` when there are no answers to relate it to.
pub fn per_thousand(x: u64, answers: u64) -> Option<f64> {
    (answers > 0).then(|| x as f64 * 1000.0 / answers as f64)
}

fn moment_figures(now: &MomentEvidence, before: &MomentEvidence) -> [Option<Figure>; 6] {
    let compliance = |e: &MomentEvidence| {
        stats::wilson(e.measurements_met, e.measurements).map(|w| Estimate {
            value: w.value * 100.0,
            low: w.low * 100.0,
            high: w.high * 100.0,
            n: w.n,
        })
    };
    let satisfied = |e: &MomentEvidence| (e.rating.count_between(4, 5), e.rating.total());
    let (rm_now, rm_before) = (now.rating.moments(), before.rating.moments());
    let (em_now, em_before) = (now.effort.moments(), before.effort.moments());
    [
        figure(stats::mean(&rm_now, RATING), |c| {
            mean_trend(&rm_now, &rm_before, c, stats::mean(&rm_before, RATING)?)
        }),
        figure(stats::mean(&em_now, EFFORT), |c| {
            mean_trend(&em_now, &em_before, c, stats::mean(&em_before, EFFORT)?)
        }),
        figure(stats::csat(&now.rating), |c| {
            proportion_trend(
                satisfied(now),
                satisfied(before),
                c,
                stats::csat(&before.rating)?,
            )
        }),
        figure(stats::nps(&now.nps), |c| {
            nps_trend(&now.nps, &before.nps, c, stats::nps(&before.nps)?)
        }),
        figure(compliance(now), |c| {
            proportion_trend(
                (now.measurements_met, now.measurements),
                (before.measurements_met, before.measurements),
                c,
                compliance(before)?,
            )
        }),
        figure(stats::mean(&now.audit, AUDIT), |c| {
            mean_trend(
                &now.audit,
                &before.audit,
                c,
                stats::mean(&before.audit, AUDIT)?,
            )
        }),
    ]
}

/// Judge one estimate against its target.
fn judge(e: &Estimate, target: f64) -> Status {
    if e.value >= target {
        Status::Good
    } else if e.high >= target {
        Status::Watch
    } else {
        Status::Poor
    }
}

fn severity(s: Status) -> u8 {
    match s {
        Status::Poor => 3,
        Status::Watch => 2,
        Status::Good => 1,
        Status::Unrated | Status::BlindSpot => 0,
    }
}

/// The worse of CSAT and compliance against their targets: a moment is green only when
/// customers are satisfied *and* the standards are kept.
pub fn status(
    csat: Option<&Estimate>,
    compliance: Option<&Estimate>,
    blind_spot: bool,
    targets: &Targets,
) -> (Status, Option<StatusBasis>) {
    if blind_spot {
        return (Status::BlindSpot, None);
    }
    let judged = [
        csat.map(|e| (judge(e, targets.csat), StatusBasis::Csat)),
        compliance.map(|e| (judge(e, targets.compliance), StatusBasis::Compliance)),
    ];
    judged
        .into_iter()
        .flatten()
        .max_by_key(|(s, basis)| (severity(*s), *basis == StatusBasis::Csat))
        .map_or((Status::Unrated, None), |(s, b)| (s, Some(b)))
}

/// Build the scorecard of `cycle` (the current version) for `period`.
pub fn scorecard(
    cycle: &CycleVersion,
    period: Period,
    site_id: Option<i64>,
    now: &PeriodEvidence,
    before: &PeriodEvidence,
    targets: Targets,
) -> Scorecard {
    let empty = MomentEvidence::default();
    let moments = cycle
        .moments
        .iter()
        .map(|m| {
            let e_now = now.moment(&m.key).unwrap_or(&empty);
            let e_before = before.moment(&m.key).unwrap_or(&empty);
            let [rating_mean, effort_mean, csat, nps, compliance, audit_score] =
                moment_figures(e_now, e_before);
            let answers = e_now.answers();
            let blind_spot = e_now.is_empty();
            let (status, status_basis) = status(
                csat.as_ref().map(|f| &f.current),
                compliance.as_ref().map(|f| &f.current),
                blind_spot,
                &targets,
            );
            MomentScore {
                moment_id: m.id,
                key: m.key.clone(),
                position: m.position,
                name: m.name.clone(),
                critical: m.critical,
                answers,
                rating_mean,
                effort_mean,
                csat,
                nps,
                compliance,
                audit_score,
                compliments: e_now.compliments,
                compliments_per_1000: per_thousand(e_now.compliments, answers),
                complaints: Some(e_now.complaints),
                complaints_per_1000: per_thousand(e_now.complaints, answers),
                blind_spot,
                status,
                status_basis,
            }
        })
        .collect();
    Scorecard {
        service_id: cycle.service_id,
        cycle_version_id: cycle.id,
        cycle_version: cycle.version,
        period,
        previous_period: period.previous(),
        site_id,
        staff_id: None,
        targets,
        moments,
    }
}

#[cfg(test)]
#[path = "scorecard_tests.rs"]
mod tests;
