//! `submit_responses`: per-slot outcomes in input order, roll-ups counted once.
use super::{
    all_kinds_answers, all_kinds_survey, expected_rollups, invitation, march, published, response,
    world,
};
use crate::{Store, actor};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    feedback::{
        AnswerValue,
        records::{NewResponse, ResponseSource, RollupQuery, SubmitOutcome},
    },
    listing::ListQuery,
};

pub async fn batch_mixed_outcomes(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let links = store
        .create_links(
            &actor(),
            s.id,
            &[invitation(1, "Used"), invitation(2, "Fresh")],
        )
        .await
        .unwrap();
    let imported = |ext: &str, n: i32| {
        let mut r = response(&v, march(2, 8, n as u32, 0), &all_kinds_answers(n));
        r.source = ResponseSource::Import;
        r.external_id = Some(ext.to_string());
        r.site_id = Some(w.sites[(n % 2) as usize].id);
        r
    };
    let via = |link: i64, n: i32| {
        let mut r = response(&v, march(2, 9, n as u32, 0), &all_kinds_answers(n));
        r.link_id = Some(link);
        r
    };
    // Written before the batch: an import row, an API call, and the used invitation.
    let earlier_import = store.submit_response(&imported("R_C", 1)).await.unwrap();
    let mut api = response(&v, march(2, 7, 0, 0), &all_kinds_answers(2));
    api.idempotency_key = Some("idem-1".into());
    let earlier_api = store.submit_response(&api).await.unwrap();
    let used = store.submit_response(&via(links[0].id, 3)).await.unwrap();
    let before = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();

    let mut api_retry = response(&v, march(2, 7, 30, 0), &all_kinds_answers(9));
    api_retry.idempotency_key = Some("idem-1".into());
    let batch = vec![
        imported("R_A", 4),                                       // 0 created
        imported("R_B", 5),                                       // 1 created
        imported("R_A", 6),                                       // 2 repeats slot 0
        imported("R_C", 7),                                       // 3 exists from before
        via(links[0].id, 8),                                      // 4 invitation already used
        via(links[1].id, 9),  // 5 created, uses the fresh invitation
        via(links[1].id, 10), // 6 second use in the same batch
        api_retry,            // 7 exists from before
        response(&v, march(2, 10, 0, 0), &all_kinds_answers(11)), // 8 created
    ];
    let out = store.submit_responses(&batch).await.unwrap();
    assert_eq!(out.len(), batch.len());
    let created = |i: usize| match &out[i] {
        Ok(SubmitOutcome::Created(id)) => *id,
        other => panic!("slot {i}: expected Created, got {other:?}"),
    };
    let (a, b, fresh, plain) = (created(0), created(1), created(5), created(8));
    assert_eq!(out[2].as_ref().unwrap(), &SubmitOutcome::AlreadyExists(a));
    assert_eq!(
        out[3].as_ref().unwrap(),
        &SubmitOutcome::AlreadyExists(earlier_import.id())
    );
    assert_eq!(
        out[7].as_ref().unwrap(),
        &SubmitOutcome::AlreadyExists(earlier_api.id())
    );
    for i in [4, 6] {
        match &out[i] {
            Err(StoreError::Conflict { field, .. }) if field == "invitation" => {}
            other => panic!("slot {i}: expected Conflict(invitation), got {other:?}"),
        }
    }
    let mut ids = vec![a, b, fresh, plain];
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "distinct new responses");
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 7);
    let total = store
        .list_responses(s.id, &ListQuery::default())
        .await
        .unwrap()
        .total;
    assert_eq!(total, 7);
    let fresh_link = store.find_link(&super::token_hash(2)).await.unwrap().link;
    assert_eq!(fresh_link.response_id, Some(fresh));
    let used_link = store.find_link(&super::token_hash(1)).await.unwrap().link;
    assert_eq!(used_link.response_id, Some(used.id()));
    assert_eq!(
        store.get_response(a).await.unwrap().answers,
        batch[0].answers
    );
    assert_eq!(
        store.get_response(b).await.unwrap().external_id.as_deref(),
        Some("R_B")
    );

    // Roll-ups hold the earlier rows plus exactly the four new responses.
    let mut counted: Vec<NewResponse> = vec![imported("R_C", 1), api, via(links[0].id, 3)];
    counted.extend([0, 1, 5, 8].map(|i| batch[i].clone()));
    let after = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(after, expected_rollups(&counted));
    assert_ne!(after, before);
}

pub async fn batch_empty_and_rollups_exact(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    assert!(store.submit_responses(&[]).await.unwrap().is_empty());
    let batch: Vec<NewResponse> = (0..300)
        .map(|n| {
            let mut r = response(
                &v,
                march(1 + (n % 4) as u32, (n % 24) as u32, 0, 0),
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
    let out = store.submit_responses(&batch).await.unwrap();
    assert!(
        out.iter()
            .all(|o| matches!(o, Ok(SubmitOutcome::Created(_))))
    );
    let q = RollupQuery {
        survey_id: Some(s.id),
        ..RollupQuery::default()
    };
    assert_eq!(store.rollups(&q).await.unwrap(), expected_rollups(&batch));
    // Re-importing the same rows changes nothing.
    let again = store.submit_responses(&batch).await.unwrap();
    for (o, first) in again.iter().zip(&out) {
        let first = first.as_ref().unwrap().id();
        assert_eq!(o.as_ref().unwrap(), &SubmitOutcome::AlreadyExists(first));
    }
    assert_eq!(store.rollups(&q).await.unwrap(), expected_rollups(&batch));
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 300);
    // Only the score of this response adds to the roll-ups; its comment adds nothing.
    let quiet = response(
        &v,
        march(8, 0, 0, 0),
        &[
            ("nps", AnswerValue::Score(10)),
            ("comment", AnswerValue::Text("fine".into())),
        ],
    );
    store
        .submit_responses(std::slice::from_ref(&quiet))
        .await
        .unwrap();
    let mut all = batch.clone();
    all.push(quiet);
    assert_eq!(store.rollups(&q).await.unwrap(), expected_rollups(&all));
}
