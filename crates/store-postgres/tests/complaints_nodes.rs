//! Escalation on several app nodes sharing one PostgreSQL database: every due promise is
//! broken and escalated exactly once, however the nodes' claims interleave.
//!
//! Runs only with `TOUCHPOINT_TEST_POSTGRES_URL` set (see `conformance.rs`).
use std::{collections::HashSet, sync::Arc};
use touchpoint_core::{
    complaints::{NewPromise, PromiseKind, PromiseState, store::ComplaintStore},
    listing::ListQuery,
    store::AuditStore,
};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_test_support::{
    actor,
    conformance::complaints::{at, complaint, create, minutes},
    fixed_clock,
};

/// Two stores ("nodes") on one fresh database, or `None` when no server is configured.
async fn two_nodes(test: &str) -> Option<[Arc<PgStore>; 2]> {
    let admin = testing::admin_url_from_env(test)?;
    let url = testing::fresh_database(&admin)
        .await
        .expect("fresh database");
    let (a, b) = tokio::join!(
        PgStore::connect_with(&url, fixed_clock(), 4),
        PgStore::connect_with(&url, fixed_clock(), 4)
    );
    Some([Arc::new(a.expect("node a")), Arc::new(b.expect("node b"))])
}

const PROMISES: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_claiming_1000_due_promises_escalate_each_exactly_once() {
    let Some(nodes) = two_nodes("two_nodes_claiming_due_promises").await else {
        return;
    };
    // 50 complaints with 20 promises each, all due within the last 1000 minutes.
    let mut expected = HashSet::new();
    for c in 0..50 {
        let made = create(
            &*nodes[0],
            &complaint(&format!("customer-{c}"), "low", "phone", minutes(2000)),
            c as u32 + 1,
        )
        .await;
        for i in 0..PROMISES / 50 {
            let due = at(-1000 + (c * 20 + i) as i64);
            let p = nodes[(c + i) % 2]
                .add_promise(
                    &actor(),
                    made.id,
                    &NewPromise {
                        kind: PromiseKind::Custom,
                        description: format!("promise {c}/{i}"),
                        due_at: due,
                    },
                )
                .await
                .expect("add promise");
            expected.insert(p.id);
        }
    }
    // Each node claims in small batches concurrently until nothing is left.
    let tasks: Vec<_> = (0..4)
        .map(|worker| {
            let node = nodes[worker % 2].clone();
            tokio::spawn(async move {
                let name = format!("node-{worker}");
                let mut claimed = Vec::new();
                loop {
                    let got = node
                        .claim_due_promises(at(0), &name, 37)
                        .await
                        .expect("claim");
                    if got.is_empty() {
                        break;
                    }
                    claimed.extend(got.into_iter().map(|e| e.promise.id));
                }
                claimed
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    assert_eq!(all.len(), PROMISES, "every due promise claimed, none twice");
    assert_eq!(all.iter().copied().collect::<HashSet<_>>(), expected);
    // Claiming again (a restart past the deadline) finds nothing.
    for node in &nodes {
        assert!(
            node.claim_due_promises(at(0), "late", 1000)
                .await
                .unwrap()
                .is_empty()
        );
    }
    let escalations = nodes[1]
        .list_escalations(None, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(escalations.total, PROMISES as i64);
    let breaks = nodes[0]
        .list_audit(
            &touchpoint_core::audit::AuditQuery {
                action: Some("promise.break".into()),
                ..Default::default()
            },
            1,
            0,
        )
        .await
        .unwrap();
    assert_eq!(breaks.total, PROMISES as i64);
    // 20 broken promises (5 each) plus the complaint (3) per customer.
    for c in [0, 49] {
        let balance = nodes[c % 2]
            .ledger_balance(&format!("customer-{c}"))
            .await
            .unwrap();
        assert_eq!(balance, -3 - 20 * 5);
    }
    let sample = nodes[0].complaint_promises(1).await.unwrap();
    assert!(sample.iter().all(|p| p.state == PromiseState::Broken));
}

/// One node acknowledges late while the other claims the same overdue promises: no deadlock,
/// no error, and each broken promise costs the customer exactly one withdrawal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledging_while_another_node_claims_breaks_each_promise_once() {
    use touchpoint_core::complaints::{ComplaintStatus, LedgerKind, PolicyInput};
    let Some(nodes) = two_nodes("acknowledging_while_claiming").await else {
        return;
    };
    let policy = PolicyInput {
        severity: "high".into(),
        channel: None,
        acknowledge_minutes: Some(60),
        first_response_minutes: None,
        update_minutes: None,
        resolve_minutes: None,
        business_time: false,
        resolution_survey_key: None,
    }
    .validate()
    .unwrap();
    nodes[0].save_policy(&actor(), &policy).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..100u32 {
        let c = complaint(&format!("cust-{i}"), "high", "web", minutes(120));
        ids.push(create(&*nodes[0], &c, i + 1).await.id);
    }
    let acker = nodes[0].clone();
    let ack = tokio::spawn(async move {
        for id in ids {
            acker
                .transition_complaint(&actor(), id, ComplaintStatus::Acknowledged, "")
                .await
                .expect("acknowledge");
        }
    });
    let claimer = nodes[1].clone();
    let claim = tokio::spawn(async move {
        let mut n = 0;
        loop {
            let got = claimer
                .claim_due_promises(at(0), "b", 7)
                .await
                .expect("claim");
            if got.is_empty() {
                break n;
            }
            n += got.len();
        }
    });
    ack.await.unwrap();
    let claimed = claim.await.unwrap();
    let late = nodes[0].claim_due_promises(at(0), "a", 1000).await.unwrap();
    assert!(late.is_empty(), "every promise was fulfilled or claimed");
    eprintln!("{claimed} of 100 promises were claimed before their acknowledgement");
    for i in [0, 42, 99] {
        let history = nodes[1]
            .ledger_history(&format!("cust-{i}"), &ListQuery::default())
            .await
            .unwrap();
        let broken = history
            .items
            .iter()
            .filter(|e| e.kind == LedgerKind::BrokenPromise)
            .count();
        assert_eq!(broken, 1, "customer {i}");
    }
    let escalations = nodes[0]
        .list_escalations(None, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(escalations.total, claimed as i64);
}

/// Two nodes leasing queued notifications at the same time (`FOR UPDATE SKIP LOCKED`) split
/// them: each row goes to one node while its lease runs. A delivered row loses its content
/// (it may hold a customer's personal link) and keeps its key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_leasing_queued_notifications_split_them() {
    use touchpoint_core::complaints::{Notification, OutboxItem};
    let Some(nodes) = two_nodes("two_nodes_leasing_notifications").await else {
        return;
    };
    const QUEUED: usize = 200;
    for i in 0..QUEUED {
        let n = Notification {
            event: "complaint.closed".into(),
            entity: "complaint".into(),
            entity_id: i as i64,
            key: format!("complaint.closed:{i}:1"),
            subject: format!("Case {i}"),
            text: format!("https://x.example/s/token-{i}"),
            to: vec![format!("c{i}@example.com")],
            data: serde_json::json!({"invitation_id": 1}),
        };
        assert!(nodes[i % 2].enqueue_notification(&n).await.unwrap());
    }
    let lease = chrono::Duration::minutes(5);
    let tasks: Vec<_> = (0..4)
        .map(|worker| {
            let node = nodes[worker % 2].clone();
            tokio::spawn(async move {
                let name = format!("node-{worker}");
                let mut leased = Vec::new();
                loop {
                    let got = node
                        .claim_outbox(at(0), &name, lease, 13)
                        .await
                        .expect("lease");
                    if got.is_empty() {
                        break;
                    }
                    leased.extend(got);
                }
                leased
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    assert_eq!(all.len(), QUEUED, "every row leased, none twice");
    let keys: HashSet<String> = all
        .iter()
        .map(|e| match &e.item {
            OutboxItem::Queued(n) => n.key.clone(),
            other => panic!("only queued notifications here: {other:?}"),
        })
        .collect();
    assert_eq!(keys.len(), QUEUED);

    nodes[0].mark_outbox_sent(all[0].id, at(1)).await.unwrap();
    let (key, message): (String, Option<serde_json::Value>) =
        sqlx::query_as("SELECT message_key, message FROM notification_outbox WHERE id = $1")
            .bind(all[0].id)
            .fetch_one(nodes[1].pool())
            .await
            .unwrap();
    assert!(key.starts_with("complaint.closed:"));
    assert_eq!(message, None, "delivered: the content is erased");
}
