//! Is a figure different from the previous period? Each kind of figure has its test:
//! - proportions (CSAT, standards compliance): two-proportion z-test with the pooled
//!   proportion, z = (p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂));
//! - means (rating, effort, audit score): Welch's t-test, t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂)
//!   with Welch–Satterthwaite degrees of freedom — the periods need not share a variance;
//! - NPS: z = (NPS₁ − NPS₂) / √(V₁ + V₂), with each V the trinomial variance
//!   (p + d − (p − d)²)/n of its period, the same variance as the NPS interval.
//!
//! Two-sided, at 5%: a difference is called a change (`up`/`down`) only when p < 0.05.
use super::significance::{normal_two_sided_p, student_t_two_sided_p};
use crate::feedback::{Estimate, Histogram, Moments};
use serde::{Deserialize, Serialize};

pub const SIGNIFICANCE_LEVEL: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrendTest {
    /// Pooled two-proportion z-test (CSAT, compliance).
    TwoProportionZ,
    /// Welch's unequal-variances t-test (means).
    WelchT,
    /// z-test on the NPS difference using each period's trinomial variance.
    NpsDifferenceZ,
}

impl TrendTest {
    pub fn as_str(self) -> &'static str {
        match self {
            TrendTest::TwoProportionZ => "two_proportion_z",
            TrendTest::WelchT => "welch_t",
            TrendTest::NpsDifferenceZ => "nps_difference_z",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    /// Not significant at 5%: whatever the difference, it is not called a change.
    NoChange,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::NoChange => "no_change",
        }
    }
}

/// The current figure against the previous period of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Trend {
    pub test: TrendTest,
    /// The figure in the previous period.
    pub previous: Estimate,
    /// Current − previous, in the figure's unit (percentage points for CSAT, NPS, compliance).
    pub difference: f64,
    /// The z or t statistic; `None` when neither period has any spread and the values differ
    /// (the statistic would be infinite: the difference is certain, p = 0).
    pub statistic: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom (t-test only).
    pub degrees_of_freedom: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// p < 0.05.
    pub significant: bool,
    pub direction: Direction,
}

fn trend(
    test: TrendTest,
    current: Estimate,
    previous: Estimate,
    statistic: Option<f64>,
    df: Option<f64>,
    p_value: f64,
) -> Trend {
    let difference = current.value - previous.value;
    let significant = p_value < SIGNIFICANCE_LEVEL;
    let direction = match (significant, difference > 0.0) {
        (false, _) => Direction::NoChange,
        (true, true) => Direction::Up,
        (true, false) => Direction::Down,
    };
    Trend {
        test,
        previous,
        difference,
        statistic,
        degrees_of_freedom: df,
        p_value,
        significant,
        direction,
    }
}

/// The statistic and p-value of a difference over its standard error; with no spread at all
/// (se = 0) equal values are no change and different values a certain one.
fn z_of(diff: f64, se: f64) -> (Option<f64>, f64) {
    if se > 0.0 {
        let z = diff / se;
        (Some(z), normal_two_sided_p(z))
    } else if diff == 0.0 {
        (Some(0.0), 1.0)
    } else {
        (None, 0.0)
    }
}

/// `x₁` successes of `n₁` now against `x₂` of `n₂` before; the estimates are what is shown.
pub fn proportion_trend(
    (x1, n1): (u64, u64),
    (x2, n2): (u64, u64),
    current: Estimate,
    previous: Estimate,
) -> Option<Trend> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    let (z, p) = z_of(x1 as f64 / n1f - x2 as f64 / n2f, se);
    Some(trend(
        TrendTest::TwoProportionZ,
        current,
        previous,
        z,
        None,
        p,
    ))
}

/// Welch's t-test between two samples given by their moments; needs two values in each.
pub fn mean_trend(
    now: &Moments,
    before: &Moments,
    current: Estimate,
    previous: Estimate,
) -> Option<Trend> {
    let (m1, m2) = (now.mean()?, before.mean()?);
    let (s1, s2) = (now.variance()?, before.variance()?);
    let (n1, n2) = (now.count as f64, before.count as f64);
    let (a, b) = (s1 / n1, s2 / n2);
    let se = (a + b).sqrt();
    if se == 0.0 {
        let (t, p) = z_of(m1 - m2, 0.0);
        return Some(trend(TrendTest::WelchT, current, previous, t, None, p));
    }
    let t = (m1 - m2) / se;
    let df = (a + b).powi(2) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    let p = student_t_two_sided_p(t, df);
    Some(trend(
        TrendTest::WelchT,
        current,
        previous,
        Some(t),
        Some(df),
        p,
    ))
}

/// Promoter and detractor shares of a 0–10 histogram and its NPS variance (as fractions).
pub fn nps_parts(h: &Histogram) -> Option<(f64, f64)> {
    let n = h.total();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let promoters = h.count_between(9, 10) as f64 / nf;
    let detractors = h.count_between(0, 6) as f64 / nf;
    let score = promoters - detractors;
    Some((
        score,
        ((promoters + detractors - score * score) / nf).max(0.0),
    ))
}

/// z-test on the difference of two NPS, each with its own trinomial variance.
pub fn nps_trend(
    now: &Histogram,
    before: &Histogram,
    current: Estimate,
    previous: Estimate,
) -> Option<Trend> {
    let (s1, v1) = nps_parts(now)?;
    let (s2, v2) = nps_parts(before)?;
    let (z, p) = z_of(s1 - s2, (v1 + v2).sqrt());
    Some(trend(
        TrendTest::NpsDifferenceZ,
        current,
        previous,
        z,
        None,
        p,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(value: f64, n: u64) -> Estimate {
        Estimate {
            value,
            low: value,
            high: value,
            n,
        }
    }

    #[test]
    fn a_proportion_difference_uses_the_pooled_z_test() {
        // 80/100 against 65/100: pooled 0.725, z = 0.15 / √(0.725·0.275·0.02) ≈ 2.3754.
        let t = proportion_trend((80, 100), (65, 100), est(80.0, 100), est(65.0, 100)).unwrap();
        assert_eq!(t.test, TrendTest::TwoProportionZ);
        assert!(
            (t.statistic.unwrap() - 2.375_422_747_394_687).abs() < 1e-9,
            "{t:?}"
        );
        assert!(
            (t.p_value - 0.017_528_861_260_372_76).abs() < 1e-12,
            "{t:?}"
        );
        assert_eq!(t.direction, Direction::Up);
        assert!((t.difference - 15.0).abs() < 1e-12);
        let small = proportion_trend((8, 10), (7, 10), est(80.0, 10), est(70.0, 10)).unwrap();
        assert_eq!(
            small.direction,
            Direction::NoChange,
            "too few answers to tell"
        );
        assert!(proportion_trend((1, 1), (0, 0), est(100.0, 1), est(0.0, 0)).is_none());
        let same = proportion_trend((5, 5), (9, 9), est(100.0, 5), est(100.0, 9)).unwrap();
        assert_eq!((same.p_value, same.direction), (1.0, Direction::NoChange));
    }

    #[test]
    fn means_use_welch_with_fractional_degrees_of_freedom() {
        let sample = |xs: &[f64]| {
            let mut m = Moments::default();
            xs.iter().for_each(|x| m.add(*x));
            m
        };
        let now = sample(&[5.0, 4.0, 5.0, 5.0, 4.0, 5.0, 4.0, 5.0]);
        let before = sample(&[3.0, 2.0, 4.0, 3.0, 1.0, 2.0]);
        let t = mean_trend(&now, &before, est(4.625, 8), est(2.5, 6)).unwrap();
        assert_eq!(t.test, TrendTest::WelchT);
        // s₁² = 0.267857…, s₂² = 1.1; t = 2.125 / √(0.033482 + 0.183333) ≈ 4.5637.
        assert!(
            (t.statistic.unwrap() - 4.563_665_398_213_336).abs() < 1e-12,
            "{t:?}"
        );
        let df = t.degrees_of_freedom.unwrap();
        assert!((df - 6.830_340_673_510_944).abs() < 1e-9, "{df}");
        assert!(t.p_value < 0.01 && t.direction == Direction::Up, "{t:?}");
        assert!(mean_trend(&sample(&[4.0]), &before, est(4.0, 1), est(2.5, 6)).is_none());
    }

    #[test]
    fn nps_differences_use_both_variances() {
        let mut now = Histogram {
            min: 0,
            counts: vec![0; 11],
        };
        let mut before = now.clone();
        now.counts[10] = 60;
        now.counts[7] = 20;
        now.counts[3] = 20;
        before.counts[10] = 30;
        before.counts[7] = 30;
        before.counts[3] = 40;
        let t = nps_trend(&now, &before, est(40.0, 100), est(-10.0, 100)).unwrap();
        // v₁ = (0.6 + 0.2 − 0.16)/100, v₂ = (0.3 + 0.4 − 0.01)/100.
        let z = 0.5 / (0.0064f64 + 0.0069).sqrt();
        assert!((t.statistic.unwrap() - z).abs() < 1e-12, "{t:?}");
        assert_eq!(t.test, TrendTest::NpsDifferenceZ);
        assert_eq!(t.direction, Direction::Up);
    }
}
