//! People who use Touchpoint, what each role may do, sessions and API tokens.
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Agent,
    Auditor,
    Viewer,
}

/// What a request wants to do. Each route declares one; [`Role::allows`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read services, cycles, sites, staff and dimensions.
    Read,
    /// Create and change services, cycles, sites and staff.
    ManageCatalog,
    /// Manage users and browse the audit log.
    Administer,
    /// Manage one's own API tokens.
    OwnTokens,
    /// Create, edit and publish surveys; create links and invitations; import responses.
    ManageSurveys,
    /// Record mystery-shopper visits and edit audit checklists.
    RecordAudit,
    /// Record measurements and compliments, and submit responses through the API.
    RecordFeedback,
    /// Create and change customers, their status, and sales.
    ManageCustomers,
    /// Register complaints, move them through their lifecycle, assign them, write updates,
    /// make and settle promises, record resolutions.
    HandleComplaints,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Agent,
        Role::Auditor,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Agent => "agent",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }

    pub fn allows(self, p: Permission) -> bool {
        match p {
            Permission::Read | Permission::OwnTokens => true,
            Permission::ManageCatalog => matches!(self, Role::Admin | Role::Manager),
            Permission::Administer => self == Role::Admin,
            Permission::ManageSurveys => matches!(self, Role::Admin | Role::Manager),
            Permission::RecordAudit => matches!(self, Role::Admin | Role::Manager | Role::Auditor),
            Permission::RecordFeedback => matches!(self, Role::Admin | Role::Manager | Role::Agent),
            Permission::ManageCustomers => {
                matches!(self, Role::Admin | Role::Manager | Role::Agent)
            }
            Permission::HandleComplaints => {
                matches!(self, Role::Admin | Role::Manager | Role::Agent)
            }
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown role '{s}'; expected one of admin, manager, agent, auditor, viewer"
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Preferred interface language (`en` or `es`).
    pub language: String,
}

/// A user as stored, with the password hash that never leaves the server.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

pub const MIN_PASSWORD_LEN: usize = 12;

/// `last_used_at` of an API token is refreshed at most this often, so that authenticating an
/// API request is a read, not a durable write, on the hot path.
pub const TOKEN_USE_RESOLUTION_SECS: i64 = 60;

/// Whether a token last used at `last` should be stamped again at `now`.
pub fn token_use_is_stale(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|t| (now - t).num_seconds() >= TOKEN_USE_RESOLUTION_SECS)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserFields {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: String,
}

pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

pub fn validate_language(errors: &mut ValidationErrors, field: &str, lang: Option<&str>) -> String {
    match lang.map(str::trim).filter(|l| !l.is_empty()) {
        None => "en".into(),
        Some(l @ ("en" | "es")) => l.into(),
        Some(_) => {
            errors.push(field, "must be 'en' or 'es'");
            "en".into()
        }
    }
}

impl NewUser {
    pub fn validate(&self) -> Result<UserFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let email = self.email.trim().to_ascii_lowercase();
        if !looks_like_email(&email) {
            errors.push("email", "must be an email address like name@example.com");
        }
        let name = validate::name(&mut errors, "name", &self.name);
        let language = validate_language(&mut errors, "language", self.language.as_deref());
        errors.into_result(UserFields {
            email,
            name,
            role: self.role,
            language,
        })
    }
}

/// Rejects passwords too short to resist guessing; returns the field error.
pub fn check_password(errors: &mut ValidationErrors, field: &str, password: &str) {
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(
            field,
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
        );
    }
    if password.len() > 1024 {
        errors.push(field, "must be at most 1024 bytes");
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub language: Option<String>,
}

/// A login session; the cookie holds a random secret, the store only its SHA-256.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    /// Per-session anti-CSRF token that every state-changing form must echo.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An API token's metadata; the secret is shown once and only its hash is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// First characters of the secret, to recognise it in lists.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_administer_and_viewers_only_read() {
        assert!(Role::Admin.allows(Permission::Administer));
        assert!(!Role::Manager.allows(Permission::Administer));
        assert!(Role::Manager.allows(Permission::ManageCatalog));
        for r in [Role::Agent, Role::Auditor, Role::Viewer] {
            assert!(!r.allows(Permission::ManageCatalog));
            assert!(r.allows(Permission::Read));
        }
    }

    #[test]
    fn auditors_audit_and_agents_record_feedback() {
        assert!(Role::Auditor.allows(Permission::RecordAudit));
        assert!(!Role::Auditor.allows(Permission::RecordFeedback));
        assert!(Role::Agent.allows(Permission::RecordFeedback));
        assert!(!Role::Agent.allows(Permission::RecordAudit));
        assert!(!Role::Viewer.allows(Permission::RecordFeedback));
        assert!(!Role::Agent.allows(Permission::ManageSurveys));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        let f = NewUser {
            email: " Ana@Bank.COM ".into(),
            name: "Ana".into(),
            role: Role::Agent,
            language: None,
        }
        .validate()
        .unwrap();
        assert_eq!(f.email, "ana@bank.com");
        assert!(!looks_like_email("ana@bank"));
        assert!(!looks_like_email("a b@bank.com"));
    }
}
