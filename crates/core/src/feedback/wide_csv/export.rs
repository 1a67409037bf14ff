//! Writing rows back in the wide format, so export → import gives the same responses.
use super::{Cells, ParsedRow, WideHeader};
use crate::feedback::{
    answer::AnswerValue,
    question::{QuestionKind, RESERVED_CODES},
    survey::ValidSurvey,
    timestamp::format_timestamp,
};

impl WideHeader {
    /// The full export header of a survey: fixed columns, then questions in survey order.
    pub fn header_for(survey: &ValidSurvey) -> Vec<String> {
        let mut names: Vec<String> = RESERVED_CODES.iter().map(|s| s.to_string()).collect();
        for q in &survey.questions {
            if q.kind == QuestionKind::Servqual {
                names.push(format!("{}_e", q.code));
                names.push(format!("{}_p", q.code));
            } else {
                names.push(q.code.clone());
            }
        }
        names
    }

    /// The layout of [`WideHeader::header_for`], for export.
    pub fn for_survey(survey: &ValidSurvey) -> WideHeader {
        let mut next = RESERVED_CODES.len();
        let mut take = || {
            next += 1;
            next - 1
        };
        let cells = survey
            .questions
            .iter()
            .map(|q| match q.kind {
                QuestionKind::Servqual => Cells::Pair {
                    expectation: Some(take()),
                    perception: Some(take()),
                },
                _ => Cells::Single(take()),
            })
            .collect();
        WideHeader {
            names: Self::header_for(survey),
            response_id: 0,
            submitted_at: 1,
            customer: Some(2),
            site: Some(3),
            staff: Some(4),
            language: Some(5),
            questions: survey.questions.clone(),
            languages: survey.languages.clone(),
            cells,
        }
    }

    /// Column names as they appear in the file.
    pub fn column_names(&self) -> &[String] {
        &self.names
    }

    /// The cells of a row in this header's column order; parsing them gives the row back.
    pub fn format_row(&self, row: &ParsedRow) -> Vec<String> {
        let mut out = vec![String::new(); self.names.len()];
        out[self.response_id].clone_from(&row.response_id);
        out[self.submitted_at] = format_timestamp(&row.submitted_at);
        for (at, value) in [
            (self.customer, &row.customer),
            (self.site, &row.site),
            (self.staff, &row.staff),
            (self.language, &row.language),
        ] {
            if let (Some(at), Some(value)) = (at, value) {
                out[at].clone_from(value);
            }
        }
        for answer in &row.answers.0 {
            let Some(cells) = self.cells.get(answer.question) else {
                continue;
            };
            match (cells, &answer.value) {
                (Cells::Single(at), AnswerValue::Score(v)) => out[*at] = v.to_string(),
                (Cells::Single(at), AnswerValue::Choice(s) | AnswerValue::Text(s)) => {
                    out[*at].clone_from(s);
                }
                (Cells::Single(at), AnswerValue::Choices(list)) => out[*at] = list.join(";"),
                (
                    Cells::Pair {
                        expectation,
                        perception,
                    },
                    AnswerValue::Servqual {
                        expectation: e,
                        perception: p,
                    },
                ) => {
                    for (at, v) in [(expectation, e), (perception, p)] {
                        if let Some(at) = at {
                            out[*at] = v.to_string();
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}
