//! The figures every dashboard shows, each with its sample size and a 95% interval.
//!
//! Everything is computed from a score [`Histogram`] or from [`Moments`] (`count, sum, sum_sq`),
//! never from raw answers, so the same functions work on the daily roll-ups the stores keep and
//! on any merge of them (per site, per month, per moment…).
//! - CSAT: share of 4–5 answers on the 1–5 scale, as a percentage, Wilson interval.
//! - NPS: % promoters (9–10) − % detractors (0–6); the interval uses the variance of the
//!   promoter/neutral/detractor trinomial: Var = (p_pro + p_det − (p_pro − p_det)²)/n.
//! - Means (CES, servqual gaps): Student t interval (table for df ≤ 30, then 1.96), clipped
//!   to the scale; with a single answer the interval is the whole scale (nothing is known).
use super::question::Scale;
use serde::{Deserialize, Serialize};

/// The normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A servqual gap (perception − expectation, both 1–7) lies in −6…6.
pub const GAP_SCALE: Scale = Scale { min: -6, max: 6 };

/// Two-sided 95% Student t quantiles for 1…30 degrees of freedom.
const T95: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// A point estimate, its 95% interval and the number of answers it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub n: u64,
}

/// How many answers gave each score, from `min` upwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Histogram {
    pub min: i32,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// An empty histogram with one bin per score of the scale.
    pub fn for_scale(scale: Scale) -> Self {
        let bins = (scale.max - scale.min + 1).max(0) as usize;
        Self {
            min: scale.min,
            counts: vec![0; bins],
        }
    }

    /// Count one answer; returns false (and counts nothing) for a score outside the bins.
    pub fn add(&mut self, score: i32) -> bool {
        match self.bin(score) {
            Some(i) => {
                self.counts[i] += 1;
                true
            }
            None => false,
        }
    }

    pub fn count(&self, score: i32) -> u64 {
        self.bin(score).map_or(0, |i| self.counts[i])
    }

    /// Answers scoring from `low` to `high` inclusive.
    pub fn count_between(&self, low: i32, high: i32) -> u64 {
        (low..=high).map(|s| self.count(s)).sum()
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Add another histogram's counts (a roll-up of roll-ups); bins are matched by score.
    pub fn merge(&mut self, other: &Histogram) {
        for (score, n) in (other.min..).zip(&other.counts) {
            if let Some(i) = self.bin(score) {
                self.counts[i] += n;
            }
        }
    }

    pub fn moments(&self) -> Moments {
        (self.min..)
            .zip(&self.counts)
            .fold(Moments::default(), |m, (score, n)| {
                let (x, n) = (f64::from(score), *n as f64);
                Moments {
                    count: m.count + n as u64,
                    sum: m.sum + x * n,
                    sum_sq: m.sum_sq + x * x * n,
                }
            })
    }

    fn bin(&self, score: i32) -> Option<usize> {
        let i = usize::try_from(i64::from(score) - i64::from(self.min)).ok()?;
        (i < self.counts.len()).then_some(i)
    }
}

/// Count, sum and sum of squares: enough for a mean and its interval, and mergeable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Moments {
    pub count: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl Moments {
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.sum += x;
        self.sum_sq += x * x;
    }

    pub fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    /// Sample variance (n − 1); never negative despite rounding.
    pub fn variance(&self) -> Option<f64> {
        let n = self.count as f64;
        (self.count > 1).then(|| ((self.sum_sq - self.sum * self.sum / n) / (n - 1.0)).max(0.0))
    }
}

/// Two-sided 95% t quantile for `df` degrees of freedom (1.96 beyond 30).
pub fn t95(df: u64) -> f64 {
    match df {
        0 => f64::INFINITY,
        1..=30 => T95[df as usize - 1],
        _ => 1.96,
    }
}

/// Wilson score interval for a proportion, as a fraction 0…1.
pub fn wilson(successes: u64, n: u64) -> Option<Estimate> {
    if n == 0 {
        return None;
    }
    let (nf, z2) = (n as f64, Z95 * Z95);
    let p = successes.min(n) as f64 / nf;
    let denominator = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(bounded(p, centre - half, centre + half, n, 0.0, 1.0))
}

/// CSAT: percentage of answers scoring 4 or 5, with a Wilson interval.
pub fn csat(histogram: &Histogram) -> Option<Estimate> {
    let satisfied = histogram.count_between(4, 5);
    wilson(satisfied, histogram.total()).map(|e| scaled(e, 100.0))
}

/// NPS from a 0–10 histogram, −100…100, with the trinomial interval.
pub fn nps(histogram: &Histogram) -> Option<Estimate> {
    let n = histogram.total();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let promoters = histogram.count_between(9, 10) as f64 / nf;
    let detractors = histogram.count_between(0, 6) as f64 / nf;
    let score = promoters - detractors;
    let variance = ((promoters + detractors - score * score) / nf).max(0.0);
    let half = Z95 * variance.sqrt();
    let e = bounded(score, score - half, score + half, n, -1.0, 1.0);
    Some(scaled(e, 100.0))
}

/// Mean of answers on `scale` with a t interval clipped to the scale.
pub fn mean(moments: &Moments, scale: Scale) -> Option<Estimate> {
    let value = moments.mean()?;
    let (min, max) = (f64::from(scale.min), f64::from(scale.max));
    let Some(variance) = moments.variance() else {
        return Some(bounded(value, min, max, moments.count, min, max));
    };
    let half = t95(moments.count - 1) * (variance / moments.count as f64).sqrt();
    Some(bounded(
        value,
        value - half,
        value + half,
        moments.count,
        min,
        max,
    ))
}

/// Clip an interval to `[min, max]` and make sure it still holds the point estimate
/// (floating-point rounding can push a bound a hair past it).
fn bounded(value: f64, low: f64, high: f64, n: u64, min: f64, max: f64) -> Estimate {
    Estimate {
        value,
        low: low.clamp(min, max).min(value),
        high: high.clamp(min, max).max(value),
        n,
    }
}

fn scaled(e: Estimate, factor: f64) -> Estimate {
    Estimate {
        value: e.value * factor,
        low: e.low * factor,
        high: e.high * factor,
        n: e.n,
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
