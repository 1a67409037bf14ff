//! Did the plan work? For each moment of an action plan, its figures in the window before the
//! plan's start date against the window from the start date on, each with its significance
//! test, and a verdict in plain words.
//!
//! * **Windows**: "after" runs from the start date to today, at most [`MAX_WINDOW_DAYS`];
//!   "before" is the window of the same length that ends the day before the start date. Equal
//!   lengths keep weekly patterns and seasons comparable; the cap stops a plan started two
//!   years ago from being judged against a different year.
//! * **Figures and tests** (the scorecard's, see `analytics::trend`): mean rating (Welch's t),
//!   CSAT and standards compliance (pooled two-proportion z), NPS (z on the difference with
//!   each window's trinomial variance). Two-sided at 5%. Higher is better for all four.
//! * **Not enough data**: a figure is judged only when both windows hold at least
//!   [`MIN_SAMPLE`] answers or measurements — below that a normal approximation is unreliable
//!   and a real change of a few points cannot be told from noise.
//! * **A moment's verdict** combines its judged figures: improved when at least one improved
//!   significantly and none got worse, worse in the mirror case, no detectable change when none
//!   moved or they moved in opposite directions (both are shown), not enough data when no figure
//!   could be judged. The plan's verdict combines its moments' verdicts the same way.
use crate::{
    analytics::{Figure, MomentScore, Period, TrendTest},
    feedback::Estimate,
};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Fewest answers (or measurements) each window needs before a figure is judged.
pub const MIN_SAMPLE: u64 = 30;
/// Longest "after" window, in days.
pub const MAX_WINDOW_DAYS: u64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improved,
    NoDetectableChange,
    Worse,
    NotEnoughData,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::NoDetectableChange => "no_detectable_change",
            Verdict::Worse => "worse",
            Verdict::NotEnoughData => "not_enough_data",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// Mean rating, 1–5.
    RatingMean,
    /// % of ratings 4–5.
    Csat,
    /// % promoters − % detractors.
    Nps,
    /// % of measurements meeting their standard.
    Compliance,
}

impl FigureKind {
    pub const ALL: [FigureKind; 4] = [
        FigureKind::RatingMean,
        FigureKind::Csat,
        FigureKind::Nps,
        FigureKind::Compliance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FigureKind::RatingMean => "rating_mean",
            FigureKind::Csat => "csat",
            FigureKind::Nps => "nps",
            FigureKind::Compliance => "compliance",
        }
    }

    fn of(self, m: &MomentScore) -> Option<&Figure> {
        match self {
            FigureKind::RatingMean => m.rating_mean.as_ref(),
            FigureKind::Csat => m.csat.as_ref(),
            FigureKind::Nps => m.nps.as_ref(),
            FigureKind::Compliance => m.compliance.as_ref(),
        }
    }
}

/// The two windows compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Windows {
    pub before: Period,
    pub after: Period,
}

/// The windows of a plan starting on `start`, judged on `today`; `None` while the plan has not
/// started (there is no "after" yet).
pub fn windows(start: NaiveDate, today: NaiveDate) -> Option<Windows> {
    if start > today {
        return None;
    }
    let cap = start.checked_add_days(Days::new(MAX_WINDOW_DAYS - 1))?;
    let after = Period {
        from: start,
        to: today.min(cap),
    };
    start.checked_sub_days(Days::new(after.days()))?;
    Some(Windows {
        before: after.previous(),
        after,
    })
}

/// One figure of one moment, before and after, with its test and verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FigureVerdict {
    pub figure: FigureKind,
    pub before: Option<Estimate>,
    pub after: Option<Estimate>,
    /// After − before, in the figure's unit (points for the percentages).
    pub difference: Option<f64>,
    pub test: Option<TrendTest>,
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MomentBeforeAfter {
    pub moment_key: String,
    /// The moment's name in the current cycle (the key when it is no longer in the cycle).
    pub name: String,
    pub critical: bool,
    /// Every figure, in [`FigureKind::ALL`] order, also those without data.
    pub figures: Vec<FigureVerdict>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BeforeAfter {
    /// `None` while the plan has not started.
    pub windows: Option<Windows>,
    pub min_sample: u64,
    pub moments: Vec<MomentBeforeAfter>,
    pub verdict: Verdict,
}

/// The verdict on one figure: `after` holds the after-window figure with its trend against the
/// before window, `before` the before-window figure.
pub fn figure_verdict(
    kind: FigureKind,
    before: Option<&Figure>,
    after: Option<&Figure>,
) -> FigureVerdict {
    let trend = after.and_then(|a| a.trend);
    let enough = |f: Option<&Figure>| f.is_some_and(|f| f.current.n >= MIN_SAMPLE);
    let verdict = match trend {
        Some(t) if enough(before) && enough(after) => {
            if !t.significant || t.difference == 0.0 {
                Verdict::NoDetectableChange
            } else if t.difference > 0.0 {
                Verdict::Improved
            } else {
                Verdict::Worse
            }
        }
        _ => Verdict::NotEnoughData,
    };
    FigureVerdict {
        figure: kind,
        before: before.map(|f| f.current),
        after: after.map(|f| f.current),
        difference: trend.map(|t| t.difference),
        test: trend.map(|t| t.test),
        statistic: trend.and_then(|t| t.statistic),
        p_value: trend.map(|t| t.p_value),
        verdict,
    }
}

/// Combine verdicts (of figures into a moment, of moments into a plan).
pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    let (mut judged, mut up, mut down) = (false, false, false);
    for v in verdicts {
        match v {
            Verdict::NotEnoughData => {}
            Verdict::Improved => (judged, up) = (true, true),
            Verdict::Worse => (judged, down) = (true, true),
            Verdict::NoDetectableChange => judged = true,
        }
    }
    match (judged, up, down) {
        (false, _, _) => Verdict::NotEnoughData,
        (true, true, false) => Verdict::Improved,
        (true, false, true) => Verdict::Worse,
        _ => Verdict::NoDetectableChange,
    }
}

/// The before/after of each of `moment_keys`. `before` and `after` are the moments of the
/// scorecards of the before and the after window (the after one's trends compare with the
/// before window); both empty when the plan has not started.
pub fn before_after(
    moment_keys: &[String],
    windows: Option<Windows>,
    before: &[MomentScore],
    after: &[MomentScore],
) -> BeforeAfter {
    let moments: Vec<MomentBeforeAfter> = moment_keys
        .iter()
        .map(|key| {
            let b = before.iter().find(|m| &m.key == key);
            let a = after.iter().find(|m| &m.key == key);
            let figures: Vec<FigureVerdict> = FigureKind::ALL
                .iter()
                .map(|k| figure_verdict(*k, b.and_then(|m| k.of(m)), a.and_then(|m| k.of(m))))
                .collect();
            let named = a.or(b);
            MomentBeforeAfter {
                moment_key: key.clone(),
                name: named.map_or_else(|| key.clone(), |m| m.name.clone()),
                critical: named.is_some_and(|m| m.critical),
                verdict: combine(figures.iter().map(|f| f.verdict)),
                figures,
            }
        })
        .collect();
    BeforeAfter {
        windows,
        min_sample: MIN_SAMPLE,
        verdict: combine(moments.iter().map(|m| m.verdict)),
        moments,
    }
}

#[cfg(test)]
#[path = "before_after_tests.rs"]
mod tests;
