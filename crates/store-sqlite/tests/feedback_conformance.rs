//! The shared feedback conformance suite, plus SQLite-specific bulk import.
use std::sync::Arc;
use touchpoint_core::store::Store;
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

async fn fresh() -> Option<Arc<dyn Store>> {
    let store = SqliteStore::open("sqlite::memory:", fixed_clock()).expect("open sqlite");
    Some(Arc::new(store))
}

touchpoint_test_support::feedback_conformance_tests!(fresh);

mod bulk {
    use std::time::Instant;
    use touchpoint_core::feedback::{
        records::{NewResponse, ResponseSource, RollupQuery, SubmitOutcome, SurveyVersion},
        store::{ResponseStore, SurveyStore},
    };
    use touchpoint_store_sqlite::SqliteStore;
    use touchpoint_test_support::{
        block_on,
        conformance::feedback::{
            all_kinds_answers, all_kinds_survey, expected_rollups, march, published, response,
            world,
        },
        fixed_clock,
    };

    /// `n` import rows spread over 28 days, three site choices and every score.
    fn rows(v: &SurveyVersion, sites: &[i64], n: usize) -> Vec<NewResponse> {
        (0..n)
            .map(|i| {
                let k = i as i32;
                let mut r = response(
                    v,
                    march(1 + (i % 28) as u32, (i % 24) as u32, (i % 60) as u32, 0),
                    &all_kinds_answers(k),
                );
                r.source = ResponseSource::Import;
                r.external_id = Some(format!("R_{i:06}"));
                r.site_id = match i % 3 {
                    0 => None,
                    s => Some(sites[s - 1]),
                };
                r
            })
            .collect()
    }

    #[test]
    fn a_batch_of_20k_imports_with_exact_rollups() {
        block_on(async {
            let store = SqliteStore::open_in_memory(fixed_clock()).unwrap();
            let w = world(&store, "bank").await;
            let (s, v) = published(&store, &all_kinds_survey(&w, "bank-all", "All")).await;
            let sites: Vec<i64> = w.sites.iter().map(|s| s.id).collect();
            let batch = rows(&v, &sites, 20_000);
            let started = Instant::now();
            let out = store.submit_responses(&batch).await.unwrap();
            eprintln!("20k responses in {:?}", started.elapsed());
            assert_eq!(out.len(), 20_000);
            assert!(
                out.iter()
                    .all(|o| matches!(o, Ok(SubmitOutcome::Created(_))))
            );
            let q = RollupQuery {
                survey_id: Some(s.id),
                ..RollupQuery::default()
            };
            let got = store.rollups(&q).await.unwrap();
            assert_eq!(got, expected_rollups(&batch));
            // Totals: every response answers wait, nps, effort and both servqual parts.
            let count: i64 = got.iter().map(|r| r.count).sum();
            assert_eq!(count, 5 * 20_000);
            let nps_sum: i64 = got
                .iter()
                .filter(|r| r.question_code == "nps")
                .map(|r| r.sum)
                .sum();
            let want: i64 = (0..20_000).map(|i| i64::from(i % 11)).sum();
            assert_eq!(nps_sum, want);
            assert_eq!(store_count(&store, s.id).await, 20_000);
            // The same file again: nothing new, nothing counted twice.
            let again = store.submit_responses(&batch).await.unwrap();
            assert!(
                again
                    .iter()
                    .all(|o| matches!(o, Ok(SubmitOutcome::AlreadyExists(_))))
            );
            assert_eq!(store.rollups(&q).await.unwrap(), got);
            assert_eq!(store_count(&store, s.id).await, 20_000);
        });
    }

    /// Single submissions committed together have their roll-ups merged before the commit;
    /// the totals must still be exact, and a refused submission must add nothing.
    #[test]
    fn concurrent_single_submissions_keep_exact_rollups() {
        block_on(async {
            let store = std::sync::Arc::new(SqliteStore::open_in_memory(fixed_clock()).unwrap());
            let w = world(&*store, "bank").await;
            let (s, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
            let sites: Vec<i64> = w.sites.iter().map(|s| s.id).collect();
            let batch = rows(&v, &sites, 600);
            let tasks: Vec<_> = batch
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, mut r)| {
                    let store = store.clone();
                    // Every third one repeats an earlier external id: nothing to count.
                    if i % 3 == 2 {
                        r.external_id = Some(format!("R_{:06}", i - 2));
                    }
                    tokio::spawn(async move { store.submit_response(&r).await.unwrap() })
                })
                .collect();
            let mut created = 0;
            for t in tasks {
                if matches!(t.await.unwrap(), SubmitOutcome::Created(_)) {
                    created += 1;
                }
            }
            // 600 submissions, 400 distinct external ids.
            assert_eq!(created, 400);
            assert_eq!(
                store.get_survey(s.id).await.unwrap().response_count,
                created
            );
            let mut written = Vec::new();
            let mut after = 0;
            loop {
                let chunk = store.responses_after(s.id, after, 500).await.unwrap();
                let Some(last) = chunk.last() else { break };
                after = last.id;
                written.extend(chunk);
            }
            assert_eq!(written.len() as i64, created);
            let as_new: Vec<NewResponse> = written
                .iter()
                .map(|r| NewResponse {
                    survey_id: r.survey_id,
                    survey_version_id: v.id,
                    source: r.source,
                    external_id: r.external_id.clone(),
                    idempotency_key: None,
                    link_id: r.link_id,
                    submitted_at: r.submitted_at,
                    customer: r.customer.clone(),
                    site_id: r.site_id,
                    staff_id: r.staff_id,
                    language: r.language.clone(),
                    answers: r.answers.clone(),
                })
                .collect();
            let q = RollupQuery {
                survey_id: Some(s.id),
                ..RollupQuery::default()
            };
            assert_eq!(store.rollups(&q).await.unwrap(), expected_rollups(&as_new));
        });
    }

    async fn store_count(store: &SqliteStore, survey_id: i64) -> i64 {
        store.get_survey(survey_id).await.unwrap().response_count
    }
}

/// A database migrated from before the staff roll-ups: the migration marks the surveys whose
/// responses name staff and the next open rebuilds them (here the marks are put back by hand,
/// as the migration would have left them).
mod marked_rebuilds {
    use touchpoint_core::feedback::{
        records::{NewResponse, RollupQuery},
        store::{ResponseStore, sum_over_days},
    };
    use touchpoint_store_sqlite::SqliteStore;
    use touchpoint_test_support::{
        block_on,
        conformance::feedback::{
            all_kinds_answers, all_kinds_survey, expected_rollups, march, published, response,
            world,
        },
        fixed_clock,
    };

    #[test]
    fn opening_rebuilds_the_marked_surveys_once() {
        block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.db");
            let url = format!("sqlite://{}", path.display());
            let store = SqliteStore::open(&url, fixed_clock()).unwrap();
            let w = world(&store, "bank").await;
            let (s, v) = published(&store, &all_kinds_survey(&w, "bank-all", "All")).await;
            let responses: Vec<NewResponse> = (0..40)
                .map(|i| {
                    let mut r = response(&v, march(2, 9, i, 0), &all_kinds_answers(i as i32));
                    r.staff_id = (i % 2 == 0).then_some(w.staff.id);
                    r
                })
                .collect();
            store.submit_responses(&responses).await.unwrap();
            drop(store);

            let raw = rusqlite::Connection::open(&path).unwrap();
            raw.execute_batch("DELETE FROM response_staff_rollups")
                .unwrap();
            raw.execute(
                "INSERT INTO rollup_rebuilds_pending (survey_id) VALUES (?1)",
                [s.id],
            )
            .unwrap();

            let store = SqliteStore::open(&url, fixed_clock()).unwrap();
            let named: Vec<NewResponse> = responses
                .iter()
                .filter(|r| r.staff_id.is_some())
                .cloned()
                .collect();
            let q = RollupQuery {
                survey_id: Some(s.id),
                staff_id: Some(w.staff.id),
                ..RollupQuery::default()
            };
            assert_eq!(store.rollups(&q).await.unwrap(), expected_rollups(&named));
            drop(store);
            // Opening again finds nothing left to do.
            let _again = SqliteStore::open(&url, fixed_clock()).unwrap();
            let (pending, rebuilds): (i64, i64) = raw
                .query_row(
                    "SELECT (SELECT count(*) FROM rollup_rebuilds_pending),
                            (SELECT count(*) FROM audit_log
                             WHERE action = 'rollups.rebuild' AND actor = 'migration')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!((pending, rebuilds), (0, 1));
        })
    }

    /// Upgrading a database whose responses were rolled up before the per-month table
    /// existed: the migration fills it from the daily rows, so whole-month totals are right
    /// from the first read.
    #[test]
    fn the_month_migration_fills_months_from_the_daily_rollups() {
        block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.db");
            let url = format!("sqlite://{}", path.display());
            let store = SqliteStore::open(&url, fixed_clock()).unwrap();
            let w = world(&store, "bank").await;
            let (s, v) = published(&store, &all_kinds_survey(&w, "bank-all", "All")).await;
            let responses: Vec<NewResponse> = (0..60u32)
                .map(|i| {
                    let at = if i % 2 == 0 {
                        march(1 + i % 28, 9, 0, 0)
                    } else {
                        march(1 + i % 28, 9, 0, 0) + chrono::Duration::days(31)
                    };
                    let mut r = response(&v, at, &all_kinds_answers(i as i32));
                    r.external_id = Some(format!("M_{i}"));
                    r
                })
                .collect();
            store.submit_responses(&responses).await.unwrap();
            drop(store);

            let raw = rusqlite::Connection::open(&path).unwrap();
            raw.execute_batch(
                "DROP TABLE response_month_rollups;
                 DELETE FROM schema_migrations WHERE version = 10;",
            )
            .unwrap();
            drop(raw);

            let store = SqliteStore::open(&url, fixed_clock()).unwrap();
            let q = RollupQuery {
                survey_id: Some(s.id),
                from: Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
                to: Some(chrono::NaiveDate::from_ymd_opt(2026, 4, 30).unwrap()),
                ..RollupQuery::default()
            };
            let totals = store.rollup_totals(&q).await.unwrap();
            // Two whole months: one row per key and month, none per day.
            assert!(
                totals
                    .iter()
                    .all(|r| r.day.format("%d").to_string() == "01")
            );
            assert_eq!(
                sum_over_days(totals),
                sum_over_days(expected_rollups(&responses))
            );
        })
    }
}
