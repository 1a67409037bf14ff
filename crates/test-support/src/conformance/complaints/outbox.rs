//! The escalation outbox: a claim writes one row per escalation in its transaction; rows are
//! leased to one node at a time, handed out again when a lease expires (the node died), never
//! after they are marked sent, and not beyond the attempt limit.
use super::{at, complaint, create, full_policy, minutes};
use crate::{Store, actor};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::complaints::MAX_OUTBOX_ATTEMPTS;

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
        first[0].escalation, claimed[0],
        "oldest first, with its escalation"
    );
    assert_eq!(first[0].attempts, 1);
    let second = store.claim_outbox(at(1), "n2", lease, 10).await.unwrap();
    assert_eq!(second.len(), 1, "a leased row is not handed out twice");
    assert_eq!(second[0].escalation, claimed[1]);
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
