//! Several app nodes on one database, and PostgreSQL-specific behaviour.
//!
//! Runs only with `TOUCHPOINT_TEST_POSTGRES_URL` set (see `conformance.rs`).
use chrono::{Duration, SubsecRound};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    audit::AuditQuery,
    clock::{Clock, FixedClock, SystemClock},
    listing::ListQuery,
    store::{AuditStore, OrgStore, ServiceStore, Store},
};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_test_support::{actor, sample_cycle, sample_service_fields, t0};

/// A fresh database's URL, or `None` (after a loud notice) when no server is configured.
async fn fresh_url(test: &str) -> Option<String> {
    let admin = testing::admin_url_from_env(test)?;
    Some(
        testing::fresh_database(&admin)
            .await
            .expect("fresh database"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_publishing_concurrently_never_duplicate_versions() {
    let Some(url) = fresh_url("two_nodes_publishing_concurrently").await else {
        return;
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Both nodes start at once, so their migrations race too.
    let (a, b) = tokio::join!(
        PgStore::connect_with(&url, clock.clone(), 3),
        PgStore::connect_with(&url, clock.clone(), 3)
    );
    let nodes = [Arc::new(a.expect("node a")), Arc::new(b.expect("node b"))];
    let service = nodes[0]
        .create_service(&actor(), &sample_service_fields("busy"))
        .await
        .unwrap();

    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let node = nodes[i % 2].clone();
            tokio::spawn(async move {
                node.publish_cycle(&actor(), service.id, &sample_cycle(1 + i % 5, &[1]))
                    .await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for t in tasks {
        versions.push(t.await.expect("task").expect("publish").version);
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=24).collect::<Vec<i32>>());
    for node in &nodes {
        assert_eq!(node.current_cycle(service.id).await.unwrap().version, 24);
        assert_eq!(
            node.list_cycle_versions(service.id).await.unwrap().len(),
            24
        );
    }
    let q = AuditQuery {
        action: Some("cycle.publish".into()),
        ..AuditQuery::default()
    };
    assert_eq!(nodes[1].list_audit(&q, 100, 0).await.unwrap().total, 24);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_nodes_starting_at_once_migrate_once() {
    let Some(url) = fresh_url("many_nodes_starting_at_once").await else {
        return;
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let starts: Vec<_> = (0..5)
        .map(|_| {
            let (url, clock) = (url.clone(), clock.clone());
            tokio::spawn(async move { PgStore::connect_with(&url, clock, 2).await })
        })
        .collect();
    let mut nodes = Vec::new();
    for s in starts {
        nodes.push(s.await.expect("task").expect("connect and migrate"));
    }
    for node in &nodes {
        assert_eq!(node.list_dimensions().await.unwrap().len(), 10);
        node.migrate().await.expect("migrate again");
    }
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(nodes[0].pool())
        .await
        .unwrap();
    let shipped = sqlx::migrate!().iter().count();
    assert_eq!(usize::try_from(applied).unwrap(), shipped);
}

#[tokio::test]
async fn clock_times_are_kept_to_the_microsecond() {
    let Some(url) = fresh_url("clock_times_are_kept_to_the_microsecond").await else {
        return;
    };
    let at = t0() + Duration::nanoseconds(123_456_789);
    let clock = Arc::new(FixedClock::new(at));
    let store = PgStore::connect_with(&url, clock.clone(), 2).await.unwrap();
    let s = store
        .create_service(&actor(), &sample_service_fields("precise"))
        .await
        .unwrap();
    assert_eq!(s.created_at, at.trunc_subsecs(6));
    assert_eq!(store.get_service(s.id).await.unwrap(), s);
    let listed = store.list_services(&ListQuery::all()).await.unwrap();
    assert_eq!(listed.items, [s]);
    let e = store
        .list_audit(&AuditQuery::default(), 1, 0)
        .await
        .unwrap();
    assert_eq!(e.items[0].at, at.trunc_subsecs(6));
}

#[tokio::test]
async fn urls_of_other_databases_are_refused() {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let r = PgStore::connect("sqlite://touchpoint.db", clock).await;
    assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
}

#[tokio::test]
async fn backend_reports_itself_and_answers_pings() {
    let Some(url) = fresh_url("backend_reports_itself_and_answers_pings").await else {
        return;
    };
    let store = PgStore::connect(&url, Arc::new(SystemClock)).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    store.ping().await.unwrap();
    store.close().await;
    assert!(matches!(store.ping().await, Err(StoreError::Backend(_))));
}

#[tokio::test]
async fn duplicate_moment_keys_are_invalid_and_leave_no_trace() {
    let Some(url) = fresh_url("duplicate_moment_keys_are_invalid").await else {
        return;
    };
    let store = PgStore::connect(&url, Arc::new(SystemClock)).await.unwrap();
    let s = store
        .create_service(&actor(), &sample_service_fields("dup"))
        .await
        .unwrap();
    // ValidCycle's fields are public, so a caller can bypass CycleDraft::validate.
    let mut cycle = sample_cycle(2, &[]);
    cycle.moments[1].key = cycle.moments[0].key.clone();
    match store.publish_cycle(&actor(), s.id, &cycle).await {
        Err(StoreError::Invalid(e)) => assert_eq!(e.first_field(), Some("moments")),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(store.list_cycle_versions(s.id).await.unwrap().is_empty());
    let audits = store
        .list_audit(&AuditQuery::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(audits.total, 1, "only service.create");
}
