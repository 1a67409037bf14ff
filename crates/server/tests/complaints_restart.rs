//! Two application nodes on one database run the scheduler at the same time, and a third node
//! starts after the deadlines: every due promise is escalated exactly once. On SQLite the two
//! nodes are two stores (two writer threads) on one file; on PostgreSQL (when
//! `TOUCHPOINT_TEST_POSTGRES_URL` is set) two connection pools on one database.
use chrono::{Duration, TimeZone, Utc};
use std::{collections::BTreeSet, sync::Arc};
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{ComplaintInput, NewPromise, PromiseKind},
    listing::ListQuery,
    store::Store,
};
use touchpoint_server::{
    AppState, ServerConfig,
    jobs::{JobReport, run_due_jobs_once},
};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_store_sqlite::SqliteStore;

const PROMISES: usize = 60;

/// A complaint with `PROMISES` staff promises due within the hour after `clock`'s now.
async fn seed(store: &dyn Store, clock: &FixedClock) {
    let actor = Actor::system("test");
    let now = clock.now();
    let c = ComplaintInput {
        customer_ref: "CU-R".into(),
        channel: "phone".into(),
        description: "No call back".into(),
        severity: "medium".into(),
        received_at: now,
        ..Default::default()
    }
    .validate(None, &[], now)
    .unwrap();
    let complaint = store.create_complaint(&actor, &c, "hash-r").await.unwrap();
    for i in 0..PROMISES {
        let p = NewPromise {
            kind: PromiseKind::Callback,
            description: format!("Call {i}"),
            due_at: now + Duration::minutes(1 + i as i64),
        };
        store.add_promise(&actor, complaint.id, &p).await.unwrap();
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ))
}

async fn two_nodes_escalate_each_promise_once(
    clock: Arc<FixedClock>,
    a: Arc<dyn Store>,
    b: Arc<dyn Store>,
) {
    seed(a.as_ref(), &clock).await;
    clock.advance(Duration::hours(2));
    let node_a = AppState::new(a.clone(), clock.clone(), ServerConfig::default());
    let node_b = AppState::new(b.clone(), clock.clone(), ServerConfig::default());
    assert_ne!(node_a.node_id, node_b.node_id);

    let (ra, rb) = tokio::join!(run_due_jobs_once(&node_a), run_due_jobs_once(&node_b));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.escalated + rb.escalated, PROMISES, "{ra:?} {rb:?}");

    // A node started after the deadlines (a restart) finds nothing left to claim.
    let restarted = AppState::new(b.clone(), clock.clone(), ServerConfig::default());
    assert_eq!(
        run_due_jobs_once(&restarted).await.unwrap(),
        JobReport::default()
    );

    let escalations = a.list_escalations(None, &ListQuery::all()).await.unwrap();
    assert_eq!(escalations.total, PROMISES as i64);
    let promises: BTreeSet<i64> = escalations.items.iter().map(|e| e.promise.id).collect();
    assert_eq!(promises.len(), PROMISES, "no promise escalated twice");
    let nodes: BTreeSet<&str> = escalations
        .items
        .iter()
        .map(|e| e.node_id.as_str())
        .collect();
    assert!(nodes.is_subset(&BTreeSet::from([&*node_a.node_id, &*node_b.node_id])));
    let balance = a.ledger_balance("CU-R").await.unwrap();
    assert_eq!(
        balance,
        -3 - 5 * PROMISES as i64,
        "one withdrawal per broken promise"
    );
}

#[tokio::test]
async fn on_sqlite_two_nodes_on_one_file_escalate_each_promise_once() {
    let dir = std::env::temp_dir().join(format!(
        "tp-restart-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("touchpoint.db").display());
    let fixed = clock();
    let c: Arc<dyn Clock> = fixed.clone();
    let a: Arc<dyn Store> = Arc::new(SqliteStore::open(&url, c.clone()).unwrap());
    a.migrate().await.unwrap();
    let b: Arc<dyn Store> = Arc::new(SqliteStore::open(&url, c).unwrap());
    two_nodes_escalate_each_promise_once(fixed, a, b).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn on_postgres_two_nodes_on_one_database_escalate_each_promise_once() {
    let Some(admin) = testing::admin_url_from_env("two_nodes_on_postgres") else {
        return;
    };
    let url = testing::fresh_database(&admin).await.unwrap();
    let fixed = clock();
    let c: Arc<dyn Clock> = fixed.clone();
    let a: Arc<dyn Store> = Arc::new(PgStore::connect(&url, c.clone()).await.unwrap());
    let b: Arc<dyn Store> = Arc::new(PgStore::connect(&url, c).await.unwrap());
    two_nodes_escalate_each_promise_once(fixed, a, b).await;
}
