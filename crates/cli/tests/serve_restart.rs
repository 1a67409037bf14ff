//! SIGKILL and restart of the real `touchpoint serve` on SQLite (PostgreSQL: postgres.rs).
mod common;

use common::{Scratch, restart};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_before_deadlines_then_restart_escalates_each_once() {
    restart::sigkill_before_deadlines_then_restart_escalates_each_once(&Scratch::new()).await;
}
