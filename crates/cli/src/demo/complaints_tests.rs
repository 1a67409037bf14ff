//! The demo's complaints are the same on every load and point where the rest of the demo
//! points: the wait for the turn at Norte.
use super::{load, policies};
use crate::commands::demo::load_org;
use std::{collections::BTreeMap, sync::Arc};
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{ComplaintFilter, LedgerKind, PromiseState},
    listing::ListQuery,
    store::Store,
};
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

/// `(reference, site, moment, status)` of every case, and the number of escalations.
async fn loaded() -> (Arc<dyn Store>, Vec<(String, i64, String, String)>, usize) {
    let clock = fixed_clock();
    let moved = Arc::new(FixedClock::new(clock.now()));
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory(moved.clone()).unwrap());
    let actor = Actor::system("demo");
    let (org, _) = load_org(store.as_ref(), &actor).await.unwrap();
    let done = load(&store, &moved, &actor, &org, None).await.unwrap();
    assert_eq!(moved.now(), clock.now(), "the clock is put back");
    let q = ListQuery {
        limit: 500,
        ..ListQuery::default()
    };
    let page = store
        .list_complaints(&ComplaintFilter::default(), &q)
        .await
        .unwrap();
    let cases = page
        .items
        .iter()
        .map(|c| {
            let moment = c.moment_key.clone().unwrap_or_default();
            (
                c.reference.clone(),
                c.site_id.unwrap(),
                moment,
                c.status.to_string(),
            )
        })
        .collect();
    (store, cases, done.escalations)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_complaints_are_deterministic_and_favour_the_wait_at_norte() {
    let (store, first, escalations) = loaded().await;
    let (_, second, again) = loaded().await;
    assert_eq!(first, second);
    assert_eq!(escalations, again);
    assert_eq!(first.len(), 72);
    assert!(escalations > 0, "some promises were escalated");
    assert_eq!(store.list_policies().await.unwrap().len(), policies().len());

    let norte = store
        .list_sites(&ListQuery::all())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|s| s.key == "norte")
        .unwrap();
    let mut per_site: BTreeMap<i64, usize> = BTreeMap::new();
    let mut per_moment: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, site, moment, _) in &first {
        *per_site.entry(*site).or_default() += 1;
        *per_moment.entry(moment).or_default() += 1;
    }
    let busiest = per_site.iter().max_by_key(|(_, n)| **n).unwrap();
    assert_eq!(*busiest.0, norte.id, "{per_site:?}");
    let top = per_moment.iter().max_by_key(|(_, n)| **n).unwrap();
    assert_eq!(*top.0, "wait-turn", "{per_moment:?}");

    // Kept and broken promises, resolutions with root causes, deposits and withdrawals.
    let mut states: BTreeMap<PromiseState, usize> = BTreeMap::new();
    let mut root_causes = 0;
    let mut kinds: BTreeMap<LedgerKind, usize> = BTreeMap::new();
    for (reference, ..) in &first {
        let c = store.get_complaint_by_reference(reference).await.unwrap();
        for p in store.complaint_promises(c.id).await.unwrap() {
            *states.entry(p.state).or_default() += 1;
        }
        if c.resolution.is_some_and(|r| !r.root_cause.is_empty()) {
            root_causes += 1;
        }
        let history = store
            .ledger_history(&c.customer_ref, &ListQuery::default())
            .await
            .unwrap();
        for e in history.items {
            *kinds.entry(e.kind).or_default() += 1;
        }
    }
    assert!(states[&PromiseState::Kept] > 10, "{states:?}");
    assert!(states[&PromiseState::Broken] > 10, "{states:?}");
    assert!(root_causes > 30, "{root_causes}");
    for kind in [
        LedgerKind::Complaint,
        LedgerKind::BrokenPromise,
        LedgerKind::ComplaintResolvedSatisfied,
        LedgerKind::CourtesyCall,
    ] {
        assert!(kinds.contains_key(&kind), "{kind}: {kinds:?}");
    }
}
