//! Surveys: multi-language questionnaires for customers or employees.
//!
//! Rules (each error names its field path):
//! - `key` is a stable lowercase key; `languages` are valid codes, unique, and include `en` and
//!   `es`; the first language is the default when the respondent's is not offered.
//! - A **customer** survey belongs to a service (`service_key` required), because customer
//!   feedback is always about something the organization offers. An **employee** survey
//!   belongs to the organization and may *optionally* name a service, so staff can be asked
//!   about that service's moments (gathering requirements, step 2 of the method).
//! - `title` and every question text and option label exist in every survey language;
//!   `intro` and `thank_you` are optional but, when given, exist in every language.
//! - Question codes are unique, valid keys, not a fixed column of the wide CSV, and never end
//!   in `_e`/`_p` (the wide CSV names servqual columns `CODE_e`/`CODE_p`).
//! - A `moment_key` must be a moment of the service's current cycle; a `dimension` must be a
//!   configured quality dimension; a `servqual` item must name its dimension.
//! - Choice questions have 2–50 options with unique codes; other kinds have none.
use super::{
    localized::{Localized, Presence, check_languages, check_localized},
    question::{QuestionDraft, QuestionRefs, ValidQuestion},
};
use crate::{cycle::CycleVersion, dimension::QualityDimension, error::ValidationErrors, validate};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, fmt, str::FromStr};

pub const MAX_QUESTIONS: usize = 200;

/// Who answers the survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Customers,
    Employees,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Customers => "customers",
            Audience::Employees => "employees",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "customers" => Ok(Audience::Customers),
            "employees" => Ok(Audience::Employees),
            other => Err(format!(
                "unknown audience '{other}'; expected customers or employees"
            )),
        }
    }
}

/// What a survey's questions may refer to; built by the caller from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyContext {
    /// Moment keys of the current cycle of the survey's service (empty without a service).
    pub moment_keys: BTreeSet<String>,
    /// Keys of the configured quality dimensions.
    pub dimension_keys: BTreeSet<String>,
}

impl SurveyContext {
    /// The context for a service's current cycle (if any) and the configured dimensions.
    pub fn new(cycle: Option<&CycleVersion>, dimensions: &[QualityDimension]) -> Self {
        Self {
            moment_keys: cycle
                .map(|c| c.moments.iter().map(|m| m.key.clone()).collect())
                .unwrap_or_default(),
            dimension_keys: dimensions.iter().map(|d| d.key.clone()).collect(),
        }
    }

    /// Same, with the ten default dimensions.
    pub fn with_default_dimensions(cycle: Option<&CycleVersion>) -> Self {
        Self::new(cycle, &crate::dimension::default_dimensions())
    }
}

/// A survey as proposed by a form, the API, a template or a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyDraft {
    /// Stable key (e.g. `branch-csat`); the `--survey` argument of import and export.
    pub key: String,
    /// The service this survey is about; required for customer surveys.
    #[serde(default)]
    pub service_key: Option<String>,
    pub audience: Audience,
    /// Language codes; at least `en` and `es`. The first is the default.
    pub languages: Vec<String>,
    pub title: Localized,
    #[serde(default)]
    pub intro: Localized,
    #[serde(default)]
    pub thank_you: Localized,
    pub questions: Vec<QuestionDraft>,
}

/// A survey that passed validation; what publishing freezes into a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidSurvey {
    pub key: String,
    pub service_key: Option<String>,
    pub audience: Audience,
    pub languages: Vec<String>,
    pub title: Localized,
    pub intro: Localized,
    pub thank_you: Localized,
    pub questions: Vec<ValidQuestion>,
}

impl ValidSurvey {
    /// The question with this code and its position in the survey.
    pub fn question(&self, code: &str) -> Option<(usize, &ValidQuestion)> {
        self.questions
            .iter()
            .enumerate()
            .find(|(_, q)| q.code == code)
    }

    /// The language to show when the respondent asks for `wanted`.
    pub fn language_for<'a>(&'a self, wanted: &str) -> &'a str {
        self.languages
            .iter()
            .find(|l| *l == wanted)
            .or_else(|| self.languages.first())
            .map_or("en", String::as_str)
    }

    /// The starting point of an edit; publishing the edit makes a new version.
    pub fn to_draft(&self) -> SurveyDraft {
        SurveyDraft {
            key: self.key.clone(),
            service_key: self.service_key.clone(),
            audience: self.audience,
            languages: self.languages.clone(),
            title: self.title.clone(),
            intro: self.intro.clone(),
            thank_you: self.thank_you.clone(),
            questions: self.questions.iter().map(ValidQuestion::to_draft).collect(),
        }
    }
}

impl SurveyDraft {
    /// Check the whole survey; every problem is reported with its path (`questions[2].text.es`).
    pub fn validate(&self, ctx: &SurveyContext) -> Result<ValidSurvey, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = validate::key(&mut errors, "key", &self.key);
        let service_key = match self.service_key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => Some(validate::key(&mut errors, "service_key", k)),
            _ => None,
        };
        if self.audience == Audience::Customers && service_key.is_none() {
            errors.push(
                "service_key",
                "a customer survey belongs to a service; name the service's key",
            );
        }
        let languages = check_languages(&mut errors, &self.languages);
        let title = check_localized(
            &mut errors,
            "title",
            &self.title,
            &languages,
            Presence::Required,
            validate::MAX_NAME,
        );
        let intro = check_localized(
            &mut errors,
            "intro",
            &self.intro,
            &languages,
            Presence::Optional,
            validate::MAX_TEXT,
        );
        let thank_you = check_localized(
            &mut errors,
            "thank_you",
            &self.thank_you,
            &languages,
            Presence::Optional,
            validate::MAX_TEXT,
        );
        if self.questions.is_empty() {
            errors.push("questions", "a survey needs at least one question");
        } else if self.questions.len() > MAX_QUESTIONS {
            errors.push(
                "questions",
                format!("at most {MAX_QUESTIONS} questions per survey"),
            );
        }
        let refs = QuestionRefs {
            has_service: service_key.is_some(),
            moment_keys: &ctx.moment_keys,
            dimension_keys: &ctx.dimension_keys,
            languages: &languages,
        };
        let mut seen = BTreeSet::new();
        let mut questions = Vec::with_capacity(self.questions.len());
        for (i, q) in self.questions.iter().enumerate() {
            let prefix = format!("questions[{i}].");
            let code = q.code.trim();
            if !code.is_empty() && !seen.insert(code) {
                errors.push(
                    format!("{prefix}code"),
                    format!("duplicate question code '{code}'; codes must be unique in a survey"),
                );
            }
            match q.validated(&refs) {
                Ok(v) => questions.push(v),
                Err(e) => errors.extend(e.prefixed(&prefix)),
            }
        }
        errors.into_result(ValidSurvey {
            key,
            service_key,
            audience: self.audience,
            languages,
            title,
            intro,
            thank_you,
            questions,
        })
    }
}

#[cfg(test)]
#[path = "survey_tests.rs"]
mod tests;
