//! The notification outbox: a claim writes one row per escalation in its transaction, and a
//! rendered notification can be queued once per key; rows are leased to one node at a time,
//! handed out again when a lease expires (the node died), never after they are marked sent,
//! and not beyond the attempt limit.
use super::{at, complaint, create, full_policy, minutes};
use crate::{Store, actor};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::complaints::{MAX_OUTBOX_ATTEMPTS, Notification, OutboxItem};

pub async fn escalation_outbox_leases_and_marks_sent(store: Arc<dyn Store>) {
    store
        .save_policy(&actor(), &full_policy("high", None))
        .await
        .unwrap();
    // Acknowledge (1 h) and first response (8 h) are overdue: two escalations.
    create(
        &*store,
        &complaint("Ana", "high", "phone", minutes(9 * 60)),
        1,
    )
    .await;
    let lease = Duration::minutes(5);
    assert!(
        store
            .claim_outbox(at(0), "n1", lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing before a claim"
    );
    let claimed = store.claim_due_promises(at(0), "n1", 100).await.unwrap();
    assert_eq!(claimed.len(), 2);

    let first = store.claim_outbox(at(0), "n1", lease, 1).await.unwrap();
    assert_eq!(first.len(), 1, "the limit holds");
    assert_eq!(
        first[0].item,
        OutboxItem::Escalation(claimed[0].clone()),
        "oldest first, with its escalation"
    );
    assert_eq!(first[0].attempts, 1);
    let second = store.claim_outbox(at(1), "n2", lease, 10).await.unwrap();
    assert_eq!(second.len(), 1, "a leased row is not handed out twice");
    assert_eq!(second[0].item, OutboxItem::Escalation(claimed[1].clone()));
    store.mark_outbox_sent(second[0].id, at(1)).await.unwrap();
    assert!(
        store
            .claim_outbox(at(2), "n2", lease, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // n1 died holding the first row: after its lease another node delivers it again.
    let again = store.claim_outbox(at(5), "n2", lease, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (first[0].id, 2));
    // A row that keeps failing stops after the attempt limit.
    let mut t = 5;
    for _ in 2..MAX_OUTBOX_ATTEMPTS {
        t += 5;
        assert_eq!(
            store
                .claim_outbox(at(t), "n2", lease, 10)
                .await
                .unwrap()
                .len(),
            1
        );
    }
    assert!(
        store
            .claim_outbox(at(t + 5), "n2", lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

fn closing_notice(key: &str) -> Notification {
    Notification {
        event: "complaint.closed".into(),
        entity: "complaint".into(),
        entity_id: 7,
        key: key.into(),
        subject: "C-2026-000007 — how did we do?".into(),
        text: "Your complaint is closed: https://x.example/s/tok".into(),
        to: vec!["nora@example.com".into()],
        data: serde_json::json!({"survey_url": "https://x.example/s/tok", "invitation_id": 3}),
    }
}

pub async fn queued_notifications_are_delivered_once_per_key(store: Arc<dyn Store>) {
    let lease = Duration::minutes(5);
    let n = closing_notice("complaint.closed:7:3");
    assert!(store.enqueue_notification(&n).await.unwrap());
    assert!(
        !store.enqueue_notification(&n).await.unwrap(),
        "the same key queues nothing more"
    );
    store
        .save_policy(&actor(), &full_policy("high", None))
        .await
        .unwrap();
    create(
        &*store,
        &complaint("Ana", "high", "phone", minutes(9 * 60)),
        1,
    )
    .await;
    let escalated = store.claim_due_promises(at(0), "n1", 1).await.unwrap();
    let other = closing_notice("complaint.closed:7:4");
    assert!(store.enqueue_notification(&other).await.unwrap());

    // Both kinds share one queue, oldest first, each row handed out once while leased.
    let leased = store.claim_outbox(at(0), "n1", lease, 10).await.unwrap();
    let items: Vec<&OutboxItem> = leased.iter().map(|e| &e.item).collect();
    assert_eq!(
        items,
        [
            &OutboxItem::Queued(n.clone()),
            &OutboxItem::Escalation(escalated[0].clone()),
            &OutboxItem::Queued(other.clone()),
        ]
    );
    assert!(
        store
            .claim_outbox(at(1), "n2", lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    store.mark_outbox_sent(leased[0].id, at(1)).await.unwrap();
    // After the lease the unsent rows come back; the sent one never does, nor can its key
    // be queued again.
    let again = store.claim_outbox(at(6), "n2", lease, 10).await.unwrap();
    assert_eq!(
        again.iter().map(|e| e.id).collect::<Vec<_>>(),
        [leased[1].id, leased[2].id]
    );
    assert_eq!(again[1].attempts, 2);
    assert!(!store.enqueue_notification(&n).await.unwrap());
}
