//! Closing a complaint whose response policy names a resolution survey invites the customer
//! (a personal invitation tied to the complaint) and emails them its `/s/{token}` link;
//! closing again after a reopening retires the unanswered invitation and sends a new one.
mod api_surveys_support;
mod support;

use api_surveys_support::published_survey;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use support::{TestApp, sinks::SmtpSink};
use touchpoint_core::user::Role;
use touchpoint_server::{ServerConfig, jobs::run_due_jobs_once};

/// The body of a quoted-printable email as written: soft line breaks joined, `=XX` decoded.
fn decoded(data: &str) -> String {
    let joined = data.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Wait until the sink holds `n` messages.
async fn mails(smtp: &SmtpSink, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let got = smtp.messages();
        if got.len() >= n {
            return got.iter().map(|m| decoded(&m.data)).collect();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("expected {n} emails, got {:?}", smtp.messages());
}

/// The survey path `/s/…` in an email.
fn survey_path(mail: &str) -> String {
    let at = mail.find("/s/").expect("a survey link");
    mail[at..].split_whitespace().next().unwrap().to_string()
}

async fn walk(api: &support::Api<'_>, id: i64, steps: &[&str]) -> Value {
    let mut last = Value::Null;
    for to in steps {
        let (status, body, _) = api
            .post_json(
                &format!("/api/v1/complaints/{id}/transitions"),
                &json!({"to": to}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "to {to}: {body}");
        last = body;
    }
    last
}

#[tokio::test]
async fn closing_invites_the_customer_once_per_close() {
    let smtp = SmtpSink::start().await;
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        public_base_url: Some("https://feedback.example.com".into()),
        notify_backoff: Duration::from_millis(10),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with_config(config).await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let survey = published_survey(&app, &token, "resolution-csat", "cash-a-cheque").await;
    let (status, body, _) = api
        .put_json(
            "/api/v1/complaint-policies",
            &json!({"severity": "medium", "acknowledge_minutes": 60,
                    "resolution_survey_key": "resolution-csat"}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(body["resolution_survey_key"], "resolution-csat");
    let (status, body, _) = api
        .post_json(
            "/api/v1/customers",
            &json!({"ref": "CU-9", "name": "Nora", "email": "nora@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, made, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": "CU-9", "channel": "phone", "severity": "medium",
                    "description": "The card never came", "received_at": "2026-01-05T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["complaint"]["id"].as_i64().unwrap();
    let reference = made["complaint"]["reference"].as_str().unwrap().to_string();
    let steps = [
        "acknowledged",
        "assessed",
        "investigating",
        "responded",
        "resolved",
    ];
    walk(&api, id, &steps).await;
    assert!(smtp.messages().is_empty(), "resolving alone sends nothing");
    walk(&api, id, &["closed"]).await;
    // The notice waits in the outbox for the scheduler's next pass.
    assert!(smtp.messages().is_empty());
    assert_eq!(run_due_jobs_once(&app.state).await.unwrap().delivered, 1);

    let first = mails(&smtp, 1).await;
    assert_eq!(smtp.messages()[0].to, ["nora@example.com"]);
    assert!(first[0].contains(&reference), "{}", first[0]);
    assert!(
        first[0].contains("https://feedback.example.com/s/"),
        "{}",
        first[0]
    );
    let first_link = survey_path(&first[0]);
    let (status, page, _) = app.anonymous().get(&first_link).await;
    assert_eq!(status, StatusCode::OK, "{page}");

    let links_path = format!("/api/v1/surveys/{survey}/links");
    let (_, links, _) = api.get(&links_path).await;
    let items = links["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{links}");
    assert_eq!(items[0]["complaint_ref"], reference.as_str());
    assert_eq!(items[0]["customer"], "CU-9");
    assert_eq!(items[0]["kind"], "personal");

    // A retried close is refused and invites nobody.
    let (status, _, _) = api
        .post_json(
            &format!("/api/v1/complaints/{id}/transitions"),
            &json!({"to": "closed"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Reopened and closed again: the unanswered first invitation is retired, a new one sent.
    walk(
        &api,
        id,
        &[
            "reopened",
            "investigating",
            "responded",
            "resolved",
            "closed",
        ],
    )
    .await;
    assert_eq!(run_due_jobs_once(&app.state).await.unwrap().delivered, 1);
    let both = mails(&smtp, 2).await;
    let second_link = survey_path(&both[1]);
    assert_ne!(first_link, second_link);
    let (_, links, _) = api.get(&links_path).await;
    let items = links["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{links}");
    let open: Vec<&Value> = items.iter().filter(|l| l["active"] == true).collect();
    assert_eq!(open.len(), 1, "one open invitation per complaint: {links}");
    let (status, _, _) = app.anonymous().get(&second_link).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app.anonymous().get(&first_link).await;
    assert_ne!(
        status,
        StatusCode::OK,
        "the retired link no longer opens the survey"
    );

    // The delivery is on the complaint's audit trail.
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (_, audit, _) = app
        .api(&admin)
        .get("/api/v1/audit?action=notification.sent&entity=complaint")
        .await;
    assert_eq!(audit["total"], 2, "{audit}");
}

#[tokio::test]
async fn without_a_resolution_survey_closing_sends_nothing() {
    let smtp = SmtpSink::start().await;
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with_config(config).await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let (status, made, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": "CU-1", "channel": "phone", "severity": "medium",
                    "description": "Rude", "received_at": "2026-01-05T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["complaint"]["id"].as_i64().unwrap();
    let steps = [
        "acknowledged",
        "assessed",
        "investigating",
        "responded",
        "resolved",
        "closed",
    ];
    walk(&api, id, &steps).await;
    assert_eq!(run_due_jobs_once(&app.state).await.unwrap().delivered, 0);
    assert!(smtp.messages().is_empty());
}
