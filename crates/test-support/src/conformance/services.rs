//! Services: create, read, update, archive, list.
use super::{all_audit, assert_conflict, assert_not_found, last_audit, searching, sorted};
use crate::{actor, sample_service_fields};
use std::sync::Arc;
use touchpoint_core::{
    listing::{ListQuery, SortField},
    service::{Service, ServiceFields},
    store::Store,
};

fn keys(items: &[Service]) -> Vec<&str> {
    items.iter().map(|s| s.key.as_str()).collect()
}

fn named(key: &str, name: &str) -> ServiceFields {
    ServiceFields {
        key: key.into(),
        name: name.into(),
        description: String::new(),
    }
}

/// Backend identity, ping, and a second `migrate` that changes nothing.
pub async fn store_basics(store: Arc<dyn Store>) {
    assert!(
        matches!(store.backend(), "sqlite" | "postgres"),
        "backend() = {}",
        store.backend()
    );
    store.ping().await.expect("ping");
    let s = store
        .create_service(&actor(), &sample_service_fields("kept"))
        .await
        .unwrap();
    store.migrate().await.expect("migrate twice");
    assert_eq!(store.get_service(s.id).await.unwrap(), s);
    assert_eq!(store.list_dimensions().await.unwrap().len(), 10);
}

pub async fn service_create_and_get(store: Arc<dyn Store>) {
    let f = sample_service_fields("cash-a-cheque");
    let s = store.create_service(&actor(), &f).await.unwrap();
    assert!(s.id > 0);
    assert_eq!(
        (s.key.as_str(), s.name.as_str(), s.description.as_str()),
        (f.key.as_str(), f.name.as_str(), f.description.as_str())
    );
    assert_eq!(s.current_version, None);
    assert_eq!((s.moment_count, s.critical_count), (0, 0));
    assert_eq!(s.created_at, s.updated_at);
    assert_eq!(store.get_service(s.id).await.unwrap(), s);
    assert_eq!(store.get_service_by_key("cash-a-cheque").await.unwrap(), s);
    assert_not_found(store.get_service(s.id + 1000).await, "service");
    assert_not_found(store.get_service_by_key("nope").await, "service");

    let e = last_audit(&*store, "service.create").await;
    assert_eq!(e.entity, "service");
    assert_eq!(e.entity_id, Some(s.id.to_string()));
    assert_eq!(e.actor, "test");
    assert_eq!(e.actor_user_id, None);
    assert_eq!(e.before, None);
    assert_eq!(e.after.as_ref().unwrap()["key"], "cash-a-cheque");
}

pub async fn service_duplicate_key_conflicts(store: Arc<dyn Store>) {
    let a = store
        .create_service(&actor(), &sample_service_fields("a"))
        .await
        .unwrap();
    let b = store
        .create_service(&actor(), &sample_service_fields("b"))
        .await
        .unwrap();
    let audits = all_audit(&*store).await.len();
    assert_conflict(
        store
            .create_service(&actor(), &named("a", "Other name"))
            .await,
        "key",
    );
    assert_conflict(
        store.update_service(&actor(), b.id, &named("a", "B")).await,
        "key",
    );
    assert_eq!(
        all_audit(&*store).await.len(),
        audits,
        "a failed change must leave no audit record"
    );
    assert_eq!(store.get_service(a.id).await.unwrap(), a);
    assert_eq!(store.get_service(b.id).await.unwrap(), b);
    assert_eq!(
        store.list_services(&ListQuery::all()).await.unwrap().total,
        2
    );
}

pub async fn service_update(store: Arc<dyn Store>) {
    let s = store
        .create_service(&actor(), &named("old-key", "Old name"))
        .await
        .unwrap();
    let f = ServiceFields {
        key: "new-key".into(),
        name: "New name".into(),
        description: "Now described".into(),
    };
    let u = store.update_service(&actor(), s.id, &f).await.unwrap();
    assert_eq!(u.id, s.id);
    assert_eq!(
        (u.key.as_str(), u.name.as_str(), u.description.as_str()),
        ("new-key", "New name", "Now described")
    );
    assert_eq!(u.created_at, s.created_at);
    assert!(u.updated_at >= s.updated_at);
    assert_eq!(store.get_service(s.id).await.unwrap(), u);
    assert_eq!(store.get_service_by_key("new-key").await.unwrap(), u);
    assert_not_found(store.get_service_by_key("old-key").await, "service");
    assert_not_found(
        store.update_service(&actor(), s.id + 1000, &f).await,
        "service",
    );

    let e = last_audit(&*store, "service.update").await;
    assert_eq!(e.entity, "service");
    assert_eq!(e.entity_id, Some(s.id.to_string()));
    assert_eq!(e.before.as_ref().unwrap()["name"], "Old name");
    assert_eq!(e.after.as_ref().unwrap()["name"], "New name");
}

pub async fn service_archive(store: Arc<dyn Store>) {
    let keep = store
        .create_service(&actor(), &sample_service_fields("keep"))
        .await
        .unwrap();
    let gone = store
        .create_service(&actor(), &sample_service_fields("gone"))
        .await
        .unwrap();
    store.archive_service(&actor(), gone.id).await.unwrap();
    let page = store.list_services(&ListQuery::default()).await.unwrap();
    assert_eq!(keys(&page.items), ["keep"]);
    assert_eq!(page.total, 1);
    let all = store.list_services(&ListQuery::all()).await.unwrap();
    assert_eq!(keys(&all.items), ["gone", "keep"]);
    assert_eq!(all.total, 2);
    assert_eq!(store.get_service(gone.id).await.unwrap().key, "gone");
    assert_eq!(store.get_service_by_key("gone").await.unwrap().id, gone.id);
    assert_eq!(store.get_service(keep.id).await.unwrap(), keep);
    assert_conflict(
        store
            .create_service(&actor(), &sample_service_fields("gone"))
            .await,
        "key",
    );
    assert_not_found(
        store.archive_service(&actor(), gone.id + 1000).await,
        "service",
    );

    let e = last_audit(&*store, "service.archive").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id.clone()),
        ("service", Some(gone.id.to_string()))
    );
    assert_eq!(e.before.as_ref().unwrap()["key"], "gone");
}

pub async fn service_list_sort_and_paginate(store: Arc<dyn Store>) {
    // Created in this order; names sort case-insensitively as alpha, Bravo, charlie, delta, Echo.
    for (key, name) in [
        ("k3", "charlie"),
        ("k1", "alpha"),
        ("k5", "Echo"),
        ("k2", "Bravo"),
        ("k4", "delta"),
    ] {
        store
            .create_service(&actor(), &named(key, name))
            .await
            .unwrap();
    }
    let list = |q: ListQuery| {
        let store = store.clone();
        async move { store.list_services(&q).await.unwrap() }
    };
    let by_name = list(sorted(SortField::Name, false)).await;
    assert_eq!(keys(&by_name.items), ["k1", "k2", "k3", "k4", "k5"]);
    assert_eq!(by_name.total, 5);
    let by_name_desc = list(sorted(SortField::Name, true)).await;
    assert_eq!(keys(&by_name_desc.items), ["k5", "k4", "k3", "k2", "k1"]);
    let by_key = list(sorted(SortField::Key, false)).await;
    assert_eq!(keys(&by_key.items), ["k1", "k2", "k3", "k4", "k5"]);
    let by_key_desc = list(sorted(SortField::Key, true)).await;
    assert_eq!(keys(&by_key_desc.items), ["k5", "k4", "k3", "k2", "k1"]);
    let by_created = list(sorted(SortField::CreatedAt, false)).await;
    assert_eq!(keys(&by_created.items), ["k3", "k1", "k5", "k2", "k4"]);
    let by_created_desc = list(sorted(SortField::CreatedAt, true)).await;
    assert_eq!(keys(&by_created_desc.items), ["k4", "k2", "k5", "k1", "k3"]);

    let page = list(ListQuery {
        limit: 2,
        offset: 2,
        ..sorted(SortField::Key, false)
    })
    .await;
    assert_eq!(keys(&page.items), ["k3", "k4"]);
    assert_eq!((page.total, page.limit, page.offset), (5, 2, 2));
    assert!(page.has_next() && page.has_previous());
    let past_end = list(ListQuery {
        limit: 2,
        offset: 10,
        ..ListQuery::default()
    })
    .await;
    assert!(past_end.items.is_empty());
    assert_eq!(past_end.total, 5);
    let clamped = list(ListQuery {
        limit: 0,
        ..sorted(SortField::Key, false)
    })
    .await;
    assert_eq!(keys(&clamped.items), ["k1"]);
    assert_eq!(clamped.limit, 1);
}

pub async fn service_list_search(store: Arc<dyn Store>) {
    for (key, name) in [
        ("loan", "Mortgage LOAN application"),
        ("card", "Credit card renewal"),
        ("pct", "100% refund"),
        ("under", "Open_account"),
        ("plain", "Open account"),
    ] {
        store
            .create_service(&actor(), &named(key, name))
            .await
            .unwrap();
    }
    let found = |term: &'static str| {
        let store = store.clone();
        async move {
            let p = store.list_services(&searching(term)).await.unwrap();
            assert_eq!(p.total, p.items.len() as i64);
            p.items.into_iter().map(|s| s.key).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("loan").await, ["loan"]);
    assert_eq!(found("RENEW").await, ["card"]);
    assert_eq!(found("%").await, ["pct"]);
    assert_eq!(found("n_a").await, ["under"]);
    assert_eq!(found("open").await, ["plain", "under"]);
    assert!(found("zzz").await.is_empty());
    // Archived services only show up with include_inactive.
    let card = store.get_service_by_key("card").await.unwrap();
    store.archive_service(&actor(), card.id).await.unwrap();
    assert!(found("renew").await.is_empty());
    let q = ListQuery {
        include_inactive: true,
        ..searching("renew")
    };
    assert_eq!(store.list_services(&q).await.unwrap().total, 1);
}

/// Many tasks creating at once: every write lands, ids are distinct.
pub async fn concurrent_service_creates_all_land(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .create_service(&actor(), &sample_service_fields(&format!("svc-{i:02}")))
                    .await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.expect("task").expect("create").id);
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    let all = store.list_services(&ListQuery::all()).await.unwrap();
    assert_eq!(all.total, 40);
    assert_eq!(all_audit(&*store).await.len(), 40);
}
