//! Measurements of standards (idempotent by external id) and compliments.
use super::{World, january, world};
use crate::{Store, actor, t0};
use std::sync::Arc;
use touchpoint_core::{
    audit::Actor,
    feedback::{
        ComplimentDraft, MeasurementDraft,
        records::{EvidenceFilter, Measurement, NewMeasurement, SubmitOutcome},
    },
    listing::ListQuery,
};

/// A `wait_minutes` measurement at moment `moment` of the world's cycle, judged by the domain.
pub fn measurement(
    w: &World,
    site: usize,
    moment: &str,
    day: u32,
    value: f64,
    external_id: Option<&str>,
) -> NewMeasurement {
    let judged = MeasurementDraft {
        moment_key: moment.into(),
        metric: "wait_minutes".into(),
        site_key: w.sites[site].key.clone(),
        observed_at: january(day, 9),
        value,
    }
    .judge(&w.cycle, t0())
    .expect("measurement is valid");
    NewMeasurement {
        service_id: w.service.id,
        site_id: w.sites[site].id,
        external_id: external_id.map(str::to_string),
        judged,
    }
}

pub async fn measurements_record_and_skip_duplicates(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    // m1's standard is wait_minutes <= 1.5 min.
    let a = measurement(&w, 0, "m1", 3, 1.0, Some("x1"));
    let b = measurement(&w, 1, "m1", 4, 4.0, None);
    let dup = measurement(&w, 1, "m1", 5, 9.0, Some("x1"));
    assert!(a.judged.met() && !b.judged.met());
    let out = store
        .record_measurements(&actor(), &[a.clone(), b.clone(), dup.clone()])
        .await
        .unwrap();
    let (ia, ib) = match (&out[0], &out[1]) {
        (SubmitOutcome::Created(x), SubmitOutcome::Created(y)) => (*x, *y),
        other => panic!("expected two Created, got {other:?}"),
    };
    assert_ne!(ia, ib);
    assert_eq!(out[2], SubmitOutcome::AlreadyExists(ia));
    let again = store
        .record_measurements(&actor(), &[dup.clone(), b.clone()])
        .await
        .unwrap();
    assert_eq!(again[0], SubmitOutcome::AlreadyExists(ia));
    assert!(
        matches!(again[1], SubmitOutcome::Created(id) if id != ib),
        "no external id: always new"
    );
    // External ids are unique per service only.
    let elsewhere = measurement(&other, 0, "m1", 3, 1.0, Some("x1"));
    let out = store
        .record_measurements(&actor(), &[elsewhere])
        .await
        .unwrap();
    assert!(matches!(out[0], SubmitOutcome::Created(_)));

    let page = store
        .list_measurements(
            &EvidenceFilter {
                service_id: Some(w.service.id),
                ..EvidenceFilter::default()
            },
            &ListQuery::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let stored: &Measurement = page.items.iter().find(|m| m.id == ia).unwrap();
    assert_eq!(stored.service_id, w.service.id);
    assert_eq!(stored.site_id, w.sites[0].id);
    assert_eq!(stored.external_id.as_deref(), Some("x1"));
    assert_eq!(stored.judged, a.judged);
    assert!(stored.met);
    let late = page.items.iter().find(|m| m.id == ib).unwrap();
    assert!(!late.met);
    assert_eq!(late.judged, b.judged);
}

pub async fn measurements_list_filters(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    let items = [
        measurement(&w, 0, "m1", 3, 1.0, None),
        measurement(&w, 1, "m2", 6, 2.0, None),
        measurement(&w, 0, "m3", 4, 5.0, None),
        measurement(&other, 0, "m1", 5, 1.0, None),
    ];
    let out = store.record_measurements(&actor(), &items).await.unwrap();
    let id: Vec<i64> = out.iter().map(SubmitOutcome::id).collect();
    let ids = |f: EvidenceFilter, q: ListQuery| {
        let store = store.clone();
        async move {
            let page = store.list_measurements(&f, &q).await.unwrap();
            let ids: Vec<i64> = page.items.iter().map(|m| m.id).collect();
            (ids, page.total)
        }
    };
    let q = ListQuery::default();
    assert_eq!(
        ids(EvidenceFilter::default(), q.clone()).await,
        (vec![id[1], id[3], id[2], id[0]], 4)
    );
    let mine = EvidenceFilter {
        service_id: Some(w.service.id),
        ..EvidenceFilter::default()
    };
    let site = EvidenceFilter {
        site_id: Some(w.sites[0].id),
        ..mine.clone()
    };
    assert_eq!(ids(site, q.clone()).await, (vec![id[2], id[0]], 2));
    let moment = EvidenceFilter {
        moment_key: Some("m2".into()),
        ..mine.clone()
    };
    assert_eq!(ids(moment, q.clone()).await, (vec![id[1]], 1));
    let window = EvidenceFilter {
        since: Some(january(4, 9)),
        until: Some(january(6, 9)),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(window, q.clone()).await, (vec![id[3], id[2]], 2));
    let paged = ListQuery {
        limit: 2,
        offset: 1,
        ..ListQuery::default()
    };
    assert_eq!(ids(mine, paged).await, (vec![id[2], id[0]], 3));
}

/// Compliance is counted by one aggregate over exactly the rows `list_measurements` returns.
pub async fn measurements_compliance_counts_what_the_list_shows(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    // Thresholds: m1 <= 1.5, m2 <= 2.5, m3 <= 3.5 min.
    let items = [
        measurement(&w, 0, "m1", 3, 1.0, None),
        measurement(&w, 1, "m1", 4, 4.0, None),
        measurement(&w, 0, "m2", 5, 2.0, None),
        measurement(&w, 0, "m3", 6, 5.0, None),
        measurement(&w, 1, "m3", 7, 3.0, None),
        measurement(&other, 0, "m1", 5, 1.0, None),
    ];
    let met: Vec<bool> = items.iter().map(|m| m.judged.met()).collect();
    assert_eq!(met, [true, false, true, false, true, true]);
    store.record_measurements(&actor(), &items).await.unwrap();

    let mine = EvidenceFilter {
        service_id: Some(w.service.id),
        ..EvidenceFilter::default()
    };
    let cases = [
        (EvidenceFilter::default(), (4, 6)),
        (mine.clone(), (3, 5)),
        (
            EvidenceFilter {
                site_id: Some(w.sites[0].id),
                ..mine.clone()
            },
            (2, 3),
        ),
        (
            EvidenceFilter {
                moment_key: Some("m1".into()),
                ..EvidenceFilter::default()
            },
            (2, 3),
        ),
        (
            EvidenceFilter {
                since: Some(january(4, 9)),
                until: Some(january(6, 9)),
                ..EvidenceFilter::default()
            },
            (2, 3),
        ),
        (
            EvidenceFilter {
                site_id: Some(w.sites[1].id),
                moment_key: Some("m3".into()),
                since: Some(january(7, 9)),
                ..mine.clone()
            },
            (1, 1),
        ),
        (
            EvidenceFilter {
                moment_key: Some("m9".into()),
                ..mine.clone()
            },
            (0, 0),
        ),
        (
            EvidenceFilter {
                since: Some(january(5, 9)),
                until: Some(january(5, 9)),
                ..EvidenceFilter::default()
            },
            (0, 0),
        ),
        // Measurements concern no staff member.
        (
            EvidenceFilter {
                staff_id: Some(w.staff.id),
                ..EvidenceFilter::default()
            },
            (0, 0),
        ),
    ];
    for (f, want) in cases {
        let got = store.measurement_compliance(&f).await.unwrap();
        assert_eq!(got, want, "compliance of {f:?}");
        // The same rows as the list, read in pages of two.
        let mut q = ListQuery {
            limit: 2,
            ..ListQuery::default()
        };
        let (mut listed_met, mut listed) = (0, 0);
        loop {
            let page = store.list_measurements(&f, &q).await.unwrap();
            assert_eq!(page.total, want.1, "list total of {f:?}");
            listed += page.items.len() as i64;
            listed_met += page.items.iter().filter(|m| m.met).count() as i64;
            if !page.has_next() {
                break;
            }
            q.offset += q.limit;
        }
        assert_eq!((listed_met, listed), want, "list of {f:?}");
    }
}

pub async fn compliments_record_and_list(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let draft = |moment: Option<&str>, staff: Option<i64>, day: u32, text: &str| ComplimentDraft {
        service_key: moment.map(|_| w.service.key.clone()),
        moment_key: moment.map(str::to_string),
        staff_id: staff,
        site_id: Some(w.sites[0].id),
        customer: Some("Marta Gómez".into()),
        text: text.into(),
        received_at: january(day, 16),
        channel: "email".into(),
    };
    let recorder = Actor::user(7, "manager@example.com");
    let about_moment = draft(Some("m2"), None, 4, "The queue moved fast.")
        .validate(Some(&w.cycle), t0())
        .unwrap();
    assert_eq!(about_moment.moment_id, Some(w.moment_id("m2")));
    let c1 = store
        .record_compliment(&recorder, Some(w.service.id), &about_moment)
        .await
        .unwrap();
    assert_eq!(c1.service_id, Some(w.service.id));
    assert_eq!(c1.compliment, about_moment);
    assert_eq!(c1.recorded_by, "manager@example.com");
    let about_staff = draft(None, Some(w.staff.id), 6, "Ana was very kind.")
        .validate(None, t0())
        .unwrap();
    let c2 = store
        .record_compliment(&actor(), None, &about_staff)
        .await
        .unwrap();
    assert_eq!((c2.service_id, c2.recorded_by.as_str()), (None, "test"));
    let both = draft(Some("m1"), Some(w.staff.id), 2, "Quick and friendly.")
        .validate(Some(&w.cycle), t0())
        .unwrap();
    let c3 = store
        .record_compliment(&actor(), Some(w.service.id), &both)
        .await
        .unwrap();

    let list = |f: EvidenceFilter| {
        let store = store.clone();
        async move {
            let page = store
                .list_compliments(&f, &ListQuery::default())
                .await
                .unwrap();
            (page.items, page.total)
        }
    };
    let (items, total) = list(EvidenceFilter::default()).await;
    assert_eq!(items, [c2.clone(), c1.clone(), c3.clone()]);
    assert_eq!(total, 3);
    let ids = |v: Vec<touchpoint_core::feedback::records::Compliment>| {
        v.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let staff = EvidenceFilter {
        staff_id: Some(w.staff.id),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(list(staff).await.0), [c2.id, c3.id]);
    let service = EvidenceFilter {
        service_id: Some(w.service.id),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(list(service).await.0), [c1.id, c3.id]);
    let moment = EvidenceFilter {
        moment_key: Some("m1".into()),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(list(moment).await.0), [c3.id]);
    let site = EvidenceFilter {
        site_id: Some(w.sites[1].id),
        ..EvidenceFilter::default()
    };
    assert_eq!(list(site).await.1, 0);
    let window = EvidenceFilter {
        since: Some(january(4, 16)),
        until: Some(january(6, 16)),
        ..EvidenceFilter::default()
    };
    assert_eq!(ids(list(window).await.0), [c1.id]);
}
