//! Answers to a survey and the rules they must follow.
//!
//! The same checks serve the answering page, the API and the bulk import, so a response means
//! the same thing whichever way it came in. Problems are kept as [`AnswerProblem`] values so
//! the answering page can show them in the respondent's language.
use super::{
    question::{QuestionKind, ValidQuestion},
    survey::ValidSurvey,
};
use crate::error::ValidationErrors;
use serde::Serialize;
use std::collections::BTreeMap;

/// Longest free-text answer, in characters.
pub const MAX_ANSWER_TEXT: usize = 2000;

/// One answer. In JSON a number is a `Score`, an object a `Servqual` pair, an array `Choices`
/// and a string `Choice`; validation reads a string as `Text` for a text question, and as a
/// score for a numeric question when it holds a whole number (HTML forms post text).
// Deserialized by hand (`answer_de.rs`) rather than `#[serde(untagged)]`: untagged buffers each
// value and tries the variants in turn, which costs on every API submission and ends in a
// vague "did not match any variant" message. (Not a doc comment: this one would reach the
// OpenAPI document.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    Score(i32),
    Servqual { expectation: i32, perception: i32 },
    Choice(String),
    Choices(Vec<String>),
    Text(String),
}

/// An accepted answer; `question` is the question's position in the survey (no code copy per
/// answer, which matters when millions of rows are imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidAnswer {
    pub question: usize,
    pub value: AnswerValue,
}

impl ValidAnswer {
    pub fn code<'s>(&self, survey: &'s ValidSurvey) -> &'s str {
        &survey.questions[self.question].code
    }
}

/// The accepted answers of one response, in question order; unanswered questions are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidAnswers(pub Vec<ValidAnswer>);

impl ValidAnswers {
    /// Each answer with its question.
    pub fn with_questions<'s>(
        &'s self,
        survey: &'s ValidSurvey,
    ) -> impl Iterator<Item = (&'s ValidQuestion, &'s AnswerValue)> + 's {
        self.0
            .iter()
            .map(|a| (&survey.questions[a.question], &a.value))
    }
}

/// Which half of a servqual pair a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServqualPart {
    Expectation,
    Perception,
}

/// What shape of answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Score,
    Pair,
    OneOption,
    Options,
    Text,
}

/// Why an answer was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    UnknownQuestion,
    Missing,
    WrongType(Expected),
    NotANumber(String),
    OutOfRange {
        part: Option<ServqualPart>,
        min: i32,
        max: i32,
    },
    UnknownOption(String),
    TooLong {
        max: usize,
    },
    HalfServqual {
        missing: ServqualPart,
    },
}

impl AnswerProblem {
    /// A short, friendly message in `language` (Spanish for `es…`, English otherwise).
    pub fn message(&self, language: &str) -> String {
        let es = language.starts_with("es");
        let part = |p: &ServqualPart| match (p, es) {
            (ServqualPart::Expectation, false) => "expectation",
            (ServqualPart::Perception, false) => "perception",
            (ServqualPart::Expectation, true) => "expectativa",
            (ServqualPart::Perception, true) => "percepción",
        };
        match (self, es) {
            (Self::UnknownQuestion, false) => "this survey has no such question".into(),
            (Self::UnknownQuestion, true) => "esta encuesta no tiene esa pregunta".into(),
            (Self::Missing, false) => "please answer this question".into(),
            (Self::Missing, true) => "por favor, responda esta pregunta".into(),
            (Self::WrongType(expected), _) => expected_message(*expected, es).into(),
            (Self::NotANumber(v), false) => format!("'{v}' is not a whole number"),
            (Self::NotANumber(v), true) => format!("'{v}' no es un número entero"),
            (
                Self::OutOfRange {
                    part: None,
                    min,
                    max,
                },
                false,
            ) => {
                format!("choose a score from {min} to {max}")
            }
            (
                Self::OutOfRange {
                    part: None,
                    min,
                    max,
                },
                true,
            ) => {
                format!("elija una puntuación de {min} a {max}")
            }
            (
                Self::OutOfRange {
                    part: Some(p),
                    min,
                    max,
                },
                false,
            ) => {
                format!("the {} score must be from {min} to {max}", part(p))
            }
            (
                Self::OutOfRange {
                    part: Some(p),
                    min,
                    max,
                },
                true,
            ) => {
                format!(
                    "la puntuación de {} debe estar entre {min} y {max}",
                    part(p)
                )
            }
            (Self::UnknownOption(v), false) => format!("'{v}' is not one of the options"),
            (Self::UnknownOption(v), true) => format!("'{v}' no es una de las opciones"),
            (Self::TooLong { max }, false) => {
                format!("please keep your answer within {max} characters")
            }
            (Self::TooLong { max }, true) => {
                format!("por favor, no supere los {max} caracteres")
            }
            (Self::HalfServqual { missing }, false) => {
                format!(
                    "the {} score is missing; give both or neither",
                    part(missing)
                )
            }
            (Self::HalfServqual { missing }, true) => format!(
                "falta la puntuación de {}; indique ambas o ninguna",
                part(missing)
            ),
        }
    }
}

fn expected_message(expected: Expected, es: bool) -> &'static str {
    match (expected, es) {
        (Expected::Score, false) => "expects a score",
        (Expected::Score, true) => "espera una puntuación",
        (Expected::Pair, false) => "expects an expectation and a perception score",
        (Expected::Pair, true) => "espera una puntuación de expectativa y otra de percepción",
        (Expected::OneOption, false) => "expects one of the options",
        (Expected::OneOption, true) => "espera una de las opciones",
        (Expected::Options, false) => "expects a list of options",
        (Expected::Options, true) => "espera una lista de opciones",
        (Expected::Text, false) => "expects text",
        (Expected::Text, true) => "espera un texto",
    }
}

/// One refused answer, named by question code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerIssue {
    pub code: String,
    pub problem: AnswerProblem,
}

impl AnswerIssue {
    /// Field path of the answer, `answers.<code>`.
    pub fn field(&self) -> String {
        format!("answers.{}", self.code)
    }
}

/// Turn issues into field errors with messages in `language`.
pub fn issues_to_errors(issues: &[AnswerIssue], language: &str) -> ValidationErrors {
    ValidationErrors(
        issues
            .iter()
            .map(|i| crate::FieldError::new(i.field(), i.problem.message(language)))
            .collect(),
    )
}

/// Check a submitted response: unknown codes, required questions, ranges, option codes and
/// text length. Issues come in question order, then unknown codes.
pub fn check_answers(
    survey: &ValidSurvey,
    answers: &BTreeMap<String, AnswerValue>,
) -> Result<ValidAnswers, Vec<AnswerIssue>> {
    let mut issues = Vec::new();
    let mut accepted = Vec::with_capacity(answers.len());
    for (index, q) in survey.questions.iter().enumerate() {
        let checked = match answers.get(&q.code) {
            Some(value) => check_value(q, value),
            None => Ok(None),
        };
        match checked {
            Ok(Some(value)) => accepted.push(ValidAnswer {
                question: index,
                value,
            }),
            Ok(None) if q.required => issues.push(issue(&q.code, AnswerProblem::Missing)),
            Ok(None) => {}
            Err(problem) => issues.push(issue(&q.code, problem)),
        }
    }
    for code in answers.keys() {
        if survey.question(code).is_none() {
            issues.push(issue(code, AnswerProblem::UnknownQuestion));
        }
    }
    if issues.is_empty() {
        Ok(ValidAnswers(accepted))
    } else {
        Err(issues)
    }
}

/// [`check_answers`] with English messages and `answers.<code>` field paths.
pub fn validate_answers(
    survey: &ValidSurvey,
    answers: &BTreeMap<String, AnswerValue>,
) -> Result<ValidAnswers, ValidationErrors> {
    check_answers(survey, answers).map_err(|issues| issues_to_errors(&issues, "en"))
}

fn issue(code: &str, problem: AnswerProblem) -> AnswerIssue {
    AnswerIssue {
        code: code.to_string(),
        problem,
    }
}

/// Check one value against its question; `Ok(None)` means "not answered" (blank text, no
/// options ticked), which is then judged by the question's `required` flag.
pub fn check_value(
    q: &ValidQuestion,
    value: &AnswerValue,
) -> Result<Option<AnswerValue>, AnswerProblem> {
    use AnswerValue as V;
    use QuestionKind as K;
    match (q.kind, value) {
        (K::Rating | K::Nps | K::Effort, V::Score(v)) => score(q, *v).map(Some),
        (K::Rating | K::Nps | K::Effort, V::Choice(s) | V::Text(s)) if s.trim().is_empty() => {
            Ok(None)
        }
        (K::Rating | K::Nps | K::Effort, V::Choice(s) | V::Text(s)) => {
            score(q, parse_score(s)?).map(Some)
        }
        (
            K::Servqual,
            V::Servqual {
                expectation,
                perception,
            },
        ) => servqual(*expectation, *perception).map(Some),
        (K::SingleChoice, V::Choice(s) | V::Text(s)) => choices(q, std::iter::once(s.as_str()))
            .map(|c| c.map(|mut c| V::Choice(c.swap_remove(0)))),
        (K::MultiChoice, V::Choices(list)) => {
            choices(q, list.iter().map(String::as_str)).map(|c| c.map(V::Choices))
        }
        (K::MultiChoice, V::Choice(s) | V::Text(s)) => {
            choices(q, std::iter::once(s.as_str())).map(|c| c.map(V::Choices))
        }
        (K::Text, V::Text(s) | V::Choice(s)) => text(s),
        (kind, _) => Err(AnswerProblem::WrongType(expected_for(kind))),
    }
}

fn expected_for(kind: QuestionKind) -> Expected {
    match kind {
        QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Effort => Expected::Score,
        QuestionKind::Servqual => Expected::Pair,
        QuestionKind::SingleChoice => Expected::OneOption,
        QuestionKind::MultiChoice => Expected::Options,
        QuestionKind::Text => Expected::Text,
    }
}

/// A whole number as written in a form or a CSV cell (surrounding spaces allowed).
pub(crate) fn parse_score(cell: &str) -> Result<i32, AnswerProblem> {
    let cell = cell.trim();
    cell.parse()
        .map_err(|_| AnswerProblem::NotANumber(cell.to_string()))
}

pub(crate) fn score(q: &ValidQuestion, v: i32) -> Result<AnswerValue, AnswerProblem> {
    match q.kind.scale() {
        Some(s) if s.contains(v) => Ok(AnswerValue::Score(v)),
        Some(s) => Err(AnswerProblem::OutOfRange {
            part: None,
            min: s.min,
            max: s.max,
        }),
        None => Err(AnswerProblem::WrongType(expected_for(q.kind))),
    }
}

pub(crate) fn servqual_part(part: ServqualPart, v: i32) -> Result<i32, AnswerProblem> {
    let (min, max) = (1, 7);
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(AnswerProblem::OutOfRange {
            part: Some(part),
            min,
            max,
        })
    }
}

fn servqual(expectation: i32, perception: i32) -> Result<AnswerValue, AnswerProblem> {
    Ok(AnswerValue::Servqual {
        expectation: servqual_part(ServqualPart::Expectation, expectation)?,
        perception: servqual_part(ServqualPart::Perception, perception)?,
    })
}

/// Ticked option codes, returned once each in the survey's option order (so equal answers
/// compare equal and export is canonical); blank codes are ignored; `None` if nothing ticked.
pub(crate) fn choices<'a>(
    q: &ValidQuestion,
    codes: impl Iterator<Item = &'a str>,
) -> Result<Option<Vec<String>>, AnswerProblem> {
    let mut ticked = vec![false; q.options.len()];
    let mut any = false;
    for code in codes.map(str::trim).filter(|c| !c.is_empty()) {
        match q.options.iter().position(|o| o.code == code) {
            Some(i) => {
                ticked[i] = true;
                any = true;
            }
            None => return Err(AnswerProblem::UnknownOption(code.to_string())),
        }
    }
    Ok(any.then(|| {
        q.options
            .iter()
            .zip(&ticked)
            .filter(|(_, t)| **t)
            .map(|(o, _)| o.code.clone())
            .collect()
    }))
}

pub(crate) fn text(s: &str) -> Result<Option<AnswerValue>, AnswerProblem> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > MAX_ANSWER_TEXT {
        Err(AnswerProblem::TooLong {
            max: MAX_ANSWER_TEXT,
        })
    } else {
        Ok(Some(AnswerValue::Text(s.to_string())))
    }
}

#[cfg(test)]
#[path = "answer_tests.rs"]
mod tests;
