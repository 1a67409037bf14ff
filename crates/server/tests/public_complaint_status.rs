//! The customer's complaint status page `/c/{token}`: plain words in English or Spanish, only
//! the updates written for the customer, the next promised date, the answer once given, the
//! number to call when configured; guessed tokens get the uniform 404 and the page shares the
//! answering site's rate limit.
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod public_support;
mod support;

use complaints_support::{NewCase, create, promise, token, update};
use pages_evidence_support::seed_bank;
use public_support::{client, get};
use reqwest::StatusCode;
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{
    audit::Actor,
    clock::SystemClock,
    complaints::{ComplaintStatus, PromiseKind, Resolution, Visibility},
};
use touchpoint_server::ServerConfig;

async fn app_with(config: ServerConfig) -> TestApp {
    TestApp::spawn_with(Arc::new(SystemClock), config).await
}

#[tokio::test]
async fn the_status_page_speaks_plainly_in_both_languages_and_hides_internal_notes() {
    let app = app_with(ServerConfig {
        support_phone: Some("+57 (601) 555-0100".into()),
        ..ServerConfig::default()
    })
    .await;
    let bank = seed_bank(&app).await;
    let tk = token("status");
    let x = create(&app, &bank, NewCase::new("Ana", "Rude answer", tk.clone())).await;
    update(
        &app,
        x.id,
        Visibility::Customer,
        "We are talking to the branch",
    )
    .await;
    update(
        &app,
        x.id,
        Visibility::Internal,
        "SECRET: greeter on probation",
    )
    .await;
    promise(
        &app,
        x.id,
        PromiseKind::Callback,
        "We will call you at noon",
        5,
    )
    .await;
    let path = format!("/c/{tk}");

    let en = get(&client(Some("en-GB")), &app, &path).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains(&x.reference));
    assert!(en.shows("We have received your complaint."));
    assert!(en.shows("We are talking to the branch"));
    assert!(
        !en.body.contains("SECRET"),
        "internal notes never reach the customer"
    );
    assert!(!en.body.contains("probation"));
    assert!(en.shows("We promised to call you back by "));
    assert!(en.shows("We will call you at noon"));
    assert!(en.body.contains("href=\"tel:+576015550100\""));
    assert!(en.shows("+57 (601) 555-0100"));
    assert!(en.body.contains("href=\"?lang=es\""));
    assert!(en.body.contains("aria-current=\"step\""));

    let es = get(&client(Some("es-CO,es;q=0.9")), &app, &path).await;
    assert!(es.body.contains("<html lang=\"es\">"));
    assert!(es.shows("Su reclamo"));
    assert!(es.shows("Recibimos su reclamo."));
    assert!(es.shows("Nos comprometimos a devolverle la llamada a más tardar el "));
    assert!(es.shows("¿Tiene preguntas? Llámenos"));
    assert!(!es.body.contains("SECRET"));
    // ?lang= wins over the browser's language.
    let switched = get(&client(Some("es")), &app, &format!("{path}?lang=en")).await;
    assert!(switched.body.contains("<html lang=\"en\">"));

    // The answer shows once the case is responded; it never shows the root cause.
    let actor = Actor::system("test");
    for to in [
        ComplaintStatus::Acknowledged,
        ComplaintStatus::Assessed,
        ComplaintStatus::Investigating,
    ] {
        app.store
            .transition_complaint(&actor, x.id, to, "")
            .await
            .unwrap();
    }
    let resolution = Resolution {
        root_cause: "INTERNAL-ROOT greeter untrained".into(),
        root_cause_moment_key: None,
        explanation: "Our greeter was alone at rush hour.".into(),
        prevention: "A second greeter in the mornings.".into(),
        alternatives_offered: String::new(),
        compensation: "A written apology".into(),
        customer_satisfied: None,
    };
    app.store
        .record_resolution(&actor, x.id, &resolution)
        .await
        .unwrap();
    let investigating = get(&client(None), &app, &path).await;
    assert!(investigating.shows("We are finding out what went wrong."));
    assert!(!investigating.shows("Our greeter was alone"));
    app.store
        .transition_complaint(&actor, x.id, ComplaintStatus::Responded, "")
        .await
        .unwrap();
    let responded = get(&client(None), &app, &path).await;
    assert!(responded.shows("Our greeter was alone at rush hour."));
    assert!(responded.shows("A second greeter in the mornings."));
    assert!(!responded.body.contains("INTERNAL-ROOT"));

    // No number configured: no call box.
    let plain = app_with(ServerConfig::default()).await;
    let bank2 = seed_bank(&plain).await;
    let tk2 = token("nophone");
    create(&plain, &bank2, NewCase::new("Bo", "Slow", tk2.clone())).await;
    let page = get(&client(None), &plain, &format!("/c/{tk2}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("tel:"));
    assert!(page.shows("No news yet."));
}

#[tokio::test]
async fn guessed_tokens_get_the_uniform_404_and_the_page_is_rate_limited() {
    let app = app_with(ServerConfig {
        public_get_per_minute: 5,
        ..ServerConfig::default()
    })
    .await;
    let bank = seed_bank(&app).await;
    let tk = token("real");
    create(&app, &bank, NewCase::new("Ana", "Rude", tk.clone())).await;
    let c = client(Some("es"));
    let guess = "A".repeat(43);
    let complaint = get(&c, &app, &format!("/c/{guess}")).await;
    let survey = get(&c, &app, &format!("/s/{guess}")).await;
    assert_eq!(complaint.status, StatusCode::NOT_FOUND);
    assert_eq!(
        complaint.body, survey.body,
        "one 404 page for every unknown token"
    );
    assert!(complaint.shows("No encontramos esta página"));
    let junk = get(&c, &app, "/c/%3Cscript%3E").await;
    assert_eq!(junk.status, StatusCode::NOT_FOUND);
    assert!(!junk.body.contains("<script"));
    // A token one character off is just as unknown.
    let mut near = tk.clone();
    near.pop();
    near.push('y');
    assert_eq!(
        get(&c, &app, &format!("/c/{near}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&c, &app, &format!("/c/{tk}")).await.status,
        StatusCode::OK
    );
    // Five requests so far from this address: the sixth waits.
    let limited = get(&c, &app, &format!("/c/{tk}")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
}
