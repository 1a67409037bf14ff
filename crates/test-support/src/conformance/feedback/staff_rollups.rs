//! Per-staff roll-ups: a roll-up query with `staff_id` answers from the responses that name
//! that staff member, exactly, on every write path; the unfiltered roll-ups still count every
//! response; a rebuild recomputes both.
use super::{
    all_kinds_answers, all_kinds_survey, expected_rollups, march, published, response, world,
};
use crate::{Store, actor, sample_staff_fields};
use std::sync::Arc;
use touchpoint_core::feedback::records::{NewResponse, RollupQuery};

fn of_staff(responses: &[NewResponse], staff: i64) -> Vec<NewResponse> {
    responses
        .iter()
        .filter(|r| r.staff_id == Some(staff))
        .cloned()
        .collect()
}

pub async fn staff_rollups_count_each_staff_members_responses(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let luis = store
        .create_staff(
            &actor(),
            &sample_staff_fields("Luis bank", Some(w.sites[1].id)),
        )
        .await
        .unwrap()
        .id;
    let ana = w.staff.id;
    let batch: Vec<NewResponse> = (0..90)
        .map(|n| {
            let mut r = response(
                &v,
                march(1 + (n % 6) as u32, (n % 24) as u32, 0, 0),
                &all_kinds_answers(n),
            );
            r.external_id = Some(format!("R_{n:04}"));
            r.site_id = match n % 3 {
                0 => None,
                k => Some(w.sites[(k - 1) as usize].id),
            };
            r.staff_id = match n % 4 {
                0 => None,
                1 | 2 => Some(ana),
                _ => Some(luis),
            };
            r
        })
        .collect();
    store.submit_responses(&batch).await.unwrap();
    // A retry counts nothing twice; the single-submission path counts staff too.
    store.submit_responses(&batch[..12]).await.unwrap();
    let mut single = response(&v, march(9, 12, 0, 0), &all_kinds_answers(7));
    single.staff_id = Some(luis);
    single.site_id = Some(w.sites[0].id);
    store.submit_response(&single).await.unwrap();
    let mut counted = batch.clone();
    counted.push(single);

    let q = |staff_id: Option<i64>| RollupQuery {
        survey_id: Some(s.id),
        staff_id,
        ..RollupQuery::default()
    };
    let all = store.rollups(&q(None)).await.unwrap();
    assert_eq!(
        all,
        expected_rollups(&counted),
        "every response, named or not"
    );
    let for_ana = store.rollups(&q(Some(ana))).await.unwrap();
    let for_luis = store.rollups(&q(Some(luis))).await.unwrap();
    assert_eq!(for_ana, expected_rollups(&of_staff(&counted, ana)));
    assert_eq!(for_luis, expected_rollups(&of_staff(&counted, luis)));
    assert!(!for_ana.is_empty() && !for_luis.is_empty());
    assert_eq!(store.rollups(&q(Some(luis + ana))).await.unwrap(), vec![]);

    // The staff filter combines with the others.
    let site = w.sites[0].id;
    let narrowed = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            staff_id: Some(luis),
            site_id: Some(site),
            question_code: Some("nps".into()),
            from: Some(march(2, 0, 0, 0).date_naive()),
            to: Some(march(9, 0, 0, 0).date_naive()),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    let expected: Vec<_> = expected_rollups(&of_staff(&counted, luis))
        .into_iter()
        .filter(|r| {
            r.site_id == Some(site)
                && r.question_code == "nps"
                && (march(2, 0, 0, 0).date_naive()..=march(9, 0, 0, 0).date_naive())
                    .contains(&r.day)
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(narrowed, expected);

    // A rebuild recomputes both tables to the same rows and says how many it wrote.
    let report = store.rebuild_rollups(&actor(), s.id).await.unwrap();
    assert_eq!(report.rows, all.len() as u64);
    assert_eq!(report.staff_rows, (for_ana.len() + for_luis.len()) as u64);
    assert_eq!(store.rollups(&q(None)).await.unwrap(), all);
    assert_eq!(store.rollups(&q(Some(ana))).await.unwrap(), for_ana);
    assert_eq!(store.rollups(&q(Some(luis))).await.unwrap(), for_luis);
}
