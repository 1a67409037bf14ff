//! Notifications beyond the acceptance flow: warnings about promises due soon go out once, a
//! failing webhook is retried with backoff, and a receiver that stays down is recorded as
//! `notification.failed` without stopping the pass.
mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use support::{
    TestApp,
    sinks::{SmtpSink, WebhookSink},
};
use touchpoint_core::{audit::AuditQuery, clock::FixedClock, user::Role};
use touchpoint_server::{
    ServerConfig,
    jobs::{JobReport, run_due_jobs_once},
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

struct World {
    app: TestApp,
    clock: Arc<FixedClock>,
    smtp: SmtpSink,
    hooks: WebhookSink,
}

async fn world_with(webhook_url: Option<String>) -> World {
    let smtp = SmtpSink::start().await;
    let hooks = WebhookSink::start().await;
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        webhook_url: Some(webhook_url.unwrap_or_else(|| hooks.url())),
        webhook_secret: Some("secret".into()),
        notify_attempts: 3,
        notify_backoff: std::time::Duration::from_millis(10),
        ..ServerConfig::default()
    };
    let clock = Arc::new(FixedClock::new(t0()));
    let app = TestApp::spawn_with(clock.clone(), config).await;
    World {
        app,
        clock,
        smtp,
        hooks,
    }
}

async fn world() -> World {
    world_with(None).await
}

/// A complaint assigned to a new agent with a callback promise due in 30 minutes.
async fn complaint_with_promise(app: &TestApp) {
    let (agent, token) = app.user_with_token(Role::Agent).await;
    let api = app.api(&token);
    let (_, made, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": "CU-1", "channel": "email", "severity": "low",
                    "description": "Late card", "received_at": at(t0()), "assignee_id": agent.id}),
        )
        .await;
    let id = made["complaint"]["id"].as_i64().unwrap();
    let due = t0() + Duration::minutes(30);
    let (status, _, _) = api
        .post_json(
            &format!("/api/v1/complaints/{id}/promises"),
            &json!({"kind": "callback", "description": "Call back", "due_at": at(due)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn due_soon_warnings_go_out_once_and_failed_webhooks_are_retried() {
    let w = world().await;
    complaint_with_promise(&w.app).await;
    w.hooks.fail_next(2);
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(
        report,
        JobReport {
            escalated: 0,
            delivered: 0,
            due_soon: 1
        }
    );
    assert_eq!(
        run_due_jobs_once(&w.app.state).await.unwrap(),
        JobReport::default()
    );
    assert_eq!(w.smtp.messages().len(), 1);
    assert!(w.smtp.messages()[0].data.contains("due soon"));
    let hooks = w.hooks.hooks();
    assert_eq!(hooks.len(), 1, "delivered on the third attempt");
    assert_eq!(hooks[0].headers["x-touchpoint-event"], "promise.due_soon");
}

#[tokio::test]
async fn a_receiver_that_stays_down_is_recorded_as_failed() {
    // A port nobody listens on: bound, then released.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let w = world_with(Some(url)).await;
    complaint_with_promise(&w.app).await;
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(report.due_soon, 1);
    assert_eq!(w.smtp.messages().len(), 1, "email still went out");
    let failed = w
        .app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("notification.failed".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(failed.total, 1);
    let entry = &failed.items[0];
    assert_eq!(entry.entity, "promise");
    assert!(entry.actor.starts_with("scheduler:"), "{}", entry.actor);
    assert!(
        entry.detail.contains("after 3 attempt(s)"),
        "{}",
        entry.detail
    );
}

#[tokio::test]
async fn the_background_scheduler_escalates_without_being_asked() {
    let smtp = SmtpSink::start().await;
    let clock = Arc::new(FixedClock::new(t0()));
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        jobs_interval: std::time::Duration::from_millis(20),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(clock.clone(), config).await;
    complaint_with_promise(&app).await;
    clock.advance(Duration::hours(1));
    let jobs = touchpoint_server::jobs::start_jobs(app.state.clone());
    let mut escalated = 0;
    for _ in 0..250 {
        escalated = app
            .store
            .list_escalations(None, &touchpoint_core::listing::ListQuery::all())
            .await
            .unwrap()
            .total;
        if escalated > 0 && !smtp.messages().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    jobs.abort();
    assert_eq!(escalated, 1);
    assert_eq!(smtp.messages().len(), 1);
    assert!(smtp.messages()[0].data.contains("broken"));
}

#[tokio::test]
async fn a_claim_whose_node_died_before_notifying_is_delivered_by_the_next_pass() {
    let w = world().await;
    complaint_with_promise(&w.app).await;
    // A node claims the broken promise and dies before telling anyone.
    let claimed = w
        .app
        .store
        .claim_due_promises(t0() + Duration::hours(1), "dead-node", 100)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(w.smtp.messages().is_empty());
    // Any node's next pass finds it in the outbox.
    w.clock.set(t0() + Duration::hours(1));
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!((report.escalated, report.delivered), (0, 1));
    assert_eq!(w.smtp.messages().len(), 1);
    assert!(w.smtp.messages()[0].data.contains("broken"));
    let hooks = w.hooks.hooks();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].headers["x-touchpoint-event"], "promise.broken");
    // Delivered and marked: never again.
    w.clock.set(t0() + Duration::hours(2));
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(report.delivered, 0);
    assert_eq!(w.smtp.messages().len(), 1);
}

#[tokio::test]
async fn a_failed_escalation_notice_is_retried_after_its_lease() {
    let w = world().await;
    complaint_with_promise(&w.app).await;
    w.clock.set(t0() + Duration::hours(1));
    // The due-soon warning passed long ago; the webhook is down for the whole first pass.
    w.hooks.fail_next(3);
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!((report.escalated, report.delivered), (1, 1));
    assert!(w.hooks.hooks().is_empty());
    // Within the lease nothing is resent; after it, the notice goes out again (on every
    // channel: delivery is at least once).
    w.clock
        .set(t0() + Duration::hours(1) + Duration::minutes(1));
    assert_eq!(run_due_jobs_once(&w.app.state).await.unwrap().delivered, 0);
    w.clock
        .set(t0() + Duration::hours(1) + Duration::minutes(6));
    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(report.delivered, 1);
    let hooks = w.hooks.hooks();
    assert_eq!(hooks.len(), 1, "delivered on the retry");
    assert_eq!(hooks[0].headers["x-touchpoint-event"], "promise.broken");
    assert_eq!(
        w.smtp.messages().len(),
        2,
        "the email went out on both passes"
    );
}
