//! The wide response format that survey tools export: one row per response, one column per
//! question, used by `touchpoint import responses` and `touchpoint export responses`.
//!
//! Columns: `response_id` and `submitted_at` (required), `customer`, `site`, `staff`,
//! `language` (optional), then one column per question code; a servqual question has two,
//! `CODE_e` (expectation) and `CODE_p` (perception); a multi-choice cell lists option codes
//! as `a;b;c`. Column order is free on import. An empty cell is "no answer", after which the
//! question's `required` flag decides. A column for an optional question may be left out; a
//! column for a required question may not.
//!
//! The caller tokenises the CSV; this module only judges cells, so core needs no CSV crate.
//! [`WideHeader::parse_row`] runs once per row of files with millions of rows: it allocates
//! only the owned values it returns.
use super::{
    answer::{self, AnswerProblem, AnswerValue, ServqualPart, ValidAnswer, ValidAnswers},
    question::{QuestionKind, ValidQuestion},
    timestamp::parse_timestamp,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;

/// Longest `response_id`, `customer`, `site` or `staff` value.
pub const MAX_REF: usize = 200;

/// One problem in the file: line and 1-based column as a spreadsheet shows them. `column` is 0
/// when the problem is a column missing from the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    pub line: u64,
    pub column: usize,
    pub column_name: String,
    pub reason: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column == 0 {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(
                f,
                "line {}, column {} ({}): {}",
                self.line, self.column, self.column_name, self.reason
            )
        }
    }
}

/// One accepted row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: u64,
    /// The survey tool's identifier; re-importing the same id must not duplicate the response.
    pub response_id: String,
    pub submitted_at: DateTime<Utc>,
    /// Customer reference as written in the file (resolved by the caller).
    pub customer: Option<String>,
    /// Site key (resolved by the caller).
    pub site: Option<String>,
    /// Staff reference (resolved by the caller).
    pub staff: Option<String>,
    /// One of the survey's languages.
    pub language: Option<String>,
    pub answers: ValidAnswers,
}

/// Where a question's answer lives in the row (0-based cell indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cells {
    Absent,
    Single(usize),
    Pair {
        expectation: Option<usize>,
        perception: Option<usize>,
    },
}

/// A header checked against a survey: knows which cell holds what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideHeader {
    names: Vec<String>,
    response_id: usize,
    submitted_at: usize,
    customer: Option<usize>,
    site: Option<usize>,
    staff: Option<usize>,
    language: Option<usize>,
    questions: Vec<ValidQuestion>,
    languages: Vec<String>,
    cells: Vec<Cells>,
}

impl WideHeader {
    /// Check one data row; `line` is the file line (for the report). Every bad cell is reported.
    pub fn parse_row(&self, line: u64, record: &[&str]) -> Result<ParsedRow, Vec<CellError>> {
        if record.len() != self.names.len() {
            let column = record.len().min(self.names.len()) + 1;
            let reason = format!(
                "the row has {} cells but the header has {} columns",
                record.len(),
                self.names.len()
            );
            return Err(vec![self.error(line, column - 1, reason)]);
        }
        let mut errors = Vec::new();
        let response_id = record[self.response_id].trim();
        if response_id.is_empty() {
            errors.push(self.error(line, self.response_id, "response_id is empty".into()));
        }
        self.check_ref(line, self.response_id, record, &mut errors);
        let submitted_at = parse_timestamp(record[self.submitted_at])
            .map_err(|reason| errors.push(self.error(line, self.submitted_at, reason)))
            .ok();
        let mut optional = |at: Option<usize>| {
            let value = at.map(|i| record[i].trim()).filter(|v| !v.is_empty())?;
            at.inspect(|i| self.check_ref(line, *i, record, &mut errors));
            Some(value.to_string())
        };
        let (customer, site, staff) = (
            optional(self.customer),
            optional(self.site),
            optional(self.staff),
        );
        let language = optional(self.language);
        if let (Some(lang), Some(at)) = (&language, self.language)
            && !self.languages.contains(lang)
        {
            let reason = format!(
                "'{lang}' is not a language of this survey ({})",
                self.languages.join(", ")
            );
            errors.push(self.error(line, at, reason));
        }
        let mut answers = Vec::with_capacity(self.questions.len());
        for (index, (q, cells)) in self.questions.iter().zip(&self.cells).enumerate() {
            match self.read_answer(q, *cells, record) {
                Ok(Some(value)) => answers.push(ValidAnswer {
                    question: index,
                    value,
                }),
                Ok(None) if q.required => {
                    let at = first_cell(*cells).unwrap_or(0);
                    let reason = format!("required question '{}' has no answer", q.code);
                    errors.push(self.error(line, at, reason));
                }
                Ok(None) => {}
                Err((at, problem)) => {
                    let reason = cell_reason(&problem, record[at]);
                    errors.push(self.error(line, at, reason));
                }
            }
        }
        match submitted_at {
            Some(submitted_at) if errors.is_empty() => Ok(ParsedRow {
                line,
                response_id: response_id.to_string(),
                submitted_at,
                customer,
                site,
                staff,
                language,
                answers: ValidAnswers(answers),
            }),
            _ => {
                errors.sort_by_key(|e| e.column);
                Err(errors)
            }
        }
    }

    /// Read one question's cell(s); a problem names the 0-based cell it is about.
    fn read_answer(
        &self,
        q: &ValidQuestion,
        cells: Cells,
        record: &[&str],
    ) -> Result<Option<AnswerValue>, (usize, AnswerProblem)> {
        match cells {
            Cells::Absent => Ok(None),
            Cells::Single(at) => read_cell(q, record[at].trim()).map_err(|p| (at, p)),
            // A lone half is reported on the empty cell, where the fix goes.
            Cells::Pair {
                expectation,
                perception,
            } => {
                let part = |at: Option<usize>, which| match at.map(|i| record[i].trim()) {
                    None | Some("") => Ok(None),
                    Some(cell) => answer::parse_score(cell)
                        .and_then(|v| answer::servqual_part(which, v))
                        .map(Some)
                        .map_err(|p| (at.unwrap_or(0), p)),
                };
                let e = part(expectation, ServqualPart::Expectation)?;
                let p = part(perception, ServqualPart::Perception)?;
                match (e, p) {
                    (Some(expectation), Some(perception)) => Ok(Some(AnswerValue::Servqual {
                        expectation,
                        perception,
                    })),
                    (None, None) => Ok(None),
                    (Some(_), None) => Err((
                        perception.unwrap_or(0),
                        AnswerProblem::HalfServqual {
                            missing: ServqualPart::Perception,
                        },
                    )),
                    (None, Some(_)) => Err((
                        expectation.unwrap_or(0),
                        AnswerProblem::HalfServqual {
                            missing: ServqualPart::Expectation,
                        },
                    )),
                }
            }
        }
    }

    fn check_ref(&self, line: u64, at: usize, record: &[&str], errors: &mut Vec<CellError>) {
        if record[at].trim().chars().count() > MAX_REF {
            let reason = format!("must be at most {MAX_REF} characters");
            errors.push(self.error(line, at, reason));
        }
    }

    /// An error about the 0-based cell `at`.
    fn error(&self, line: u64, at: usize, reason: String) -> CellError {
        CellError {
            line,
            column: at + 1,
            column_name: self.names.get(at).cloned().unwrap_or_default(),
            reason,
        }
    }
}

/// A single-cell answer of any non-servqual kind.
fn read_cell(q: &ValidQuestion, cell: &str) -> Result<Option<AnswerValue>, AnswerProblem> {
    if cell.is_empty() {
        return Ok(None);
    }
    match q.kind {
        QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Effort => {
            answer::score(q, answer::parse_score(cell)?).map(Some)
        }
        QuestionKind::SingleChoice => answer::choices(q, std::iter::once(cell))
            .map(|c| c.map(|mut c| AnswerValue::Choice(c.swap_remove(0)))),
        QuestionKind::MultiChoice => {
            answer::choices(q, cell.split(';')).map(|c| c.map(AnswerValue::Choices))
        }
        QuestionKind::Text => answer::text(cell),
        QuestionKind::Servqual => Err(AnswerProblem::WrongType(answer::Expected::Pair)),
    }
}

fn first_cell(cells: Cells) -> Option<usize> {
    match cells {
        Cells::Absent => None,
        Cells::Single(at) => Some(at),
        Cells::Pair {
            expectation,
            perception,
        } => expectation.or(perception),
    }
}

/// English reason for an import report; out-of-range values are quoted since the respondent's
/// message ("choose a score from 1 to 5") does not show them.
fn cell_reason(problem: &AnswerProblem, cell: &str) -> String {
    match problem {
        AnswerProblem::OutOfRange { .. } => {
            format!(
                "'{}' is out of range: {}",
                cell.trim(),
                problem.message("en")
            )
        }
        _ => problem.message("en"),
    }
}

mod export;
mod header;
#[cfg(test)]
mod tests;
