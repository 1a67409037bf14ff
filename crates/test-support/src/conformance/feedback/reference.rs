//! A reference implementation of the roll-ups, to compare any backend against.
use std::collections::HashMap;
use touchpoint_core::feedback::{
    AnswerValue, QuestionKind,
    records::{NewResponse, RollupPart, RollupRow},
};

fn part_rank(p: RollupPart) -> u8 {
    match p {
        RollupPart::Score => 0,
        RollupPart::Expectation => 1,
        RollupPart::Perception => 2,
    }
}

/// The roll-up rows `responses` should produce (each counted once), in the store's order.
/// A reference implementation for tests of any backend.
pub fn expected_rollups(responses: &[NewResponse]) -> Vec<RollupRow> {
    type Key = (i64, String, u8, Option<i64>, Option<i64>, chrono::NaiveDate);
    let mut rows: HashMap<Key, RollupRow> = HashMap::new();
    for r in responses {
        let day = r.submitted_at.date_naive();
        for a in &r.answers {
            let parts: Vec<(RollupPart, i32)> = match (&a.kind, &a.value) {
                (
                    QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Effort,
                    AnswerValue::Score(s),
                ) => vec![(RollupPart::Score, *s)],
                (
                    QuestionKind::Servqual,
                    AnswerValue::Servqual {
                        expectation,
                        perception,
                    },
                ) => vec![
                    (RollupPart::Expectation, *expectation),
                    (RollupPart::Perception, *perception),
                ],
                _ => vec![],
            };
            for (part, score) in parts {
                let key = (
                    r.survey_id,
                    a.question_code.clone(),
                    part_rank(part),
                    a.moment_id,
                    r.site_id,
                    day,
                );
                let row = rows.entry(key).or_insert_with(|| RollupRow {
                    survey_id: r.survey_id,
                    question_code: a.question_code.clone(),
                    part,
                    moment_id: a.moment_id,
                    site_id: r.site_id,
                    day,
                    count: 0,
                    sum: 0,
                    sum_sq: 0,
                    histogram: [0; 11],
                });
                let s = i64::from(score);
                row.count += 1;
                row.sum += s;
                row.sum_sq += s * s;
                if let Ok(i) = usize::try_from(score)
                    && i <= 10
                {
                    row.histogram[i] += 1;
                }
            }
        }
    }
    let mut out: Vec<RollupRow> = rows.into_values().collect();
    out.sort_by(|a, b| {
        (
            a.day,
            &a.question_code,
            part_rank(a.part),
            a.moment_id,
            a.site_id,
            a.survey_id,
        )
            .cmp(&(
                b.day,
                &b.question_code,
                part_rank(b.part),
                b.moment_id,
                b.site_id,
                b.survey_id,
            ))
    });
    out
}
