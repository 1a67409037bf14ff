//! Acceptance for complaints end to end: a policy's promises appear on a new complaint, the
//! case goes through every state over the API, a promise passes its due time, and one
//! scheduler pass breaks it, escalates it once, writes the ledger withdrawal and sends exactly
//! one email and one correctly signed webhook. Running again does nothing.
mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use support::{
    TestApp, content_type,
    sinks::{SmtpSink, WebhookSink},
};
use touchpoint_core::{audit::AuditQuery, clock::FixedClock, user::Role};
use touchpoint_server::{
    ServerConfig,
    auth::secrets::sha256_hex,
    jobs::{JobReport, run_due_jobs_once},
};

const SECRET: &str = "webhook-secret-for-tests";

fn t0() -> DateTime<Utc> {
    // A Monday morning.
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

struct World {
    app: TestApp,
    clock: Arc<FixedClock>,
    smtp: SmtpSink,
    hooks: WebhookSink,
}

async fn world() -> World {
    let smtp = SmtpSink::start().await;
    let hooks = WebhookSink::start().await;
    let clock = Arc::new(FixedClock::new(t0()));
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        mail_from: "Touchpoint <touchpoint@test.local>".into(),
        webhook_url: Some(hooks.url()),
        webhook_secret: Some(SECRET.into()),
        notify_attempts: 3,
        notify_backoff: std::time::Duration::from_millis(10),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(clock.clone(), config).await;
    World {
        app,
        clock,
        smtp,
        hooks,
    }
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

#[tokio::test]
async fn a_complaint_lives_its_whole_life_and_a_broken_promise_is_escalated_once() {
    let w = world().await;
    let (_, admin) = w.app.user_with_token(Role::Admin).await;
    let (agent, agent_token) = w.app.user_with_token(Role::Agent).await;
    let api = w.app.api(&agent_token);

    let (status, policy, _) = w
        .app
        .api(&admin)
        .put_json(
            "/api/v1/complaint-policies",
            &json!({"severity": "high", "acknowledge_minutes": 60,
                    "first_response_minutes": 240, "resolve_minutes": 2880,
                    "business_time": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{policy}");

    let (status, made, headers) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": "CU-9", "channel": "phone", "severity": "high",
                    "description": "Kept waiting 40 minutes", "received_at": at(t0()),
                    "assignee_id": agent.id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["complaint"]["id"].as_i64().unwrap();
    assert_eq!(headers["location"], format!("/api/v1/complaints/{id}"));
    let kinds: Vec<&str> = made["promises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["acknowledge", "first_response", "resolve"]);
    let acknowledge_due = made["promises"][0]["due_at"].as_str().unwrap();
    assert_eq!(
        acknowledge_due.parse::<DateTime<Utc>>().unwrap(),
        t0() + Duration::hours(1)
    );
    // The status URL is shown once; only the token's hash is stored.
    let url = made["status_url"].as_str().unwrap();
    let token = url.strip_prefix("/c/").expect("a /c/ URL");
    assert!(token.len() >= 43, "256 random bits: {token}");
    let found = w
        .app
        .store
        .find_complaint_by_token(&sha256_hex(token))
        .await
        .unwrap();
    assert_eq!(found.id, id);
    assert!(w.app.store.find_complaint_by_token(token).await.is_err());

    // Every state, including both ways back.
    let path = format!("/api/v1/complaints/{id}/transitions");
    let steps = [
        "acknowledged",
        "assessed",
        "investigating",
        "responded",
        "investigating",
        "responded",
    ];
    for to in steps {
        w.clock.advance(Duration::minutes(10));
        let (status, c, _) = api.post_json(&path, &json!({"to": to, "note": to})).await;
        assert_eq!(
            (status, c["status"].as_str()),
            (StatusCode::OK, Some(to)),
            "{c}"
        );
    }
    let (status, bad, _) = api.post_json(&path, &json!({"to": "acknowledged"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(support::error_fields(&bad), ["status"]);
    for (visibility, text) in [
        ("customer", "We found the cause"),
        ("internal", "Queue system"),
    ] {
        let (status, u, _) = api
            .post_json(
                &format!("/api/v1/complaints/{id}/updates"),
                &json!({"visibility": visibility, "text": text}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{u}");
    }
    let (status, r, _) = api
        .post_json(
            &format!("/api/v1/complaints/{id}/resolution"),
            &json!({"root_cause": "One cashier at lunch time", "explanation": "We are sorry",
                    "customer_satisfied": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    for to in [
        "resolved",
        "closed",
        "reopened",
        "assessed",
        "investigating",
    ] {
        w.clock.advance(Duration::minutes(10));
        let (status, c, _) = api.post_json(&path, &json!({"to": to})).await;
        assert_eq!(
            (status, c["status"].as_str()),
            (StatusCode::OK, Some(to)),
            "{c}"
        );
    }

    // A promise made by staff, then its due time passes.
    let due = w.clock.now_plus(Duration::hours(2));
    let (status, promise, _) = api
        .post_json(
            &format!("/api/v1/complaints/{id}/promises"),
            &json!({"kind": "callback", "description": "We will call you by noon", "due_at": at(due)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{promise}");
    let promise_id = promise["id"].as_i64().unwrap();
    assert_eq!(
        run_due_jobs_once(&w.app.state).await.unwrap(),
        JobReport::default()
    );
    w.clock.advance(Duration::hours(3));

    let report = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(
        report,
        JobReport {
            escalated: 1,
            delivered: 1,
            due_soon: 0
        }
    );
    let again = run_due_jobs_once(&w.app.state).await.unwrap();
    assert_eq!(again, JobReport::default(), "escalated exactly once");

    let (status, detail, _) = api.get(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        detail["transitions"].as_array().unwrap().len(),
        12,
        "creation + 11 moves"
    );
    assert_eq!(
        detail["updates"].as_array().unwrap().len(),
        2,
        "internal notes included"
    );
    let broken = detail["promises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == promise_id)
        .unwrap();
    assert_eq!(broken["state"], "broken");
    assert_eq!(broken["escalated_by"], json!(&*w.app.state.node_id));
    // complaint −3, satisfied resolution +5, broken promise −5.
    assert_eq!(detail["ledger_balance"], -3);

    let (_, escalations, _) = api.get("/api/v1/escalations").await;
    assert_eq!(escalations["total"], 1);
    let (_, ledger, _) = api.get("/api/v1/customers/ledger?customer_ref=CU-9").await;
    let withdrawals: Vec<&Value> = ledger["entries"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "broken_promise")
        .collect();
    assert_eq!(withdrawals.len(), 1, "{ledger}");
    assert_eq!(withdrawals[0]["promise_id"], promise_id);
    assert_eq!(withdrawals[0]["amount"], -5);

    let mails = w.smtp.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, vec![agent.email.clone()]);
    assert_eq!(mails[0].from, "touchpoint@test.local");
    let reference = detail["complaint"]["reference"].as_str().unwrap();
    assert!(mails[0].data.contains(reference), "{}", mails[0].data);

    let hooks = w.hooks.hooks();
    assert_eq!(hooks.len(), 1);
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&hooks[0].body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(
        hooks[0].headers["x-touchpoint-signature"],
        expected.as_str()
    );
    assert_eq!(hooks[0].headers["x-touchpoint-event"], "promise.broken");
    let body: Value = serde_json::from_slice(&hooks[0].body).unwrap();
    assert_eq!(body["event"], "promise.broken");
    assert_eq!(body["id"], format!("promise.broken:{promise_id}"));
    assert_eq!(body["data"]["promise"]["id"], promise_id);
    assert_eq!(body["data"]["reference"], reference);

    let sent = w
        .app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("notification.sent".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(sent.total, 2, "one email and one webhook are on record");
}

#[tokio::test]
async fn complaint_text_is_stored_as_written_and_returned_as_json() {
    let w = world().await;
    let (_, token) = w.app.user_with_token(Role::Agent).await;
    let api = w.app.api(&token);
    let script = "<script>alert(1)</script> & <b onclick=\"x()\">bold</b> 'quoted'";
    let (status, made, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": "<i>CU</i>", "channel": "web", "severity": "medium",
                    "description": script, "remedy_requested": script, "received_at": at(t0())}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["complaint"]["id"].as_i64().unwrap();
    api.post_json(
        &format!("/api/v1/complaints/{id}/updates"),
        &json!({"visibility": "customer", "text": script}),
    )
    .await;
    let (status, detail, headers) = api.get(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/json");
    assert_eq!(detail["complaint"]["description"], script);
    assert_eq!(detail["complaint"]["remedy_requested"], script);
    assert_eq!(detail["complaint"]["customer_ref"], "<i>CU</i>");
    assert_eq!(detail["updates"][0]["text"], script);
}

trait NowPlus {
    fn now_plus(&self, d: Duration) -> DateTime<Utc>;
}

impl NowPlus for FixedClock {
    fn now_plus(&self, d: Duration) -> DateTime<Utc> {
        touchpoint_core::clock::Clock::now(self) + d
    }
}
