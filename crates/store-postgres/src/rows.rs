//! Column lists and row-to-domain mapping, shared by the queries of every module.
use crate::errors::corrupt;
use sqlx::{Row, postgres::PgRow};
use touchpoint_core::{
    audit::AuditEntry,
    cycle::CycleVersionSummary,
    dimension::{QualityDimension, Servqual},
    org::{Site, StaffMember},
    service::Service,
    user::{ApiToken, Role, Session, User},
};

/// A service with the counts of its current (latest) cycle version.
pub(crate) const SERVICE_SELECT: &str = "SELECT s.id, s.key, s.name, s.description, \
     s.created_at, s.updated_at, cv.version AS current_version, \
     COALESCE(cv.moment_count, 0) AS moment_count, \
     COALESCE(cv.critical_count, 0) AS critical_count \
     FROM services s LEFT JOIN LATERAL ( \
       SELECT c.version, \
         (SELECT count(*) FROM moments m WHERE m.cycle_version_id = c.id) AS moment_count, \
         (SELECT count(*) FROM moments m WHERE m.cycle_version_id = c.id AND m.critical) \
           AS critical_count \
       FROM cycle_versions c WHERE c.service_id = s.id ORDER BY c.version DESC LIMIT 1 \
     ) cv ON TRUE";

pub(crate) const SITE_SELECT: &str = "SELECT s.id, s.key, s.name, s.city, s.timezone, \
     s.active, s.created_at, s.manager_email FROM sites s";

pub(crate) const STAFF_SELECT: &str =
    "SELECT s.id, s.name, s.role, s.site_id, s.email, s.active, s.created_at FROM staff s";

/// Users are aliased `s` so the generic listing can use them.
pub(crate) const USER_SELECT: &str =
    "SELECT s.id, s.email, s.name, s.role, s.active, s.created_at, s.language FROM users s";

/// Columns of a user joined as `u` (plain names, so [`user`] reads them).
pub(crate) const JOINED_USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.active, u.created_at, u.language";

/// Token columns, aliased so they can sit next to a user's in one row.
pub(crate) const TOKEN_COLUMNS: &str = "t.id AS token_id, t.user_id AS token_user_id, \
     t.name AS token_name, t.prefix, t.created_at AS token_created_at, t.last_used_at, \
     t.revoked_at";

pub(crate) const AUDIT_SELECT: &str = "SELECT a.id, a.at, a.actor_user_id, a.actor, a.action, \
     a.entity, a.entity_id, a.before_json, a.after_json, a.detail FROM audit_log a";

pub(crate) fn service(r: &PgRow) -> Result<Service, sqlx::Error> {
    Ok(Service {
        id: r.try_get("id")?,
        key: r.try_get("key")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        current_version: r.try_get("current_version")?,
        moment_count: r.try_get("moment_count")?,
        critical_count: r.try_get("critical_count")?,
    })
}

pub(crate) fn site(r: &PgRow) -> Result<Site, sqlx::Error> {
    Ok(Site {
        id: r.try_get("id")?,
        key: r.try_get("key")?,
        name: r.try_get("name")?,
        city: r.try_get("city")?,
        timezone: r.try_get("timezone")?,
        active: r.try_get("active")?,
        created_at: r.try_get("created_at")?,
        manager_email: r.try_get("manager_email")?,
    })
}

pub(crate) fn staff(r: &PgRow) -> Result<StaffMember, sqlx::Error> {
    Ok(StaffMember {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        role: r.try_get("role")?,
        site_id: r.try_get("site_id")?,
        email: r.try_get("email")?,
        active: r.try_get("active")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(crate) fn user(r: &PgRow) -> Result<User, sqlx::Error> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: role.parse::<Role>().map_err(|e| corrupt("role", e))?,
        active: r.try_get("active")?,
        created_at: r.try_get("created_at")?,
        language: r.try_get("language")?,
    })
}

pub(crate) fn token(r: &PgRow) -> Result<ApiToken, sqlx::Error> {
    Ok(ApiToken {
        id: r.try_get("token_id")?,
        user_id: r.try_get("token_user_id")?,
        name: r.try_get("token_name")?,
        prefix: r.try_get("prefix")?,
        created_at: r.try_get("token_created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

pub(crate) fn session(r: &PgRow) -> Result<Session, sqlx::Error> {
    Ok(Session {
        token_hash: r.try_get("token_hash")?,
        user_id: r.try_get("session_user_id")?,
        csrf_token: r.try_get("csrf_token")?,
        created_at: r.try_get("session_created_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

pub(crate) fn audit(r: &PgRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
        detail: r.try_get("detail")?,
    })
}

pub(crate) fn summary(r: &PgRow) -> Result<CycleVersionSummary, sqlx::Error> {
    Ok(CycleVersionSummary {
        version: r.try_get("version")?,
        note: r.try_get("note")?,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
        moment_count: r.try_get("moment_count")?,
        critical_count: r.try_get("critical_count")?,
    })
}

pub(crate) fn dimension(r: &PgRow) -> Result<QualityDimension, sqlx::Error> {
    let sq: String = r.try_get("servqual")?;
    let servqual = [
        Servqual::Tangibles,
        Servqual::Reliability,
        Servqual::Responsiveness,
        Servqual::Assurance,
        Servqual::Empathy,
    ]
    .into_iter()
    .find(|s| s.as_str() == sq)
    .ok_or_else(|| corrupt("servqual", &sq))?;
    Ok(QualityDimension {
        key: r.try_get("key")?,
        name_en: r.try_get("name_en")?,
        name_es: r.try_get("name_es")?,
        servqual,
        position: r.try_get("position")?,
    })
}
