//! Row mapping, timestamp text and error translation shared by every query.
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::{Connection, Row, types::Type};
use touchpoint_core::{
    StoreError,
    audit::AuditEntry,
    dimension::{QualityDimension, Servqual},
    org::{Site, StaffMember},
    user::{ApiToken, Role, User},
};

/// Time as stored: UTC, microseconds (what every backend keeps), so it reads back equal.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// RFC 3339 with exactly six fractional digits and `Z`: text order is time order.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    micros(t).to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn conversion(
    idx: usize,
    ty: Type,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, Box::new(e))
}

pub(crate) fn get_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion(idx, Type::Text, e))
}

pub(crate) fn get_opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| conversion(idx, Type::Text, e))
    })
    .transpose()
}

/// Parse a text column with `FromStr` whose error is a message.
pub(crate) fn get_parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let s: String = row.get(idx)?;
    s.parse::<T>()
        .map_err(|e| conversion(idx, Type::Text, std::io::Error::other(e.to_string())))
}

/// Serialise a value stored as JSON text.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> touchpoint_core::StoreResult<String> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

/// Read a JSON text column into `T`.
pub(crate) fn get_json_as<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let s: String = row.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion(idx, Type::Text, e))
}

fn get_json(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| conversion(idx, Type::Text, e)))
        .transpose()
}

/// Translate a SQLite error: UNIQUE violations become `Conflict` naming the column.
pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e
        && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    {
        // "UNIQUE constraint failed: services.key"
        let column = msg
            .rsplit(": ")
            .next()
            .and_then(|c| c.split(", ").next())
            .and_then(|c| c.rsplit('.').next())
            .unwrap_or("id");
        return StoreError::conflict(column, "is already taken");
    }
    StoreError::backend(e)
}

/// `QueryReturnedNoRows` becomes `NotFound { entity }`, anything else goes through [`map_err`].
pub(crate) fn not_found(entity: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::not_found(entity),
        e => map_err(e),
    }
}

pub(crate) const SITE_COLS: &str =
    "id, key, name, city, timezone, active, created_at, manager_email";

pub(crate) fn site(r: &Row<'_>) -> rusqlite::Result<Site> {
    Ok(Site {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        city: r.get(3)?,
        timezone: r.get(4)?,
        active: r.get(5)?,
        created_at: get_ts(r, 6)?,
        manager_email: r.get(7)?,
    })
}

pub(crate) const STAFF_COLS: &str = "id, name, role, site_id, email, active, created_at";

pub(crate) fn staff(r: &Row<'_>) -> rusqlite::Result<StaffMember> {
    Ok(StaffMember {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        site_id: r.get(3)?,
        email: r.get(4)?,
        active: r.get(5)?,
        created_at: get_ts(r, 6)?,
    })
}

pub(crate) const USER_COLS: &str = "id, email, name, role, active, created_at, language";

pub(crate) fn user(r: &Row<'_>) -> rusqlite::Result<User> {
    user_at(r, 0)
}

/// A user whose columns ([`USER_COLS`]) start at `at`.
pub(crate) fn user_at(r: &Row<'_>, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(at)?,
        email: r.get(at + 1)?,
        name: r.get(at + 2)?,
        role: get_parsed::<Role>(r, at + 3)?,
        active: r.get(at + 4)?,
        created_at: get_ts(r, at + 5)?,
        language: r.get(at + 6)?,
    })
}

pub(crate) const TOKEN_COLS: &str =
    "id, user_id, name, prefix, created_at, last_used_at, revoked_at";

pub(crate) fn token(r: &Row<'_>) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: r.get(0)?,
        user_id: r.get(1)?,
        name: r.get(2)?,
        prefix: r.get(3)?,
        created_at: get_ts(r, 4)?,
        last_used_at: get_opt_ts(r, 5)?,
        revoked_at: get_opt_ts(r, 6)?,
    })
}

pub(crate) fn dimension(r: &Row<'_>) -> rusqlite::Result<QualityDimension> {
    let servqual = match r.get::<_, String>(3)?.as_str() {
        "tangibles" => Servqual::Tangibles,
        "reliability" => Servqual::Reliability,
        "responsiveness" => Servqual::Responsiveness,
        "assurance" => Servqual::Assurance,
        "empathy" => Servqual::Empathy,
        other => {
            return Err(conversion(
                3,
                Type::Text,
                std::io::Error::other(format!("unknown servqual group '{other}'")),
            ));
        }
    };
    Ok(QualityDimension {
        key: r.get(0)?,
        name_en: r.get(1)?,
        name_es: r.get(2)?,
        servqual,
        position: r.get(4)?,
    })
}

pub(crate) const AUDIT_COLS: &str =
    "id, at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, detail";

pub(crate) fn audit(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: get_ts(r, 1)?,
        actor_user_id: r.get(2)?,
        actor: r.get(3)?,
        action: r.get(4)?,
        entity: r.get(5)?,
        entity_id: r.get(6)?,
        before: get_json(r, 7)?,
        after: get_json(r, 8)?,
        detail: r.get(9)?,
    })
}

/// Run one statement that takes no parameters from the connection's statement cache, without
/// parsing it again: transactions and savepoints are opened and closed on every request.
pub(crate) fn exec_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(drop)
}
