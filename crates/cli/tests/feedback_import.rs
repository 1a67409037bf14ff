//! `import`/`export` of surveys, responses and measurements on SQLite, through the binary.
mod common;

use common::{Scratch, feedback};

#[tokio::test]
async fn a_bad_date_on_line_7_and_a_bad_score_on_line_12_are_reported_and_the_rest_kept() {
    feedback::keeps_good_rows_and_reports_bad_ones(&Scratch::new()).await;
}

#[tokio::test]
async fn all_or_nothing_and_dry_run_write_nothing() {
    feedback::all_or_nothing_and_dry_run_write_nothing(&Scratch::new()).await;
}

#[tokio::test]
async fn an_unknown_column_in_the_header_is_named() {
    feedback::unknown_column_is_named(&Scratch::new()).await;
}

#[tokio::test]
async fn measurements_are_judged_and_bad_rows_reported() {
    feedback::measurements_are_judged_and_bad_rows_reported(&Scratch::new()).await;
}

#[tokio::test]
async fn survey_files_round_trip_and_publishing_freezes_versions() {
    feedback::survey_files_round_trip(&Scratch::new()).await;
}

#[tokio::test]
async fn rebuild_rollups_finds_them_as_kept() {
    feedback::rebuild_rollups_finds_them_as_kept(&Scratch::new()).await;
}

#[tokio::test]
async fn the_import_leaves_one_audit_event_with_its_counts() {
    let s = Scratch::new();
    feedback::keeps_good_rows_and_reports_bad_ones(&s).await;
    let store = touchpoint_cli::store_url::open_store(
        &s.url,
        std::sync::Arc::new(touchpoint_core::clock::SystemClock),
    )
    .await
    .unwrap();
    let q = touchpoint_core::audit::AuditQuery {
        action: Some("responses.import".into()),
        ..Default::default()
    };
    let events = store.list_audit(&q, 10, 0).await.unwrap().items;
    // The first import, the re-import and the round trip.
    assert_eq!(events.len(), 3, "{events:?}");
    // Newest first: the oldest is the first import.
    let first: serde_json::Value = serde_json::from_str(&events[2].detail).unwrap();
    assert_eq!(events[2].actor, "cli");
    assert_eq!(first["counts"]["created"], 18, "{first}");
    assert_eq!(first["counts"]["rejected"], 2, "{first}");
}

#[test]
fn demo_responses_answered_on_the_page_survive_export_and_import() {
    let s = Scratch::new();
    let demo = s.run(&["demo", "--no-serve"]).expect(0).stdout;
    assert!(
        demo.contains("/s/"),
        "the banner shows an open survey link: {demo}"
    );
    let path = s.path("nps.csv");
    let args = [
        "export",
        "responses",
        "--survey",
        "cash-a-cheque-nps",
        "-o",
        &path,
    ];
    s.run(&args).expect(0);
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = text.lines().count() - 1;
    assert!(rows > 1_000, "{rows} NPS responses");
    assert!(
        text.lines().nth(1).unwrap().starts_with("touchpoint-"),
        "{text:.300}"
    );
    let out = s.run(&[
        "import",
        "responses",
        "--survey",
        "cash-a-cheque-nps",
        &path,
    ]);
    let out = out.expect(0).stdout;
    assert!(
        out.contains(&format!(
            "{rows} rows read: 0 created, {rows} already present"
        )),
        "{out}"
    );
}
