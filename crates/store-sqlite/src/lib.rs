//! The embedded SQLite store, Touchpoint's default backend.
//!
//! One writer thread owns the only writing connection and group-commits (see [`writer`]);
//! reads run on a small pool of `query_only` connections through `spawn_blocking`. The schema
//! lives in `migrations/*.sql`, embedded and applied on open.
//!
//! ```no_run
//! # async fn demo() -> touchpoint_core::StoreResult<()> {
//! use std::sync::Arc;
//! use touchpoint_core::clock::SystemClock;
//! let store = touchpoint_store_sqlite::SqliteStore::open("sqlite://touchpoint.db", Arc::new(SystemClock))?;
//! # Ok(()) }
//! ```
mod action_plans;
mod answers;
mod audit;
mod auth;
mod caches;
mod complaint_config;
mod complaint_facts;
mod complaint_import;
mod complaint_outbox;
mod complaint_promises;
mod complaint_rows;
mod complaint_writes;
mod complaints;
mod customers;
mod cycles;
mod evidence;
mod feedback;
mod improvement;
mod links;
mod listing;
mod measurements;
mod migrate;
mod org;
mod pending;
mod portfolio;
mod readers;
mod rebuild;
mod recognition;
mod requirements;
mod responses;
mod rollup_reads;
mod rollups;
mod rows;
mod services;
mod submit;
mod surveys;
mod users;
mod writer;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};
use touchpoint_core::{StoreError, StoreResult, clock::Clock, store::Store};

/// Number of pooled reader connections.
const READERS: usize = 4;
/// Prepared statements cached per connection (rusqlite's default of 16 is fewer than the
/// distinct statements of the store, which would re-prepare on hot paths).
const STATEMENT_CACHE: usize = 128;

/// Touchpoint's store on an SQLite file.
pub struct SqliteStore {
    // Field order is drop order: the writer thread is joined before the temporary file goes.
    writer: writer::Writer,
    readers: readers::Readers,
    clock: Arc<dyn Clock>,
    /// Published survey versions as the response codec needs them (they never change).
    versions: Mutex<HashMap<i64, Arc<answers::VersionInfo>>>,
    /// Archived flag and current version per survey, for the submission path.
    surveys: Arc<caches::SurveyCache>,
    /// Live API tokens with their users, for every API request.
    tokens: caches::TokenCache,
    /// Sites and staff members seen to exist (they are never deleted).
    known_sites: caches::KnownIds,
    known_staff: caches::KnownIds,
    path: PathBuf,
    _temp: Option<TempFile>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Open (creating if absent) and migrate the database named by `url`:
    /// `sqlite://touchpoint.db`, `sqlite://relative/dir/x.db`, `sqlite:///abs/path.db`, or
    /// `sqlite::memory:` (a private database in a temporary file, deleted when the store drops).
    pub fn open(url: &str, clock: Arc<dyn Clock>) -> StoreResult<Self> {
        match parse_url(url)? {
            None => Self::open_in_memory(clock),
            Some(path) => Self::open_path(path, clock, None),
        }
    }

    /// A fresh private database for tests, deleted when the store drops.
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> StoreResult<Self> {
        let temp = TempFile::new();
        Self::open_path(temp.0.clone(), clock, Some(temp))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open_path(
        path: PathBuf,
        clock: Arc<dyn Clock>,
        temp: Option<TempFile>,
    ) -> StoreResult<Self> {
        let writer = Connection::open(&path)
            .map_err(|e| StoreError::Backend(format!("open {}: {e}", path.display())))?;
        // synchronous=FULL: a write is acknowledged only after its commit is on disk, so an
        // acknowledged change survives power loss; group commit spreads that fsync over every
        // write queued behind it. A 64 MiB page cache (bounded, so memory stays flat) keeps
        // the response indexes hot during bulk imports.
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA cache_size = -65536;
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(rows::map_err)?;
        add_functions(&writer)?;
        writer.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrate::migrate(&writer, rows::micros(clock.now()))?;
        let mut pool = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let c = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(rows::map_err)?;
            c.execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;
                 PRAGMA query_only = ON;",
            )
            .map_err(rows::map_err)?;
            add_functions(&c)?;
            c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            pool.push(c);
        }
        Ok(Self {
            writer: writer::Writer::start(writer)?,
            readers: readers::Readers::new(pool),
            clock,
            versions: Mutex::new(HashMap::new()),
            surveys: Arc::default(),
            tokens: Default::default(),
            known_sites: Default::default(),
            known_staff: Default::default(),
            path,
            _temp: temp,
        })
    }

    /// The clock's time at the stored precision.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        rows::micros(self.clock.now())
    }

    pub(crate) async fn write<R, F>(&self, work: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.writer.write(work).await
    }

    pub(crate) async fn read<R, F>(&self, work: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.readers.read(work).await
    }

    /// A lookup of one row by a unique index, run on the calling task (see
    /// [`readers::Readers::read_point`]).
    pub(crate) async fn read_point<R, F>(&self, work: F) -> StoreResult<R>
    where
        F: FnOnce(&Connection) -> StoreResult<R>,
    {
        self.readers.read_point(work).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<()> {
        let now = self.now();
        self.write(move |c| migrate::migrate(c, now)).await
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(rows::map_err)
        })
        .await
    }
}

/// `tp_fold(text)`: Unicode lowercase (SQLite's `lower` folds ASCII only), for search.
fn add_functions(conn: &Connection) -> StoreResult<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "tp_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
    )
    .map_err(rows::map_err)
}

/// `None` for the in-memory form, else the file path.
fn parse_url(url: &str) -> StoreResult<Option<PathBuf>> {
    let bad = || {
        StoreError::Backend(format!(
            "unsupported database URL '{url}'; use sqlite://file.db, sqlite:///abs/path.db or sqlite::memory:"
        ))
    };
    let rest = url.strip_prefix("sqlite:").ok_or_else(bad)?;
    let rest = rest.split('?').next().unwrap_or_default();
    if rest == ":memory:" || rest == "//:memory:" {
        return Ok(None);
    }
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.is_empty() {
        return Err(bad());
    }
    Ok(Some(PathBuf::from(path)))
}

/// A database file in the temp directory, removed (with its WAL files) on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("touchpoint-{}-{nanos}-{n}.db", std::process::id());
        Self(std::env::temp_dir().join(name))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_url;
    use std::path::PathBuf;

    #[test]
    fn urls() {
        let p = |u: &str| parse_url(u).unwrap();
        assert_eq!(p("sqlite::memory:"), None);
        assert_eq!(
            p("sqlite://touchpoint.db"),
            Some(PathBuf::from("touchpoint.db"))
        );
        assert_eq!(
            p("sqlite://data/tp.db?mode=rwc"),
            Some(PathBuf::from("data/tp.db"))
        );
        assert_eq!(
            p("sqlite:///var/lib/tp.db"),
            Some(PathBuf::from("/var/lib/tp.db"))
        );
        assert!(parse_url("postgres://x").is_err());
        assert!(parse_url("sqlite://").is_err());
    }
}
