//! Creating, reading and moving complaints through their lifecycle.
use super::{assert_invalid, complaint, create, minutes, site, status_hash, walk};
use crate::{Store, actor, conformance::all_audit, t0};
use std::{collections::HashSet, sync::Arc};
use touchpoint_core::{
    StoreError,
    complaints::{ComplaintStatus, ComplaintStatus::*, LedgerKind, Resolution},
    listing::ListQuery,
};

pub async fn complaint_create_and_read_back(store: Arc<dyn Store>) {
    let s = site(&*store, "centro").await;
    let mut c = complaint("Marta", "high", "phone", minutes(30));
    c.site_id = Some(s.id);
    c.description = "Rude answer <script>alert('x')</script> & \"quotes\" ñ".into();
    let first = create(&*store, &c, 1).await;
    assert_eq!(first.reference, "C-2026-000001");
    assert_eq!(first.status, Received);
    assert_eq!(first.description, c.description, "stored byte for byte");
    assert_eq!(first.received_at, c.received_at);
    assert_eq!(first.created_at, t0());
    assert_eq!(first.site_id, Some(s.id));
    let second = create(&*store, &complaint("Luis", "low", "email", minutes(5)), 2).await;
    assert_eq!(second.reference, "C-2026-000002");
    assert_eq!(store.get_complaint(first.id).await.unwrap(), first);
    assert_eq!(
        store
            .get_complaint_by_reference(" c-2026-000001")
            .await
            .unwrap(),
        first
    );
    assert_eq!(
        store
            .find_complaint_by_token(&status_hash(2))
            .await
            .unwrap(),
        second
    );
    let t = store.complaint_transitions(first.id).await.unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!((t[0].from, t[0].to, t[0].at), (None, Received, t0()));
    assert_eq!(t[0].actor, "test");
    // The customer's account carries the complaint's withdrawal, dated when it was received.
    let history = store
        .ledger_history("Marta", &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(history.items.len(), 1);
    assert_eq!(history.items[0].kind, LedgerKind::Complaint);
    assert_eq!(history.items[0].occurred_at, c.received_at);
    assert_eq!(history.items[0].complaint_id, Some(first.id));
    assert_eq!(store.ledger_balance("Marta").await.unwrap(), -3);

    for missing in [
        store.get_complaint(999).await,
        store.get_complaint_by_reference("C-2026-000999").await,
        store.find_complaint_by_token("nope").await,
    ] {
        assert!(matches!(
            missing,
            Err(StoreError::NotFound {
                entity: "complaint"
            })
        ));
    }
    let dup = store.create_complaint(&actor(), &c, &status_hash(1)).await;
    assert!(matches!(dup, Err(StoreError::Conflict { ref field, .. }) if field == "token_hash"));
    let mut bad = c.clone();
    bad.site_id = Some(9999);
    assert_invalid(
        store
            .create_complaint(&actor(), &bad, &status_hash(3))
            .await,
        "site_id",
    );
    let mut bad = c.clone();
    bad.assignee_id = Some(9999);
    assert_invalid(
        store
            .create_complaint(&actor(), &bad, &status_hash(4))
            .await,
        "assignee_id",
    );
    // Failed creates used no reference number and left no trace.
    let third = create(&*store, &complaint("Eva", "low", "web", minutes(1)), 5).await;
    assert_eq!(third.reference, "C-2026-000003");
    assert_eq!(store.ledger_balance("Marta").await.unwrap(), -3);
}

pub async fn complaint_every_transition_is_recorded(store: Arc<dyn Store>) {
    let c = create(
        &*store,
        &complaint("Marta", "medium", "email", minutes(1)),
        1,
    )
    .await;
    let path = [
        Acknowledged,
        Assessed,
        Investigating,
        Responded,
        Investigating,
        Responded,
        Resolved,
        Reopened,
        Assessed,
        Investigating,
        Responded,
        Resolved,
        Closed,
        Reopened,
        Investigating,
        Responded,
        Resolved,
        Closed,
    ];
    let mut from = Received;
    for to in path {
        let moved = store
            .transition_complaint(&actor(), c.id, to, &format!("to {to}"))
            .await
            .unwrap();
        assert_eq!(moved.status, to);
        assert_eq!(
            store.get_complaint(c.id).await.unwrap().status,
            to,
            "{from} -> {to}"
        );
        from = to;
    }
    // The walk takes every edge of the table.
    let taken: HashSet<_> = std::iter::once(Received).chain(path).zip(path).collect();
    let table: HashSet<_> = ComplaintStatus::ALL
        .iter()
        .flat_map(|f| f.next().iter().map(move |t| (*f, *t)))
        .collect();
    assert_eq!(taken, table);
    let t = store.complaint_transitions(c.id).await.unwrap();
    assert_eq!(t.len(), path.len() + 1);
    for (i, to) in path.iter().enumerate() {
        let rec = &t[i + 1];
        assert_eq!(rec.to, *to);
        assert_eq!(rec.from, Some(t[i].to));
        assert_eq!(rec.note, format!("to {to}"));
        assert_eq!(rec.actor, "test");
        assert_eq!(rec.at, t0());
    }
}

pub async fn complaint_invalid_transitions_are_rejected(store: Arc<dyn Store>) {
    let c = create(
        &*store,
        &complaint("Marta", "medium", "email", minutes(1)),
        1,
    )
    .await;
    let msg = assert_invalid(
        store
            .transition_complaint(&actor(), c.id, Resolved, "")
            .await,
        "status",
    );
    assert!(
        msg.contains("'received'") && msg.contains("'resolved'"),
        "{msg}"
    );
    assert_invalid(
        store
            .transition_complaint(&actor(), c.id, Reopened, "")
            .await,
        "status",
    );
    walk(&*store, c.id, &[Acknowledged, Assessed]).await;
    assert_invalid(
        store.transition_complaint(&actor(), c.id, Closed, "").await,
        "status",
    );
    assert_eq!(store.get_complaint(c.id).await.unwrap().status, Assessed);
    assert_eq!(store.complaint_transitions(c.id).await.unwrap().len(), 3);
    assert!(matches!(
        store
            .transition_complaint(&actor(), 999, Acknowledged, "")
            .await,
        Err(StoreError::NotFound {
            entity: "complaint"
        })
    ));
    let refused = all_audit(&*store)
        .await
        .iter()
        .filter(|e| e.action == "complaint.transition")
        .count();
    assert_eq!(refused, 2, "only the two allowed moves are audited");
}

pub async fn complaint_resolution_and_updates(store: Arc<dyn Store>) {
    let c = create(&*store, &complaint("Marta", "low", "web", minutes(1)), 1).await;
    let internal = touchpoint_core::complaints::UpdateInput {
        visibility: "internal".into(),
        text: "Teller was alone <b>again</b>".into(),
    }
    .validate()
    .unwrap();
    let public = touchpoint_core::complaints::UpdateInput {
        visibility: "customer".into(),
        text: "We are looking into it <script>x</script>".into(),
    }
    .validate()
    .unwrap();
    store
        .add_complaint_update(&actor(), c.id, &internal)
        .await
        .unwrap();
    let u = store
        .add_complaint_update(&actor(), c.id, &public)
        .await
        .unwrap();
    assert_eq!(u.text, public.text);
    assert_eq!(u.at, t0());
    let all = store.complaint_updates(c.id, true).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].text, internal.text);
    let visible = store.complaint_updates(c.id, false).await.unwrap();
    assert_eq!(visible, vec![u]);

    let r = Resolution {
        root_cause: "One teller at lunch time".into(),
        root_cause_moment_key: None,
        explanation: "We had nobody to cover lunch".into(),
        prevention: "Stagger lunch breaks".into(),
        alternatives_offered: String::new(),
        compensation: "Fee waived".into(),
        customer_satisfied: Some(true),
    };
    let resolved = store.record_resolution(&actor(), c.id, &r).await.unwrap();
    assert_eq!(resolved.resolution.as_ref(), Some(&r));
    // Editing the resolution again does not pay the deposit twice.
    store.record_resolution(&actor(), c.id, &r).await.unwrap();
    assert_eq!(store.ledger_balance("Marta").await.unwrap(), -3 + 5);
    walk(
        &*store,
        c.id,
        &[
            Acknowledged,
            Assessed,
            Investigating,
            Responded,
            Resolved,
            Closed,
        ],
    )
    .await;
    assert_invalid(store.record_resolution(&actor(), c.id, &r).await, "status");
}

pub async fn concurrent_creates_get_distinct_consecutive_references(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..20u32)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let c = complaint(&format!("c{i}"), "low", "web", minutes(1));
                create(&*store, &c, i + 1).await.reference
            })
        })
        .collect();
    let mut refs = Vec::new();
    for t in tasks {
        refs.push(t.await.expect("task"));
    }
    refs.sort();
    let want: Vec<String> = (1..=20).map(|n| format!("C-2026-{n:06}")).collect();
    assert_eq!(refs, want);
}
