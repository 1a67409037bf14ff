//! The relationship ledger, configuration (weights, policies, calendars) and the audit trail.
use super::{assert_invalid, at, complaint, create, full_policy, minutes, policy, site, walk};
use crate::{Store, actor, conformance::all_audit, t0};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    complaints::{
        BusinessCalendar, ComplaintStatus::*, LedgerKind, NewLedgerEntry, NewPromise, PromiseKind,
        Resolution, UpdateInput,
    },
    listing::ListQuery,
};

fn entry(customer: &str, kind: LedgerKind, minute: i64, weight: Option<i32>) -> NewLedgerEntry {
    NewLedgerEntry {
        customer_ref: customer.into(),
        kind,
        occurred_at: at(minute),
        weight,
        complaint_id: None,
        note: format!("{kind}"),
    }
}

pub async fn ledger_balance_and_history(store: Arc<dyn Store>) {
    let a = actor();
    assert_eq!(store.ledger_balance("Ana").await.unwrap(), 0);
    store
        .set_ledger_weight(&a, LedgerKind::CourtesyCall, 4)
        .await
        .unwrap();
    assert_eq!(
        store
            .ledger_weights()
            .await
            .unwrap()
            .weight(LedgerKind::CourtesyCall),
        4
    );
    assert_invalid(
        store.set_ledger_weight(&a, LedgerKind::Offer, -1).await,
        "weight",
    );
    let entries = [
        entry("Ana", LedgerKind::ThankYouNote, 1, None),
        entry("Ana", LedgerKind::CourtesyCall, 2, None),
        entry("Ana", LedgerKind::FailedStandard, 3, Some(10)),
        entry("Ana", LedgerKind::Offer, -60, None),
        entry("Bob", LedgerKind::Offer, 5, None),
    ];
    for e in &entries {
        store.append_ledger(&a, e).await.unwrap();
    }
    assert_eq!(store.ledger_balance("Ana").await.unwrap(), 1 + 4 - 10 + 2);
    assert_eq!(store.ledger_balance("Bob").await.unwrap(), 2);
    let page = store
        .ledger_history(
            "Ana",
            &ListQuery {
                limit: 2,
                offset: 1,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 4);
    let amounts: Vec<i32> = page.items.iter().map(|e| e.amount).collect();
    assert_eq!(amounts, [4, 1], "newest first by when it happened");
    assert_eq!(page.items[0].recorded_by, "test");
    assert_eq!(page.items[0].recorded_at, t0());
    let mut bad = entry(" ", LedgerKind::Offer, 0, Some(-2));
    assert!(matches!(
        store.append_ledger(&a, &bad).await,
        Err(StoreError::Invalid(e)) if e.0.len() == 2
    ));
    bad = entry("Ana", LedgerKind::Offer, 0, None);
    bad.complaint_id = Some(999);
    assert!(store.append_ledger(&a, &bad).await.is_err());
    assert_eq!(store.ledger_balance("Ana").await.unwrap(), -3);

    // Every account at once: the balance, and the change from minute 2 (included) to
    // minute 5 (excluded).
    let mut all = store.ledger_summaries(at(2), at(5)).await.unwrap();
    all.sort_by(|a, b| a.customer_ref.cmp(&b.customer_ref));
    let got: Vec<(&str, i64, i64)> = all
        .iter()
        .map(|x| (x.customer_ref.as_str(), x.balance, x.change))
        .collect();
    assert_eq!(got, [("Ana", -3, 4 - 10), ("Bob", 2, 0)]);
}

pub async fn policies_and_calendars_are_configurable(store: Arc<dyn Store>) {
    let a = actor();
    let p1 = store
        .save_policy(&a, &full_policy("high", Some("phone")))
        .await
        .unwrap();
    let p2 = store
        .save_policy(&a, &policy("low", None, [Some(10), None, None, None]))
        .await
        .unwrap();
    let p3 = store
        .save_policy(&a, &policy("high", None, [Some(20), None, None, None]))
        .await
        .unwrap();
    // Saving the same severity and channel replaces it.
    let replaced = store
        .save_policy(
            &a,
            &policy("high", Some("phone"), [Some(5), None, None, None]),
        )
        .await
        .unwrap();
    assert_eq!(replaced.id, p1.id);
    let listed = store.list_policies().await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.id).collect::<Vec<_>>(),
        [p2.id, p3.id, p1.id]
    );
    assert_eq!(listed[2], replaced);
    store.delete_policy(&a, p3.id).await.unwrap();
    assert!(matches!(
        store.delete_policy(&a, p3.id).await,
        Err(StoreError::NotFound { entity: "policy" })
    ));
    assert_eq!(store.list_policies().await.unwrap().len(), 2);

    let s = site(&*store, "centro").await;
    assert_eq!(store.business_calendar(Some(s.id)).await.unwrap(), None);
    let default = BusinessCalendar::weekdays(-300, 8, 18);
    store
        .set_business_calendar(&a, None, &default)
        .await
        .unwrap();
    assert_eq!(
        store.business_calendar(Some(s.id)).await.unwrap(),
        Some(default.clone())
    );
    let own = BusinessCalendar::weekdays(-300, 10, 14);
    store
        .set_business_calendar(&a, Some(s.id), &own)
        .await
        .unwrap();
    assert_eq!(
        store.business_calendar(Some(s.id)).await.unwrap(),
        Some(own)
    );
    assert_eq!(store.business_calendar(None).await.unwrap(), Some(default));
    assert!(
        store
            .set_business_calendar(&a, Some(999), &BusinessCalendar::weekdays(0, 9, 17))
            .await
            .is_err()
    );
}

pub async fn complaint_writes_are_audited(store: Arc<dyn Store>) {
    let a = actor();
    store
        .save_policy(&a, &policy("low", None, [Some(60), None, None, None]))
        .await
        .unwrap();
    store
        .set_ledger_weight(&a, LedgerKind::Offer, 3)
        .await
        .unwrap();
    store
        .set_business_calendar(&a, None, &BusinessCalendar::weekdays(0, 9, 17))
        .await
        .unwrap();
    let c = create(&*store, &complaint("Ana", "low", "web", minutes(0)), 1).await;
    walk(&*store, c.id, &[Acknowledged]).await;
    store.assign_complaints(&a, &[c.id], None).await.unwrap();
    let u = UpdateInput {
        visibility: "customer".into(),
        text: "Hello".into(),
    };
    store
        .add_complaint_update(&a, c.id, &u.validate().unwrap())
        .await
        .unwrap();
    let r = Resolution {
        root_cause: "x".into(),
        root_cause_moment_key: None,
        explanation: "y".into(),
        prevention: String::new(),
        alternatives_offered: String::new(),
        compensation: String::new(),
        customer_satisfied: None,
    };
    store.record_resolution(&a, c.id, &r).await.unwrap();
    let p = store
        .add_promise(
            &a,
            c.id,
            &NewPromise {
                kind: PromiseKind::Callback,
                description: String::new(),
                due_at: at(10),
            },
        )
        .await
        .unwrap();
    store.cancel_promise(&a, p.id, "not needed").await.unwrap();
    store
        .append_ledger(&a, &entry("Ana", LedgerKind::Offer, 0, None))
        .await
        .unwrap();
    // Failed writes leave nothing.
    assert!(
        store
            .transition_complaint(&a, c.id, Closed, "")
            .await
            .is_err()
    );
    assert!(store.cancel_promise(&a, p.id, "again").await.is_err());

    let mut actions: Vec<(String, String, Option<String>)> = all_audit(&*store)
        .await
        .into_iter()
        .map(|e| (e.action, e.entity, e.entity_id))
        .collect();
    actions.reverse();
    let cid = Some(c.id.to_string());
    let pid = Some(p.id.to_string());
    let want: Vec<(&str, &str, Option<String>)> = vec![
        ("policy.save", "policy", actions[0].2.clone()),
        ("ledger.weight", "ledger_weight", Some("offer".into())),
        ("calendar.set", "calendar", Some("0".into())),
        ("complaint.create", "complaint", cid.clone()),
        ("promise.create", "promise", actions[4].2.clone()),
        ("promise.fulfil", "promise", actions[4].2.clone()),
        ("complaint.transition", "complaint", cid.clone()),
        ("complaint.assign", "complaint", cid.clone()),
        ("complaint.update", "complaint", cid.clone()),
        ("complaint.resolution", "complaint", cid.clone()),
        ("promise.create", "promise", pid.clone()),
        ("promise.cancel", "promise", pid),
        ("ledger.append", "ledger", actions[12].2.clone()),
    ];
    let want: Vec<(String, String, Option<String>)> = want
        .into_iter()
        .map(|(a, e, id)| (a.to_string(), e.to_string(), id))
        .collect();
    assert_eq!(actions, want);
    let created = all_audit(&*store)
        .await
        .into_iter()
        .find(|e| e.action == "complaint.create")
        .unwrap();
    assert_eq!(created.after.unwrap()["reference"], "C-2026-000001");
}
