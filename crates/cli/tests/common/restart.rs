//! The real `touchpoint serve`, killed with SIGKILL while promises are about to fall due and
//! restarted after their deadlines: each due promise is escalated exactly once. Shared by the
//! SQLite and PostgreSQL tests.
//!
//! The binary only knows wall time, so the promises are made due a few seconds ahead. The
//! scheduler runs a pass as soon as `serve` starts and then every 30 s, so the first process
//! (whose first pass ran before the promises existed) cannot claim them before it is killed.
use super::Scratch;
use chrono::Duration;
use std::{collections::BTreeSet, sync::Arc};
use touchpoint_core::{
    audit::{Actor, AuditQuery},
    clock::{Clock, SystemClock},
    complaints::{ComplaintInput, NewPromise, PromiseKind, PromiseState},
    listing::ListQuery,
    store::Store,
};

const PROMISES: usize = 30;
/// How far ahead the promises fall due.
const AHEAD_SECONDS: i64 = 4;

async fn escalated(store: &dyn Store) -> (usize, BTreeSet<i64>, usize) {
    let q = ListQuery {
        limit: 500,
        ..ListQuery::default()
    };
    let page = store.list_escalations(None, &q).await.unwrap();
    let promises: BTreeSet<i64> = page.items.iter().map(|e| e.promise.id).collect();
    let breaks = AuditQuery {
        action: Some("promise.break".into()),
        ..AuditQuery::default()
    };
    let audited = store.list_audit(&breaks, 1, 0).await.unwrap().total as usize;
    (page.total as usize, promises, audited)
}

pub async fn sigkill_before_deadlines_then_restart_escalates_each_once(s: &Scratch) {
    s.run(&["migrate"]).expect(0);
    let first = s.serve();
    let store = touchpoint_cli::store_url::open_store(&s.url, Arc::new(SystemClock))
        .await
        .unwrap();
    let actor = Actor::system("test");
    let now = SystemClock.now();
    let c = ComplaintInput {
        customer_ref: "CU-K".into(),
        channel: "phone".into(),
        description: "Promised call backs".into(),
        severity: "medium".into(),
        received_at: now,
        ..ComplaintInput::default()
    }
    .validate(None, &[], now)
    .unwrap();
    let complaint = store
        .create_complaint(&actor, &c, &format!("{:064x}", now.timestamp_micros()))
        .await
        .unwrap();
    let due = now + Duration::seconds(AHEAD_SECONDS);
    for i in 0..PROMISES {
        let p = NewPromise {
            kind: PromiseKind::Callback,
            description: format!("Call back #{i}"),
            due_at: due + Duration::milliseconds(i as i64),
        };
        store.add_promise(&actor, complaint.id, &p).await.unwrap();
    }
    first.kill_hard();
    assert_eq!(escalated(store.as_ref()).await.0, 0, "nothing was due yet");

    // Down past every deadline, then back: the restarted process claims them on its first pass.
    let wait = (due + Duration::milliseconds(PROMISES as i64 + 500)) - SystemClock.now();
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let second = s.serve();
    let mut seen = (0, BTreeSet::new(), 0);
    for _ in 0..200 {
        seen = escalated(store.as_ref()).await;
        if seen.0 >= PROMISES && seen.2 >= PROMISES {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen.0, PROMISES, "every due promise escalated");
    second.kill_hard();

    // A third start finds nothing left to claim: still exactly one escalation per promise.
    let third = s.serve();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (total, promises, audited) = escalated(store.as_ref()).await;
    third.kill_hard();
    assert_eq!(total, PROMISES);
    assert_eq!(promises.len(), PROMISES, "one escalation per promise");
    assert_eq!(audited, PROMISES, "one promise.break record per promise");
    for p in store.complaint_promises(complaint.id).await.unwrap() {
        assert_eq!(p.state, PromiseState::Broken, "{p:?}");
        assert!(p.escalated_at.is_some_and(|t| t > p.due_at), "{p:?}");
    }
}
