//! Promises: made by policies on creation, by staff, kept, broken, cancelled.
use super::{assert_invalid, at, complaint, create, full_policy, minutes, policy, walk};
use crate::{Store, actor, t0};
use std::sync::Arc;
use touchpoint_core::{
    complaints::{
        BusinessCalendar, ComplaintStatus::*, LedgerKind, NewPromise, PromiseKind, PromiseSource,
        PromiseState, UpdateInput,
    },
    listing::ListQuery,
};

pub async fn policy_promises_are_created_with_the_complaint(store: Arc<dyn Store>) {
    let a = actor();
    store
        .save_policy(&a, &full_policy("high", Some("phone")))
        .await
        .unwrap();
    store
        .save_policy(&a, &policy("high", None, [Some(30), None, None, None]))
        .await
        .unwrap();
    let phone = create(&*store, &complaint("Ana", "high", "phone", minutes(0)), 1).await;
    let p = store.complaint_promises(phone.id).await.unwrap();
    let got: Vec<_> = p.iter().map(|p| (p.kind, p.due_at)).collect();
    assert_eq!(
        got,
        vec![
            (PromiseKind::Acknowledge, at(60)),
            (PromiseKind::FirstResponse, at(8 * 60)),
            (PromiseKind::Update, at(48 * 60)),
            (PromiseKind::Resolve, at(3 * 24 * 60)),
        ]
    );
    assert!(p.iter().all(|p| p.source == PromiseSource::Policy
        && p.state == PromiseState::Open
        && p.created_at == t0()));
    // No phone-specific policy for email: the severity's default applies.
    let email = create(&*store, &complaint("Bea", "high", "email", minutes(0)), 2).await;
    let p = store.complaint_promises(email.id).await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].kind, p[0].due_at), (PromiseKind::Acknowledge, at(30)));
    // No policy at all: no promises.
    let low = create(&*store, &complaint("Cid", "low", "email", minutes(0)), 3).await;
    assert!(store.complaint_promises(low.id).await.unwrap().is_empty());

    // Business time: Thursday 09:00 + 16 business hours (09–17) is Friday 17:00.
    let mut business = policy("medium", None, [Some(16 * 60), None, None, None]);
    business.business_time = true;
    store.save_policy(&a, &business).await.unwrap();
    store
        .set_business_calendar(&a, None, &BusinessCalendar::weekdays(0, 9, 17))
        .await
        .unwrap();
    let m = create(&*store, &complaint("Dan", "medium", "web", minutes(0)), 4).await;
    let p = store.complaint_promises(m.id).await.unwrap();
    assert_eq!(p[0].due_at, at(32 * 60));
}

pub async fn transitions_settle_the_promises_they_fulfil(store: Arc<dyn Store>) {
    store
        .save_policy(&actor(), &full_policy("high", None))
        .await
        .unwrap();
    // Received 2 hours ago: acknowledging now is late (due after 1 h), responding is on time.
    let c = create(&*store, &complaint("Ana", "high", "web", minutes(120)), 1).await;
    walk(&*store, c.id, &[Acknowledged]).await;
    let state = |p: &[touchpoint_core::complaints::Promise], k: PromiseKind| {
        let p = p.iter().find(|p| p.kind == k).unwrap();
        (p.state, p.fulfilled_at)
    };
    let p = store.complaint_promises(c.id).await.unwrap();
    assert_eq!(
        state(&p, PromiseKind::Acknowledge),
        (PromiseState::Broken, Some(t0()))
    );
    assert_eq!(
        state(&p, PromiseKind::FirstResponse),
        (PromiseState::Open, None)
    );
    walk(&*store, c.id, &[Assessed, Investigating, Responded]).await;
    let p = store.complaint_promises(c.id).await.unwrap();
    assert_eq!(
        state(&p, PromiseKind::FirstResponse),
        (PromiseState::Kept, Some(t0()))
    );
    // A broken promise costs the customer's account a withdrawal, once.
    let kinds: Vec<LedgerKind> = store
        .ledger_history("Ana", &ListQuery::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == LedgerKind::BrokenPromise)
            .count(),
        1
    );
    walk(&*store, c.id, &[Resolved]).await;
    let p = store.complaint_promises(c.id).await.unwrap();
    assert_eq!(
        state(&p, PromiseKind::Resolve),
        (PromiseState::Kept, Some(t0()))
    );
    // Closing cancels what is still open (the update promise).
    walk(&*store, c.id, &[Closed]).await;
    let p = store.complaint_promises(c.id).await.unwrap();
    let update = p.iter().find(|p| p.kind == PromiseKind::Update).unwrap();
    assert_eq!(update.state, PromiseState::Cancelled);
    assert_eq!(update.cancel_reason.as_deref(), Some("complaint closed"));
}

pub async fn staff_promises_are_kept_or_cancelled(store: Arc<dyn Store>) {
    let a = actor();
    let c = create(&*store, &complaint("Ana", "low", "phone", minutes(0)), 1).await;
    let call = NewPromise {
        kind: PromiseKind::Callback,
        description: "We will call you back by 10:00".into(),
        due_at: at(60),
    };
    let p = store.add_promise(&a, c.id, &call).await.unwrap();
    assert_eq!(
        (p.kind, p.source, p.state, p.due_at),
        (
            PromiseKind::Callback,
            PromiseSource::Staff,
            PromiseState::Open,
            at(60)
        )
    );
    assert_eq!(p.created_by, "test");
    let kept = store.fulfil_promise(&a, p.id).await.unwrap();
    assert_eq!(kept.state, PromiseState::Kept);
    assert_eq!(
        (kept.settled_at, kept.fulfilled_at),
        (Some(t0()), Some(t0()))
    );
    assert_invalid(store.fulfil_promise(&a, p.id).await, "state");
    assert_invalid(store.cancel_promise(&a, p.id, "changed").await, "state");

    let other = store.add_promise(&a, c.id, &call).await.unwrap();
    assert_invalid(store.cancel_promise(&a, other.id, "  ").await, "reason");
    let cancelled = store
        .cancel_promise(&a, other.id, " customer will come in ")
        .await
        .unwrap();
    assert_eq!(cancelled.state, PromiseState::Cancelled);
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("customer will come in")
    );
    assert!(store.add_promise(&a, 999, &call).await.is_err());
    assert!(store.fulfil_promise(&a, 999).await.is_err());
    assert_eq!(store.complaint_promises(c.id).await.unwrap().len(), 2);
}

pub async fn customer_updates_keep_the_update_promise_rolling(store: Arc<dyn Store>) {
    store
        .save_policy(
            &actor(),
            &policy("medium", None, [None, None, Some(48 * 60), None]),
        )
        .await
        .unwrap();
    let c = create(&*store, &complaint("Ana", "medium", "web", minutes(0)), 1).await;
    let note = |visibility: &str| {
        UpdateInput {
            visibility: visibility.into(),
            text: "News".into(),
        }
        .validate()
        .unwrap()
    };
    // An internal note promises the customer nothing.
    store
        .add_complaint_update(&actor(), c.id, &note("internal"))
        .await
        .unwrap();
    assert_eq!(store.complaint_promises(c.id).await.unwrap().len(), 1);
    store
        .add_complaint_update(&actor(), c.id, &note("customer"))
        .await
        .unwrap();
    let p = store.complaint_promises(c.id).await.unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].state, p[0].due_at), (PromiseState::Kept, at(48 * 60)));
    assert_eq!((p[1].state, p[1].due_at), (PromiseState::Open, at(48 * 60)));
    assert_eq!(p[1].kind, PromiseKind::Update);
}
