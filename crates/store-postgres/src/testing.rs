//! Helpers for tests that need a real PostgreSQL database (this crate's and the server's).
//!
//! Each test gets its own freshly created database, so tests are isolated and run in
//! parallel. Databases are named `tp_test_<unix seconds>_<random hex>`; ones older than
//! [`STALE_AFTER_SECS`] are dropped (best effort) when a new one is made.
use crate::{PgStore, errors::Db};
use sqlx::{Connection, PgConnection};
use std::{
    collections::hash_map::RandomState,
    hash::{BuildHasher, Hasher},
    io::Write,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};
use touchpoint_core::{StoreResult, clock::Clock};

/// Environment variable holding the admin URL of the test server.
pub const URL_ENV: &str = "TOUCHPOINT_TEST_POSTGRES_URL";
/// Test databases older than this are left-overs of finished runs.
pub const STALE_AFTER_SECS: u64 = 6 * 3600;
const PREFIX: &str = "tp_test_";

/// The admin URL from [`URL_ENV`]. When unset: panics if `CI` is set (CI must never skip
/// silently), otherwise prints a loud notice to stderr and returns `None`.
pub fn admin_url_from_env(test: &str) -> Option<String> {
    match std::env::var(URL_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ if std::env::var_os("CI").is_some() => panic!(
            "{URL_ENV} is not set but CI is: PostgreSQL tests must run in CI. \
             Set {URL_ENV}=postgres://postgres@127.0.0.1:5432/test"
        ),
        _ => {
            // Written straight to stderr so the test harness cannot capture it; once per
            // process is loud enough.
            static WARNED: AtomicBool = AtomicBool::new(false);
            if !WARNED.swap(true, Ordering::Relaxed) {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** SKIPPED: PostgreSQL tests (first: `{test}`) — set \
                     {URL_ENV}=postgres://postgres@127.0.0.1:5432/test to run them ***\n"
                );
            }
            None
        }
    }
}

/// `url` with its database name replaced by `database` (query parameters kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn random_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    h.write_u128(unix_nanos());
    format!("{:016x}", h.finish())
}

fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Creation time of a test database from its name, if the name is one of ours.
fn created_secs(name: &str) -> Option<u64> {
    let rest = name.strip_prefix(PREFIX)?;
    let (secs, hex) = rest.split_once('_')?;
    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    secs.parse().ok()
}

/// Create an empty database on the server of `admin_url` and return its URL.
pub async fn fresh_database(admin_url: &str) -> StoreResult<String> {
    let mut admin = PgConnection::connect(admin_url).await.db()?;
    let now_secs = u64::try_from(unix_nanos() / 1_000_000_000).unwrap_or_default();
    drop_stale(&mut admin, now_secs).await;
    let name = format!("{PREFIX}{now_secs}_{}", random_hex());
    // The name is built from digits and hex only, so it is safe to splice.
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .db()?;
    admin.close().await.db()?;
    Ok(with_database(admin_url, &name))
}

async fn drop_stale(admin: &mut PgConnection, now_secs: u64) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'tp\\_test\\_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let stale =
            created_secs(&name).is_some_and(|t| now_secs.saturating_sub(t) > STALE_AFTER_SECS);
        if stale {
            // Fails harmlessly if someone is still connected.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *admin)
                .await;
        }
    }
}

/// A migrated store on a fresh database of the server at `admin_url`.
pub async fn fresh_store(admin_url: &str, clock: Arc<dyn Clock>) -> StoreResult<PgStore> {
    let url = fresh_database(admin_url).await?;
    PgStore::connect_with(&url, clock, 4).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_is_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/test?sslmode=disable", "x"),
            "postgresql://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }

    #[test]
    fn only_our_names_are_considered_stale() {
        assert_eq!(created_secs("tp_test_100_abc1"), Some(100));
        assert_eq!(created_secs("tp_test_100_"), None);
        assert_eq!(created_secs("test"), None);
        assert_ne!(random_hex(), random_hex());
    }
}
