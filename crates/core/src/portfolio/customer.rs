//! Customers: who they are, where they are served, and whether they are still ours.
use crate::{error::ValidationErrors, user::looks_like_email, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// Longest customer reference.
pub const MAX_REF: usize = 100;

/// Where a customer stands with the organization.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Active,
    Lost,
    Potential,
    Unknown,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] = [
        CustomerStatus::Active,
        CustomerStatus::Lost,
        CustomerStatus::Potential,
        CustomerStatus::Unknown,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Active => "active",
            CustomerStatus::Lost => "lost",
            CustomerStatus::Potential => "potential",
            CustomerStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for CustomerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CustomerStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        CustomerStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!("unknown status '{s}'; expected active, lost, potential or unknown")
            })
    }
}

/// A stored customer. After erasure `ref`, `name`, `email` and `phone` hold no identity and
/// `erased_at` is set; the row stays so sales and statuses keep adding up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: i64,
    /// The organization's own reference (account number, CRM id); unique.
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub segment: String,
    pub site_id: Option<i64>,
    pub status: CustomerStatus,
    /// Key of the reason (from the configured list) when lost.
    pub lost_reason: Option<String>,
    /// Free text about the loss.
    pub lost_note: String,
    /// The moment of truth that caused the loss, by key, when known.
    pub lost_moment_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
}

/// What a caller sends to create or update a customer. `status` left out keeps the current
/// status (or `unknown` for a new customer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerInput {
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub segment: String,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub lost_reason: Option<String>,
    #[serde(default)]
    pub lost_note: String,
    #[serde(default)]
    pub lost_moment_key: Option<String>,
    /// When the given status began (RFC 3339), if not now.
    #[serde(default)]
    pub status_since: Option<DateTime<Utc>>,
}

/// A checked status with what explains a loss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFields {
    pub status: CustomerStatus,
    pub lost_reason: Option<String>,
    pub lost_note: String,
    pub lost_moment_key: Option<String>,
    /// When the status began, when that is known and earlier than now (imports of old
    /// losses, backfills); `None` means now. Stores refuse a time in the future or before
    /// the customer's latest recorded change (`Invalid` on `status_since`).
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
}

/// Validated customer fields. The store checks what only it can know: that the site and the
/// lost reason exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerFields {
    pub reference: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub segment: String,
    pub site_id: Option<i64>,
    pub status: Option<StatusFields>,
}

/// A customer reference: non-blank, bounded, no control characters.
pub fn validate_ref(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(field, "must not be empty");
    } else if v.chars().count() > MAX_REF {
        errors.push(field, format!("must be at most {MAX_REF} characters"));
    } else if v.chars().any(char::is_control) {
        errors.push(field, "must not contain control characters");
    }
    v.to_string()
}

fn optional_key(errors: &mut ValidationErrors, field: &str, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    Some(validate::key(errors, field, v))
}

impl Customer {
    /// The customer's current status and loss details (`since` unknown here).
    pub fn status_fields(&self) -> StatusFields {
        StatusFields {
            status: self.status,
            lost_reason: self.lost_reason.clone(),
            lost_note: self.lost_note.clone(),
            lost_moment_key: self.lost_moment_key.clone(),
            since: None,
        }
    }
}

impl CustomerFields {
    /// Whether saving these fields over `c` would change anything (imports skip what would
    /// not, so re-importing a file is a no-op).
    pub fn would_change(&self, c: &Customer) -> bool {
        c.reference != self.reference
            || c.name != self.name
            || c.email != self.email
            || c.phone != self.phone
            || c.segment != self.segment
            || c.site_id != self.site_id
            || self
                .status
                .as_ref()
                .is_some_and(|s| !s.same_as(&c.status_fields()))
    }
}

impl StatusFields {
    /// A new customer's status when none is given.
    pub fn unknown() -> Self {
        StatusFields {
            status: CustomerStatus::Unknown,
            lost_reason: None,
            lost_note: String::new(),
            lost_moment_key: None,
            since: None,
        }
    }

    /// The same status and loss details, whenever each began.
    pub fn same_as(&self, other: &StatusFields) -> bool {
        (
            self.status,
            &self.lost_reason,
            &self.lost_note,
            &self.lost_moment_key,
        ) == (
            other.status,
            &other.lost_reason,
            &other.lost_note,
            &other.lost_moment_key,
        )
    }

    /// Check a status and its loss details; fields are named as in [`CustomerInput`].
    pub fn validate(
        errors: &mut ValidationErrors,
        status: &str,
        lost_reason: Option<&str>,
        lost_note: &str,
        lost_moment_key: Option<&str>,
    ) -> Option<StatusFields> {
        let status = match status.parse::<CustomerStatus>() {
            Ok(s) => s,
            Err(e) => {
                errors.push("status", e);
                return None;
            }
        };
        let lost_reason = optional_key(errors, "lost_reason", lost_reason);
        let lost_note = validate::text(errors, "lost_note", lost_note);
        let lost_moment_key = optional_key(errors, "lost_moment_key", lost_moment_key);
        if status == CustomerStatus::Lost && lost_reason.is_none() {
            errors.push(
                "lost_reason",
                "a lost customer needs a reason from the list",
            );
        }
        if status != CustomerStatus::Lost
            && (lost_reason.is_some() || !lost_note.is_empty() || lost_moment_key.is_some())
        {
            let field = if lost_reason.is_some() {
                "lost_reason"
            } else if !lost_note.is_empty() {
                "lost_note"
            } else {
                "lost_moment_key"
            };
            errors.push(field, "only a lost customer has a reason for the loss");
        }
        Some(StatusFields {
            status,
            lost_reason,
            lost_note,
            lost_moment_key,
            since: None,
        })
    }
}

impl CustomerInput {
    pub fn validate(&self) -> Result<CustomerFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let reference = validate_ref(&mut errors, "ref", &self.reference);
        let name = validate::name(&mut errors, "name", &self.name);
        let email = self.email.trim().to_string();
        if !email.is_empty() && !looks_like_email(&email) {
            errors.push("email", "must be an email address like name@example.com");
        }
        let phone = self.phone.trim().to_string();
        if phone.chars().count() > 40
            || phone
                .chars()
                .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
        {
            errors.push(
                "phone",
                "must be a phone number: digits, spaces, + - ( ) and ., at most 40 characters",
            );
        }
        let segment = validate::text(&mut errors, "segment", &self.segment);
        if segment.chars().count() > validate::MAX_NAME {
            errors.push(
                "segment",
                format!("must be at most {} characters", validate::MAX_NAME),
            );
        }
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => StatusFields::validate(
                &mut errors,
                s,
                self.lost_reason.as_deref(),
                &self.lost_note,
                self.lost_moment_key.as_deref(),
            )
            .map(|f| StatusFields {
                since: self.status_since,
                ..f
            }),
            None => {
                if self
                    .lost_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty())
                {
                    errors.push(
                        "status",
                        "give the status 'lost' together with a lost reason",
                    );
                }
                None
            }
        };
        errors.into_result(CustomerFields {
            reference,
            name,
            email,
            phone,
            segment,
            site_id: self.site_id,
            status,
        })
    }
}

/// One entry of a customer's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub customer_id: i64,
    pub status: CustomerStatus,
    pub lost_reason: Option<String>,
    pub lost_note: String,
    pub lost_moment_key: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// Who recorded it (a user's email or a tool name).
    pub changed_by: String,
}

/// A reason a customer was lost, from the organization's configurable list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LostReason {
    pub key: String,
    pub label_en: String,
    pub label_es: String,
    pub active: bool,
}

impl LostReason {
    pub fn validate(&self) -> Result<LostReason, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = validate::key(&mut errors, "key", &self.key);
        let label_en = validate::name(&mut errors, "label_en", &self.label_en);
        let label_es = validate::name(&mut errors, "label_es", &self.label_es);
        errors.into_result(LostReason {
            key,
            label_en,
            label_es,
            active: self.active,
        })
    }
}

/// The reasons every new database starts with (migrations seed them; admins add more).
pub fn default_lost_reasons() -> Vec<LostReason> {
    [
        (
            "service_failure",
            "A service failure",
            "Una falla en el servicio",
        ),
        ("price", "Price", "El precio"),
        (
            "competitor",
            "A competitor's offer",
            "Una oferta de la competencia",
        ),
        ("moved", "Moved away", "Se mudó"),
        (
            "no_longer_needed",
            "No longer needs the service",
            "Ya no necesita el servicio",
        ),
        ("unknown", "Unknown", "Se desconoce"),
    ]
    .into_iter()
    .map(|(key, en, es)| LostReason {
        key: key.into(),
        label_en: en.into(),
        label_es: es.into(),
        active: true,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(status: Option<&str>, reason: Option<&str>) -> CustomerInput {
        CustomerInput {
            reference: " C-001 ".into(),
            name: "Ana Pérez".into(),
            status: status.map(str::to_string),
            lost_reason: reason.map(str::to_string),
            ..Default::default()
        }
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_plain_customer_is_trimmed_and_keeps_no_status() {
        let f = input(None, None).validate().unwrap();
        assert_eq!((f.reference.as_str(), f.status), ("C-001", None));
    }

    #[test]
    fn a_lost_customer_needs_a_reason_and_only_a_lost_one_has_one() {
        assert_eq!(
            fields(input(Some("lost"), None).validate().unwrap_err()),
            ["lost_reason"]
        );
        assert_eq!(
            fields(input(Some("active"), Some("price")).validate().unwrap_err()),
            ["lost_reason"]
        );
        assert_eq!(
            fields(input(None, Some("price")).validate().unwrap_err()),
            ["status"]
        );
        let ok = input(Some("Lost"), Some("price")).validate().unwrap();
        assert_eq!(ok.status.unwrap().status, CustomerStatus::Lost);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = CustomerInput {
            reference: " ".into(),
            name: "".into(),
            email: "nope".into(),
            phone: "call me".into(),
            status: Some("gone".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            ["ref", "name", "email", "phone", "status"]
        );
    }

    #[test]
    fn default_reasons_are_valid_keys() {
        for r in default_lost_reasons() {
            assert_eq!(r.validate().unwrap(), r);
        }
    }
}
