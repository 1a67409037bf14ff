//! Requirements: what staff and managers say a moment of truth needs to improve ("a second
//! cashier at lunchtime", "a queue display"), entered by hand or taken from an employee survey
//! answer (then linked to the response and the question it came from).
use crate::{cycle::CycleVersion, error::ValidationErrors, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

str_enum! {
    /// Where a requirement came from.
    RequirementSource, "requirement source" {
        Entered => "entered",
        EmployeeSurvey => "employee_survey",
    }
}

str_enum! {
    /// Where a requirement stands: still to be decided, taken into an action plan, met, or
    /// declined (with the reason written in the text or a plan).
    RequirementStatus, "requirement status" {
        Open => "open",
        Planned => "planned",
        Done => "done",
        Declined => "declined",
    }
}

/// A requirement as sent by a client; `validate` checks it against the service's cycle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequirementInput {
    pub service_id: i64,
    /// The moment of truth it is about (a key of the service's current cycle).
    pub moment_key: String,
    /// Only at this site (id); none for every site.
    #[serde(default)]
    pub site_id: Option<i64>,
    /// What is needed, in the words of whoever said it.
    pub text: String,
    /// `entered` (default) or `employee_survey`.
    #[serde(default)]
    pub source: Option<String>,
    /// The employee survey response it came from (required with `employee_survey`).
    #[serde(default)]
    pub response_id: Option<i64>,
    /// The code of the survey question it answers (with `employee_survey`).
    #[serde(default)]
    pub question_code: Option<String>,
    /// `open` (default), `planned`, `done`, `declined`.
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidRequirement {
    pub service_id: i64,
    pub moment_key: String,
    pub site_id: Option<i64>,
    pub text: String,
    pub source: RequirementSource,
    pub response_id: Option<i64>,
    pub question_code: Option<String>,
    pub status: RequirementStatus,
}

/// A stored requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Requirement {
    pub id: i64,
    pub service_id: i64,
    pub moment_key: String,
    pub site_id: Option<i64>,
    pub text: String,
    pub source: RequirementSource,
    pub response_id: Option<i64>,
    pub question_code: Option<String>,
    pub status: RequirementStatus,
    /// Who recorded it (user email, or a tool name).
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters for `list_requirements`; every `Some` must match. Newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequirementFilter {
    pub service_id: Option<i64>,
    pub moment_key: Option<String>,
    pub status: Option<RequirementStatus>,
    /// Requirements of this site and those for every site.
    pub site_id: Option<i64>,
}

/// Longest requirement text.
pub const MAX_REQUIREMENT_TEXT: usize = 2000;

impl RequirementInput {
    /// Check every field; `cycle` is the current cycle of the service (`None` when it has none).
    pub fn validate(
        &self,
        cycle: Option<&CycleVersion>,
    ) -> Result<ValidRequirement, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.service_id <= 0 {
            errors.push("service_id", "not a valid id");
        }
        let moment_key = self.moment_key.trim().to_string();
        match cycle {
            _ if moment_key.is_empty() => errors.push("moment_key", "name the moment it is for"),
            None => errors.push(
                "moment_key",
                "the service has no published cycle, so it has no moments yet",
            ),
            Some(c) if !c.moments.iter().any(|m| m.key == moment_key) => errors.push(
                "moment_key",
                format!("the service's cycle has no moment '{moment_key}'"),
            ),
            Some(_) => {}
        }
        if self.site_id.is_some_and(|s| s <= 0) {
            errors.push("site_id", "not a valid id");
        }
        let text = self.text.trim().to_string();
        if text.is_empty() {
            errors.push("text", "say what is needed");
        } else if text.chars().count() > MAX_REQUIREMENT_TEXT {
            errors.push(
                "text",
                format!("must be at most {MAX_REQUIREMENT_TEXT} characters"),
            );
        }
        let source = match self.source.as_deref().map(str::trim) {
            None | Some("") => Some(RequirementSource::Entered),
            Some(s) => s.parse().map_err(|e| errors.push("source", e)).ok(),
        };
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => Some(RequirementStatus::Open),
            Some(s) => s.parse().map_err(|e| errors.push("status", e)).ok(),
        };
        let question_code = self
            .question_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| validate::key(&mut errors, "question_code", c));
        match source {
            Some(RequirementSource::EmployeeSurvey) => match self.response_id {
                None => errors.push(
                    "response_id",
                    "a requirement from an employee survey names the response it came from",
                ),
                Some(id) if id <= 0 => errors.push("response_id", "not a valid id"),
                Some(_) => {}
            },
            Some(RequirementSource::Entered)
                if self.response_id.is_some() || question_code.is_some() =>
            {
                errors.push(
                    "source",
                    "a survey response or question is given: use source 'employee_survey'",
                );
            }
            Some(RequirementSource::Entered) => {}
            None => {}
        }
        match (source, status) {
            (Some(source), Some(status)) if errors.is_empty() => Ok(ValidRequirement {
                service_id: self.service_id,
                moment_key,
                site_id: self.site_id,
                text,
                source,
                response_id: self.response_id,
                question_code,
                status,
            }),
            _ => Err(errors),
        }
    }
}
