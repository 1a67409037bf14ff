//! Survey questions: their kinds, scales and the rules one question must follow.
use super::localized::{Localized, Presence, check_localized};
use crate::{error::ValidationErrors, validate};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, fmt};

pub const MAX_QUESTION_TEXT: usize = 1000;
pub const MAX_OPTIONS: usize = 50;
/// Fixed columns of the wide CSV; a question code may not take one of these names.
pub const RESERVED_CODES: [&str; 6] = [
    "response_id",
    "submitted_at",
    "customer",
    "site",
    "staff",
    "language",
];

/// What a question asks for, which decides its answer scale and how it is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Satisfaction 1–5; CSAT is the share of 4 and 5.
    Rating,
    /// Likelihood to recommend 0–10; NPS = % of 9–10 minus % of 0–6.
    Nps,
    /// Customer effort 1–7 (CES, lower effort is better); reported as a mean.
    Effort,
    /// An expectation and a perception, 1–7 each; the gap is perception − expectation.
    Servqual,
    SingleChoice,
    MultiChoice,
    Text,
}

/// Inclusive bounds of a numeric answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scale {
    pub min: i32,
    pub max: i32,
}

impl Scale {
    pub fn contains(self, value: i32) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::Rating,
        QuestionKind::Nps,
        QuestionKind::Effort,
        QuestionKind::Servqual,
        QuestionKind::SingleChoice,
        QuestionKind::MultiChoice,
        QuestionKind::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Rating => "rating",
            QuestionKind::Nps => "nps",
            QuestionKind::Effort => "effort",
            QuestionKind::Servqual => "servqual",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultiChoice => "multi_choice",
            QuestionKind::Text => "text",
        }
    }

    /// The numeric scale; for `servqual` it bounds both the expectation and the perception.
    pub fn scale(self) -> Option<Scale> {
        match self {
            QuestionKind::Rating => Some(Scale { min: 1, max: 5 }),
            QuestionKind::Nps => Some(Scale { min: 0, max: 10 }),
            QuestionKind::Effort | QuestionKind::Servqual => Some(Scale { min: 1, max: 7 }),
            _ => None,
        }
    }

    pub fn is_choice(self) -> bool {
        matches!(self, QuestionKind::SingleChoice | QuestionKind::MultiChoice)
    }
}

impl fmt::Display for QuestionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One option of a choice question; `code` is what is stored and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub code: String,
    pub label: Localized,
}

/// A question as proposed by a form, the API or a survey file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDraft {
    /// Stable code, unique in the survey; also the column name in the wide CSV.
    pub code: String,
    pub kind: QuestionKind,
    pub text: Localized,
    /// Key of the moment of truth this question is about (stable across cycle versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment_key: Option<String>,
    /// Key of a quality dimension (e.g. `courtesy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
}

/// A question that passed validation (trimmed, every language present, references known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidQuestion {
    pub code: String,
    pub kind: QuestionKind,
    pub text: Localized,
    pub moment_key: Option<String>,
    pub dimension: Option<String>,
    pub required: bool,
    pub options: Vec<ChoiceOption>,
}

impl ValidQuestion {
    pub fn has_option(&self, code: &str) -> bool {
        self.options.iter().any(|o| o.code == code)
    }

    pub fn to_draft(&self) -> QuestionDraft {
        QuestionDraft {
            code: self.code.clone(),
            kind: self.kind,
            text: self.text.clone(),
            moment_key: self.moment_key.clone(),
            dimension: self.dimension.clone(),
            required: self.required,
            options: self.options.clone(),
        }
    }
}

/// What a question may point at: decided by the survey's service and the configured dimensions.
pub(crate) struct QuestionRefs<'a> {
    pub has_service: bool,
    pub moment_keys: &'a BTreeSet<String>,
    pub dimension_keys: &'a BTreeSet<String>,
    pub languages: &'a [String],
}

/// A question code: a key that cannot be confused with a column of the wide CSV.
pub(crate) fn check_code(errors: &mut ValidationErrors, field: &str, code: &str) -> String {
    let code = validate::key(errors, field, code);
    if RESERVED_CODES.contains(&code.as_str()) {
        errors.push(
            field,
            format!("'{code}' is a reserved column name of the response import"),
        );
    } else if code.ends_with("_e") || code.ends_with("_p") {
        errors.push(
            field,
            "must not end in _e or _p: those suffixes name the expectation and perception \
             columns of servqual questions in the response import",
        );
    }
    code
}

impl QuestionDraft {
    /// Check one question; field paths are relative (`text.es`, `options[1].code`).
    pub(crate) fn validated(&self, refs: &QuestionRefs) -> Result<ValidQuestion, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let code = check_code(&mut errors, "code", &self.code);
        let text = check_localized(
            &mut errors,
            "text",
            &self.text,
            refs.languages,
            Presence::Required,
            MAX_QUESTION_TEXT,
        );
        let moment_key = non_blank(&self.moment_key);
        if let Some(key) = &moment_key {
            if !refs.has_service {
                errors.push(
                    "moment_key",
                    "only a survey that belongs to a service can point at one of its moments",
                );
            } else if !refs.moment_keys.contains(key) {
                errors.push(
                    "moment_key",
                    unknown_message("moment", key, "the service's cycle has", refs.moment_keys),
                );
            }
        }
        let dimension = non_blank(&self.dimension);
        match &dimension {
            Some(d) if !refs.dimension_keys.contains(d) => errors.push(
                "dimension",
                unknown_message("quality dimension", d, "known", refs.dimension_keys),
            ),
            None if self.kind == QuestionKind::Servqual => errors.push(
                "dimension",
                "a servqual item needs a quality dimension, so its gap can be averaged per dimension",
            ),
            _ => {}
        }
        let options = self.validated_options(&mut errors, refs.languages);
        errors.into_result(ValidQuestion {
            code,
            kind: self.kind,
            text,
            moment_key,
            dimension,
            required: self.required,
            options,
        })
    }

    fn validated_options(
        &self,
        errors: &mut ValidationErrors,
        languages: &[String],
    ) -> Vec<ChoiceOption> {
        if !self.kind.is_choice() {
            if !self.options.is_empty() {
                errors.push(
                    "options",
                    "only single_choice and multi_choice questions have options",
                );
            }
            return Vec::new();
        }
        if self.options.len() < 2 {
            errors.push("options", "a choice question needs at least two options");
        } else if self.options.len() > MAX_OPTIONS {
            errors.push(
                "options",
                format!("at most {MAX_OPTIONS} options per question"),
            );
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(self.options.len());
        for (j, option) in self.options.iter().enumerate() {
            let field = format!("options[{j}].code");
            let code = validate::key(errors, &field, &option.code);
            if !code.is_empty() && !seen.insert(code.clone()) {
                errors.push(field, format!("duplicate option code '{code}'"));
            }
            let label = check_localized(
                errors,
                &format!("options[{j}].label"),
                &option.label,
                languages,
                Presence::Required,
                validate::MAX_NAME,
            );
            out.push(ChoiceOption { code, label });
        }
        out
    }
}

fn non_blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// "unknown moment 'x'; the service's cycle has: a, b, c" — listing at most ten choices.
fn unknown_message(what: &str, value: &str, lead: &str, known: &BTreeSet<String>) -> String {
    if known.is_empty() {
        return format!("unknown {what} '{value}'; there are none to choose from");
    }
    let mut list: Vec<&str> = known.iter().take(10).map(String::as_str).collect();
    if known.len() > 10 {
        list.push("…");
    }
    format!("unknown {what} '{value}'; {lead}: {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_follow_the_standard_instruments() {
        assert_eq!(QuestionKind::Rating.scale(), Some(Scale { min: 1, max: 5 }));
        assert_eq!(QuestionKind::Nps.scale(), Some(Scale { min: 0, max: 10 }));
        assert_eq!(QuestionKind::Effort.scale(), Some(Scale { min: 1, max: 7 }));
        assert_eq!(
            QuestionKind::Servqual.scale(),
            Some(Scale { min: 1, max: 7 })
        );
        assert_eq!(QuestionKind::Text.scale(), None);
        assert!(QuestionKind::MultiChoice.is_choice() && !QuestionKind::Nps.is_choice());
    }

    #[test]
    fn kinds_serialize_as_snake_case() {
        for kind in QuestionKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn codes_must_not_clash_with_import_columns() {
        for (code, ok) in [
            ("wait", true),
            ("wait_e", false),
            ("wait_p", false),
            ("site", false),
            ("Wait", false),
            ("wait_ep", true),
        ] {
            let mut e = ValidationErrors::new();
            check_code(&mut e, "code", code);
            assert_eq!(e.is_empty(), ok, "{code}: {e}");
        }
    }
}
