//! The store conformance suite: one async function per behaviour, written only against
//! [`Store`]. Every backend runs all of them through [`conformance_tests!`](crate::conformance_tests),
//! each on a fresh, empty, migrated store.
//!
//! # Contract pinned down here (beyond the trait docs)
//!
//! **Audit actions** (`action` / `entity`; `entity_id` is the row id as a string):
//!
//! | action | entity | before | after |
//! |---|---|---|---|
//! | `service.create` | `service` | – | the `Service` |
//! | `service.update` | `service` | old `Service` | new `Service` |
//! | `service.archive` | `service` | the `Service` | – |
//! | `cycle.publish` | `cycle` (entity_id = the **service** id) | – | the published `CycleVersion` |
//! | `site.create` / `site.update` / `site.deactivate` | `site` | old `Site` (not on create) | new `Site` |
//! | `staff.create` / `staff.update` / `staff.deactivate` | `staff` | old (not on create) | new |
//! | `user.create` / `user.update` | `user` | old `User` (not on create) | new `User` |
//! | `user.password` | `user` | – | – (never the hash) |
//! | `token.create` / `token.revoke` | `token` | old `ApiToken` (revoke) | new `ApiToken` |
//!
//! The audit record is written in the same transaction as the change: a failed change (conflict,
//! not found, invalid) leaves no audit record. `actor_user_id` has no foreign key (events may
//! name users that do not exist). Sessions are not audited.
//!
//! **Lists** (`ListQuery`): the limit is clamped with [`ListQuery::clamped`] and the effective
//! limit/offset are echoed in the `Page`; `total` counts every row matching the filters.
//! Sorting by name is case-insensitive (`lower(name)`); every sort breaks ties by id in the
//! same direction, so rows created in order sort in that order by `created_at` even when the
//! clock stands still. `SortField::Key` sorts services and sites by key, users by email, staff
//! by name. `search` is a case-insensitive substring match (ASCII case folding is enough) on
//! the name, and for users on the name or the email; `%` and `_` are literal characters.
//! `include_inactive` adds archived services, inactive sites, staff and users.
//!
//! **Audit listing**: newest first (`at` desc, then id desc). `action` is a literal prefix
//! match, `actor` and `entity` are exact matches, `since` is inclusive (`at >= since`) and
//! `until` exclusive (`at < until`). The limit is clamped to `1..=MAX_LIMIT`.
//!
//! **Services**: keys stay taken by archived services; archived services are still readable by
//! id and key. **Cycles**: publishing to an unknown service is `NotFound { entity: "service" }`;
//! concurrent publishes on one service get distinct consecutive versions.
//! **Users**: emails are stored lowercased; `count_users` counts inactive users too.
//! **Sessions**: valid while `now < expires_at`; `delete_expired_sessions(now)` deletes those
//! with `expires_at <= now`; deleting an absent session is not an error.
//! **Tokens**: `find_token` stamps `last_used_at = now` and returns the stamped token;
//! `list_tokens` returns all of the user's tokens, revoked ones included, oldest first;
//! revoking an already revoked token, or another user's, is `NotFound { entity: "token" }`;
//! creating a token for an unknown user is `NotFound { entity: "user" }`; a revocation, a
//! deactivation or a change of role shows at the very next `find_token` (a store that keeps
//! tokens in memory drops them on such a change).
//! **Time**: timestamps are kept to the microsecond and read back exactly as returned.
//!
//! [`Store`]: touchpoint_core::store::Store
//! [`ListQuery::clamped`]: touchpoint_core::listing::ListQuery::clamped

mod audit;
pub mod complaints;
mod cycles;
pub mod feedback;
pub mod improvement;
mod org;
pub mod portfolio;
pub mod recognition;
mod services;
mod users;

pub use audit::*;
pub use cycles::*;
pub use org::*;
pub use services::*;
pub use users::*;

use std::fmt::Debug;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{AuditEntry, AuditQuery},
    listing::{ListQuery, SortField},
    store::Store,
};

/// Panics unless `r` is `NotFound { entity }`.
#[track_caller]
pub fn assert_not_found<T: Debug>(r: StoreResult<T>, entity: &str) {
    match r {
        Err(StoreError::NotFound { entity: e }) if e == entity => {}
        other => panic!("expected NotFound {{ entity: {entity:?} }}, got {other:?}"),
    }
}

/// Panics unless `r` is `Conflict { field }`.
#[track_caller]
pub fn assert_conflict<T: Debug>(r: StoreResult<T>, field: &str) {
    match r {
        Err(StoreError::Conflict { field: f, .. }) if f == field => {}
        other => panic!("expected Conflict {{ field: {field:?} }}, got {other:?}"),
    }
}

/// Panics unless `r` is `Invalid` naming `field`.
#[track_caller]
pub fn assert_invalid<T: Debug>(r: StoreResult<T>, field: &str) {
    match r {
        Err(StoreError::Invalid(e)) if e.0.iter().any(|f| f.field == field) => {}
        other => panic!("expected Invalid on field {field:?}, got {other:?}"),
    }
}

/// A default query sorted by `sort`.
pub fn sorted(sort: SortField, descending: bool) -> ListQuery {
    ListQuery {
        sort,
        descending,
        ..ListQuery::default()
    }
}

/// A default query with a search term.
pub fn searching(term: &str) -> ListQuery {
    ListQuery {
        search: Some(term.to_string()),
        ..ListQuery::default()
    }
}

/// Every audit entry, newest first.
pub async fn all_audit(store: &dyn Store) -> Vec<AuditEntry> {
    store
        .list_audit(&AuditQuery::default(), 500, 0)
        .await
        .expect("list_audit")
        .items
}

/// The newest audit entry with this action.
pub async fn last_audit(store: &dyn Store, action: &str) -> AuditEntry {
    all_audit(store)
        .await
        .into_iter()
        .find(|e| e.action == action)
        .unwrap_or_else(|| panic!("no audit entry with action {action}"))
}
