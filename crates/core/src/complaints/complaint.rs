//! The complaint itself: what the customer reported, validated; the stored case; updates
//! (for the customer or internal); the resolution; and list filters.
//!
//! Text is stored exactly as written (trimmed at the ends only): escaping is the renderer's
//! job, so a description containing `<script>` comes back byte for byte.
use super::status::ComplaintStatus;
use crate::{
    channel::Channel, cycle::CycleVersion, dimension::QualityDimension, error::ValidationErrors,
    validate,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Longest description, explanation or update (a long letter, not a book).
pub const MAX_LONG_TEXT: usize = 10_000;
/// How far in the future `received_at` may be (clock skew between devices).
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

str_enum! {
    /// How bad it is for the customer; drives the response policy.
    Severity, "severity" {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
}

impl Severity {
    /// 1 (low) to 4 (critical), for sorting.
    pub fn rank(self) -> i32 {
        self as i32 + 1
    }
}

str_enum! {
    /// Who may read an update: the customer (status page, messages) or staff only.
    Visibility, "visibility" {
        Customer => "customer",
        Internal => "internal",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplaintInput {
    /// Who complained: a free customer reference (name, number, email) until customers have
    /// their own table.
    pub customer_ref: String,
    /// How it was received: `in_person`, `phone`, `email`, `web`, `app`, `chat`, `mail`,
    /// `self_service`.
    pub channel: String,
    #[serde(default)]
    pub site_id: Option<i64>,
    /// The service whose moment of truth failed; needed with `moment_key`.
    #[serde(default)]
    pub service_key: Option<String>,
    #[serde(default)]
    pub moment_key: Option<String>,
    /// Quality dimension key (`reliability`, `courtesy`, …).
    #[serde(default)]
    pub dimension_key: Option<String>,
    pub description: String,
    /// What the customer asks for (refund, apology, a call…).
    #[serde(default)]
    pub remedy_requested: String,
    /// `low`, `medium`, `high`, `critical`.
    pub severity: String,
    #[serde(default)]
    pub assignee_id: Option<i64>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidComplaint {
    pub customer_ref: String,
    pub channel: Channel,
    pub site_id: Option<i64>,
    pub service_key: Option<String>,
    pub moment_key: Option<String>,
    /// The moment's row in the cycle version it was checked against.
    pub moment_id: Option<i64>,
    pub dimension_key: Option<String>,
    pub description: String,
    pub remedy_requested: String,
    pub severity: Severity,
    pub assignee_id: Option<i64>,
    pub received_at: DateTime<Utc>,
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Required or optional text up to `max` characters, trimmed at the ends only.
fn long_text(errors: &mut ValidationErrors, field: &str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        errors.push(field, format!("must be at most {max} characters"));
    }
    v.to_string()
}

fn id(errors: &mut ValidationErrors, field: &str, v: Option<i64>) {
    if v.is_some_and(|v| v <= 0) {
        errors.push(field, "not a valid id");
    }
}

impl ComplaintInput {
    /// Check every field; `cycle` is the current cycle of `service_key`'s service (if any),
    /// `dimensions` the configured quality dimensions.
    pub fn validate(
        &self,
        cycle: Option<&CycleVersion>,
        dimensions: &[QualityDimension],
        now: DateTime<Utc>,
    ) -> Result<ValidComplaint, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let customer_ref = validate::name(&mut errors, "customer_ref", &self.customer_ref);
        let channel = self
            .channel
            .parse::<Channel>()
            .map_err(|e| errors.push("channel", e.to_string()))
            .ok();
        id(&mut errors, "site_id", self.site_id);
        let service_key =
            trimmed(&self.service_key).map(|k| validate::key(&mut errors, "service_key", &k));
        let moment_key = trimmed(&self.moment_key);
        let mut moment_id = None;
        if let Some(key) = &moment_key {
            match (&service_key, cycle) {
                (None, _) => errors.push("service_key", "name the service this moment belongs to"),
                (Some(_), None) => errors.push(
                    "moment_key",
                    "the service has no published cycle, so it has no moments yet",
                ),
                (Some(_), Some(c)) => match c.moments.iter().find(|m| &m.key == key) {
                    Some(m) => moment_id = Some(m.id),
                    None => errors.push(
                        "moment_key",
                        format!("the service's cycle has no moment '{key}'"),
                    ),
                },
            }
        }
        let dimension_key = trimmed(&self.dimension_key);
        if let Some(key) = &dimension_key
            && !dimensions.iter().any(|d| &d.key == key)
        {
            errors.push("dimension_key", format!("no quality dimension '{key}'"));
        }
        let description = long_text(&mut errors, "description", &self.description, MAX_LONG_TEXT);
        if description.is_empty() {
            errors.push("description", "describe what happened");
        }
        let remedy_requested =
            validate::text(&mut errors, "remedy_requested", &self.remedy_requested);
        let severity = self
            .severity
            .parse::<Severity>()
            .map_err(|e| errors.push("severity", e))
            .ok();
        id(&mut errors, "assignee_id", self.assignee_id);
        if self.received_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
            errors.push(
                "received_at",
                "a complaint cannot be received in the future",
            );
        }
        match (channel, severity) {
            (Some(channel), Some(severity)) if errors.is_empty() => Ok(ValidComplaint {
                customer_ref,
                channel,
                site_id: self.site_id,
                service_key,
                moment_key,
                moment_id,
                dimension_key,
                description,
                remedy_requested,
                severity,
                assignee_id: self.assignee_id,
                received_at: self.received_at,
            }),
            _ => Err(errors),
        }
    }
}

/// How the case was put right; `root_cause_moment_key` ties the cause to a moment of truth.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResolutionInput {
    pub root_cause: String,
    #[serde(default)]
    pub root_cause_moment_key: Option<String>,
    /// The explanation given to the customer.
    pub explanation: String,
    /// How to prevent it next time.
    #[serde(default)]
    pub prevention: String,
    /// Alternatives offered when the problem could not be solved.
    #[serde(default)]
    pub alternatives_offered: String,
    /// Compensation for the nuisance (a refund, a voucher, an apology gift).
    #[serde(default)]
    pub compensation: String,
    /// Whether the customer said they were satisfied; `Some(true)` adds a deposit to their
    /// relationship account (once per complaint).
    #[serde(default)]
    pub customer_satisfied: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Resolution {
    pub root_cause: String,
    pub root_cause_moment_key: Option<String>,
    pub explanation: String,
    pub prevention: String,
    pub alternatives_offered: String,
    pub compensation: String,
    pub customer_satisfied: Option<bool>,
}

impl ResolutionInput {
    /// `cycle` is the cycle the complaint's moment belongs to, to check the root-cause moment.
    pub fn validate(&self, cycle: Option<&CycleVersion>) -> Result<Resolution, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let root_cause = long_text(&mut errors, "root_cause", &self.root_cause, MAX_LONG_TEXT);
        if root_cause.is_empty() {
            errors.push("root_cause", "say what caused the problem");
        }
        let explanation = long_text(&mut errors, "explanation", &self.explanation, MAX_LONG_TEXT);
        if explanation.is_empty() {
            errors.push("explanation", "write the explanation given to the customer");
        }
        let root_cause_moment_key = trimmed(&self.root_cause_moment_key);
        if let Some(key) = &root_cause_moment_key {
            match cycle {
                Some(c) if c.moments.iter().any(|m| &m.key == key) => {}
                Some(_) => errors.push(
                    "root_cause_moment_key",
                    format!("the service's cycle has no moment '{key}'"),
                ),
                None => errors.push(
                    "root_cause_moment_key",
                    "the complaint's service has no published cycle",
                ),
            }
        }
        let r = Resolution {
            root_cause,
            root_cause_moment_key,
            explanation,
            prevention: long_text(&mut errors, "prevention", &self.prevention, MAX_LONG_TEXT),
            alternatives_offered: long_text(
                &mut errors,
                "alternatives_offered",
                &self.alternatives_offered,
                MAX_LONG_TEXT,
            ),
            compensation: validate::text(&mut errors, "compensation", &self.compensation),
            customer_satisfied: self.customer_satisfied,
        };
        errors.into_result(r)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UpdateInput {
    /// `customer` (shown on the status page) or `internal` (staff notes).
    pub visibility: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidUpdate {
    pub visibility: Visibility,
    pub text: String,
}

impl UpdateInput {
    pub fn validate(&self) -> Result<ValidUpdate, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let visibility = self
            .visibility
            .parse::<Visibility>()
            .map_err(|e| errors.push("visibility", e))
            .ok();
        let text = long_text(&mut errors, "text", &self.text, MAX_LONG_TEXT);
        if text.is_empty() {
            errors.push("text", "must not be empty");
        }
        match visibility {
            Some(visibility) if errors.is_empty() => Ok(ValidUpdate { visibility, text }),
            _ => Err(errors),
        }
    }
}

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Complaint {
    pub id: i64,
    /// Shown to the customer, e.g. `C-2026-000123` (see [`super::reference`]).
    pub reference: String,
    pub customer_ref: String,
    pub channel: Channel,
    pub site_id: Option<i64>,
    pub service_key: Option<String>,
    pub moment_key: Option<String>,
    pub moment_id: Option<i64>,
    pub dimension_key: Option<String>,
    pub description: String,
    pub remedy_requested: String,
    pub severity: Severity,
    pub status: ComplaintStatus,
    pub assignee_id: Option<i64>,
    pub received_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolution: Option<Resolution>,
}

/// One recorded status change: who moved the case, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Transition {
    pub id: i64,
    pub complaint_id: i64,
    /// `None` for the creation (into `received`).
    pub from: Option<ComplaintStatus>,
    pub to: ComplaintStatus,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplaintUpdate {
    pub id: i64,
    pub complaint_id: i64,
    pub visibility: Visibility,
    pub text: String,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
}

/// What a list of complaints is ordered by; ties break by id in the same direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintOrder {
    #[default]
    ReceivedAt,
    UpdatedAt,
    Severity,
    Reference,
}

/// Filters for `list_complaints`; every `Some` must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintFilter {
    pub status: Option<ComplaintStatus>,
    pub severity: Option<Severity>,
    pub site_id: Option<i64>,
    pub moment_key: Option<String>,
    pub assignee_id: Option<i64>,
    pub customer_ref: Option<String>,
    /// Only open cases (not resolved or closed) with a promise due before this instant that
    /// was neither kept, fulfilled nor cancelled.
    pub overdue_at: Option<DateTime<Utc>>,
    pub order: ComplaintOrder,
}

#[cfg(test)]
#[path = "complaint_tests.rs"]
mod tests;
