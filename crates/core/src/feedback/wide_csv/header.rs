//! Reading the header line: which column holds what, and which columns are wrong or missing.
use super::{CellError, Cells, WideHeader};
use crate::feedback::{
    question::{QuestionKind, RESERVED_CODES, ValidQuestion},
    survey::ValidSurvey,
};

impl WideHeader {
    /// Check a file's header line (line 1) against the survey; every bad column is reported.
    pub fn parse(headers: &[String], survey: &ValidSurvey) -> Result<WideHeader, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut fixed: [Option<usize>; 6] = [None; 6];
        let mut cells = vec![Cells::Absent; survey.questions.len()];
        let mut names: Vec<String> = Vec::with_capacity(headers.len());
        for (i, raw) in headers.iter().enumerate() {
            let name = raw.trim_start_matches('\u{feff}').trim();
            let mut fail = |reason: String| errors.push(header_error(i + 1, name, reason));
            if name.is_empty() {
                fail("the column has no name".into());
            } else if let Some(first) = names.iter().position(|n| n == name) {
                fail(format!(
                    "column '{name}' appears twice (first as column {})",
                    first + 1
                ));
            } else if let Some(f) = RESERVED_CODES.iter().position(|r| *r == name) {
                fixed[f] = Some(i);
            } else if let Err(reason) = place_question(survey, name, i, &mut cells) {
                fail(reason);
            }
            names.push(name.to_string());
        }
        let [response_id, submitted_at, customer, site, staff, language] = fixed;
        for (found, name) in [(response_id, "response_id"), (submitted_at, "submitted_at")] {
            if found.is_none() {
                let reason = format!("the required column '{name}' is missing");
                errors.push(header_error(0, name, reason));
            }
        }
        for (q, placed) in survey.questions.iter().zip(&cells) {
            missing_question_columns(q, *placed, &mut errors);
        }
        match (response_id, submitted_at) {
            (Some(response_id), Some(submitted_at)) if errors.is_empty() => Ok(WideHeader {
                names,
                response_id,
                submitted_at,
                customer,
                site,
                staff,
                language,
                questions: survey.questions.clone(),
                languages: survey.languages.clone(),
                cells,
            }),
            _ => Err(errors),
        }
    }
}

/// Put a question column in place, or say why the name is not a column of this survey.
fn place_question(
    survey: &ValidSurvey,
    name: &str,
    at: usize,
    cells: &mut [Cells],
) -> Result<(), String> {
    if let Some((i, q)) = survey.question(name) {
        if q.kind == QuestionKind::Servqual {
            return Err(format!(
                "servqual question '{name}' takes two columns, '{name}_e' and '{name}_p'"
            ));
        }
        cells[i] = Cells::Single(at);
        return Ok(());
    }
    let split = name
        .strip_suffix("_e")
        .map(|c| (c, true))
        .or_else(|| name.strip_suffix("_p").map(|c| (c, false)));
    match split.and_then(|(code, is_e)| survey.question(code).map(|(i, q)| (i, q, is_e))) {
        Some((i, q, is_e)) if q.kind == QuestionKind::Servqual => {
            let (mut expectation, mut perception) = match cells[i] {
                Cells::Pair {
                    expectation,
                    perception,
                } => (expectation, perception),
                _ => (None, None),
            };
            *(if is_e {
                &mut expectation
            } else {
                &mut perception
            }) = Some(at);
            cells[i] = Cells::Pair {
                expectation,
                perception,
            };
            Ok(())
        }
        Some((_, q, _)) => Err(format!(
            "question '{}' is not a servqual item; its column is '{}'",
            q.code, q.code
        )),
        None => Err(format!(
            "unknown column '{name}': not one of {} and not a question of survey '{}'",
            RESERVED_CODES.join(", "),
            survey.key
        )),
    }
}

fn missing_question_columns(q: &ValidQuestion, placed: Cells, errors: &mut Vec<CellError>) {
    let mut missing = |name: String| {
        let reason = format!("the column '{name}' of question '{}' is missing", q.code);
        errors.push(header_error(0, &name, reason));
    };
    match placed {
        Cells::Absent if !q.required => {}
        Cells::Absent if q.kind == QuestionKind::Servqual => {
            missing(format!("{}_e", q.code));
            missing(format!("{}_p", q.code));
        }
        Cells::Absent => missing(q.code.clone()),
        Cells::Pair {
            expectation: None, ..
        } => missing(format!("{}_e", q.code)),
        Cells::Pair {
            perception: None, ..
        } => missing(format!("{}_p", q.code)),
        _ => {}
    }
}

fn header_error(column: usize, name: &str, reason: String) -> CellError {
    CellError {
        line: 1,
        column,
        column_name: name.to_string(),
        reason,
    }
}
