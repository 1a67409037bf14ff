//! A small pool of read-only connections used from `spawn_blocking`.
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

    /// Run `work` on a pooled connection inside one read transaction (a consistent snapshot).
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
        tokio::task::spawn_blocking(move || {
            let conn = pool
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .ok_or_else(|| StoreError::Backend("no reader connection free".into()))?;
            // Cached statements: parsing "BEGIN"/"ROLLBACK" anew is a cost on every read.
            let result = run(&conn, "BEGIN")
                .map_err(StoreError::backend)
                .and_then(|()| {
                    catch_unwind(AssertUnwindSafe(|| work(&conn)))
                        .unwrap_or_else(|_| Err(StoreError::Backend("read job panicked".into())))
                });
            // A read transaction has nothing to keep; ending it can only fail if none is open.
            let _ = run(&conn, "ROLLBACK");
            pool.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }
}

fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(drop)
}
