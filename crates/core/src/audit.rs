//! The audit trail: every change, login, failed login and access denial.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who is acting. Stores stamp every change with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// Email of the user, or a tool name such as `cli` or `demo`.
    pub label: String,
}

impl Actor {
    pub fn user(id: i64, email: &str) -> Self {
        Self {
            user_id: Some(id),
            label: email.to_string(),
        }
    }
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_string(),
        }
    }
}

/// An audit record about to be written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    pub actor_user_id: Option<i64>,
    pub actor: String,
    /// What happened, e.g. `service.create`, `cycle.publish`, `login.failed`, `access.denied`.
    pub action: String,
    /// Kind of thing touched, e.g. `service`; empty for logins.
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// Client address or other context (route, reason).
    pub detail: String,
}

impl NewAuditEntry {
    /// A change to an entity, with its state before and after.
    pub fn change<B: Serialize, A: Serialize>(
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Self {
        Self {
            actor_user_id: actor.user_id,
            actor: actor.label.clone(),
            action: action.into(),
            entity: entity.into(),
            entity_id: Some(entity_id.to_string()),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
            detail: String::new(),
        }
    }

    /// An event that changes nothing (login, failed login, access denial).
    pub fn event(actor: &Actor, action: &str, detail: impl Into<String>) -> Self {
        Self {
            actor_user_id: actor.user_id,
            actor: actor.label.clone(),
            action: action.into(),
            entity: String::new(),
            entity_id: None,
            before: None,
            after: None,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub detail: String,
}

/// Filters for browsing the audit log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Prefix match on the action (`login` matches `login.ok` and `login.failed`).
    pub action: Option<String>,
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}
