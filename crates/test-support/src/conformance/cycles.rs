//! Cycles: versioned publishing, history, counts on the service, standards round-trip.
use super::{assert_not_found, last_audit};
use crate::{actor, sample_cycle, sample_service_fields};
use std::{collections::HashSet, sync::Arc};
use touchpoint_core::{
    audit::Actor,
    channel::Channel,
    cycle::{ValidCycle, ValidMoment},
    listing::ListQuery,
    standard::{Comparator, ServiceStandard},
    store::Store,
};

async fn new_service(store: &dyn Store, key: &str) -> i64 {
    store
        .create_service(&actor(), &sample_service_fields(key))
        .await
        .unwrap()
        .id
}

pub async fn cycle_not_found_before_publish(store: Arc<dyn Store>) {
    let id = new_service(&*store, "fresh").await;
    assert_not_found(store.current_cycle(id).await, "cycle");
    assert_not_found(store.cycle_version(id, 1).await, "cycle");
    assert!(store.list_cycle_versions(id).await.unwrap().is_empty());
    assert_not_found(
        store
            .publish_cycle(&actor(), id + 1000, &sample_cycle(2, &[]))
            .await,
        "service",
    );
}

pub async fn cycle_publish_creates_versions(store: Arc<dyn Store>) {
    let id = new_service(&*store, "checkin").await;
    let publisher = Actor::system("cli");
    let c1 = sample_cycle(3, &[2]);
    let v1 = store.publish_cycle(&publisher, id, &c1).await.unwrap();
    assert_eq!((v1.service_id, v1.version), (id, 1));
    assert_eq!(v1.note, c1.note);
    assert_eq!(v1.published_by, "cli");
    assert_eq!(v1.moments.len(), 3);
    for (i, (m, want)) in v1.moments.iter().zip(&c1.moments).enumerate() {
        assert_eq!(m.position, i as i32 + 1);
        assert_eq!(m.key, want.key);
        assert_eq!(m.name, want.name);
        assert_eq!(m.description, want.description);
        assert_eq!(m.channel, want.channel);
        assert_eq!(m.role, want.role);
        assert_eq!(m.critical, want.critical);
        assert_eq!(m.standards, want.standards);
    }
    assert_eq!(store.cycle_version(id, 1).await.unwrap(), v1);
    assert_eq!(store.current_cycle(id).await.unwrap(), v1);

    let c2 = sample_cycle(4, &[1, 4]);
    let v2 = store.publish_cycle(&actor(), id, &c2).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v2.id, v1.id);
    assert_eq!(v2.published_by, "test");
    let keys: Vec<_> = v2.moments.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["m1", "m2", "m3", "m4"]);
    let old_ids: HashSet<i64> = v1.moments.iter().map(|m| m.id).collect();
    assert!(
        v2.moments.iter().all(|m| !old_ids.contains(&m.id)),
        "a new version must get new moment rows"
    );
    // Version 1 stays exactly as it was published.
    assert_eq!(store.cycle_version(id, 1).await.unwrap(), v1);
    assert_eq!(store.cycle_version(id, 2).await.unwrap(), v2);
    assert_eq!(store.current_cycle(id).await.unwrap(), v2);
    assert_not_found(store.cycle_version(id, 3).await, "cycle");

    // Another service's cycles are separate.
    let other = new_service(&*store, "other").await;
    assert_not_found(store.current_cycle(other).await, "cycle");
    assert_not_found(store.cycle_version(other, 1).await, "cycle");
    let o1 = store
        .publish_cycle(&actor(), other, &sample_cycle(1, &[]))
        .await
        .unwrap();
    assert_eq!(o1.version, 1);
    assert_eq!(store.current_cycle(id).await.unwrap(), v2);
}

pub async fn cycle_history_and_service_counts(store: Arc<dyn Store>) {
    let id = new_service(&*store, "loan").await;
    let other = new_service(&*store, "zz-other").await;
    store
        .publish_cycle(&actor(), id, &sample_cycle(3, &[2]))
        .await
        .unwrap();
    let s = store.get_service(id).await.unwrap();
    assert_eq!(
        (s.current_version, s.moment_count, s.critical_count),
        (Some(1), 3, 1)
    );
    store
        .publish_cycle(&actor(), id, &sample_cycle(5, &[1, 3, 5]))
        .await
        .unwrap();
    let history = store.list_cycle_versions(id).await.unwrap();
    let lines: Vec<_> = history
        .iter()
        .map(|h| (h.version, h.moment_count, h.critical_count))
        .collect();
    assert_eq!(lines, [(2, 5, 3), (1, 3, 1)]);
    assert_eq!(history[0].note, "5 moments");
    assert_eq!(history[1].published_by, "test");
    let v1 = store.cycle_version(id, 1).await.unwrap();
    assert_eq!(history[1].published_at, v1.published_at);

    let want = (Some(2), 5, 3);
    let s = store.get_service(id).await.unwrap();
    assert_eq!((s.current_version, s.moment_count, s.critical_count), want);
    let s = store.get_service_by_key("loan").await.unwrap();
    assert_eq!((s.current_version, s.moment_count, s.critical_count), want);
    let page = store.list_services(&ListQuery::default()).await.unwrap();
    let listed: Vec<_> = page
        .items
        .iter()
        .map(|s| {
            (
                s.key.as_str(),
                s.current_version,
                s.moment_count,
                s.critical_count,
            )
        })
        .collect();
    assert_eq!(listed, [("loan", Some(2), 5, 3), ("zz-other", None, 0, 0)]);
    assert!(store.list_cycle_versions(other).await.unwrap().is_empty());
}

fn standard(metric: &str, c: Comparator, t: f64, unit: &str, desc: &str) -> ServiceStandard {
    ServiceStandard {
        metric: metric.into(),
        comparator: c,
        threshold: t,
        unit: unit.into(),
        description: desc.into(),
    }
}

pub async fn cycle_standards_round_trip(store: Arc<dyn Store>) {
    let id = new_service(&*store, "phone-support").await;
    let rich = ValidMoment {
        key: "answer".into(),
        name: "Answer the call".into(),
        description: "Línea 1 — «ñ» and quotes ' \" too".into(),
        channel: Channel::Phone,
        role: "Call-centre agent".into(),
        critical: true,
        standards: vec![
            standard(
                "rings",
                Comparator::Le,
                3.0,
                "rings",
                "Answer by the third ring",
            ),
            standard("hold_seconds", Comparator::Lt, 17.25, "s", ""),
            standard("satisfaction", Comparator::Ge, 0.1, "", "At least a tenth"),
            standard("delta", Comparator::Gt, -3.75, "°C", ""),
            standard("exact", Comparator::Eq, 1_000_000.5, "units", ""),
            standard("tiny", Comparator::Le, 1e-7, "", ""),
        ],
    };
    let channels: Vec<ValidMoment> = Channel::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| ValidMoment {
            key: format!("via-{}", c.as_str().replace('_', "-")),
            name: format!("Contact {i}"),
            description: String::new(),
            channel: *c,
            role: String::new(),
            critical: false,
            standards: vec![],
        })
        .collect();
    let cycle = ValidCycle {
        moments: std::iter::once(rich).chain(channels).collect(),
        note: "All the edge cases".into(),
    };
    let published = store.publish_cycle(&actor(), id, &cycle).await.unwrap();
    let read = store.current_cycle(id).await.unwrap();
    assert_eq!(read, published);
    assert_eq!(read.note, cycle.note);
    assert_eq!(read.moments.len(), cycle.moments.len());
    for (m, want) in read.moments.iter().zip(&cycle.moments) {
        assert_eq!(
            (
                &m.key,
                &m.name,
                &m.description,
                m.channel,
                &m.role,
                m.critical
            ),
            (
                &want.key,
                &want.name,
                &want.description,
                want.channel,
                &want.role,
                want.critical
            )
        );
        assert_eq!(m.standards, want.standards, "standards of {}", m.key);
    }
}

pub async fn cycle_publish_is_audited(store: Arc<dyn Store>) {
    let id = new_service(&*store, "audited").await;
    let v = store
        .publish_cycle(&actor(), id, &sample_cycle(2, &[1]))
        .await
        .unwrap();
    let e = last_audit(&*store, "cycle.publish").await;
    assert_eq!(e.entity, "cycle");
    assert_eq!(e.entity_id, Some(id.to_string()));
    assert_eq!(e.actor, "test");
    let after = e.after.expect("after holds the published version");
    assert_eq!(after["version"], 1);
    assert_eq!(after["id"], v.id);
    assert_eq!(after["moments"].as_array().map(Vec::len), Some(2));
    assert_eq!(after["moments"][0]["key"], "m1");
}

/// Publishing concurrently on one service yields versions 1..=n, each exactly once.
pub async fn concurrent_publishes_get_distinct_versions(store: Arc<dyn Store>) {
    let id = new_service(&*store, "busy").await;
    let tasks: Vec<_> = (1..=8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .publish_cycle(&actor(), id, &sample_cycle(n, &[]))
                    .await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for t in tasks {
        versions.push(t.await.expect("task").expect("publish").version);
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=8).collect::<Vec<i32>>());
    let current = store.current_cycle(id).await.unwrap();
    assert_eq!(current.version, 8);
    assert_eq!(store.list_cycle_versions(id).await.unwrap().len(), 8);
}
