//! The portfolio conformance tests about time and identity: statuses recorded when they began,
//! and erasure that removes identity but keeps every aggregate.
use super::{day, fields, invalid_field, sale};
use crate::{Store, actor, t0};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    audit::AuditQuery,
    feedback::records::SubmitOutcome,
    listing::ListQuery,
    portfolio::{CustomerFilter, CustomerStatus, SaveOutcome, StatusFields},
};

pub async fn erasure_removes_identity_and_keeps_aggregates(store: Arc<dyn Store>) {
    use super::super::feedback::{
        all_kinds_answers, all_kinds_survey, march, published, response, world,
    };
    let a = actor();
    let w = world(&*store, "bank").await;
    let (_, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let c = store
        .create_customer(
            &a,
            &fields("C-77", "Ana Secreta", Some("lost"), Some("price")),
        )
        .await
        .unwrap();
    store
        .create_customer(&a, &fields("C-78", "Beto", None, None))
        .await
        .unwrap();
    store
        .record_sales(&a, &[sale("C-77", "2026-01-02", "300", Some("S-1"))])
        .await
        .unwrap();
    let mut r = response(&v, march(2, 10, 0, 0), &all_kinds_answers(1));
    r.customer = Some("C-77".into());
    let SubmitOutcome::Created(rid) = store.submit_response(&r).await.unwrap() else {
        panic!("created")
    };
    let complaint =
        super::super::complaints::complaint("C-77", "high", "phone", Duration::hours(1));
    let complaint = super::super::complaints::create(&*store, &complaint, 1).await;
    let balance = store.ledger_balance("C-77").await.unwrap();
    assert_ne!(balance, 0, "the complaint is a withdrawal");
    let (from, to) = (day("2026-01-01"), day("2026-01-31"));
    let before = store.customer_totals(from, to, "USD").await.unwrap();
    let counts_before = store.status_counts_at(t0()).await.unwrap();

    store.erase_customer(&a, c.id).await.unwrap();
    let e = store.get_customer(c.id).await.unwrap();
    assert_eq!(
        (
            e.reference.clone(),
            e.name.as_str(),
            e.email.as_str(),
            e.phone.as_str(),
            e.erased_at.is_some()
        ),
        (format!("erased-{}", c.id), "", "", "", true)
    );
    assert!(store.get_customer_by_ref("C-77").await.is_err());
    assert_eq!(store.get_response(rid).await.unwrap().customer, None);
    // Complaints and the relationship account stay, under the pseudonym.
    let pseudonym = format!("erased-{}", c.id);
    assert_eq!(
        store
            .get_complaint(complaint.id)
            .await
            .unwrap()
            .customer_ref,
        pseudonym
    );
    assert_eq!(store.ledger_balance(&pseudonym).await.unwrap(), balance);
    assert_eq!(store.ledger_balance("C-77").await.unwrap(), 0);
    // Aggregates are untouched: the same totals (under the erased ref) and status counts.
    let after = store.customer_totals(from, to, "USD").await.unwrap();
    let sum = |v: &[touchpoint_core::portfolio::CustomerTotal]| {
        v.iter().map(|t| t.sales.minor()).sum::<i64>()
    };
    assert_eq!((sum(&after), after.len()), (sum(&before), before.len()));
    assert_eq!(store.status_counts_at(t0()).await.unwrap(), counts_before);
    // Erased customers leave lists, unless asked for.
    let listed = store
        .list_customers(&ListQuery::default(), &CustomerFilter::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    // No audit record still holds the identity; the erasure itself is recorded.
    let q = AuditQuery {
        entity: Some("customer".into()),
        ..Default::default()
    };
    let trail = store.list_audit(&q, 100, 0).await.unwrap();
    let text = serde_json::to_string(&trail.items).unwrap();
    assert!(
        !text.contains("Ana Secreta") && !text.contains("C-77"),
        "{text}"
    );
    assert!(trail.items.iter().any(|e| e.action == "customer.erase"));
    // Erasing again changes nothing; an erased customer cannot be edited.
    store.erase_customer(&a, c.id).await.unwrap();
    let f = fields("C-77", "Back", None, None);
    assert!(store.update_customer(&a, c.id, &f).await.is_err());
    assert_eq!(
        trail.total,
        store.list_audit(&q, 100, 0).await.unwrap().total
    );
}

/// Old losses can be recorded when they happened, so statuses over time are true; a status
/// can be neither in the future nor before the customer's latest change.
pub async fn statuses_can_be_backdated_in_order(store: Arc<dyn Store>) {
    let a = actor();
    let mut f = fields("C-1", "Ana", Some("active"), None);
    let a_year_ago = t0() - Duration::days(365);
    if let Some(s) = f.status.as_mut() {
        s.since = Some(a_year_ago);
    }
    let c = store.create_customer(&a, &f).await.unwrap();
    let lost = StatusFields {
        status: CustomerStatus::Lost,
        lost_reason: Some("price".into()),
        lost_note: String::new(),
        lost_moment_key: None,
        since: Some(t0() - Duration::days(30)),
    };
    store.set_customer_status(&a, c.id, &lost).await.unwrap();
    let counts = |d: i64| {
        let store = store.clone();
        async move {
            store
                .status_counts_at(t0() - Duration::days(d))
                .await
                .unwrap()
        }
    };
    assert_eq!(counts(400).await[&CustomerStatus::Active], 0);
    assert_eq!(counts(100).await[&CustomerStatus::Active], 1);
    assert_eq!(counts(10).await[&CustomerStatus::Lost], 1);
    let h = store.status_history(c.id).await.unwrap();
    assert_eq!(
        (h[0].changed_at, h[1].changed_at),
        (a_year_ago, t0() - Duration::days(30))
    );
    let earlier = StatusFields {
        status: CustomerStatus::Active,
        lost_reason: None,
        since: Some(t0() - Duration::days(60)),
        ..lost.clone()
    };
    assert_eq!(
        invalid_field(
            store
                .set_customer_status(&a, c.id, &earlier)
                .await
                .unwrap_err()
        ),
        "status_since"
    );
    let future = StatusFields {
        since: Some(t0() + Duration::days(1)),
        ..earlier
    };
    assert_eq!(
        invalid_field(
            store
                .set_customer_status(&a, c.id, &future)
                .await
                .unwrap_err()
        ),
        "status_since"
    );
    assert_eq!(store.status_history(c.id).await.unwrap().len(), 2);
    // Saving the same customer again with its backdated status changes nothing.
    let mut again = fields("C-1", "Ana", Some("lost"), Some("price"));
    if let Some(s) = again.status.as_mut() {
        s.since = Some(t0() - Duration::days(30));
    }
    let out = store.save_customers(&a, &[again]).await.unwrap();
    assert!(matches!(out[0], Ok(SaveOutcome::Unchanged(_))));
}
