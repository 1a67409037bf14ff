//! The scheduler's claims: overdue promises are broken and escalated exactly once; promises
//! about to break are announced once.
use super::{at, complaint, create, full_policy, minutes, site};
use crate::{Store, actor, conformance::all_audit, t0};
use std::sync::Arc;
use touchpoint_core::{
    complaints::{LedgerKind, NewPromise, PromiseKind, PromiseState},
    listing::ListQuery,
};

pub async fn claim_due_promises_escalates_each_once(store: Arc<dyn Store>) {
    store
        .save_policy(&actor(), &full_policy("high", None))
        .await
        .unwrap();
    let s = site(&*store, "centro").await;
    // Received 9 hours ago: acknowledge (1 h) and first response (8 h) are overdue.
    let mut old = complaint("Ana", "high", "phone", minutes(9 * 60));
    old.site_id = Some(s.id);
    let c = create(&*store, &old, 1).await;
    // Received now: nothing due yet.
    let fresh = create(&*store, &complaint("Bea", "low", "phone", minutes(0)), 2).await;
    // Due exactly now is still on time.
    store
        .add_promise(
            &actor(),
            fresh.id,
            &NewPromise {
                kind: PromiseKind::Callback,
                description: "Call at 10".into(),
                due_at: at(60),
            },
        )
        .await
        .unwrap();
    assert!(
        store
            .claim_due_promises(at(60), "node-a", 100)
            .await
            .unwrap()
            .iter()
            .all(|e| e.complaint_id == c.id)
    );

    let before_second = store
        .list_escalations(None, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(before_second.total, 2, "acknowledge and first response");
    let again = store
        .claim_due_promises(at(60), "node-b", 100)
        .await
        .unwrap();
    assert!(again.is_empty(), "nothing is claimed twice: {again:?}");
    let e = &before_second.items;
    assert!(e.iter().all(|e| e.node_id == "node-a"
        && e.escalated_at == at(60)
        && e.site_id == Some(s.id)
        && e.reference == c.reference
        && e.customer_ref == "Ana"
        && e.promise.state == PromiseState::Broken
        && e.promise.escalated_by.as_deref() == Some("node-a")));
    let mut kinds: Vec<PromiseKind> = e.iter().map(|e| e.promise.kind).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [PromiseKind::Acknowledge, PromiseKind::FirstResponse]
    );
    // One withdrawal per broken promise, one audit record per claim.
    let broken = store
        .ledger_history("Ana", &ListQuery::default())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|l| l.kind == LedgerKind::BrokenPromise)
        .count();
    assert_eq!(broken, 2);
    let audit = all_audit(&*store).await;
    let breaks: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "promise.break")
        .collect();
    assert_eq!(breaks.len(), 2);
    assert!(breaks.iter().all(|a| a.actor == "scheduler:node-a"));
    // Site filter for the manager's dashboard.
    assert_eq!(
        store
            .list_escalations(Some(s.id + 1), &ListQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    // The callback (due at +60 min) breaks one minute later, exactly once.
    let later = store
        .claim_due_promises(at(61), "node-b", 100)
        .await
        .unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].promise.kind, PromiseKind::Callback);
    assert!(
        store
            .claim_due_promises(at(61), "node-a", 100)
            .await
            .unwrap()
            .is_empty()
    );
    // Honouring a broken promise late stamps it but keeps it broken and escalated once.
    let late = store
        .fulfil_promise(&actor(), later[0].promise.id)
        .await
        .unwrap();
    assert_eq!(late.state, PromiseState::Broken);
    assert_eq!(late.fulfilled_at, Some(t0()));
}

pub async fn claim_due_promises_respects_the_limit(store: Arc<dyn Store>) {
    let c = create(&*store, &complaint("Ana", "low", "phone", minutes(0)), 1).await;
    for i in 1..=5 {
        store
            .add_promise(
                &actor(),
                c.id,
                &NewPromise {
                    kind: PromiseKind::Custom,
                    description: format!("promise {i}"),
                    due_at: at(i),
                },
            )
            .await
            .unwrap();
    }
    let first = store.claim_due_promises(at(100), "n", 2).await.unwrap();
    let described: Vec<&str> = first
        .iter()
        .map(|e| e.promise.description.as_str())
        .collect();
    assert_eq!(described, ["promise 1", "promise 2"], "oldest due first");
    assert_eq!(
        store
            .claim_due_promises(at(100), "n", 10)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .claim_due_promises(at(100), "n", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.ledger_balance("Ana").await.unwrap(), -3 - 5 * 5);
}

pub async fn promises_due_soon_are_announced_once(store: Arc<dyn Store>) {
    let c = create(&*store, &complaint("Ana", "low", "phone", minutes(0)), 1).await;
    for (i, due) in [30, 90, 200].into_iter().enumerate() {
        store
            .add_promise(
                &actor(),
                c.id,
                &NewPromise {
                    kind: PromiseKind::Custom,
                    description: format!("p{i}"),
                    due_at: at(due),
                },
            )
            .await
            .unwrap();
    }
    let soon = store
        .promises_due_soon(t0(), minutes(120), 10)
        .await
        .unwrap();
    let described: Vec<&str> = soon
        .iter()
        .map(|d| d.promise.description.as_str())
        .collect();
    assert_eq!(described, ["p0", "p1"]);
    assert!(
        soon.iter()
            .all(|d| d.promise.notified_at == Some(t0()) && d.reference == c.reference)
    );
    assert!(
        store
            .promises_due_soon(at(10), minutes(120), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let next = store
        .promises_due_soon(at(100), minutes(120), 10)
        .await
        .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].promise.description, "p2");
    // Overdue promises are the claim's business, not a notice.
    assert!(
        store
            .promises_due_soon(at(500), minutes(120), 10)
            .await
            .unwrap()
            .is_empty()
    );
}
