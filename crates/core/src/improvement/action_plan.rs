//! Action plans: a concrete improvement of one or more moments of a service, with an owner,
//! a start and a due date, a status, the effect expected, and the requirements it answers.
//! Its start date splits the evidence into "before" and "after" (see [`super::before_after`]).
use crate::{cycle::CycleVersion, error::ValidationErrors, validate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

str_enum! {
    PlanStatus, "plan status" {
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
}

/// Most moments one plan may cover: a plan for the whole cycle is not a concrete plan.
pub const MAX_PLAN_MOMENTS: usize = 20;
/// Most requirements one plan may answer.
pub const MAX_PLAN_REQUIREMENTS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionPlanInput {
    pub service_id: i64,
    pub title: String,
    /// Keys of the moments it improves, in the service's current cycle (at least one).
    pub moment_keys: Vec<String>,
    /// Who is responsible (a name; owners need not have a login).
    pub owner: String,
    /// When the change takes effect: evidence before it is "before", from it on "after".
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    /// `planned` (default), `in_progress`, `done`, `cancelled`.
    #[serde(default)]
    pub status: Option<String>,
    /// What should change, and by how much ("CSAT of the wait up from 60% to 80%").
    #[serde(default)]
    pub expected_effect: String,
    /// Requirements of the same service that the plan answers.
    #[serde(default)]
    pub requirement_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidActionPlan {
    pub service_id: i64,
    pub title: String,
    pub moment_keys: Vec<String>,
    pub owner: String,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub status: PlanStatus,
    pub expected_effect: String,
    pub requirement_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionPlan {
    pub id: i64,
    pub service_id: i64,
    pub title: String,
    /// In the order given.
    pub moment_keys: Vec<String>,
    pub owner: String,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub status: PlanStatus,
    pub expected_effect: String,
    /// Ascending.
    pub requirement_ids: Vec<i64>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters for `list_action_plans`; every `Some` must match. Ordered by due date, then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionPlanFilter {
    pub service_id: Option<i64>,
    pub status: Option<PlanStatus>,
    /// Plans that cover this moment key.
    pub moment_key: Option<String>,
}

impl ActionPlanInput {
    /// Check every field; `cycle` is the current cycle of the service (`None` when it has none).
    pub fn validate(
        &self,
        cycle: Option<&CycleVersion>,
    ) -> Result<ValidActionPlan, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.service_id <= 0 {
            errors.push("service_id", "not a valid id");
        }
        let title = validate::name(&mut errors, "title", &self.title);
        let owner = validate::name(&mut errors, "owner", &self.owner);
        let expected_effect = validate::text(&mut errors, "expected_effect", &self.expected_effect);
        let mut moment_keys: Vec<String> = Vec::new();
        if self.moment_keys.is_empty() {
            errors.push("moment_keys", "name at least one moment the plan improves");
        } else if self.moment_keys.len() > MAX_PLAN_MOMENTS {
            errors.push(
                "moment_keys",
                format!("a plan covers at most {MAX_PLAN_MOMENTS} moments"),
            );
        }
        for (i, key) in self.moment_keys.iter().enumerate() {
            let key = key.trim().to_string();
            let field = format!("moment_keys[{i}]");
            match cycle {
                None => errors.push(
                    &field,
                    "the service has no published cycle, so it has no moments yet",
                ),
                Some(c) if !c.moments.iter().any(|m| m.key == key) => {
                    errors.push(&field, format!("the service's cycle has no moment '{key}'"))
                }
                Some(_) if moment_keys.contains(&key) => {
                    errors.push(&field, format!("moment '{key}' is listed twice"))
                }
                Some(_) => moment_keys.push(key),
            }
        }
        if self.due_date < self.start_date {
            errors.push("due_date", "must not be before the start date");
        }
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => Some(PlanStatus::Planned),
            Some(s) => s.parse().map_err(|e| errors.push("status", e)).ok(),
        };
        let mut requirement_ids = self.requirement_ids.clone();
        requirement_ids.sort_unstable();
        requirement_ids.dedup();
        if requirement_ids.iter().any(|id| *id <= 0) {
            errors.push("requirement_ids", "not a valid id");
        }
        if requirement_ids.len() > MAX_PLAN_REQUIREMENTS {
            errors.push(
                "requirement_ids",
                format!("a plan answers at most {MAX_PLAN_REQUIREMENTS} requirements"),
            );
        }
        match status {
            Some(status) if errors.is_empty() => Ok(ValidActionPlan {
                service_id: self.service_id,
                title,
                moment_keys,
                owner,
                start_date: self.start_date,
                due_date: self.due_date,
                status,
                expected_effect,
                requirement_ids,
            }),
            _ => Err(errors),
        }
    }
}
