//! A survey as a file (YAML or JSON), so surveys can be reviewed and kept in git like cycles.
//!
//! Unknown fields are refused (a typo such as `requird:` must not silently make a question
//! optional). Syntax errors name line and column; rule errors name the field path
//! (`questions[2].text.es`). Export writes every field, so export → import gives back the same
//! survey.
use super::{
    localized::Localized,
    question::QuestionDraft,
    survey::{Audience, SurveyContext, SurveyDraft, ValidSurvey},
};
use crate::{cycle_file::Format, error::ValidationErrors};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDocument {
    pub key: String,
    /// Key of the service the survey is about (absent for an organization-wide staff survey).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Version this file was exported from; informational, ignored on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    pub audience: Audience,
    pub languages: Vec<String>,
    pub title: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub intro: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub thank_you: Localized,
    pub questions: Vec<QuestionDraft>,
}

#[derive(Debug, thiserror::Error)]
pub enum SurveyFileError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(ValidationErrors),
}

/// Read a survey file; only syntax and shape are checked here (see [`SurveyDocument::validate`]).
pub fn parse(text: &str, format: Format) -> Result<SurveyDocument, SurveyFileError> {
    match format {
        Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            syntax(line, column, &e.to_string())
        }),
        Format::Json => {
            serde_json::from_str(text).map_err(|e| syntax(e.line(), e.column(), &e.to_string()))
        }
    }
}

/// serde appends " at line X column Y"; the location is printed by the error itself.
fn syntax(line: usize, column: usize, message: &str) -> SurveyFileError {
    let message = message
        .find(" at line ")
        .map_or(message, |i| &message[..i])
        .to_string();
    SurveyFileError::Syntax {
        line,
        column,
        message,
    }
}

impl SurveyDocument {
    pub fn to_draft(&self) -> SurveyDraft {
        SurveyDraft {
            key: self.key.clone(),
            service_key: self.service.clone(),
            audience: self.audience,
            languages: self.languages.clone(),
            title: self.title.clone(),
            intro: self.intro.clone(),
            thank_you: self.thank_you.clone(),
            questions: self.questions.clone(),
        }
    }

    /// Check every rule against the service's current cycle and the quality dimensions.
    pub fn validate(&self, ctx: &SurveyContext) -> Result<ValidSurvey, SurveyFileError> {
        self.to_draft()
            .validate(ctx)
            .map_err(SurveyFileError::Invalid)
    }

    /// The document for a published survey version.
    pub fn from_survey(survey: &ValidSurvey, version: Option<i32>) -> Self {
        let draft = survey.to_draft();
        SurveyDocument {
            key: draft.key,
            service: draft.service_key,
            version,
            audience: draft.audience,
            languages: draft.languages,
            title: draft.title,
            intro: draft.intro,
            thank_you: draft.thank_you,
            questions: draft.questions,
        }
    }

    pub fn to_text(&self, format: Format) -> String {
        match format {
            Format::Yaml => serde_yaml::to_string(self).unwrap_or_default(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::{
        fixtures::{all_kinds, bank_cycle, ctx},
        templates,
    };

    const GOOD: &str = "key: branch-visit
service: cash-a-cheque
audience: customers
languages: [en, es]
title:
  en: Your visit
  es: Su visita
questions:
  - code: wait
    kind: rating
    moment_key: wait-turn
    required: true
    text:
      en: How was the wait?
      es: ¿Qué tal la espera?
  - code: visit
    kind: single_choice
    text: {en: First visit?, es: ¿Primera visita?}
    options:
      - {code: 'yes', label: {en: 'Yes', es: 'Sí'}}
      - {code: 'no', label: {en: 'No', es: 'No'}}
";

    fn invalid_fields(text: &str) -> Vec<String> {
        match parse(text, Format::Yaml).unwrap().validate(&ctx()) {
            Err(SurveyFileError::Invalid(e)) => e.0.into_iter().map(|f| f.field).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_file_validates() {
        let s = parse(GOOD, Format::Yaml).unwrap().validate(&ctx()).unwrap();
        assert_eq!(s.questions.len(), 2);
        assert_eq!(s.questions[1].options[1].label.get("es"), Some("No"));
    }

    #[test]
    fn unknown_field_is_a_syntax_error_with_its_line() {
        let typo = GOOD.replace("    required: true", "    requird: true");
        let e = parse(&typo, Format::Yaml).unwrap_err().to_string();
        assert!(e.starts_with("line 12") && e.contains("requird"), "{e}");
    }

    #[test]
    fn unknown_kind_names_the_line_and_the_accepted_kinds() {
        let bad = GOOD.replace("kind: rating", "kind: stars");
        let e = parse(&bad, Format::Yaml).unwrap_err().to_string();
        assert!(
            e.starts_with("line 10") && e.contains("single_choice"),
            "{e}"
        );
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let bad = GOOD.replace("languages: [en, es]", "languages: [en, es");
        match parse(&bad, Format::Yaml) {
            Err(SurveyFileError::Syntax { line, .. }) => assert!(line >= 4, "line {line}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn rule_errors_name_field_paths() {
        let bad = GOOD
            .replace("      es: ¿Qué tal la espera?\n", "")
            .replace("moment_key: wait-turn", "moment_key: lunch")
            .replace("code: 'no'", "code: 'yes'");
        assert_eq!(
            invalid_fields(&bad),
            [
                "questions[0].text.es",
                "questions[0].moment_key",
                "questions[1].options[1].code"
            ]
        );
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = parse(
            "{\n  \"key\": \"a\",\n  \"questions\": [,]\n}",
            Format::Json,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("line 3"), "{e}");
    }

    #[test]
    fn export_then_import_is_lossless_in_both_formats() {
        let surveys = [
            all_kinds(),
            templates::servqual_survey("cash-a-cheque", "Cash a cheque")
                .validate(&ctx())
                .unwrap(),
            templates::moment_csat_survey("cash-a-cheque", "Cash", &bank_cycle(), true)
                .validate(&ctx())
                .unwrap(),
        ];
        for survey in surveys {
            for format in [Format::Yaml, Format::Json] {
                let doc = SurveyDocument::from_survey(&survey, Some(3));
                let text = doc.to_text(format);
                let back = parse(&text, format).unwrap();
                assert_eq!(back, doc);
                assert_eq!(back.validate(&ctx()).unwrap(), survey);
                assert_eq!(back.to_text(format), text);
            }
        }
    }
}
