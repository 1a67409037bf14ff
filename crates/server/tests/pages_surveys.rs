//! Staff survey pages: creating from a template and from a pasted document, editing the draft
//! as YAML, publishing, versions, links and invitations, and the responses received.
mod pages_support;
mod public_support;
mod support;

use pages_support::Browser;
use public_support::{client, full_answers, get, post, published_survey};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{listing::ListQuery, user::Role};

const DOC: &str = "key: quick-check
service: bank
audience: customers
languages: [en, es]
title:
  en: Quick check
  es: Revisión rápida
questions:
  - code: wait
    kind: rating
    moment_key: m2
    required: true
    text:
      en: How was the wait?
      es: ¿Qué tal la espera?
";

#[tokio::test]
async fn create_from_template_and_document_then_edit_and_publish() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("bank", 3, &[2]).await;
    let service = app.store.get_service_by_key("bank").await.unwrap();
    let (b, _) = Browser::signed_in(&app, Role::Manager, "manager@bank.test").await;

    let empty = b.get("/surveys").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.shows("No surveys yet"));
    assert!(
        empty.has("href=\"/surveys\" aria-current=\"page\""),
        "nav item current"
    );

    let sid = service.id.to_string();
    let made = b
        .submit(
            "/surveys",
            &[
                ("action", "template"),
                ("template", "csat"),
                ("service_id", &sid),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let overview = b.get(&made.location()).await;
    assert!(overview.shows("Survey created."));
    assert!(
        overview.shows("Moment 2 (m2)"),
        "moment tags name the moment"
    );
    assert!(overview.shows("How satisfied were you with this step: Moment 1?"));
    assert!(overview.shows("¿Qué tan satisfecho quedó con este paso: Moment 1?"));
    assert!(overview.shows("Not published"));
    // The same template again gets a free key.
    let again = b
        .submit(
            "/surveys",
            &[
                ("action", "template"),
                ("template", "csat"),
                ("service_id", &sid),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(app.store.get_survey_by_key("bank-csat-2").await.is_ok());
    let no_service = b
        .submit("/surveys", &[("action", "template"), ("template", "nps")])
        .await;
    assert_eq!(no_service.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_service.shows("choose a service from the list"));

    // A pasted document: syntax errors name line and column, rule errors the field path.
    let broken = DOC.replace("    required: true", "    requird: true");
    let page = b
        .submit("/surveys", &[("action", "document"), ("document", &broken)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("line 12, column"), "{}", page.text());
    assert!(page.shows("requird"));
    let invalid = DOC
        .replace("      es: ¿Qué tal la espera?\n", "")
        .replace("m2", "lunch");
    let page = b
        .submit(
            "/surveys",
            &[("action", "document"), ("document", &invalid)],
        )
        .await;
    assert!(page.shows("questions[0].text.es"));
    assert!(page.shows("questions[0].moment_key"));
    let page = b
        .submit("/surveys", &[("action", "document"), ("document", DOC)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    let id = app.store.get_survey_by_key("quick-check").await.unwrap().id;

    // Edit the draft as YAML.
    let edit = b.get(&format!("/surveys/{id}/edit")).await;
    assert!(edit.has("key: quick-check"));
    let bad = b
        .submit(&format!("/surveys/{id}/edit"), &[("document", "key: [")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("line "));
    let renamed = DOC.replace("key: quick-check", "key: other-key");
    let bad = b
        .submit(&format!("/surveys/{id}/edit"), &[("document", &renamed)])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let edited = DOC.replace("Quick check", "Quick check, edited");
    let saved = b
        .submit(&format!("/surveys/{id}/edit"), &[("document", &edited)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let overview = b.get(&saved.location()).await;
    assert!(overview.shows("Draft saved."));
    assert!(overview.shows("Quick check, edited"));

    // Publish; publishing the same draft again says there is nothing to publish.
    let published = b.submit(&format!("/surveys/{id}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let overview = b.get(&published.location()).await;
    assert!(overview.shows("Version 1 published."));
    let again = b.submit(&format!("/surveys/{id}/publish"), &[]).await;
    let overview = b.get(&again.location()).await;
    assert!(overview.shows("The draft is the same as version 1"));
    let versions = b.get(&format!("/surveys/{id}/versions")).await;
    assert!(versions.has(&format!("/surveys/{id}/survey.yaml?version=1")));
    let yaml = b.get(&format!("/surveys/{id}/survey.yaml?version=1")).await;
    assert!(yaml.body.contains("version: 1") && yaml.body.contains("Quick check, edited"));

    let list = b.get("/surveys?sort=key&dir=desc").await;
    assert!(list.shows("Quick check, edited") && list.shows("bank-csat-2"));
}

#[tokio::test]
async fn links_invitations_and_responses() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    let path = format!("/surveys/{}/links", survey.id);
    let page = b.get(&path).await;
    assert!(page.shows("No links yet"));

    let open = b.submit(&path, &[("kind", "open")]).await;
    assert_eq!(open.status, StatusCode::CREATED);
    assert!(open.shows("Open link created."));
    let bad = b
        .submit(
            &path,
            &[("kind", "personal"), ("customer", ""), ("email", "nope")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"inv-customer-err\"") && bad.has("id=\"inv-email-err\""));
    let past = b
        .submit(
            &path,
            &[
                ("kind", "personal"),
                ("customer", "Ana"),
                ("expires", "2001-01-01"),
            ],
        )
        .await;
    assert!(past.shows("must be in the future"), "{}", past.text());

    let made = b
        .submit(
            &path,
            &[
                ("kind", "personal"),
                ("customer", "Ana Gómez"),
                ("email", "ana@example.com"),
                ("language", "es"),
                ("visit_date", "2026-03-02"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    assert!(made.shows("Copy the link now"));
    let marker = "id=\"created-url\" class=\"code-area\" readonly value=\"";
    let url = made
        .body
        .split(marker)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(url.starts_with(&app.base_url), "{url}");
    let token = url.rsplit('/').next().unwrap().to_string();
    // Shown once: the list does not show an invitation's token again.
    let list = b.get(&path).await;
    assert!(!list.body.contains(&token));
    assert!(list.shows("Ana Gómez · ana@example.com"));
    assert!(list.shows("Active"));

    // The customer answers in Spanish (the invitation's language).
    let c = client(None);
    let form = get(&c, &app, &format!("/s/{token}")).await;
    assert!(form.shows("Pregunta 1 de 7"));
    let sent = post(
        &c,
        &app,
        &format!("/s/{token}"),
        &full_answers("es", &form.hidden("nonce")),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let list = b.get(&path).await;
    assert!(list.shows("Answered"));

    let responses = b.get(&format!("/surveys/{}/responses", survey.id)).await;
    assert!(responses.shows("Answering page"));
    let rid = app
        .store
        .list_responses(survey.id, &ListQuery::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let detail = b
        .get(&format!("/surveys/{}/responses/{rid}", survey.id))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    for text in [
        "Ana Gómez",
        "9 / 10",
        "Expectation 6 · Perception 5 (gap -1)",
        "No, I come often",
        "Phone, Website",
        "Quick and friendly",
    ] {
        assert!(detail.shows(text), "missing {text:?}");
    }
    let other = b
        .get(&format!("/surveys/{}/responses/999999", survey.id))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // Deactivating the open link closes it.
    let open_id = app
        .store
        .list_links(survey.id, &ListQuery::default())
        .await
        .unwrap()
        .items
        .iter()
        .find(|l| l.token.is_some())
        .unwrap()
        .id;
    let off = b.submit(&format!("{path}/{open_id}/deactivate"), &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let list = b.get(&off.location()).await;
    assert!(list.shows("Link deactivated.") && list.shows("Inactive"));
}

#[tokio::test]
async fn spanish_pages() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    b.get("/lang/es?next=/surveys").await;
    let list = b.get("/surveys").await;
    assert!(list.has("<html lang=\"es\">"));
    assert!(list.shows("Encuestas") && list.shows("Su visita a la sucursal"));
    assert!(!list.shows("Nueva encuesta"), "viewers see no create form");
    let overview = b.get(&format!("/surveys/{}", survey.id)).await;
    assert!(overview.shows("Preguntas del borrador"));
    assert!(overview.shows("Expectativa y percepción 1–7"));
    assert!(overview.shows("Cortesía") || overview.shows("courtesy"));
}
