//! Consistency: is a moment as good everywhere and every week as it is on average?
//!
//! Per moment, on the 0–100 scale of [`super::samples`]: the mean of each site, staff member
//! and ISO week with at least [`MIN_GROUP_ANSWERS`] answers (smaller groups are listed by
//! the caller's data but not used: a mean of three answers is mostly noise), the sample
//! standard deviation of those means, and the share of sites whose mean meets the target.
//!
//! Rule: a moment is **good on average but inconsistent** when its overall mean meets the
//! target and yet at least one qualifying site is below it, or the sites' or staff members'
//! means spread by [`INCONSISTENT_SD`] points or more (standard deviation).
use super::samples::{MomentSample, Samples};
use crate::{cycle::CycleVersion, feedback::Moments};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Answers a site, staff member or week needs before its mean counts.
pub const MIN_GROUP_ANSWERS: u64 = 10;
/// A spread of group means (standard deviation, points on 0–100) that is called inconsistent.
pub const INCONSISTENT_SD: f64 = 10.0;
/// Default performance target on the 0–100 scale: 75 is a mean of 4 on a 1–5 rating.
pub const DEFAULT_TARGET: f64 = 75.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteMean {
    pub site_id: i64,
    /// Mean score, 0–100.
    pub mean: f64,
    pub n: u64,
    pub meets_target: bool,
}

/// Spread of group means: how many groups qualified and the standard deviation of their
/// means (`None` below two groups).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Spread {
    pub groups: usize,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MomentConsistency {
    pub key: String,
    pub position: i32,
    pub name: String,
    pub critical: bool,
    /// Overall mean, 0–100; `None` without answers.
    pub mean: Option<f64>,
    pub n: u64,
    /// Qualifying sites, lowest mean first.
    pub sites: Vec<SiteMean>,
    pub site_spread: Spread,
    /// Share of qualifying sites meeting the target, 0–1.
    pub share_sites_meeting_target: Option<f64>,
    pub week_spread: Spread,
    pub staff_spread: Spread,
    pub good_but_inconsistent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Consistency {
    /// Target on the 0–100 scale.
    pub target: f64,
    pub min_group_answers: u64,
    pub inconsistent_sd: f64,
    /// In cycle order.
    pub moments: Vec<MomentConsistency>,
}

fn qualifying<K: Copy>(groups: &BTreeMap<K, Moments>) -> Vec<(K, f64, u64)> {
    groups
        .iter()
        .filter(|(_, m)| m.count >= MIN_GROUP_ANSWERS)
        .filter_map(|(k, m)| m.mean().map(|mean| (*k, mean, m.count)))
        .collect()
}

fn spread(means: impl Iterator<Item = f64>) -> Spread {
    let mut m = Moments::default();
    let (mut min, mut max) = (None::<f64>, None::<f64>);
    for x in means {
        m.add(x);
        min = Some(min.map_or(x, |v| v.min(x)));
        max = Some(max.map_or(x, |v| v.max(x)));
    }
    Spread {
        groups: m.count as usize,
        sd: m.variance().map(f64::sqrt),
        min,
        max,
    }
}

/// The consistency of one moment's sample against `target`.
pub fn moment_consistency(sample: &MomentSample, target: f64) -> MomentConsistency {
    let mut sites: Vec<SiteMean> = qualifying(&sample.by_site)
        .into_iter()
        .map(|(site_id, mean, n)| SiteMean {
            site_id,
            mean,
            n,
            meets_target: mean >= target,
        })
        .collect();
    sites.sort_by(|a, b| a.mean.total_cmp(&b.mean).then(a.site_id.cmp(&b.site_id)));
    let site_spread = spread(sites.iter().map(|s| s.mean));
    let weeks: Vec<(NaiveDate, f64, u64)> = qualifying(&sample.by_week);
    let week_spread = spread(weeks.iter().map(|w| w.1));
    let staff_spread = spread(qualifying(&sample.by_staff).iter().map(|s| s.1));
    let share = (!sites.is_empty())
        .then(|| sites.iter().filter(|s| s.meets_target).count() as f64 / sites.len() as f64);
    let mean = sample.all.mean();
    let wide = |s: &Spread| s.sd.is_some_and(|sd| sd >= INCONSISTENT_SD);
    let good_but_inconsistent = mean.is_some_and(|m| m >= target)
        && (share.is_some_and(|s| s < 1.0) || wide(&site_spread) || wide(&staff_spread));
    MomentConsistency {
        key: String::new(),
        position: 0,
        name: String::new(),
        critical: false,
        mean,
        n: sample.all.count,
        sites,
        site_spread,
        share_sites_meeting_target: share,
        week_spread,
        staff_spread,
        good_but_inconsistent,
    }
}

/// Consistency of every moment of the current cycle version, in cycle order.
pub fn consistency(cycle: &CycleVersion, samples: &Samples, target: f64) -> Consistency {
    let empty = MomentSample::default();
    let moments = cycle
        .moments
        .iter()
        .map(|m| MomentConsistency {
            key: m.key.clone(),
            position: m.position,
            name: m.name.clone(),
            critical: m.critical,
            ..moment_consistency(samples.moment(&m.key).unwrap_or(&empty), target)
        })
        .collect();
    Consistency {
        target,
        min_group_answers: MIN_GROUP_ANSWERS,
        inconsistent_sd: INCONSISTENT_SD,
        moments,
    }
}
