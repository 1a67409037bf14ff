//! The single writer thread and its group commit.
//!
//! Every change goes through one thread that owns the only writing connection. It takes all
//! the jobs queued when it wakes up, runs each inside its own `SAVEPOINT` of one transaction (a
//! failing job rolls back only its savepoint and gets its own error), commits once, and only
//! then answers every job. A write is therefore acknowledged only once it is durable, while
//! the cost of the fsync is shared by everything that queued up during the previous commit.
//! Work the jobs deferred to the end of the transaction ([`crate::pending`]: roll-ups) is
//! merged and written just before the commit.
use crate::rows::exec_cached;
use rusqlite::Connection;
use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::mpsc,
    thread,
};
use tokio::sync::oneshot;
use touchpoint_core::{StoreError, StoreResult};

/// Most jobs committed together; bounds the latency of the first job of a huge burst.
const MAX_BATCH: usize = 512;

trait Job: Send {
    /// Run inside the open transaction (within the job's savepoint).
    fn run(&mut self, conn: &Connection);
    /// Send the outcome; `commit` is the error of the shared commit, if it failed.
    fn reply(self: Box<Self>, commit: Option<&StoreError>);
}

struct TypedJob<R, F> {
    work: Option<F>,
    outcome: Option<StoreResult<R>>,
    reply: oneshot::Sender<StoreResult<R>>,
}

impl<R, F> Job for TypedJob<R, F>
where
    R: Send,
    F: FnOnce(&Connection) -> StoreResult<R> + Send,
{
    fn run(&mut self, conn: &Connection) {
        let Some(work) = self.work.take() else {
            return;
        };
        let outcome = match exec_cached(conn, "SAVEPOINT job") {
            Err(e) => {
                crate::pending::end_job(false);
                Err(StoreError::backend(e))
            }
            Ok(()) => {
                let result = catch_unwind(AssertUnwindSafe(|| work(conn)))
                    .unwrap_or_else(|_| Err(StoreError::Backend("write job panicked".into())));
                let rolled_back = if result.is_ok() {
                    Ok(())
                } else {
                    exec_cached(conn, "ROLLBACK TO job")
                };
                let ended = match rolled_back.and_then(|()| exec_cached(conn, "RELEASE job")) {
                    Ok(()) => result,
                    Err(e) => Err(StoreError::backend(e)),
                };
                crate::pending::end_job(ended.is_ok());
                ended
            }
        };
        self.outcome = Some(outcome);
    }

    fn reply(self: Box<Self>, commit: Option<&StoreError>) {
        let outcome = match (commit, self.outcome) {
            (Some(e), _) => Err(StoreError::Backend(format!("commit failed: {e}"))),
            (None, Some(o)) => o,
            (None, None) => Err(StoreError::Backend("write job did not run".into())),
        };
        // The caller may have gone away (cancelled request); the change is committed anyway.
        let _ = self.reply.send(outcome);
    }
}

/// Handle to the writer thread; dropping it lets queued jobs finish, then joins the thread.
pub(crate) struct Writer {
    tx: Option<mpsc::Sender<Box<dyn Job>>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Writer {
    pub(crate) fn start(conn: Connection) -> StoreResult<Self> {
        let (tx, rx) = mpsc::channel::<Box<dyn Job>>();
        let thread = thread::Builder::new()
            .name("touchpoint-sqlite-writer".into())
            .spawn(move || run(conn, rx))
            .map_err(StoreError::backend)?;
        Ok(Self {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Run `work` in the next group commit and wait until that commit is durable.
    pub(crate) async fn write<R, F>(&self, work: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(TypedJob {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.tx
            .as_ref()
            .ok_or_else(|| StoreError::Backend("store is closed".into()))?
            .send(job)
            .map_err(|_| StoreError::Backend("the writer thread has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the writer thread dropped the job".into()))?
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(conn: Connection, rx: mpsc::Receiver<Box<dyn Job>>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit_error = match exec_cached(&conn, "BEGIN IMMEDIATE") {
            Err(e) => Some(StoreError::backend(e)),
            Ok(()) => {
                for job in &mut batch {
                    job.run(&conn);
                }
                // What the jobs deferred (roll-ups) is written once, in the same transaction.
                let committed = crate::pending::flush_transaction(&conn)
                    .and_then(|()| exec_cached(&conn, "COMMIT").map_err(StoreError::backend));
                match committed {
                    Ok(()) => None,
                    Err(e) => {
                        tracing::error!(error = %e, jobs = batch.len(), "sqlite group commit failed");
                        crate::pending::discard_transaction();
                        let _ = exec_cached(&conn, "ROLLBACK");
                        Some(e)
                    }
                }
            }
        };
        for job in batch {
            job.reply(commit_error.as_ref());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;
    use rusqlite::Connection;
    use touchpoint_core::StoreError;

    fn count(c: &Connection) -> Result<i64, StoreError> {
        c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .map_err(StoreError::backend)
    }

    #[tokio::test]
    async fn a_failing_or_panicking_job_rolls_back_only_itself() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER UNIQUE)")
            .unwrap();
        let w = Writer::start(conn).unwrap();
        let insert = |x: i64| {
            move |c: &Connection| {
                c.execute("INSERT INTO t (x) VALUES (?1)", [x])
                    .map_err(StoreError::backend)
            }
        };
        let (a, dup, b) = tokio::join!(w.write(insert(1)), w.write(insert(1)), w.write(insert(2)));
        assert!(a.is_ok() && b.is_ok());
        assert!(dup.is_err());
        let half_done = w
            .write(|c: &Connection| -> Result<(), StoreError> {
                c.execute("INSERT INTO t (x) VALUES (3)", [])
                    .map_err(StoreError::backend)?;
                Err(StoreError::Backend("changed my mind".into()))
            })
            .await;
        assert!(half_done.is_err());
        let panicked = w
            .write(|c: &Connection| -> Result<(), StoreError> {
                c.execute("INSERT INTO t (x) VALUES (4)", [])
                    .map_err(StoreError::backend)?;
                panic!("job bug")
            })
            .await;
        assert!(matches!(panicked, Err(StoreError::Backend(m)) if m.contains("panicked")));
        assert_eq!(w.write(count).await.unwrap(), 2);
    }
}
