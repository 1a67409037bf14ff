//! Pick the storage backend from the database URL's scheme.
use crate::failure::usage;
use anyhow::Context;
use std::sync::Arc;
use touchpoint_core::{clock::Clock, store::Store};
use touchpoint_store_postgres::PgStore;
use touchpoint_store_sqlite::SqliteStore;

/// The backends a URL can name, as shown in error messages.
pub const ACCEPTED_SCHEMES: &str = "sqlite: (e.g. sqlite://touchpoint.db or \
     sqlite:///var/lib/touchpoint/touchpoint.db), postgres: or postgresql: \
     (e.g. postgres://user:password@host:5432/touchpoint)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Which backend serves `url`, or a usage error listing the accepted schemes.
pub fn backend_of(url: &str) -> anyhow::Result<Backend> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s.trim().to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => Ok(Backend::Sqlite),
        Some("postgres" | "postgresql") => Ok(Backend::Postgres),
        _ => Err(usage(format!(
            "unsupported database URL '{}'; accepted schemes: {ACCEPTED_SCHEMES}",
            redact(url)
        ))),
    }
}

/// Open (and migrate) the store named by `url`.
pub async fn open_store(url: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<dyn Store>> {
    let shown = redact(url);
    Ok(match backend_of(url)? {
        Backend::Sqlite => Arc::new(
            SqliteStore::open(url, clock)
                .with_context(|| format!("cannot open database {shown}"))?,
        ),
        Backend::Postgres => Arc::new(
            PgStore::connect(url, clock)
                .await
                .with_context(|| format!("cannot open database {shown}"))?,
        ),
    })
}

/// The URL with any password replaced by `***`, safe for messages and logs.
pub fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let Some(at) = url[start..authority_end].rfind('@').map(|i| start + i) else {
        return url.to_string();
    };
    match url[start..at].find(':').map(|i| start + i) {
        Some(colon) => format!("{}:***{}", &url[..colon], &url[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{EXIT_USAGE, exit_code};

    #[test]
    fn scheme_picks_the_backend() {
        assert_eq!(backend_of("sqlite://t.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("sqlite:///abs/t.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://h/db").unwrap(), Backend::Postgres);
        assert_eq!(backend_of("postgresql://h/db").unwrap(), Backend::Postgres);
    }

    #[test]
    fn unknown_scheme_lists_the_accepted_ones() {
        for url in ["mysql://h/db", "touchpoint.db", ""] {
            let e = backend_of(url).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains("sqlite:") && msg.contains("postgres:"),
                "{msg}"
            );
            assert_eq!(exit_code(&e), EXIT_USAGE);
        }
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redact("postgres://tp:s3cret@db:5432/tp"),
            "postgres://tp:***@db:5432/tp"
        );
        assert_eq!(redact("postgres://tp@db/tp"), "postgres://tp@db/tp");
        assert_eq!(redact("sqlite://touchpoint.db"), "sqlite://touchpoint.db");
        assert!(
            !backend_of("mysql://u:pw@h/d")
                .unwrap_err()
                .to_string()
                .contains("pw")
        );
    }
}
