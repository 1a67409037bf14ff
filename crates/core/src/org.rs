//! Where service happens and who gives it: sites and staff members.
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A branch, store, hotel or call centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Site {
    pub id: i64,
    /// Stable short identifier used in imports (e.g. `centro`).
    pub key: String,
    pub name: String,
    pub city: String,
    /// IANA time zone name (e.g. `America/Bogota`); business hours are local to it.
    pub timezone: String,
    /// Who answers for the site (the branch or site manager): told when a promise made at
    /// the site is broken, besides the assignee and the global escalation list.
    pub manager_email: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteInput {
    #[serde(default)]
    pub key: Option<String>,
    pub name: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub timezone: Option<String>,
    /// The site manager's email address; empty or absent means none.
    #[serde(default)]
    pub manager_email: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteFields {
    pub key: String,
    pub name: String,
    pub city: String,
    pub timezone: String,
    pub manager_email: Option<String>,
    pub active: bool,
}

pub const DEFAULT_TIMEZONE: &str = "UTC";

impl SiteInput {
    pub fn validate(&self) -> Result<SiteFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = validate::name(&mut errors, "name", &self.name);
        let key = match &self.key {
            Some(k) if !k.trim().is_empty() => validate::key(&mut errors, "key", k),
            _ => validate::slugify(&name),
        };
        let city = validate::text(&mut errors, "city", &self.city);
        let timezone = self
            .timezone
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(DEFAULT_TIMEZONE)
            .to_string();
        if !timezone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
        {
            errors.push(
                "timezone",
                "must be an IANA time zone name such as America/Bogota",
            );
        }
        let manager_email = self
            .manager_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string);
        if let Some(e) = &manager_email
            && !crate::user::looks_like_email(e)
        {
            errors.push(
                "manager_email",
                "must be an email address like name@example.com",
            );
        }
        errors.into_result(SiteFields {
            key,
            name,
            city,
            timezone,
            manager_email,
            active: self.active.unwrap_or(true),
        })
    }
}

/// A person in contact with customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    /// Job role, e.g. `Cashier`, `Receptionist`.
    pub role: String,
    pub site_id: Option<i64>,
    pub email: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffInput {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffFields {
    pub name: String,
    pub role: String,
    pub site_id: Option<i64>,
    pub email: String,
    pub active: bool,
}

impl StaffInput {
    pub fn validate(&self) -> Result<StaffFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = validate::name(&mut errors, "name", &self.name);
        let role = validate::text(&mut errors, "role", &self.role);
        let email = self.email.trim().to_string();
        if !email.is_empty() && !crate::user::looks_like_email(&email) {
            errors.push("email", "must be an email address like name@example.com");
        }
        errors.into_result(StaffFields {
            name,
            role,
            site_id: self.site_id,
            email,
            active: self.active.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_defaults_key_timezone_and_active() {
        let f = SiteInput {
            name: "Centro Branch".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            (f.key.as_str(), f.timezone.as_str(), f.active),
            ("centro-branch", "UTC", true)
        );
    }

    #[test]
    fn site_manager_email_is_optional_and_checked() {
        let with = |email: &str| {
            SiteInput {
                name: "Norte".into(),
                manager_email: Some(email.into()),
                ..Default::default()
            }
            .validate()
        };
        assert_eq!(
            with("  ana@example.com ").unwrap().manager_email.as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(with("  ").unwrap().manager_email, None, "blank is none");
        let e = with("ana at example").unwrap_err();
        assert_eq!(e.first_field(), Some("manager_email"));
        assert_eq!(e.0.len(), 1);
    }

    #[test]
    fn staff_email_must_look_like_one() {
        let e = StaffInput {
            name: "Ana".into(),
            email: "ana".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.first_field(), Some("email"));
    }
}
