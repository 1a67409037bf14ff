//! Roll-ups: exact counts, sums, squares and histograms per question, part, moment, site, day.
use super::{
    all_kinds_answers, all_kinds_survey, expected_rollups, march, published, response, world,
};
use crate::Store;
use chrono::NaiveDate;
use std::sync::Arc;
use touchpoint_core::feedback::{
    AnswerValue,
    records::{NewResponse, RollupPart, RollupQuery, RollupRow},
};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("valid day")
}

fn find<'a>(rows: &'a [RollupRow], code: &str, part: RollupPart, d: u32) -> &'a RollupRow {
    rows.iter()
        .find(|r| r.question_code == code && r.part == part && r.day == day(d))
        .unwrap_or_else(|| panic!("no roll-up row {code} {part:?} on day {d}: {rows:#?}"))
}

pub async fn rollups_are_exact(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let nps = |score: i32, minute: u32| {
        let mut r = response(
            &v,
            march(2, 10, minute, 0),
            &[("nps", AnswerValue::Score(score))],
        );
        r.site_id = Some(w.sites[0].id);
        r
    };
    let batch = [nps(0, 1), nps(10, 2), nps(10, 3), nps(7, 4)];
    for r in &batch {
        store.submit_response(r).await.unwrap();
    }
    let rows = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![RollupRow {
            survey_id: s.id,
            question_code: "nps".into(),
            part: RollupPart::Score,
            moment_id: None,
            site_id: Some(w.sites[0].id),
            day: day(2),
            count: 4,
            sum: 27,
            sum_sq: 249,
            histogram: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2],
        }]
    );

    // Every kind at once: ratings and effort on their moments, servqual in two parts.
    let mut r = response(&v, march(2, 11, 0, 0), &all_kinds_answers(3));
    r.site_id = Some(w.sites[1].id);
    store.submit_response(&r).await.unwrap();
    let rows = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    let mut all: Vec<NewResponse> = batch.to_vec();
    all.push(r);
    assert_eq!(rows, expected_rollups(&all));
    let codes: Vec<(&str, RollupPart, Option<i64>)> = rows
        .iter()
        .map(|r| (r.question_code.as_str(), r.part, r.moment_id))
        .collect();
    assert_eq!(
        codes,
        [
            ("courtesy", RollupPart::Expectation, None),
            ("courtesy", RollupPart::Perception, None),
            ("effort", RollupPart::Score, Some(w.moment_id("m1"))),
            ("nps", RollupPart::Score, None),
            ("nps", RollupPart::Score, None),
            ("wait", RollupPart::Score, Some(w.moment_id("m2"))),
        ]
    );
    let sites: Vec<Option<i64>> = rows
        .iter()
        .filter(|r| r.question_code == "nps")
        .map(|r| r.site_id)
        .collect();
    assert_eq!(sites, [Some(w.sites[0].id), Some(w.sites[1].id)]);
}

pub async fn rollups_split_days_and_parts(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let pair = |e: i32, p: i32, d: u32, h: u32, m: u32, sec: u32| {
        response(
            &v,
            march(d, h, m, sec),
            &[
                ("nps", AnswerValue::Score(9)),
                (
                    "courtesy",
                    AnswerValue::Servqual {
                        expectation: e,
                        perception: p,
                    },
                ),
            ],
        )
    };
    // The last second of 2 March and the first of 3 March fall on different days (UTC).
    for r in [
        pair(6, 4, 2, 8, 0, 0),
        pair(7, 5, 2, 23, 59, 59),
        pair(1, 7, 3, 0, 0, 0),
    ] {
        store.submit_response(&r).await.unwrap();
    }
    let rows = store
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    let e = find(&rows, "courtesy", RollupPart::Expectation, 2);
    assert_eq!((e.count, e.sum, e.sum_sq), (2, 13, 85));
    assert_eq!((e.histogram[6], e.histogram[7]), (1, 1));
    assert_eq!(e.histogram.iter().sum::<i64>(), 2);
    let p = find(&rows, "courtesy", RollupPart::Perception, 2);
    assert_eq!((p.count, p.sum, p.sum_sq), (2, 9, 41));
    assert_eq!((p.histogram[4], p.histogram[5]), (1, 1));
    let e3 = find(&rows, "courtesy", RollupPart::Expectation, 3);
    assert_eq!((e3.count, e3.sum, e3.histogram[1]), (1, 1, 1));
    let n2 = find(&rows, "nps", RollupPart::Score, 2);
    assert_eq!(
        (n2.count, n2.sum, n2.sum_sq, n2.histogram[9]),
        (2, 18, 162, 2)
    );
    let days: Vec<NaiveDate> = rows.iter().map(|r| r.day).collect();
    assert_eq!(days, [day(2), day(2), day(2), day(3), day(3), day(3)]);
}

pub async fn rollup_filters(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (s2, v2) = published(&*store, &all_kinds_survey(&w, "second", "Second")).await;
    let mut all = Vec::new();
    for n in 0..12 {
        let ver = if n % 4 == 3 { &v2 } else { &v };
        let mut r = response(
            ver,
            march(1 + (n % 5) as u32, 12, 0, 0),
            &all_kinds_answers(n),
        );
        r.site_id = [None, Some(w.sites[0].id), Some(w.sites[1].id)][(n % 3) as usize];
        store.submit_response(&r).await.unwrap();
        all.push(r);
    }
    let expected = expected_rollups(&all);
    let run = |q: RollupQuery| {
        let store = store.clone();
        async move { store.rollups(&q).await.unwrap() }
    };
    let keep = |f: &dyn Fn(&RollupRow) -> bool| -> Vec<RollupRow> {
        expected.iter().filter(|r| f(r)).cloned().collect()
    };
    assert_eq!(run(RollupQuery::default()).await, expected);
    let q = RollupQuery {
        survey_id: Some(s2.id),
        ..RollupQuery::default()
    };
    assert_eq!(run(q).await, keep(&|r| r.survey_id == s2.id));
    let q = RollupQuery {
        survey_id: Some(s.id),
        question_code: Some("wait".into()),
        ..RollupQuery::default()
    };
    let wait = run(q).await;
    assert!(!wait.is_empty());
    assert_eq!(
        wait,
        keep(&|r| r.survey_id == s.id && r.question_code == "wait")
    );
    let m1 = w.moment_id("m1");
    let q = RollupQuery {
        moment_id: Some(m1),
        ..RollupQuery::default()
    };
    let by_moment = run(q).await;
    assert!(!by_moment.is_empty());
    assert_eq!(by_moment, keep(&|r| r.moment_id == Some(m1)));
    let site = w.sites[1].id;
    let q = RollupQuery {
        site_id: Some(site),
        ..RollupQuery::default()
    };
    assert_eq!(run(q).await, keep(&|r| r.site_id == Some(site)));
    let q = RollupQuery {
        from: Some(day(2)),
        to: Some(day(4)),
        ..RollupQuery::default()
    };
    let ranged = run(q).await;
    assert_eq!(ranged, keep(&|r| r.day >= day(2) && r.day <= day(4)));
    assert!(ranged.iter().any(|r| r.day == day(4)), "`to` is inclusive");
    let q = RollupQuery {
        survey_id: Some(s.id),
        question_code: Some("nps".into()),
        site_id: Some(site),
        from: Some(day(3)),
        to: Some(day(3)),
        ..RollupQuery::default()
    };
    assert_eq!(
        run(q).await,
        keep(&|r| r.survey_id == s.id
            && r.question_code == "nps"
            && r.site_id == Some(site)
            && r.day == day(3))
    );
}
