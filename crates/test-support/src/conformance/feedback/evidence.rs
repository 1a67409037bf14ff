//! Mystery-shopper evidence: free checklist items and recorded visits.
use super::{World, january, world};
use crate::{
    Store, actor,
    conformance::{assert_invalid, assert_not_found},
    t0,
};
use chrono::{DateTime, Utc};
use std::{collections::BTreeMap, sync::Arc};
use touchpoint_core::{
    audit::Actor,
    feedback::{
        Checklist, ItemResult, ValidVisit, VisitDraft,
        records::{AuditVisit, EvidenceFilter},
    },
    listing::ListQuery,
};

/// A visit to `site_id` marking every item of the world's current checklist: items of `m2`
/// not met, the rest met.
pub async fn sample_visit(
    store: &dyn Store,
    w: &World,
    site_id: i64,
    visited_at: DateTime<Utc>,
    staff_ids: Vec<i64>,
) -> ValidVisit {
    let extra = store.checklist_items(w.service.id).await.unwrap();
    let checklist = Checklist::from_cycle(&w.cycle, &extra).expect("checklist");
    let results = checklist
        .moments
        .iter()
        .map(|m| {
            let mark = if m.key == "m2" {
                ItemResult::NotMet
            } else {
                ItemResult::Met
            };
            let items = m.items.iter().map(|it| (it.code.clone(), mark)).collect();
            (m.key.clone(), items)
        })
        .collect();
    VisitDraft {
        site_id,
        visited_at,
        staff_ids,
        results,
        notes: "Busy morning".into(),
        moment_notes: BTreeMap::from([("m2".to_string(), "Long queue".to_string())]),
    }
    .validate(&checklist, t0())
    .expect("visit is valid")
}

pub async fn checklist_items_replace(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    assert!(
        store
            .checklist_items(w.service.id)
            .await
            .unwrap()
            .is_empty()
    );
    let set = |key: &'static str, items: &'static [&'static str]| {
        let store = store.clone();
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        let id = w.service.id;
        async move { store.set_checklist_items(&actor(), id, key, &items).await }
    };
    set("m1", &["Counter is clean", "Greeted with a smile"])
        .await
        .unwrap();
    set("m2", &["Name badge visible"]).await.unwrap();
    let want = BTreeMap::from([
        (
            "m1".to_string(),
            vec![
                "Counter is clean".to_string(),
                "Greeted with a smile".to_string(),
            ],
        ),
        ("m2".to_string(), vec!["Name badge visible".to_string()]),
    ]);
    assert_eq!(store.checklist_items(w.service.id).await.unwrap(), want);
    set("m1", &["Greeted with a smile"]).await.unwrap();
    set("m2", &[]).await.unwrap();
    let items = store.checklist_items(w.service.id).await.unwrap();
    assert_eq!(
        items,
        BTreeMap::from([("m1".to_string(), vec!["Greeted with a smile".to_string()])])
    );
    assert!(
        store
            .checklist_items(other.service.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_not_found(
        store
            .set_checklist_items(&actor(), other.service.id + 1000, "m1", &[])
            .await,
        "service",
    );
    // The domain builds the checklist from the cycle plus these items.
    let checklist = Checklist::from_cycle(&w.cycle, &items).unwrap();
    let m1 = checklist.moment("m1").unwrap();
    let codes: Vec<&str> = m1.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["standard-1", "item-1"]);
}

pub async fn visits_record_get_and_list(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    store
        .set_checklist_items(&actor(), w.service.id, "m1", &["Counter is clean".into()])
        .await
        .unwrap();
    let auditor = Actor::user(42, "auditor@example.com");
    let (north, south) = (w.sites[0].id, w.sites[1].id);
    let v1 = sample_visit(&*store, &w, north, january(5, 10), vec![w.staff.id]).await;
    assert_eq!(v1.critical_failures, ["m2"]);
    let r1 = store
        .record_visit(&auditor, w.service.id, w.cycle.id, &v1)
        .await
        .unwrap();
    assert_eq!(
        (r1.service_id, r1.cycle_version_id),
        (w.service.id, w.cycle.id)
    );
    assert_eq!(r1.auditor, "auditor@example.com");
    assert_eq!(r1.auditor_user_id, Some(42));
    assert_eq!(r1.visit, v1);
    assert_eq!(store.get_visit(r1.id).await.unwrap(), r1);
    assert_not_found(store.get_visit(r1.id + 1000).await, "visit");
    // The visit keeps the labels it was checked against, whatever the checklist says later.
    store
        .set_checklist_items(&actor(), w.service.id, "m1", &["Floor is dry".into()])
        .await
        .unwrap();
    let kept = store.get_visit(r1.id).await.unwrap();
    let m1: Vec<(&str, &str)> = kept.visit.moments[0]
        .marks
        .iter()
        .map(|k| (k.code.as_str(), k.label.as_str()))
        .collect();
    assert_eq!(
        m1,
        [
            ("standard-1", "wait_minutes <= 1.5 min"),
            ("item-1", "Counter is clean")
        ]
    );

    let v2 = sample_visit(&*store, &w, south, january(7, 10), vec![]).await;
    let r2 = store
        .record_visit(&actor(), w.service.id, w.cycle.id, &v2)
        .await
        .unwrap();
    let v3 = sample_visit(&*store, &w, north, january(3, 10), vec![]).await;
    let r3 = store
        .record_visit(&actor(), w.service.id, w.cycle.id, &v3)
        .await
        .unwrap();
    let vo = sample_visit(&*store, &other, other.sites[0].id, january(6, 9), vec![]).await;
    let ro = store
        .record_visit(&actor(), other.service.id, other.cycle.id, &vo)
        .await
        .unwrap();

    let ids = |f: EvidenceFilter, q: ListQuery| {
        let store = store.clone();
        async move {
            let page = store.list_visits(&f, &q).await.unwrap();
            let ids: Vec<i64> = page.items.iter().map(|v: &AuditVisit| v.id).collect();
            (ids, page.total)
        }
    };
    let all = ListQuery::default();
    assert_eq!(
        ids(EvidenceFilter::default(), all.clone()).await,
        (vec![r2.id, ro.id, r1.id, r3.id], 4)
    );
    let mine = EvidenceFilter {
        service_id: Some(w.service.id),
        ..EvidenceFilter::default()
    };
    assert_eq!(
        ids(mine.clone(), all.clone()).await,
        (vec![r2.id, r1.id, r3.id], 3)
    );
    let at_north = EvidenceFilter {
        site_id: Some(north),
        ..mine.clone()
    };
    assert_eq!(ids(at_north, all.clone()).await, (vec![r1.id, r3.id], 2));
    let observed = EvidenceFilter {
        staff_id: Some(w.staff.id),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(observed, all.clone()).await, (vec![r1.id], 1));
    let window = EvidenceFilter {
        since: Some(january(5, 10)),
        until: Some(january(7, 10)),
        ..mine.clone()
    };
    assert_eq!(ids(window, all.clone()).await, (vec![r1.id], 1));
    let paged = ListQuery {
        limit: 1,
        offset: 1,
        ..ListQuery::default()
    };
    assert_eq!(ids(mine, paged).await, (vec![r1.id], 3));
}

pub async fn visits_reject_foreign_cycle_versions(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    let v = sample_visit(&*store, &w, w.sites[0].id, january(5, 10), vec![]).await;
    assert_invalid(
        store
            .record_visit(&actor(), w.service.id, other.cycle.id, &v)
            .await,
        "cycle_version_id",
    );
    assert_invalid(
        store
            .record_visit(&actor(), w.service.id, other.cycle.id + 1000, &v)
            .await,
        "cycle_version_id",
    );
    assert_not_found(
        store
            .record_visit(&actor(), other.service.id + 1000, w.cycle.id, &v)
            .await,
        "service",
    );
    let page = store
        .list_visits(&EvidenceFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}
