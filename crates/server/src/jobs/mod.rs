//! The background scheduler: breaks and escalates promises past their due time, delivers the
//! notifications waiting in the outbox (escalations, and the closing emails queued when a
//! complaint is closed), and warns assignees about promises about to break.
//!
//! No deadline lives in memory: each pass asks the store what is due at the clock's `now`
//! (`claim_due_promises`, `promises_due_soon`), and the store hands each promise to exactly one
//! caller, even with several nodes or a node restarted long after a deadline. The interval
//! only sets how soon after its due time a promise is noticed.
mod messages;

use crate::{notify::Notification, state::AppState};
use std::{sync::Arc, time::Duration};
use tokio::{sync::Semaphore, task::JoinSet};
use touchpoint_core::{StoreResult, complaints::OutboxItem};

/// Promises claimed or warned about per store call; a pass repeats calls until none is left.
pub const BATCH: u32 = 100;
/// How long an outbox row stays with the node delivering it; a node that dies holding it
/// frees it when this runs out (longer than the notifier's retries take).
pub const OUTBOX_LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// Notifications delivered at once, so one slow or failing receiver (retried with backoff)
/// delays a pass by its own retries only, not by theirs times the number of escalations.
pub const DELIVERY_CONCURRENCY: usize = 16;

/// This process's id in claims: `<hostname>-<pid>-<random hex>`.
pub fn node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    let random: u32 = rand::random();
    format!("{host}-{}-{random:08x}", std::process::id())
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Promises this node broke and escalated.
    pub escalated: usize,
    /// Notifications this node took from the outbox to deliver: escalations (its own claims,
    /// or those of a node that died before delivering them) and queued ones (closing emails).
    pub delivered: usize,
    /// Promises whose assignee this node warned.
    pub due_soon: usize,
}

/// One pass at the clock's current time: claim every due promise (the claim writes each
/// escalation's notification to the outbox in its transaction), deliver what the outbox holds
/// (those escalations and any queued notification), then warn about every promise due within
/// `due_soon_within`. Tests call this directly with a `FixedClock`.
pub async fn run_due_jobs_once(state: &AppState) -> StoreResult<JobReport> {
    let mut deliveries = Deliveries::new(state, format!("scheduler:{}", state.node_id));
    let result = claim_and_warn(state, &mut deliveries).await;
    // Even when a store call failed, what was already claimed is notified: dropping the
    // tasks would lose notifications whose claims are committed.
    deliveries.finish().await;
    result
}

async fn claim_and_warn(state: &AppState, deliveries: &mut Deliveries) -> StoreResult<JobReport> {
    let now = state.clock.now();
    let mut report = JobReport::default();
    loop {
        let claimed = state
            .store
            .claim_due_promises(now, &state.node_id, BATCH)
            .await?;
        if claimed.is_empty() {
            break;
        }
        report.escalated += claimed.len();
    }
    // Delivered from the outbox, not from the claim's answer: a row is marked sent only after
    // delivery, so a crash in between leaves it for the next pass (of any node) once its
    // lease runs out — at least once, never lost.
    loop {
        let leased = state
            .store
            .claim_outbox(now, &state.node_id, OUTBOX_LEASE, BATCH)
            .await?;
        if leased.is_empty() {
            break;
        }
        report.delivered += leased.len();
        for entry in leased {
            let n = match entry.item {
                OutboxItem::Escalation(e) => messages::escalation(state, &e).await,
                OutboxItem::Queued(n) => n,
            };
            deliveries.spawn(n, Some(entry.id));
        }
    }
    let within = chrono::Duration::from_std(state.config.due_soon_within)
        .unwrap_or_else(|_| chrono::Duration::hours(1));
    loop {
        let soon = state.store.promises_due_soon(now, within, BATCH).await?;
        if soon.is_empty() {
            break;
        }
        report.due_soon += soon.len();
        for d in &soon {
            deliveries.spawn(messages::due_soon(state, d).await, None);
        }
    }
    Ok(report)
}

/// The notifications of one pass, delivered concurrently; the pass ends when all are done,
/// so a caller (or a test) sees every delivery recorded when it returns.
struct Deliveries {
    state: AppState,
    actor: Arc<str>,
    limit: Arc<Semaphore>,
    set: JoinSet<()>,
}

impl Deliveries {
    fn new(state: &AppState, actor: String) -> Self {
        Deliveries {
            state: state.clone(),
            actor: actor.into(),
            limit: Arc::new(Semaphore::new(DELIVERY_CONCURRENCY)),
            set: JoinSet::new(),
        }
    }

    /// Deliver `n`; when it came from outbox row `outbox`, mark the row sent once every
    /// channel took it (a failure leaves it to be retried after its lease).
    fn spawn(&mut self, n: Notification, outbox: Option<i64>) {
        let (state, actor, limit) = (self.state.clone(), self.actor.clone(), self.limit.clone());
        self.set.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = limit.acquire_owned().await;
            let delivered = state.notifier.send(state.store.as_ref(), &actor, &n).await;
            if let (true, Some(id)) = (delivered, outbox)
                && let Err(e) = state.store.mark_outbox_sent(id, state.clock.now()).await
            {
                // Delivered but not marked: it will be delivered again after the lease.
                tracing::error!(error = %e, outbox = id, "could not mark a notification sent");
            }
        });
    }

    async fn finish(mut self) {
        while let Some(done) = self.set.join_next().await {
            if let Err(e) = done {
                tracing::error!(error = %e, "a notification task failed");
            }
        }
    }
}

/// Start the scheduler on the current Tokio runtime: a pass every `jobs_interval`, the first
/// at once (so a node started after a deadline escalates it straight away), and one as soon
/// as this process queues a notification (`AppState::outbox_ready`). Runs until the runtime
/// stops; a failed pass is logged and the next one tries again.
pub fn start_jobs(state: AppState) -> tokio::task::JoinHandle<()> {
    let every = state.config.jobs_interval.max(Duration::from_millis(10));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = state.outbox_ready.notified() => {}
            }
            match run_due_jobs_once(&state).await {
                Ok(r) if r != JobReport::default() => {
                    tracing::info!(escalated = r.escalated, delivered = r.delivered, due_soon = r.due_soon, node = %state.node_id, "scheduler pass");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "scheduler pass failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_ids_differ_within_one_process() {
        let (a, b) = (super::node_id(), super::node_id());
        assert_ne!(a, b);
        assert!(a.contains(&format!("-{}-", std::process::id())));
    }
}
