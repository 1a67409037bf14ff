//! Invitations by email: with `send_email` every new invitation that has an address is queued
//! in the outbox in its language and the scheduler's next pass sends it once, with the
//! absolute link; without a mail server or a public address the request is refused on
//! `send_email` and nothing is created; the invite page does the same with a checkbox.
mod api_surveys_support;
mod pages_support;
mod support;

use api_surveys_support::published_survey;
use pages_support::Browser;
use reqwest::StatusCode;
use serde_json::json;
use support::{TestApp, error_fields, sinks::SmtpSink};
use touchpoint_core::user::Role;
use touchpoint_server::{ServerConfig, jobs::run_due_jobs_once};

async fn app_with_mail(smtp: &SmtpSink) -> TestApp {
    TestApp::spawn_with_config(ServerConfig {
        smtp_url: Some(smtp.url()),
        public_base_url: Some("https://feedback.example.com/".into()),
        notify_attempts: 1,
        ..ServerConfig::default()
    })
    .await
}

#[tokio::test]
async fn invitations_with_an_address_are_emailed_once_in_their_language() {
    let smtp = SmtpSink::start().await;
    let app = app_with_mail(&smtp).await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let (status, made, _) = app
        .api(&token)
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"send_email": true, "invitations": [
                {"customer": "C-1", "email": "ana@example.com", "language": "es"},
                {"customer": "C-2"},
                {"customer": "C-3", "email": "bo@example.com", "language": "en"},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["emails_queued"], 2);
    // Queued, not sent: the request does not wait for the mail server.
    assert!(smtp.messages().is_empty());

    let report = run_due_jobs_once(&app.state).await.unwrap();
    assert_eq!(report.delivered, 2, "{report:?}");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 2);
    let to_ana = mails.iter().find(|m| m.to == ["ana@example.com"]).unwrap();
    let body = to_ana.data.replace("=\n", "");
    let path = made["invitations"][0]["url"].as_str().unwrap();
    assert!(
        body.contains(&format!("https://feedback.example.com{path}")),
        "the absolute link of that invitation: {body}"
    );
    assert!(
        body.contains("Responder toma un par de"),
        "in Spanish: {body}"
    );
    let to_bo = mails.iter().find(|m| m.to == ["bo@example.com"]).unwrap();
    assert!(to_bo.data.contains("how did we do?"), "{}", to_bo.data);
    assert_eq!(run_due_jobs_once(&app.state).await.unwrap().delivered, 0);
    assert_eq!(smtp.messages().len(), 2, "sent once");

    // Without send_email nothing is queued.
    let (_, made, _) = app
        .api(&token)
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"invitations": [{"customer": "C-4", "email": "cy@example.com"}]}),
        )
        .await;
    assert_eq!(made["emails_queued"], 0);
    assert_eq!(run_due_jobs_once(&app.state).await.unwrap().delivered, 0);
}

#[tokio::test]
async fn without_a_mail_server_sending_is_refused_and_nothing_is_created() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let (status, problem, _) = app
        .api(&token)
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"send_email": true, "invitations": [{"customer": "C-1", "email": "a@example.com"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["send_email"]);
    let (_, links, _) = app
        .api(&token)
        .get(&format!("/api/v1/surveys/{survey}/links"))
        .await;
    assert_eq!(links["total"], 0, "{links}");
}

#[tokio::test]
async fn the_invite_page_emails_the_link_when_asked() {
    let smtp = SmtpSink::start().await;
    let app = app_with_mail(&smtp).await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let path = format!("/surveys/{survey}/links");
    let page = b.get(&path).await;
    assert!(page.has(r#"name="send_email""#));
    // Asked to send without an address: named on the box, nothing created.
    let refused = b
        .submit(
            &path,
            &[
                ("kind", "personal"),
                ("customer", "C-9"),
                ("send_email", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has(r#"id="inv-send-err""#), "{}", refused.body);
    let made = b
        .submit(
            &path,
            &[
                ("kind", "personal"),
                ("customer", "C-9"),
                ("email", "dee@example.com"),
                ("language", "en"),
                ("send_email", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(made.shows("An email with the link is on its way to dee@example.com"));
    run_due_jobs_once(&app.state).await.unwrap();
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(smtp.messages()[0].to, ["dee@example.com"]);
}

/// A running scheduler is woken by the queueing: the email goes out at once, not at the next
/// interval (an hour here).
#[tokio::test]
async fn a_running_scheduler_sends_a_queued_invitation_at_once() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with_config(ServerConfig {
        smtp_url: Some(smtp.url()),
        public_base_url: Some("https://feedback.example.com".into()),
        jobs_interval: std::time::Duration::from_secs(3600),
        notify_attempts: 1,
        ..ServerConfig::default()
    })
    .await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let jobs = touchpoint_server::jobs::start_jobs(app.state.clone());
    // Let the first (immediate) pass run and find nothing.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (status, _, _) = app
        .api(&token)
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"send_email": true, "invitations": [{"customer": "C-1", "email": "ana@example.com"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut waited = 0;
    while smtp.messages().is_empty() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 1;
    }
    jobs.abort();
    assert_eq!(
        smtp.messages().len(),
        1,
        "delivered without waiting for the hourly pass"
    );
}
