//! The complaint analysis' read and the estimate assumptions.
use super::{service_with_cycle, site};
use crate::{Store, actor, conformance::complaints::status_hash, t0};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    audit::AuditQuery,
    complaints::{ComplaintInput, NewPromise, PromiseKind, ResolutionInput},
    cycle::CycleVersion,
    improvement::{Assumptions, ComplaintFactQuery},
};

async fn complaint(
    store: &dyn Store,
    cycle: &CycleVersion,
    (service, moment, site_id): (&str, &str, Option<i64>),
    days_ago: i64,
    n: u32,
) -> i64 {
    let dims = store.list_dimensions().await.unwrap();
    let c = ComplaintInput {
        customer_ref: format!("customer {n}"),
        channel: "phone".into(),
        site_id,
        service_key: Some(service.into()),
        moment_key: Some(moment.into()),
        dimension_key: Some("responsiveness".into()),
        description: "Waited a long time".into(),
        severity: "low".into(),
        received_at: t0() - Duration::days(days_ago),
        ..ComplaintInput::default()
    }
    .validate(Some(cycle), &dims, t0())
    .expect("valid complaint");
    store
        .create_complaint(&actor(), &c, &status_hash(n))
        .await
        .expect("create complaint")
        .id
}

async fn promise(store: &dyn Store, complaint_id: i64, minutes: i64) -> i64 {
    let p = NewPromise {
        kind: PromiseKind::Callback,
        description: "We will call you back".into(),
        due_at: t0() + Duration::minutes(minutes),
    };
    store
        .add_promise(&actor(), complaint_id, &p)
        .await
        .expect("add promise")
        .id
}

/// Facts are one service's complaints of the period (and site), with cause and outcomes.
pub async fn complaint_facts_carry_causes_and_promise_outcomes(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let (_, other_cycle) = service_with_cycle(store.as_ref(), "hotel").await;
    let (north, south) = (
        site(store.as_ref(), "north").await,
        site(store.as_ref(), "south").await,
    );
    let s = store.as_ref();
    let a = complaint(s, &cycle, ("bank", "m2", Some(north.id)), 3, 1).await;
    let b = complaint(s, &cycle, ("bank", "m3", Some(south.id)), 5, 2).await;
    let old = complaint(s, &cycle, ("bank", "m2", Some(north.id)), 40, 3).await;
    complaint(s, &other_cycle, ("hotel", "m2", Some(north.id)), 3, 4).await;

    // `a`: one promise kept, one broken, one still open; `b`: one cancelled.
    let kept = promise(s, a, 30).await;
    store.fulfil_promise(&actor(), kept).await.unwrap();
    promise(s, a, 60).await;
    promise(s, a, 24 * 60).await;
    let claimed = store
        .claim_due_promises(t0() + Duration::minutes(90), "n1", 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let cancelled = promise(s, b, 30).await;
    store
        .cancel_promise(&actor(), cancelled, "customer asked")
        .await
        .unwrap();
    let resolution = ResolutionInput {
        root_cause: "Too few cashiers at lunchtime".into(),
        explanation: "Two cashiers were off sick".into(),
        customer_satisfied: Some(true),
        ..ResolutionInput::default()
    }
    .validate(Some(&cycle))
    .unwrap();
    store
        .record_resolution(&actor(), a, &resolution)
        .await
        .unwrap();

    let q = ComplaintFactQuery {
        service_key: bank.key.clone(),
        since: t0() - Duration::days(30),
        until: Some(t0() + Duration::days(1)),
        site_id: None,
    };
    let facts = store.complaint_facts(&q).await.unwrap();
    let ids: Vec<i64> = facts.iter().map(|f| f.id).collect();
    assert_eq!(
        ids,
        vec![a, b],
        "other service and older complaint left out"
    );
    let fa = &facts[0];
    assert_eq!(fa.moment_key.as_deref(), Some("m2"));
    assert_eq!(fa.dimension_key.as_deref(), Some("responsiveness"));
    assert_eq!(fa.site_id, Some(north.id));
    assert_eq!(
        fa.root_cause.as_deref(),
        Some("Too few cashiers at lunchtime")
    );
    assert_eq!(fa.customer_satisfied, Some(true));
    assert_eq!((fa.promises_kept, fa.promises_broken), (1, 1));
    let fb = &facts[1];
    assert_eq!((fb.root_cause.clone(), fb.customer_satisfied), (None, None));
    assert_eq!((fb.promises_kept, fb.promises_broken), (0, 0));

    let at_south = ComplaintFactQuery {
        site_id: Some(south.id),
        ..q.clone()
    };
    let ids: Vec<i64> = store
        .complaint_facts(&at_south)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(ids, vec![b]);
    let open_ended = ComplaintFactQuery {
        since: t0() - Duration::days(60),
        until: None,
        ..q.clone()
    };
    assert_eq!(store.complaint_facts(&open_ended).await.unwrap().len(), 3);
    // `until` is exclusive: the complaint received exactly then is left out.
    let until_b = ComplaintFactQuery {
        until: Some(t0() - Duration::days(5)),
        ..open_ended
    };
    let ids: Vec<i64> = store
        .complaint_facts(&until_b)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(ids, vec![old]);
}

/// Defaults until set; setting replaces them and is audited with before and after.
pub async fn complaint_assumptions_default_and_set(store: Arc<dyn Store>) {
    assert_eq!(
        store.complaint_assumptions().await.unwrap(),
        Assumptions::default()
    );
    let mine = Assumptions {
        silent_per_complaint: 12.5,
        told_by_dissatisfied: 9.0,
        told_by_satisfied: 4.0,
    };
    store
        .set_complaint_assumptions(&actor(), &mine)
        .await
        .unwrap();
    assert_eq!(store.complaint_assumptions().await.unwrap(), mine);
    let again = Assumptions {
        silent_per_complaint: 20.0,
        ..mine
    };
    store
        .set_complaint_assumptions(&actor(), &again)
        .await
        .unwrap();
    assert_eq!(store.complaint_assumptions().await.unwrap(), again);
    let audit = store
        .list_audit(
            &AuditQuery {
                action: Some("complaint_assumptions.set".into()),
                ..AuditQuery::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(audit.total, 2);
    let last = &audit.items[0];
    assert_eq!(last.entity, "settings");
    assert_eq!(last.entity_id.as_deref(), Some("complaint_assumptions"));
    let before = last.before.as_ref().unwrap();
    assert_eq!(before["silent_per_complaint"], 12.5);
    assert_eq!(last.after.as_ref().unwrap()["silent_per_complaint"], 20.0);
}
