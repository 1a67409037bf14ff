//! The closing notice (the customer's invitation to the resolution survey) goes through the
//! outbox: closing queues it, the scheduler's next pass delivers it — one email and one signed
//! webhook — and later passes send nothing more. Run on SQLite and, when
//! `TOUCHPOINT_TEST_POSTGRES_URL` is set, on PostgreSQL.
mod support;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use std::sync::Arc;
use support::sinks::{SmtpSink, WebhookSink};
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{ComplaintInput, ComplaintStatus, PolicyInput},
    portfolio::customer::CustomerInput,
    store::Store,
};
use touchpoint_server::{
    AppState, ServerConfig, complaint_closing, jobs::run_due_jobs_once, notify::webhook::signature,
};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::conformance::feedback::{csat_survey, published, world};

const SECRET: &str = "hook-secret";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// A closed complaint of customer CU-9 (nora@example.com) under a policy that names a
/// published resolution survey, closed the way the API closes it.
async fn close_a_complaint(state: &AppState) -> i64 {
    let store = state.store.as_ref();
    let actor = Actor::system("test");
    let w = world(store, "bank").await;
    let (survey, _) = published(store, &csat_survey(&w)).await;
    let policy = PolicyInput {
        severity: "medium".into(),
        channel: None,
        acknowledge_minutes: Some(60),
        first_response_minutes: None,
        update_minutes: None,
        resolve_minutes: None,
        business_time: true,
        resolution_survey_key: Some(survey.key.clone()),
    }
    .validate()
    .unwrap();
    store.save_policy(&actor, &policy).await.unwrap();
    let customer = CustomerInput {
        reference: "CU-9".into(),
        name: "Nora".into(),
        email: "nora@example.com".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store.create_customer(&actor, &customer).await.unwrap();
    let now = state.clock.now();
    let c = ComplaintInput {
        customer_ref: "CU-9".into(),
        channel: "phone".into(),
        description: "The card never came".into(),
        severity: "medium".into(),
        received_at: now,
        ..Default::default()
    }
    .validate(None, &[], now)
    .unwrap();
    let c = store.create_complaint(&actor, &c, "hash-9").await.unwrap();
    use ComplaintStatus::*;
    let mut last = c;
    for to in [
        Acknowledged,
        Assessed,
        Investigating,
        Responded,
        Resolved,
        Closed,
    ] {
        last = complaint_closing::transition(state, &actor, last.id, to, "")
            .await
            .unwrap();
    }
    last.id
}

async fn the_closing_notice_is_delivered_once_through_the_outbox(
    store: Arc<dyn Store>,
    clock: Arc<FixedClock>,
) {
    let (smtp, hooks) = (SmtpSink::start().await, WebhookSink::start().await);
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        webhook_url: Some(hooks.url()),
        webhook_secret: Some(SECRET.into()),
        public_base_url: Some("https://feedback.example.com".into()),
        notify_attempts: 2,
        notify_backoff: std::time::Duration::from_millis(10),
        ..ServerConfig::default()
    };
    let state = AppState::new(store.clone(), clock.clone(), config);
    let complaint = close_a_complaint(&state).await;

    // Closing only queued it: nothing went out yet.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(smtp.messages().is_empty() && hooks.hooks().is_empty());

    let report = run_due_jobs_once(&state).await.unwrap();
    assert_eq!(report.delivered, 1, "one queued row: {report:?}");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["nora@example.com"]);
    assert!(
        mails[0]
            .data
            .replace("=\n", "")
            .contains("https://feedback.example.com/s/"),
        "{}",
        mails[0].data
    );
    let got = hooks.hooks();
    assert_eq!(got.len(), 1);
    let hook = &got[0];
    assert_eq!(hook.headers["x-touchpoint-event"], "complaint.closed");
    assert_eq!(
        hook.headers["x-touchpoint-signature"].to_str().unwrap(),
        signature(SECRET, &hook.body),
        "signed with the shared secret"
    );
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    let invitation = body["data"]["invitation_id"].as_i64().unwrap();
    assert_eq!(
        body["id"],
        format!("complaint.closed:{complaint}:{invitation}"),
        "the idempotency key names the complaint and the invitation"
    );
    assert!(
        body["data"]["survey_url"]
            .as_str()
            .unwrap()
            .starts_with("https://feedback.example.com/s/")
    );

    // Delivered and marked: later passes, even after any lease would have run out, send
    // nothing more.
    assert_eq!(run_due_jobs_once(&state).await.unwrap().delivered, 0);
    clock.advance(chrono::Duration::hours(1));
    assert_eq!(run_due_jobs_once(&state).await.unwrap().delivered, 0);
    assert_eq!((smtp.messages().len(), hooks.hooks().len()), (1, 1));
}

#[tokio::test]
async fn on_sqlite_the_closing_notice_is_delivered_once_through_the_outbox() {
    let clock = Arc::new(FixedClock::new(t0()));
    let c: Arc<dyn Clock> = clock.clone();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory(c).unwrap());
    store.migrate().await.unwrap();
    the_closing_notice_is_delivered_once_through_the_outbox(store, clock).await;
}

#[tokio::test]
async fn on_postgres_the_closing_notice_is_delivered_once_through_the_outbox() {
    let Some(admin) = testing::admin_url_from_env("closing_outbox_on_postgres") else {
        return;
    };
    let url = testing::fresh_database(&admin).await.unwrap();
    let clock = Arc::new(FixedClock::new(t0()));
    let c: Arc<dyn Clock> = clock.clone();
    let store: Arc<dyn Store> = Arc::new(PgStore::connect(&url, c).await.unwrap());
    the_closing_notice_is_delivered_once_through_the_outbox(store, clock).await;
}
