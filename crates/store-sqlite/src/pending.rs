//! Work a write job hands to the end of its transaction: roll-up increments and response
//! counters. The writer merges what every successful job of a group commit deferred and writes
//! it once, just before COMMIT, so it is still in the same transaction as the responses; a job
//! that fails (its savepoint rolled back) drops what it deferred.
//!
//! Everything here lives on the writer thread (thread-local), next to its only connection.
use crate::rollups::{FxMap, Rollups};
use rusqlite::{Connection, params};
use std::cell::RefCell;
use touchpoint_core::StoreResult;

#[derive(Debug, Default)]
pub(crate) struct Pending {
    rollups: Rollups,
    /// Survey id → responses created.
    counts: FxMap<i64, i64>,
}

impl Pending {
    pub(crate) fn new(rollups: Rollups, counts: impl IntoIterator<Item = (i64, i64)>) -> Self {
        Self {
            rollups,
            counts: counts.into_iter().collect(),
        }
    }

    fn merge(&mut self, other: Pending) {
        self.rollups.merge(other.rollups);
        for (survey, n) in other.counts {
            *self.counts.entry(survey).or_default() += n;
        }
    }

    pub(crate) fn flush(&self, conn: &Connection) -> StoreResult<()> {
        self.rollups.flush(conn)?;
        if self.counts.is_empty() {
            return Ok(());
        }
        let mut count = conn
            .prepare_cached("UPDATE surveys SET response_count = response_count + ?2 WHERE id = ?1")
            .map_err(crate::rows::map_err)?;
        for (survey, n) in &self.counts {
            count
                .execute(params![survey, n])
                .map_err(crate::rows::map_err)?;
        }
        Ok(())
    }
}

thread_local! {
    static JOB: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static TRANSACTION: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

fn merge_into(slot: &RefCell<Option<Pending>>, p: Pending) {
    let mut slot = slot.borrow_mut();
    match slot.as_mut() {
        Some(mine) => mine.merge(p),
        None => *slot = Some(p),
    }
}

/// Hand `p` to the end of the running job's transaction (call from inside a write job).
pub(crate) fn defer(p: Pending) {
    JOB.with(|j| merge_into(j, p));
}

/// The job ended: keep what it deferred if it succeeded, else drop it.
pub(crate) fn end_job(succeeded: bool) {
    if let Some(p) = JOB.with(|j| j.borrow_mut().take())
        && succeeded
    {
        TRANSACTION.with(|t| merge_into(t, p));
    }
}

/// Write what the transaction's jobs deferred (call just before COMMIT).
pub(crate) fn flush_transaction(conn: &Connection) -> StoreResult<()> {
    match TRANSACTION.with(|t| t.borrow_mut().take()) {
        Some(p) => p.flush(conn),
        None => Ok(()),
    }
}

/// Take what the transaction's earlier jobs deferred, for a job that writes it itself because
/// it must see the roll-ups complete (the rebuild).
pub(crate) fn take_transaction() -> Option<Pending> {
    TRANSACTION.with(|t| t.borrow_mut().take())
}

/// Hand back what [`take_transaction`] took, when the job that took it failed (its savepoint,
/// with whatever it wrote, is rolled back).
pub(crate) fn restore_transaction(p: Pending) {
    TRANSACTION.with(|t| merge_into(t, p));
}

/// The transaction will not commit: forget what its jobs deferred.
pub(crate) fn discard_transaction() {
    JOB.with(|j| j.borrow_mut().take());
    TRANSACTION.with(|t| t.borrow_mut().take());
}

#[cfg(test)]
mod tests {
    use super::{Pending, defer, discard_transaction, end_job, flush_transaction};
    use crate::rollups::Rollups;
    use rusqlite::Connection;

    /// No tables: flushing anything fails, flushing nothing succeeds.
    #[test]
    fn failed_jobs_drop_what_they_deferred() {
        let conn = Connection::open_in_memory().unwrap();
        let one = || Pending::new(Rollups::default(), [(1, 1)]);
        defer(one());
        end_job(false);
        assert!(flush_transaction(&conn).is_ok(), "nothing was kept");
        defer(one());
        end_job(true);
        assert!(flush_transaction(&conn).is_err(), "the counter was kept");
        assert!(flush_transaction(&conn).is_ok(), "and taken by the flush");
        defer(one());
        end_job(true);
        discard_transaction();
        assert!(
            flush_transaction(&conn).is_ok(),
            "discarded with the transaction"
        );
    }
}
