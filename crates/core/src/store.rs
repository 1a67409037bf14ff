//! The storage contract. SQLite and PostgreSQL implement it; the conformance suite in
//! `touchpoint-test-support` holds both to the same behaviour.
//!
//! Every method that changes data takes the [`Actor`] and writes its audit record in the same
//! transaction as the change, so the trail can never miss a committed change.
use crate::{
    audit::{Actor, AuditEntry, AuditQuery, NewAuditEntry},
    complaints::store::ComplaintStore,
    cycle::{CycleVersion, CycleVersionSummary, ValidCycle},
    dimension::QualityDimension,
    error::{StoreError, StoreResult},
    feedback::store::FeedbackStore,
    improvement::store::ImprovementStore,
    listing::{ListQuery, Page},
    org::{Site, SiteFields, StaffFields, StaffMember},
    portfolio::CustomerStore,
    recognition::RecognitionStore,
    service::{Service, ServiceFields},
    user::{ApiToken, Session, User, UserCredentials, UserFields, UserPatch},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait ServiceStore: Send + Sync {
    /// Services not archived (all with `include_inactive`), with their current-cycle counts.
    async fn list_services(&self, q: &ListQuery) -> StoreResult<Page<Service>>;
    async fn get_service(&self, id: i64) -> StoreResult<Service>;
    async fn get_service_by_key(&self, key: &str) -> StoreResult<Service>;
    /// Fails with `Conflict { field: "key" }` when the key is taken.
    async fn create_service(&self, actor: &Actor, f: &ServiceFields) -> StoreResult<Service>;
    async fn update_service(
        &self,
        actor: &Actor,
        id: i64,
        f: &ServiceFields,
    ) -> StoreResult<Service>;
    /// Archives the service: it leaves lists, its history and feedback stay.
    async fn archive_service(&self, actor: &Actor, id: i64) -> StoreResult<()>;

    /// Publish `cycle` as the next version of the service's cycle and return it.
    async fn publish_cycle(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle: &ValidCycle,
    ) -> StoreResult<CycleVersion>;
    /// The latest version, or `NotFound { entity: "cycle" }` if none was published.
    async fn current_cycle(&self, service_id: i64) -> StoreResult<CycleVersion>;
    async fn cycle_version(&self, service_id: i64, version: i32) -> StoreResult<CycleVersion>;
    /// Newest first.
    async fn list_cycle_versions(&self, service_id: i64) -> StoreResult<Vec<CycleVersionSummary>>;
}

/// `Ok(true)` for a row, `Ok(false)` for `NotFound`.
fn found<T>(r: StoreResult<T>) -> StoreResult<bool> {
    match r {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

#[async_trait]
pub trait OrgStore: Send + Sync {
    async fn list_sites(&self, q: &ListQuery) -> StoreResult<Page<Site>>;
    async fn get_site(&self, id: i64) -> StoreResult<Site>;
    /// Whether a site with this id exists, active or not. Sites are never deleted, so a
    /// backend may remember the ids it has found.
    async fn site_exists(&self, id: i64) -> StoreResult<bool> {
        found(self.get_site(id).await)
    }
    /// Fails with `Conflict { field: "key" }` when the key is taken.
    async fn create_site(&self, actor: &Actor, f: &SiteFields) -> StoreResult<Site>;
    async fn update_site(&self, actor: &Actor, id: i64, f: &SiteFields) -> StoreResult<Site>;
    /// Marks inactive; a site is never hard-deleted because feedback points at it.
    async fn deactivate_site(&self, actor: &Actor, id: i64) -> StoreResult<()>;

    /// `site_id` filters to one site.
    async fn list_staff(
        &self,
        q: &ListQuery,
        site_id: Option<i64>,
    ) -> StoreResult<Page<StaffMember>>;
    async fn get_staff(&self, id: i64) -> StoreResult<StaffMember>;
    /// Whether a staff member with this id exists, active or not. Staff members are never
    /// deleted, so a backend may remember the ids it has found.
    async fn staff_exists(&self, id: i64) -> StoreResult<bool> {
        found(self.get_staff(id).await)
    }
    /// Fails with `Invalid` on field `site_id` when the site does not exist.
    async fn create_staff(&self, actor: &Actor, f: &StaffFields) -> StoreResult<StaffMember>;
    async fn update_staff(
        &self,
        actor: &Actor,
        id: i64,
        f: &StaffFields,
    ) -> StoreResult<StaffMember>;
    async fn deactivate_staff(&self, actor: &Actor, id: i64) -> StoreResult<()>;

    /// Ordered by position. Migrations seed the ten defaults.
    async fn list_dimensions(&self) -> StoreResult<Vec<QualityDimension>>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn list_users(&self, q: &ListQuery) -> StoreResult<Page<User>>;
    async fn get_user(&self, id: i64) -> StoreResult<User>;
    /// Case-insensitive on the email; includes the password hash for login.
    async fn find_credentials(&self, email: &str) -> StoreResult<UserCredentials>;
    /// Fails with `Conflict { field: "email" }` when the email is taken.
    async fn create_user(
        &self,
        actor: &Actor,
        f: &UserFields,
        password_hash: &str,
    ) -> StoreResult<User>;
    /// Deactivating a user also deletes their sessions, in the same transaction.
    async fn update_user(&self, actor: &Actor, id: i64, patch: &UserPatch) -> StoreResult<User>;
    async fn set_password(&self, actor: &Actor, id: i64, password_hash: &str) -> StoreResult<()>;
    async fn count_users(&self) -> StoreResult<i64>;

    async fn create_session(&self, s: &Session) -> StoreResult<()>;
    /// The session and its user, only if unexpired at `now` and the user is active.
    async fn find_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(Session, User)>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_sessions_of_user(&self, user_id: i64) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    async fn create_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken>;
    /// The token and its user, only if not revoked and the user is active. Stamps
    /// `last_used_at = now` when [`token_use_is_stale`](crate::user::token_use_is_stale)
    /// (never stamped, or at least a minute old), and returns the token as stored.
    async fn find_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(ApiToken, User)>;
    async fn list_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>>;
    /// Only the owner's own token (`user_id`) can be revoked through this call.
    async fn revoke_token(&self, actor: &Actor, user_id: i64, token_id: i64) -> StoreResult<()>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Record an event that is not part of a change (login, failed login, access denial).
    async fn record(&self, entry: &NewAuditEntry) -> StoreResult<()>;
    /// Newest first.
    async fn list_audit(
        &self,
        q: &AuditQuery,
        limit: u32,
        offset: u32,
    ) -> StoreResult<Page<AuditEntry>>;
}

/// Everything a Touchpoint deployment stores.
#[async_trait]
pub trait Store:
    ServiceStore
    + OrgStore
    + UserStore
    + AuditStore
    + FeedbackStore
    + CustomerStore
    + ComplaintStore
    + ImprovementStore
    + RecognitionStore
{
    /// Apply pending migrations (idempotent).
    async fn migrate(&self) -> StoreResult<()>;
    /// `sqlite` or `postgres`, for logs and health output.
    fn backend(&self) -> &'static str;
    /// Cheap liveness probe of the database.
    async fn ping(&self) -> StoreResult<()>;
}
