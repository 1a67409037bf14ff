//! Per-moment scores on one 0–100 scale, grouped by site, week and staff member, plus the
//! pairs (moment score, overall score) each respondent gave — the input of the consistency,
//! importance–performance and priority analyses.
//!
//! Rating (1–5), effort (1–7, lower is better) and NPS (0–10) answers are put on one scale so
//! a moment asked about in different ways gets one performance: `0` is the worst answer of
//! the question's scale and `100` the best ((x − min)/(max − min) × 100, effort reversed).
//! The mapping is linear, so means stay means and a mean of 75 on a rating is 4 of 5.
//! Servqual pairs are left to the gap analysis: an expectation is not a performance.
use crate::feedback::{Moments, QuestionKind};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A score on the common 0–100 scale; `None` for kinds that carry no performance.
pub fn normalised(kind: QuestionKind, score: i32) -> Option<f64> {
    let x = f64::from(score);
    match kind {
        QuestionKind::Rating => Some((x - 1.0) / 4.0 * 100.0),
        QuestionKind::Nps => Some(x * 10.0),
        QuestionKind::Effort => Some((7.0 - x) / 6.0 * 100.0),
        _ => None,
    }
    .map(|v| v.clamp(0.0, 100.0))
}

/// Monday of the ISO week of `day`: weeks are the unit of the "over time" spread.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// How the importance of a moment was derived from what respondents said.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ImportanceMethod {
    /// Pearson correlation, across respondents, of the moment's score with the survey's
    /// overall satisfaction question (a rating without a moment).
    PearsonOverallCsat,
    /// Pearson correlation of the moment's score with the likelihood to recommend (NPS
    /// question without a moment) in the same response.
    PearsonNps,
}

impl ImportanceMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportanceMethod::PearsonOverallCsat => "pearson_overall_csat",
            ImportanceMethod::PearsonNps => "pearson_nps",
        }
    }
}

/// Sums for a Pearson correlation between two variables.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pairs {
    pub n: u64,
    sx: f64,
    sy: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
}

impl Pairs {
    pub fn add(&mut self, x: f64, y: f64) {
        self.n += 1;
        self.sx += x;
        self.sy += y;
        self.sxx += x * x;
        self.syy += y * y;
        self.sxy += x * y;
    }

    /// Pearson's r; `None` below three pairs or when either variable never varies (the
    /// correlation is then undefined, not zero).
    pub fn pearson(&self) -> Option<f64> {
        if self.n < 3 {
            return None;
        }
        let n = self.n as f64;
        let cov = self.sxy - self.sx * self.sy / n;
        let vx = self.sxx - self.sx * self.sx / n;
        let vy = self.syy - self.sy * self.sy / n;
        // Relative tolerance: sums of identical scores leave rounding dust, not variance.
        let tiny = |v: f64, s: f64| v <= 1e-9 * (1.0 + s);
        if tiny(vx, self.sxx) || tiny(vy, self.syy) {
            return None;
        }
        Some((cov / (vx * vy).sqrt()).clamp(-1.0, 1.0))
    }
}

/// Everything said about one moment in the period, on the 0–100 scale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MomentSample {
    /// Every scored answer about the moment.
    pub all: Moments,
    pub by_site: BTreeMap<i64, Moments>,
    /// Keyed by the Monday of the week.
    pub by_week: BTreeMap<NaiveDate, Moments>,
    pub by_staff: BTreeMap<i64, Moments>,
    /// (respondent's mean score of the moment, overall score), per method.
    pub with_overall: BTreeMap<ImportanceMethod, Pairs>,
}

/// One response, reduced to what the analyses need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoredResponse {
    pub day: Option<NaiveDate>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// (moment key, normalised score), one per scored answer about a moment.
    pub scores: Vec<(String, f64)>,
    /// The respondent's overall answer, normalised, and how it relates to importance.
    pub overall: Option<(ImportanceMethod, f64)>,
}

/// The samples of every moment, by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    pub moments: BTreeMap<String, MomentSample>,
}

impl Samples {
    pub fn moment(&self, key: &str) -> Option<&MomentSample> {
        self.moments.get(key)
    }

    pub fn add(&mut self, r: &ScoredResponse) {
        let mut per_moment: BTreeMap<&str, Moments> = BTreeMap::new();
        for (key, score) in &r.scores {
            let s = self.moments.entry(key.clone()).or_default();
            s.all.add(*score);
            if let Some(site) = r.site_id {
                s.by_site.entry(site).or_default().add(*score);
            }
            if let Some(day) = r.day {
                s.by_week.entry(week_of(day)).or_default().add(*score);
            }
            if let Some(staff) = r.staff_id {
                s.by_staff.entry(staff).or_default().add(*score);
            }
            per_moment.entry(key).or_default().add(*score);
        }
        // One pair per respondent and moment: several questions about the same moment are
        // averaged first, so a long survey does not count one person several times.
        if let Some((method, overall)) = r.overall {
            for (key, m) in per_moment {
                if let (Some(mean), Some(s)) = (m.mean(), self.moments.get_mut(key)) {
                    s.with_overall.entry(method).or_default().add(mean, overall);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_lands_on_the_same_scale() {
        assert_eq!(normalised(QuestionKind::Rating, 4), Some(75.0));
        assert_eq!(normalised(QuestionKind::Nps, 9), Some(90.0));
        assert_eq!(normalised(QuestionKind::Effort, 1), Some(100.0));
        assert_eq!(normalised(QuestionKind::Effort, 7), Some(0.0));
        assert_eq!(normalised(QuestionKind::Servqual, 7), None);
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(
            week_of(sunday),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn pearson_matches_a_hand_computation_and_refuses_constants() {
        let mut p = Pairs::default();
        for (x, y) in [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)] {
            p.add(x, y);
        }
        // Σdx·dy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60.
        assert!((p.pearson().unwrap() - 6.0 / 60f64.sqrt()).abs() < 1e-12);
        let mut flat = Pairs::default();
        (0..5).for_each(|i| flat.add(f64::from(i), 3.0));
        assert_eq!(flat.pearson(), None);
    }

    #[test]
    fn a_respondent_counts_once_per_moment_in_the_pairs() {
        let mut s = Samples::default();
        s.add(&ScoredResponse {
            day: NaiveDate::from_ymd_opt(2026, 3, 4),
            site_id: Some(1),
            staff_id: Some(9),
            scores: vec![("wait".into(), 0.0), ("wait".into(), 50.0)],
            overall: Some((ImportanceMethod::PearsonOverallCsat, 25.0)),
        });
        let wait = s.moment("wait").unwrap();
        assert_eq!((wait.all.count, wait.by_site[&1].count), (2, 2));
        assert_eq!(
            wait.with_overall[&ImportanceMethod::PearsonOverallCsat].n,
            1
        );
    }
}
