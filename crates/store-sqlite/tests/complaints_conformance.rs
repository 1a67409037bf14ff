//! The shared complaints conformance suite on SQLite.
use std::sync::Arc;
use touchpoint_core::store::Store;
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

async fn fresh() -> Option<Arc<dyn Store>> {
    let store = SqliteStore::open("sqlite::memory:", fixed_clock()).expect("open sqlite");
    Some(Arc::new(store))
}

touchpoint_test_support::complaints_conformance_tests!(fresh);

/// Escalation comes from stored due times, not timers: a store stopped past a deadline and
/// opened again escalates the promise exactly once.
mod restart {
    use touchpoint_core::complaints::{NewPromise, PromiseKind, store::ComplaintStore};
    use touchpoint_store_sqlite::SqliteStore;
    use touchpoint_test_support::{
        actor, block_on,
        conformance::complaints::{at, complaint, create, minutes},
        fixed_clock,
    };

    #[test]
    fn a_deadline_passed_while_stopped_escalates_once_after_restart() {
        block_on(async {
            let dir = std::env::temp_dir().join(format!(
                "tp-complaints-restart-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("tp.db").display());
            {
                let store = SqliteStore::open(&url, fixed_clock()).unwrap();
                let c = create(&store, &complaint("Ana", "low", "phone", minutes(0)), 1).await;
                let call = NewPromise {
                    kind: PromiseKind::Callback,
                    description: "Call back in 30 minutes".into(),
                    due_at: at(30),
                };
                store.add_promise(&actor(), c.id, &call).await.unwrap();
                assert!(
                    store
                        .claim_due_promises(at(10), "n1", 10)
                        .await
                        .unwrap()
                        .is_empty()
                );
            }
            // Stopped; started again an hour later.
            for expected in [1, 0] {
                let store = SqliteStore::open(&url, fixed_clock()).unwrap();
                let claimed = store.claim_due_promises(at(90), "n1", 10).await.unwrap();
                assert_eq!(claimed.len(), expected);
            }
            let _ = std::fs::remove_dir_all(&dir);
        });
    }
}
