//! A small pool of read-only connections used from `spawn_blocking`.
use crate::rows::exec_cached;
use rusqlite::Connection;
use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{Arc, Mutex},
};
use tokio::sync::Semaphore;
use touchpoint_core::{StoreError, StoreResult};

pub(crate) struct Readers {
    pool: Arc<Mutex<Vec<Connection>>>,
    permits: Semaphore,
}

impl Readers {
    pub(crate) fn new(conns: Vec<Connection>) -> Self {
        let permits = Semaphore::new(conns.len());
        Self {
            pool: Arc::new(Mutex::new(conns)),
            permits,
        }
    }

    /// Run `work` on a pooled connection inside one read transaction (a consistent snapshot),
    /// on the blocking thread pool.
    pub(crate) async fn read<R, F>(&self, work: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Backend("reader pool closed".into()))?;
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || in_transaction(&pool, work))
            .await
            .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }

    /// Like [`read`](Self::read), but on the calling task: for the lookups of one row by a
    /// unique index that every submission makes (its token, its link, whether its site
    /// exists). They take microseconds on the page cache, less than the two thread switches
    /// of a trip to the blocking pool, which measured a third to a half more submissions per
    /// second over HTTP (docs/BENCHMARKS.md). Never for anything that scans: it would hold up
    /// every other request of this worker thread meanwhile.
    pub(crate) async fn read_point<R, F>(&self, work: F) -> StoreResult<R>
    where
        F: FnOnce(&Connection) -> StoreResult<R>,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Backend("reader pool closed".into()))?;
        in_transaction(&self.pool, work)
    }
}

/// Take a connection, run `work` in a read transaction, put the connection back.
fn in_transaction<R, F>(pool: &Mutex<Vec<Connection>>, work: F) -> StoreResult<R>
where
    F: FnOnce(&Connection) -> StoreResult<R>,
{
    let conn = pool
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop()
        .ok_or_else(|| StoreError::Backend("no reader connection free".into()))?;
    // Cached statements: parsing "BEGIN"/"ROLLBACK" anew is a cost on every read.
    let result = exec_cached(&conn, "BEGIN")
        .map_err(StoreError::backend)
        .and_then(|()| {
            catch_unwind(AssertUnwindSafe(|| work(&conn)))
                .unwrap_or_else(|_| Err(StoreError::Backend("read job panicked".into())))
        });
    // A read transaction has nothing to keep; ending it can only fail if none is open.
    let _ = exec_cached(&conn, "ROLLBACK");
    pool.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    result
}
