//! `rollup_totals`: a period's roll-ups in rows that may cover many days (whole months on
//! SQLite, one row per key on PostgreSQL) add up, key by key, to exactly the daily roll-ups
//! and to the reference computation — for ranges made of whole months, of partial months at
//! either edge, inside one month, open at either end, and with every filter — on the batch
//! and the single-submission paths, and after a rebuild.
use super::{all_kinds_answers, all_kinds_survey, expected_rollups, published, response, world};
use crate::{Store, actor};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use touchpoint_core::feedback::{
    records::{NewResponse, RollupQuery, RollupRow},
    store::sum_over_days,
};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// Ranges that cut months every way the store must handle.
fn windows() -> Vec<(Option<NaiveDate>, Option<NaiveDate>)> {
    let d = |s| Some(day(s));
    vec![
        (None, None),
        (d("2026-01-01"), d("2026-03-31")),
        (d("2025-12-31"), d("2026-04-01")),
        (d("2025-12-20"), d("2026-03-10")),
        (d("2026-01-15"), d("2026-02-14")),
        (d("2026-02-01"), d("2026-02-28")),
        (d("2026-02-01"), d("2026-02-27")),
        (d("2026-03-05"), d("2026-03-05")),
        (None, d("2026-02-10")),
        (d("2026-02-10"), None),
        (d("2026-04-01"), d("2026-01-01")),
    ]
}

/// Per-key sums, without the dates: a whole-month row is dated by its month's first day,
/// which may come before the first answer in it.
fn sums(rows: Vec<RollupRow>) -> Vec<RollupRow> {
    let mut rows = sum_over_days(rows);
    for r in &mut rows {
        r.day = NaiveDate::MIN;
    }
    rows
}

fn within(r: &NewResponse, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    let d = r.submitted_at.date_naive();
    from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
}

pub async fn rollup_totals_add_up_to_the_daily_rollups(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let start = Utc.with_ymd_and_hms(2025, 12, 20, 8, 0, 0).unwrap();
    // About two responses a day from 20 December to 9 April, over three site choices and
    // with or without a staff member.
    let all: Vec<NewResponse> = (0..220)
        .map(|n| {
            let mut r = response(
                &v,
                start + Duration::hours(11 * n),
                &all_kinds_answers(n as i32),
            );
            r.external_id = Some(format!("T_{n:04}"));
            r.site_id = match n % 3 {
                0 => None,
                k => Some(w.sites[(k - 1) as usize].id),
            };
            r.staff_id = (n % 2 == 1).then_some(w.staff.id);
            r
        })
        .collect();
    let (batch, singles) = all.split_at(160);
    store.submit_responses(batch).await.unwrap();
    for r in singles {
        store.submit_response(r).await.unwrap();
    }

    let check = |label: &'static str| {
        let store = store.clone();
        let all = all.clone();
        let site = w.sites[0].id;
        let staff = w.staff.id;
        let moment = w.moment_id("m2");
        async move {
            for (from, to) in windows() {
                for (site_id, staff_id) in [(None, None), (Some(site), None), (None, Some(staff))] {
                    let q = RollupQuery {
                        survey_id: Some(s.id),
                        site_id,
                        staff_id,
                        from,
                        to,
                        ..RollupQuery::default()
                    };
                    let totals = store.rollup_totals(&q).await.unwrap();
                    let case =
                        format!("{label}: {from:?}..{to:?} site {site_id:?} staff {staff_id:?}");
                    for r in &totals {
                        assert!(
                            from.is_none_or(|f| r.day >= f) && to.is_none_or(|t| r.day <= t),
                            "{case}: a row dated {} is outside the range",
                            r.day
                        );
                    }
                    let reference: Vec<NewResponse> = all
                        .iter()
                        .filter(|r| within(r, from, to))
                        .filter(|r| site_id.is_none() || r.site_id == site_id)
                        .filter(|r| staff_id.is_none() || r.staff_id == staff_id)
                        .cloned()
                        .collect();
                    let daily = store.rollups(&q).await.unwrap();
                    assert!(totals.len() <= daily.len(), "{case}: more rows than days");
                    assert_eq!(sums(totals), sums(expected_rollups(&reference)), "{case}");
                    assert_eq!(sums(daily), sums(expected_rollups(&reference)), "{case}");
                }
            }
            // One question and one moment narrow the totals as they narrow the days.
            let q = RollupQuery {
                survey_id: Some(s.id),
                question_code: Some("wait".into()),
                moment_id: Some(moment),
                from: Some(day("2025-12-31")),
                to: Some(day("2026-03-31")),
                ..RollupQuery::default()
            };
            let totals = sums(store.rollup_totals(&q).await.unwrap());
            assert!(!totals.is_empty(), "{label}: the wait question has answers");
            assert!(totals.iter().all(|r| r.question_code == "wait"));
            assert_eq!(totals, sums(store.rollups(&q).await.unwrap()));
        }
    };
    check("kept").await;

    // Retries count nothing twice in either grain.
    store.submit_responses(&batch[..30]).await.unwrap();
    store.submit_response(&singles[0]).await.unwrap();
    check("after retries").await;

    // A rebuild recomputes the coarse rows as well.
    store.rebuild_rollups(&actor(), s.id).await.unwrap();
    check("rebuilt").await;
}
