//! The evidence about each moment in one period, gathered by moment **key**.
//!
//! Answers carry the moment row id of the cycle version they were given under; a redesign
//! creates new rows for the same keys. [`moment_keys`] maps every row id of every version to
//! its key, so answers given under version 1 still count for the same moment in version 3.
//! Visits, measurements and compliments already carry the key.
use crate::{
    cycle::CycleVersion,
    feedback::{
        Histogram, Moments, QuestionKind, Scale, ValidVisit,
        records::{RollupPart, RollupRow, SurveyVersion},
    },
};
use std::collections::{BTreeMap, HashMap};

/// Moment row id (any version) → moment key.
pub type MomentKeys = HashMap<i64, String>;
/// (survey id, question code) → the question's kind.
pub type QuestionKinds = HashMap<(i64, String), QuestionKind>;

pub fn moment_keys(versions: &[CycleVersion]) -> MomentKeys {
    versions
        .iter()
        .flat_map(|v| v.moments.iter().map(|m| (m.id, m.key.clone())))
        .collect()
}

/// The kind of every question of the given survey versions; when versions disagree the
/// newest (highest version number) wins, as a question's code is its identity.
pub fn question_kinds(versions: &[SurveyVersion]) -> QuestionKinds {
    let mut sorted: Vec<&SurveyVersion> = versions.iter().collect();
    sorted.sort_by_key(|v| (v.survey_id, v.version));
    let mut kinds = QuestionKinds::new();
    for v in sorted {
        for q in &v.definition.questions {
            kinds.insert((v.survey_id, q.code.clone()), q.kind);
        }
    }
    kinds
}

const RATING: Scale = Scale { min: 1, max: 5 };
const NPS: Scale = Scale { min: 0, max: 10 };
const EFFORT: Scale = Scale { min: 1, max: 7 };

/// Everything known about one moment in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct MomentEvidence {
    /// Rating answers (1–5), every rating question about the moment merged.
    pub rating: Histogram,
    /// NPS answers (0–10).
    pub nps: Histogram,
    /// Effort answers (CES, 1–7).
    pub effort: Histogram,
    /// Servqual pairs answered (each counted once).
    pub servqual: u64,
    /// Measurements that met every standard on their metric, and all measurements.
    pub measurements_met: u64,
    pub measurements: u64,
    /// Audit moment scores (0–100) of the visits that observed the moment.
    pub audit: Moments,
    pub compliments: u64,
    /// Complaints received in the period about the moment.
    pub complaints: u64,
}

impl Default for MomentEvidence {
    fn default() -> Self {
        Self {
            rating: Histogram::for_scale(RATING),
            nps: Histogram::for_scale(NPS),
            effort: Histogram::for_scale(EFFORT),
            servqual: 0,
            measurements_met: 0,
            measurements: 0,
            audit: Moments::default(),
            compliments: 0,
            complaints: 0,
        }
    }
}

impl MomentEvidence {
    /// Scored answers about the moment (rating, NPS, effort, servqual pairs).
    pub fn answers(&self) -> u64 {
        self.rating.total() + self.nps.total() + self.effort.total() + self.servqual
    }

    /// No answer, measurement, audit observation or compliment: nothing is known.
    pub fn is_empty(&self) -> bool {
        self.answers() == 0
            && self.measurements == 0
            && self.audit.count == 0
            && self.compliments == 0
            && self.complaints == 0
    }
}

/// The evidence of one period, per moment key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodEvidence {
    moments: BTreeMap<String, MomentEvidence>,
}

impl PeriodEvidence {
    pub fn moment(&self, key: &str) -> Option<&MomentEvidence> {
        self.moments.get(key)
    }

    fn entry(&mut self, key: &str) -> &mut MomentEvidence {
        self.moments.entry(key.to_string()).or_default()
    }

    /// Count roll-up rows: rows without a moment, of unknown moments or of questions whose
    /// kind is unknown are left out (they say nothing about a moment of this service).
    pub fn add_rollups(&mut self, rows: &[RollupRow], keys: &MomentKeys, kinds: &QuestionKinds) {
        for r in rows {
            let Some(key) = r.moment_id.and_then(|id| keys.get(&id)) else {
                continue;
            };
            let Some(kind) = kinds.get(&(r.survey_id, r.question_code.clone())) else {
                continue;
            };
            let counts = Histogram {
                min: 0,
                counts: r.histogram.iter().map(|c| (*c).max(0) as u64).collect(),
            };
            let e = self.entry(key);
            match (kind, r.part) {
                (QuestionKind::Rating, RollupPart::Score) => e.rating.merge(&counts),
                (QuestionKind::Nps, RollupPart::Score) => e.nps.merge(&counts),
                (QuestionKind::Effort, RollupPart::Score) => e.effort.merge(&counts),
                (QuestionKind::Servqual, RollupPart::Perception) => {
                    e.servqual += r.count.max(0) as u64;
                }
                _ => {}
            }
        }
    }

    /// Count the moment scores of one audit visit (moments with nothing applicable have no
    /// score and are not an observation).
    pub fn add_visit(&mut self, visit: &ValidVisit) {
        for (key, score) in visit.score_per_moment() {
            if let Some(score) = score {
                self.entry(key).audit.add(score);
            }
        }
    }

    pub fn set_compliance(&mut self, key: &str, met: u64, total: u64) {
        let e = self.entry(key);
        e.measurements_met = met.min(total);
        e.measurements = total;
    }

    pub fn set_compliments(&mut self, key: &str, count: u64) {
        self.entry(key).compliments = count;
    }

    pub fn set_complaints(&mut self, key: &str, count: u64) {
        self.entry(key).complaints = count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::fixtures::{all_kinds, at, bank_cycle};

    fn version(number: i32, definition: crate::feedback::ValidSurvey) -> SurveyVersion {
        SurveyVersion {
            id: i64::from(number),
            survey_id: 9,
            version: number,
            definition,
            cycle_version_id: Some(7),
            moment_ids: BTreeMap::new(),
            published_at: at(2026, 1, 5, 9, 0),
            published_by: "test".into(),
        }
    }

    #[test]
    fn the_newest_survey_version_decides_a_question_kind() {
        let v1 = all_kinds();
        let mut v2 = all_kinds();
        v2.questions[0].kind = QuestionKind::Effort;
        // Listed newest first, as the store returns them.
        let kinds = question_kinds(&[version(2, v2), version(1, v1)]);
        assert_eq!(kinds[&(9, "wait".to_string())], QuestionKind::Effort);
        assert_eq!(kinds[&(9, "nps".to_string())], QuestionKind::Nps);
    }

    #[test]
    fn rows_without_a_known_moment_or_kind_say_nothing_about_a_moment() {
        let keys = moment_keys(&[bank_cycle()]);
        let kinds: QuestionKinds = [((9, "wait".to_string()), QuestionKind::Rating)].into();
        let row = |code: &str, moment_id: Option<i64>, part| RollupRow {
            survey_id: 9,
            question_code: code.into(),
            part,
            moment_id,
            site_id: None,
            day: at(2026, 1, 5, 9, 0).date_naive(),
            count: 1,
            sum: 5,
            sum_sq: 25,
            histogram: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        };
        let mut e = PeriodEvidence::default();
        e.add_rollups(
            &[
                row("wait", None, RollupPart::Score),
                row("wait", Some(99), RollupPart::Score),
                row("gone", Some(3), RollupPart::Score),
                row("wait", Some(3), RollupPart::Score),
            ],
            &keys,
            &kinds,
        );
        let wait = e.moment("wait-turn").unwrap();
        assert_eq!((wait.answers(), wait.rating.count(5)), (1, 1));
        assert!(e.moment("paid").is_none());
        assert!(MomentEvidence::default().is_empty());
    }
}
