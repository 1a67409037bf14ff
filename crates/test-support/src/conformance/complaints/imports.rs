//! Importing cases from another system: idempotent by external id, historical status kept,
//! and policies that never reach into the past.
use super::{assert_invalid, complaint, full_policy, minutes, site, status_hash};
use crate::{Store, actor, conformance::all_audit, t0};
use std::sync::Arc;
use touchpoint_core::{
    complaints::{
        ComplaintFilter, ComplaintStatus, ImportOutcome, ImportedComplaint, LedgerKind,
        PromiseKind, PromiseState,
    },
    listing::ListQuery,
};

fn imported(id: &str, customer: &str, status: ComplaintStatus, days_ago: i64) -> ImportedComplaint {
    ImportedComplaint {
        external_id: id.into(),
        complaint: complaint(customer, "medium", "web", minutes(days_ago * 24 * 60)),
        status,
        status_token_hash: status_hash(days_ago as u32 + 1000),
    }
}

fn created(o: ImportOutcome) -> i64 {
    match o {
        ImportOutcome::Created(id) => id,
        other => panic!("expected a new case, got {other:?}"),
    }
}

pub async fn complaint_import_keeps_history_and_is_idempotent(store: Arc<dyn Store>) {
    let a = actor();
    store
        .save_policy(&a, &full_policy("medium", None))
        .await
        .unwrap();
    let closed = imported("cfpb-1", "Ana", ComplaintStatus::Closed, 3 * 365);
    let closed_id = created(store.import_complaint(&a, &closed).await.unwrap());
    let c = store.get_complaint(closed_id).await.unwrap();
    assert_eq!(c.status, ComplaintStatus::Closed);
    assert_eq!(c.received_at, closed.complaint.received_at);
    let year = closed.complaint.received_at.format("%Y").to_string();
    assert_eq!(
        c.reference,
        format!("C-{year}-000001"),
        "the year it was received"
    );
    // A closed historical case owes nothing: no promise, so nothing can ever escalate.
    assert!(
        store
            .complaint_promises(closed_id)
            .await
            .unwrap()
            .is_empty()
    );
    let t = store.complaint_transitions(closed_id).await.unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!((t[0].from, t[0].to), (None, ComplaintStatus::Closed));
    assert!(t[0].note.contains("cfpb-1"), "{}", t[0].note);

    // An open one gets only the steps still ahead, counted from the import (t0).
    let open = imported("cfpb-2", "Ana", ComplaintStatus::Investigating, 2 * 365);
    let open_id = created(store.import_complaint(&a, &open).await.unwrap());
    let promises = store.complaint_promises(open_id).await.unwrap();
    let kinds: Vec<PromiseKind> = promises.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PromiseKind::FirstResponse,
            PromiseKind::Update,
            PromiseKind::Resolve
        ]
    );
    assert!(promises.iter().all(|p| p.due_at > t0()));
    assert!(
        store
            .claim_due_promises(t0() + minutes(1), "node", 100)
            .await
            .unwrap()
            .is_empty(),
        "years-old deadlines must not escalate on import"
    );
    assert!(promises.iter().all(|p| p.state == PromiseState::Open));

    // Importing the same cases again adds nothing and names the stored case.
    assert_eq!(
        store.import_complaint(&a, &closed).await.unwrap(),
        ImportOutcome::AlreadyPresent(closed_id)
    );
    let mut again = open.clone();
    again.status_token_hash = status_hash(1);
    assert_eq!(
        store.import_complaint(&a, &again).await.unwrap(),
        ImportOutcome::AlreadyPresent(open_id)
    );
    let page = store
        .list_complaints(&ComplaintFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 2);

    // The customer's account has one withdrawal per case, dated when it was received.
    let history = store
        .ledger_history("Ana", &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(history.total, 2);
    assert!(
        history
            .items
            .iter()
            .all(|e| e.kind == LedgerKind::Complaint)
    );
    assert_eq!(history.items[1].occurred_at, closed.complaint.received_at);

    let imports = all_audit(&*store)
        .await
        .into_iter()
        .filter(|e| e.action == "complaint.import")
        .count();
    assert_eq!(imports, 2);
}

pub async fn complaint_import_refuses_unknown_sites(store: Arc<dyn Store>) {
    let a = actor();
    let known = site(&*store, "centro").await;
    let mut row = imported("x-1", "Ben", ComplaintStatus::Received, 10);
    row.complaint.site_id = Some(known.id + 100);
    assert_invalid(store.import_complaint(&a, &row).await, "site_id");
    row.complaint.site_id = Some(known.id);
    let id = created(store.import_complaint(&a, &row).await.unwrap());
    assert_eq!(
        store.get_complaint(id).await.unwrap().site_id,
        Some(known.id)
    );
    let page = store
        .list_complaints(&ComplaintFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1, "the refused row left nothing");
}

/// A policy's resolution survey is stored, replaced and read back.
pub async fn policy_resolution_survey_round_trips(store: Arc<dyn Store>) {
    let a = actor();
    let mut p = full_policy("high", Some("phone"));
    p.resolution_survey_key = Some("resolution-csat".into());
    let saved = store.save_policy(&a, &p).await.unwrap();
    assert_eq!(saved.policy, p);
    assert_eq!(store.list_policies().await.unwrap()[0].policy, p);
    p.resolution_survey_key = None;
    store.save_policy(&a, &p).await.unwrap();
    let listed = store.list_policies().await.unwrap();
    assert_eq!(listed.len(), 1, "replaced, not added");
    assert_eq!(listed[0].policy.resolution_survey_key, None);
}
