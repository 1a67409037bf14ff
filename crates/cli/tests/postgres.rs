//! The demo → token → API and import paths against PostgreSQL, on a fresh database made
//! through the admin URL in `TOUCHPOINT_TEST_POSTGRES_URL`. Without it the tests are skipped
//! loudly, except under CI, where they fail.
mod common;

use common::Scratch;
use touchpoint_store_postgres::testing::{admin_url_from_env, fresh_database};

async fn fresh(test: &str) -> Option<Scratch> {
    let admin = admin_url_from_env(test)?;
    let url = fresh_database(&admin)
        .await
        .expect("create a test database");
    Some(Scratch::with_url(url))
}

#[tokio::test]
async fn postgres_demo_then_token_then_serve_lists_the_bank_cycle() {
    let Some(s) = fresh("postgres_demo_then_token_then_serve_lists_the_bank_cycle").await else {
        return;
    };
    common::demo_token_and_api(&s).await;
}

#[tokio::test]
async fn postgres_import_export_round_trip_and_rejection() {
    let Some(s) = fresh("postgres_import_export_round_trip_and_rejection").await else {
        return;
    };
    s.run(&["migrate"]).expect(0);
    s.run(&["migrate"]).expect(0);
    s.run(&["demo", "--no-serve"]).expect(0);
    let first = s
        .run(&["export", "cycle", "hotel-check-in"])
        .expect(0)
        .stdout;
    std::fs::write(s.path("hotel.yaml"), &first).unwrap();
    let out = s.run(&["import", "cycle", &s.path("hotel.yaml")]).expect(0);
    assert!(out.stdout.contains("version 2"), "{}", out.stdout);
    let second = s
        .run(&["export", "cycle", "hotel-check-in"])
        .expect(0)
        .stdout;
    assert_eq!(
        first.replace("\nversion: 1\n", "\nversion: 2\n"),
        second,
        "only the version moved"
    );

    let dup = first.replacen("key: booking-confirmation", "key: phone-reservation", 1);
    std::fs::write(s.path("dup.yaml"), dup).unwrap();
    let out = s.run(&["import", "cycle", &s.path("dup.yaml")]).expect(2);
    assert!(out.stderr.contains("moments[1].key"), "{}", out.stderr);
    let after = s
        .run(&["export", "cycle", "hotel-check-in"])
        .expect(0)
        .stdout;
    assert_eq!(after, second, "nothing was written");
}

#[tokio::test]
async fn postgres_import_keeps_good_rows_and_reports_bad_ones() {
    let Some(s) = fresh("postgres_import_keeps_good_rows_and_reports_bad_ones").await else {
        return;
    };
    common::feedback::keeps_good_rows_and_reports_bad_ones(&s).await;
}

#[tokio::test]
async fn postgres_rebuild_rollups_finds_them_as_kept() {
    let Some(s) = fresh("postgres_rebuild_rollups_finds_them_as_kept").await else {
        return;
    };
    common::feedback::rebuild_rollups_finds_them_as_kept(&s).await;
}

#[tokio::test]
async fn postgres_all_or_nothing_and_dry_run_write_nothing() {
    let Some(s) = fresh("postgres_all_or_nothing_and_dry_run_write_nothing").await else {
        return;
    };
    common::feedback::all_or_nothing_and_dry_run_write_nothing(&s).await;
}

#[tokio::test]
async fn postgres_measurements_are_judged_and_bad_rows_reported() {
    let Some(s) = fresh("postgres_measurements_are_judged_and_bad_rows_reported").await else {
        return;
    };
    common::feedback::measurements_are_judged_and_bad_rows_reported(&s).await;
}

#[tokio::test]
async fn postgres_unknown_column_is_named() {
    let Some(s) = fresh("postgres_unknown_column_is_named").await else {
        return;
    };
    common::feedback::unknown_column_is_named(&s).await;
}

#[tokio::test]
async fn postgres_survey_files_round_trip() {
    let Some(s) = fresh("postgres_survey_files_round_trip").await else {
        return;
    };
    common::feedback::survey_files_round_trip(&s).await;
}

#[tokio::test]
async fn postgres_customer_and_sales_imports_rank_exactly() {
    let Some(s) = fresh("postgres_customer_and_sales_imports_rank_exactly").await else {
        return;
    };
    common::portfolio::imports_report_bad_rows_and_rank_exactly(&s).await;
}

#[tokio::test]
async fn postgres_cfpb_excerpt_imports_once_and_reports_bad_rows() {
    let Some(s) = fresh("postgres_cfpb_excerpt_imports_once_and_reports_bad_rows").await else {
        return;
    };
    common::complaints::cfpb_excerpt_imports_once_and_reports_bad_rows(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sigkill_before_deadlines_then_restart_escalates_each_once() {
    let Some(s) = fresh("postgres_sigkill_before_deadlines_then_restart_escalates_each_once").await
    else {
        return;
    };
    common::restart::sigkill_before_deadlines_then_restart_escalates_each_once(&s).await;
}

#[tokio::test]
async fn postgres_cycle_report_as_json_matches_the_demo() {
    let Some(s) = fresh("postgres_cycle_report_as_json_matches_the_demo").await else {
        return;
    };
    common::report::demo(&s);
    common::report::json(&s);
    common::report::refusals(&s);
}
