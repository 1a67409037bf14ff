//! `rebuild_rollups`: the roll-ups recomputed from the stored responses equal the ones kept
//! as each response was written, and equal an independent computation from the responses.
use super::{
    all_kinds_answers, all_kinds_survey, expected_rollups, march, published, response, world,
};
use crate::{Store, actor};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    audit::AuditQuery,
    feedback::records::{NewResponse, RollupQuery, RollupRebuild},
};

pub async fn rebuilt_rollups_equal_the_kept_ones(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (other, ov) = published(&*store, &all_kinds_survey(&w, "bank-other", "Other")).await;
    let batch: Vec<NewResponse> = (0..120)
        .map(|n| {
            let mut r = response(
                &v,
                march(1 + (n % 5) as u32, (n % 24) as u32, 0, 0),
                &all_kinds_answers(n),
            );
            r.external_id = Some(format!("R_{n:04}"));
            r.site_id = match n % 3 {
                0 => None,
                k => Some(w.sites[(k - 1) as usize].id),
            };
            r
        })
        .collect();
    store.submit_responses(&batch).await.unwrap();
    // A retry of some of them, and one more through the single-submission path.
    store.submit_responses(&batch[..10]).await.unwrap();
    let single = response(&v, march(9, 12, 0, 0), &all_kinds_answers(7));
    store.submit_response(&single).await.unwrap();
    store
        .submit_response(&response(&ov, march(3, 9, 0, 0), &all_kinds_answers(3)))
        .await
        .unwrap();
    let mut counted = batch.clone();
    counted.push(single);

    let q = |id: i64| RollupQuery {
        survey_id: Some(id),
        ..RollupQuery::default()
    };
    let kept = store.rollups(&q(s.id)).await.unwrap();
    let other_kept = store.rollups(&q(other.id)).await.unwrap();
    assert_eq!(kept, expected_rollups(&counted), "kept roll-ups are exact");

    let report = store.rebuild_rollups(&actor(), s.id).await.unwrap();
    assert_eq!(
        report,
        RollupRebuild {
            responses: 121,
            rows: kept.len() as u64,
            staff_rows: 0,
        }
    );
    assert_eq!(store.rollups(&q(s.id)).await.unwrap(), kept);
    assert_eq!(store.rollups(&q(other.id)).await.unwrap(), other_kept);
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 121);
    // Rebuilding twice changes nothing either.
    store.rebuild_rollups(&actor(), s.id).await.unwrap();
    assert_eq!(store.rollups(&q(s.id)).await.unwrap(), kept);
    // Submissions after a rebuild add to the rebuilt roll-ups as before.
    let late = response(&v, march(10, 8, 0, 0), &all_kinds_answers(5));
    store.submit_response(&late).await.unwrap();
    counted.push(late);
    assert_eq!(
        store.rollups(&q(s.id)).await.unwrap(),
        expected_rollups(&counted)
    );

    let audit = store
        .list_audit(&AuditQuery::default(), 50, 0)
        .await
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.action == "rollups.rebuild"
                && e.entity_id.as_deref() == Some(&s.id.to_string())),
        "the rebuild is audited"
    );
    assert!(matches!(
        store.rebuild_rollups(&actor(), 999_999).await,
        Err(StoreError::NotFound { entity: "survey" })
    ));
}

/// A rebuild racing with submissions (on SQLite they can share one group commit; on
/// PostgreSQL they wait for its lock): every response is counted exactly once.
pub async fn rebuild_during_submissions_counts_each_response_once(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let responses: Vec<NewResponse> = (0..60)
        .map(|n| {
            let mut r = response(
                &v,
                march(1 + (n % 3) as u32, 9, n as u32, 0),
                &all_kinds_answers(n),
            );
            r.staff_id = (n % 2 == 0).then_some(w.staff.id);
            r
        })
        .collect();
    store.submit_responses(&responses[..20]).await.unwrap();
    let mut tasks = Vec::new();
    for r in &responses[20..] {
        let (store, r) = (store.clone(), r.clone());
        tasks.push(tokio::spawn(async move {
            store.submit_response(&r).await.map(|_| ())
        }));
    }
    for _ in 0..3 {
        let store = store.clone();
        let id = s.id;
        tasks.push(tokio::spawn(async move {
            store.rebuild_rollups(&actor(), id).await.map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let q = RollupQuery {
        survey_id: Some(s.id),
        ..RollupQuery::default()
    };
    assert_eq!(
        store.rollups(&q).await.unwrap(),
        expected_rollups(&responses)
    );
    let named: Vec<NewResponse> = responses
        .iter()
        .filter(|r| r.staff_id.is_some())
        .cloned()
        .collect();
    let staff_q = RollupQuery {
        staff_id: Some(w.staff.id),
        ..q
    };
    assert_eq!(
        store.rollups(&staff_q).await.unwrap(),
        expected_rollups(&named)
    );
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 60);
}
