//! Who is asking and what they may do.
//!
//! * API requests carry `Authorization: Bearer <token>`; [`ApiUser`] resolves it.
//! * Pages use a session cookie; [`PageUser`] resolves it and carries the CSRF token that
//!   [`csrf::csrf_guard`] checks on every state-changing form.
//! * [`login`] holds the login use case (throttled, one generic failure message).

pub mod api_user;
pub mod csrf;
pub mod login;
pub mod page_user;
pub mod password;
pub mod secrets;
pub mod throttle;

pub use api_user::ApiUser;
pub use page_user::PageUser;

use crate::state::AppState;
use touchpoint_core::{
    audit::{Actor, NewAuditEntry},
    user::{Permission, User},
};

pub const SESSION_COOKIE: &str = "tp_session";

/// Record an access denial in the audit log (best effort: a failing log never hides the 403).
pub async fn audit_denial(state: &AppState, user: &User, what: &str) {
    let entry = NewAuditEntry::event(&Actor::user(user.id, &user.email), "access.denied", what);
    if let Err(e) = state.store.record(&entry).await {
        tracing::warn!(error = %e, "could not record access denial");
    }
}

/// Does this user's role allow `permission`? Denials are audited.
pub async fn check(state: &AppState, user: &User, permission: Permission, what: &str) -> bool {
    if user.role.allows(permission) {
        true
    } else {
        audit_denial(state, user, what).await;
        false
    }
}
