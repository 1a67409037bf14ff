//! Responses: submit, read back, retries, single-use invitations, lists and keyset pages.
use super::{
    all_kinds_answers, all_kinds_survey, csat_survey, invitation, march, open_link, published,
    response, token_hash, world,
};
use crate::{
    Store, actor,
    conformance::{assert_conflict, assert_invalid, assert_not_found},
};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    feedback::{
        AnswerValue,
        records::{ResponseSource, RollupQuery, SubmitOutcome},
    },
    listing::ListQuery,
};

pub async fn response_submit_and_read(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let links = store
        .create_links(&actor(), s.id, &[open_link(1)])
        .await
        .unwrap();
    let mut r = response(&v, march(3, 14, 30, 0), &all_kinds_answers(4));
    r.source = ResponseSource::Web;
    r.link_id = Some(links[0].id);
    r.customer = Some("Marta Gómez".into());
    r.site_id = Some(w.sites[0].id);
    r.staff_id = Some(w.staff.id);
    r.language = "es".into();
    assert_eq!(r.answers.len(), 7);
    let id = match store.submit_response(&r).await.unwrap() {
        SubmitOutcome::Created(id) => id,
        other => panic!("expected Created, got {other:?}"),
    };
    let back = store.get_response(id).await.unwrap();
    assert_eq!(back.id, id);
    assert_eq!((back.survey_id, back.survey_version), (s.id, 1));
    assert_eq!(back.source, ResponseSource::Web);
    assert_eq!(back.external_id, None);
    assert_eq!(back.link_id, Some(links[0].id));
    assert_eq!(back.submitted_at, r.submitted_at);
    assert_eq!(back.customer.as_deref(), Some("Marta Gómez"));
    assert_eq!(
        (back.site_id, back.staff_id),
        (Some(w.sites[0].id), Some(w.staff.id))
    );
    assert_eq!(back.language, "es");
    assert_eq!(back.answers, r.answers, "answers round-trip exactly");
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 1);
    assert_not_found(store.get_response(id + 1000).await, "response");
    // Open links are never stamped as answered.
    let open = store.find_link(&token_hash(1)).await.unwrap().link;
    assert_eq!((open.answered_at, open.response_id), (None, None));
}

pub async fn response_rejects_unknown_survey_and_foreign_version(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (_, other_v) = published(&*store, &all_kinds_survey(&w, "other", "Other")).await;
    let mut r = response(&v, march(3, 9, 0, 0), &all_kinds_answers(1));
    r.survey_id = s.id + 1000;
    assert_not_found(store.submit_response(&r).await, "survey");
    let mut r = response(&v, march(3, 9, 0, 0), &all_kinds_answers(1));
    r.survey_version_id = other_v.id;
    assert_invalid(store.submit_response(&r).await, "survey_version_id");
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 0);
    assert!(
        store
            .rollups(&RollupQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn response_retries_are_idempotent(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (s2, v2) = published(&*store, &all_kinds_survey(&w, "second", "Second")).await;
    let mut r = response(&v, march(3, 9, 0, 0), &all_kinds_answers(2));
    r.idempotency_key = Some("key-1".into());
    let id = store.submit_response(&r).await.unwrap();
    assert!(matches!(id, SubmitOutcome::Created(_)));
    let q = RollupQuery {
        survey_id: Some(s.id),
        ..RollupQuery::default()
    };
    let before = store.rollups(&q).await.unwrap();
    assert!(!before.is_empty());
    // A retry, even with different content, returns the first response and counts nothing.
    let mut retry = response(&v, march(4, 9, 0, 0), &all_kinds_answers(3));
    retry.idempotency_key = Some("key-1".into());
    assert_eq!(
        store.submit_response(&retry).await.unwrap(),
        SubmitOutcome::AlreadyExists(id.id())
    );
    assert_eq!(store.rollups(&q).await.unwrap(), before);

    let mut imported = response(&v, march(3, 10, 0, 0), &all_kinds_answers(5));
    imported.source = ResponseSource::Import;
    imported.external_id = Some("R_001".into());
    let first = store.submit_response(&imported).await.unwrap();
    assert!(matches!(first, SubmitOutcome::Created(_)));
    let with_rows = store.rollups(&q).await.unwrap();
    assert_eq!(
        store.submit_response(&imported).await.unwrap(),
        SubmitOutcome::AlreadyExists(first.id())
    );
    assert_eq!(store.rollups(&q).await.unwrap(), with_rows);
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 2);
    assert_eq!(
        store.get_response(first.id()).await.unwrap().external_id,
        Some("R_001".into())
    );

    // Keys are unique per survey only.
    let mut elsewhere = response(&v2, march(3, 9, 0, 0), &all_kinds_answers(2));
    elsewhere.idempotency_key = Some("key-1".into());
    elsewhere.external_id = Some("R_001".into());
    assert!(matches!(
        store.submit_response(&elsewhere).await.unwrap(),
        SubmitOutcome::Created(_)
    ));
    assert_eq!(store.get_survey(s2.id).await.unwrap().response_count, 1);
}

pub async fn invitation_accepts_one_response(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &csat_survey(&w)).await;
    let links = store
        .create_links(&actor(), s.id, &[invitation(7, "Marta"), open_link(8)])
        .await
        .unwrap();
    let answers = [
        ("m2_csat", AnswerValue::Score(2)),
        ("overall", AnswerValue::Score(3)),
    ];
    let mut r = response(&v, march(5, 12, 0, 0), &answers);
    r.source = ResponseSource::Web;
    r.link_id = Some(links[0].id);
    r.idempotency_key = Some("form-123".into());
    let first = store.submit_response(&r).await.unwrap();
    assert!(matches!(first, SubmitOutcome::Created(_)));
    let link = store.find_link(&token_hash(7)).await.unwrap().link;
    assert!(link.answered_at.is_some());
    assert_eq!(link.response_id, Some(first.id()));

    let mut second = response(
        &v,
        march(5, 12, 5, 0),
        &[("overall", AnswerValue::Score(5))],
    );
    second.link_id = Some(links[0].id);
    assert_conflict(store.submit_response(&second).await, "invitation");
    // The retry of the first submission is recognised, not refused.
    assert_eq!(
        store.submit_response(&r).await.unwrap(),
        SubmitOutcome::AlreadyExists(first.id())
    );
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 1);
    assert_eq!(store.find_link(&token_hash(7)).await.unwrap().link, link);

    // An open link takes any number of answers.
    for minute in 0..3 {
        let mut o = response(&v, march(6, 9, minute, 0), &answers);
        o.link_id = Some(links[1].id);
        assert!(matches!(
            store.submit_response(&o).await.unwrap(),
            SubmitOutcome::Created(_)
        ));
    }
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 4);
}

pub async fn concurrent_invitation_submits_yield_one_response(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &csat_survey(&w)).await;
    let link = store
        .create_links(&actor(), s.id, &[invitation(1, "Luis")])
        .await
        .unwrap()
        .remove(0);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            let mut r = response(
                &v,
                march(5, 12, i, 0),
                &[("overall", AnswerValue::Score(4))],
            );
            r.link_id = Some(link.id);
            tokio::spawn(async move { store.submit_response(&r).await })
        })
        .collect();
    let (mut created, mut conflicts) = (Vec::new(), 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(SubmitOutcome::Created(id)) => created.push(id),
            Err(StoreError::Conflict { field, .. }) if field == "invitation" => conflicts += 1,
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!((created.len(), conflicts), (1, 7));
    let link = store.find_link(&token_hash(1)).await.unwrap().link;
    assert_eq!(link.response_id, Some(created[0]));
    assert_eq!(store.get_survey(s.id).await.unwrap().response_count, 1);
}

pub async fn responses_list_and_keyset(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (_, other) = published(&*store, &all_kinds_survey(&w, "other", "Other")).await;
    // Days 1, 3, 2, 3, 5: two on day 3 at the same instant, so ids break the tie.
    let mut ids = Vec::new();
    for (n, day) in [1, 3, 2, 3, 5].into_iter().enumerate() {
        let r = response(&v, march(day, 10, 0, 0), &all_kinds_answers(n as i32));
        ids.push(store.submit_response(&r).await.unwrap().id());
    }
    store
        .submit_response(&response(&other, march(9, 0, 0, 0), &all_kinds_answers(0)))
        .await
        .unwrap();
    let page = store
        .list_responses(s.id, &ListQuery::default())
        .await
        .unwrap();
    let got: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    assert_eq!(got, [ids[4], ids[3], ids[1], ids[2], ids[0]]);
    assert_eq!(page.total, 5);
    let q = ListQuery {
        limit: 2,
        offset: 1,
        ..ListQuery::default()
    };
    let page = store.list_responses(s.id, &q).await.unwrap();
    let got: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    assert_eq!(got, [ids[3], ids[1]]);
    assert_eq!((page.total, page.limit, page.offset), (5, 2, 1));

    let first = store.responses_after(s.id, 0, 2).await.unwrap();
    let got: Vec<i64> = first.iter().map(|r| r.id).collect();
    assert_eq!(got, ids[..2]);
    let rest = store.responses_after(s.id, ids[1], 100).await.unwrap();
    let got: Vec<i64> = rest.iter().map(|r| r.id).collect();
    assert_eq!(got, ids[2..]);
    assert_eq!(rest[2], store.get_response(ids[4]).await.unwrap());
    assert!(
        store
            .responses_after(s.id, ids[4], 100)
            .await
            .unwrap()
            .is_empty()
    );
}
