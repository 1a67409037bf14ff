//! Importance–performance analysis per moment.
//!
//! * **Performance** = mean score on the 0–100 scale of [`super::samples`], with its t
//!   interval, so rating, effort and NPS questions are comparable.
//! * **Importance** is derived: Pearson's r, across respondents, between the moment's score
//!   and the overall item of the same response (the overall satisfaction question when the
//!   survey has one, otherwise the likelihood to recommend). The method is named in every
//!   point; its 95% interval uses Fisher's z (needs more than three pairs). Touchpoint's
//!   surveys ask no stated importance per moment, so none is used here.
//! * **Quadrants** split at the means of the plotted points (those with both figures); a
//!   value equal to the mean counts as high.
use super::samples::{ImportanceMethod, MomentSample, Samples};
use crate::{
    cycle::CycleVersion,
    feedback::{Estimate, Scale, stats},
};
use serde::{Deserialize, Serialize};

const SCORE: Scale = Scale { min: 0, max: 100 };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and performing below the mean: fix first.
    ConcentrateHere,
    /// Important and performing well.
    KeepUpTheGoodWork,
    /// Less important and performing below the mean.
    LowPriority,
    /// Less important yet performing well: effort may be better spent elsewhere.
    PossibleOverkill,
}

impl Quadrant {
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::ConcentrateHere => "concentrate_here",
            Quadrant::KeepUpTheGoodWork => "keep_up_the_good_work",
            Quadrant::LowPriority => "low_priority",
            Quadrant::PossibleOverkill => "possible_overkill",
        }
    }

    pub fn of(importance_high: bool, performance_high: bool) -> Quadrant {
        match (importance_high, performance_high) {
            (true, false) => Quadrant::ConcentrateHere,
            (true, true) => Quadrant::KeepUpTheGoodWork,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::PossibleOverkill,
        }
    }
}

/// A derived importance: the correlation, its interval when computable, and how it was got.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Importance {
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Respondents who answered both the moment and the overall item.
    pub n: u64,
    pub method: ImportanceMethod,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IpaPoint {
    pub key: String,
    pub position: i32,
    pub name: String,
    pub critical: bool,
    /// Mean score 0–100 with its t interval.
    pub performance: Option<Estimate>,
    pub importance: Option<Importance>,
    /// `None` unless both figures exist.
    pub quadrant: Option<Quadrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ipa {
    /// Mean performance of the plotted points: the vertical split.
    pub performance_split: Option<f64>,
    /// Mean importance of the plotted points: the horizontal split.
    pub importance_split: Option<f64>,
    /// In cycle order.
    pub points: Vec<IpaPoint>,
}

/// The moment's importance: correlation with overall satisfaction when asked, otherwise
/// with the recommendation; `None` when neither correlation can be computed.
pub fn importance(sample: &MomentSample) -> Option<Importance> {
    [
        ImportanceMethod::PearsonOverallCsat,
        ImportanceMethod::PearsonNps,
    ]
    .into_iter()
    .find_map(|method| {
        let pairs = sample.with_overall.get(&method)?;
        let r = pairs.pearson()?;
        let (low, high) = fisher_interval(r, pairs.n).unzip();
        Some(Importance {
            value: r,
            low,
            high,
            n: pairs.n,
            method,
        })
    })
}

/// 95% interval of a correlation by Fisher's z transformation (n > 3).
fn fisher_interval(r: f64, n: u64) -> Option<(f64, f64)> {
    if n <= 3 {
        return None;
    }
    // Keep atanh finite for a perfect correlation.
    let z = r.clamp(-0.999_999, 0.999_999).atanh();
    let half = stats::Z95 / ((n - 3) as f64).sqrt();
    Some(((z - half).tanh().min(r), (z + half).tanh().max(r)))
}

pub fn performance(sample: &MomentSample) -> Option<Estimate> {
    stats::mean(&sample.all, SCORE)
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, sum) = xs.fold((0u32, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| sum / f64::from(n))
}

pub fn ipa(cycle: &CycleVersion, samples: &Samples) -> Ipa {
    let empty = MomentSample::default();
    let mut points: Vec<IpaPoint> = cycle
        .moments
        .iter()
        .map(|m| {
            let s = samples.moment(&m.key).unwrap_or(&empty);
            IpaPoint {
                key: m.key.clone(),
                position: m.position,
                name: m.name.clone(),
                critical: m.critical,
                performance: performance(s),
                importance: importance(s),
                quadrant: None,
            }
        })
        .collect();
    let both = |p: &IpaPoint| Some((p.importance?.value, p.performance?.value));
    let performance_split = mean(points.iter().filter_map(both).map(|b| b.1));
    let importance_split = mean(points.iter().filter_map(both).map(|b| b.0));
    if let (Some(ps), Some(is)) = (performance_split, importance_split) {
        for p in &mut points {
            p.quadrant = both(p).map(|(i, perf)| Quadrant::of(i >= is, perf >= ps));
        }
    }
    Ipa {
        performance_split,
        importance_split,
        points,
    }
}
