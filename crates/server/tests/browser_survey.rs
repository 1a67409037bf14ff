//! The acceptance of surveys, end to end in headless Chromium: a manager loads a survey with
//! every question kind from a file, publishes it and creates two invitations; customers
//! answer them through `/s/{token}` — in English (after one refused submit that shows the
//! required message) and in Spanish — and the answers are read back through the JSON API.
//! Screenshots (desktop and a 390×844 phone) go to `target/screenshots/survey-*.png`.
//!
//! Needs `chromium` and `chromium-driver`: skipped loudly without them, failing under `CI`.
mod pages_support;
mod public_support;
mod support;

use fantoccini::{Client, Locator};
use public_support::chrome::{browser, driver_or_skip};
use std::{path::Path, time::Duration};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    cycle::{CycleDraft, MomentDraft},
    cycle_file::Format,
    feedback::{SurveyContext, SurveyDocument},
    listing::ListQuery,
    service::NewService,
    user::Role,
};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("survey-{name}.png")), png).expect("write screenshot");
}

/// A desktop shot, then the same page on a phone (top, and scrolled to `scroll_to`).
async fn shots(c: &Client, name: &str, scroll_to: Option<&str>) {
    shot(c, name).await;
    c.set_window_size(390, 844).await.expect("phone size");
    shot(c, &format!("{name}-phone")).await;
    if let Some(css) = scroll_to {
        let js = format!("document.querySelector(\"{css}\").scrollIntoView({{block: 'start'}})");
        c.execute(&js, vec![]).await.expect("scroll");
        shot(c, &format!("{name}-phone-scrolled")).await;
    }
    c.set_window_size(1280, 1000).await.expect("desktop size");
}

/// The page's visible text (retried briefly while a navigation finishes).
async fn body_text(c: &Client) -> String {
    for _ in 0..20 {
        if let Ok(body) = c.find(Locator::Css("body")).await
            && let Ok(text) = body.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no page body to read");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = c.find(Locator::Css(css)).await.expect(css);
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

async fn wait_for(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"));
}

/// The bank's service with three moments keyed like the test survey expects.
async fn seed(app: &TestApp) -> String {
    let actor = Actor::system("test");
    let fields = NewService {
        key: Some("bank".into()),
        name: "Cash a cheque".into(),
        description: String::new(),
    }
    .validate()
    .unwrap();
    let service = app.store.create_service(&actor, &fields).await.unwrap();
    let moments = [
        ("m1", "Take a number", true),
        ("m2", "Wait for your turn", true),
        ("m3", "Paid at the counter", true),
    ];
    let draft = CycleDraft {
        moments: moments
            .iter()
            .map(|(key, name, critical)| MomentDraft {
                key: key.to_string(),
                name: name.to_string(),
                description: String::new(),
                channel: "in_person".into(),
                role: "Cashier".into(),
                critical: *critical,
                standards: Vec::new(),
            })
            .collect(),
        note: String::new(),
    };
    let cycle = app
        .store
        .publish_cycle(&actor, service.id, &draft.validate().unwrap())
        .await
        .unwrap();
    let valid = public_support::all_kinds_draft("bank", "branch-visit")
        .validate(&SurveyContext::with_default_dimensions(Some(&cycle)))
        .unwrap();
    SurveyDocument::from_survey(&valid, None).to_text(Format::Yaml)
}

/// Staff side: paste the document, publish, and create an invitation per language.
async fn build_and_invite(c: &Client, app: &TestApp, yaml: &str) -> (i64, String, String) {
    c.goto(&app.url("/login")).await.expect("login page");
    fill(c, "#email", "manager@bank.test").await;
    fill(c, "#password", TEST_PASSWORD).await;
    click(c, "form[action='/login'] button[type='submit']").await;
    wait_for(c, "form[action='/logout']").await;
    c.goto(&app.url("/surveys")).await.expect("surveys");
    // Load the document from a file (the picker appears only with JavaScript).
    let file = std::env::temp_dir().join(format!("survey-{}.yaml", std::process::id()));
    std::fs::write(&file, yaml).expect("write the survey file");
    let picker = c
        .find(Locator::Css("#document-file"))
        .await
        .expect("file picker");
    assert!(
        picker.is_displayed().await.unwrap(),
        "shown when scripts run"
    );
    picker
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    for _ in 0..50 {
        let value = c
            .find(Locator::Css("#document"))
            .await
            .unwrap()
            .prop("value")
            .await;
        if value
            .ok()
            .flatten()
            .is_some_and(|v| v.contains("branch-visit"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = std::fs::remove_file(&file);
    shot(c, "staff-create").await;
    click(c, "form:has(#document) button[type='submit']").await;
    wait_for(c, "form[action$='/publish']").await;
    let id: i64 = c
        .current_url()
        .await
        .unwrap()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("survey id in the URL");
    shots(c, "staff-overview", Some(".sv-questions")).await;
    click(c, "form[action$='/publish'] button").await;
    c.wait()
        .for_element(Locator::XPath(
            "//div[contains(@class, 'flash') and contains(., 'Version 1 published.')]",
        ))
        .await
        .expect("published");
    let mut urls = Vec::new();
    for (customer, lang) in [("Ana Gómez", "en"), ("Beto Ruiz", "es")] {
        c.goto(&app.url(&format!("/surveys/{id}/links")))
            .await
            .unwrap();
        fill(c, "#inv-customer", customer).await;
        c.find(Locator::Css("#inv-language"))
            .await
            .unwrap()
            .select_by_value(lang)
            .await
            .unwrap();
        click(c, "form:has(#inv-customer) button[type='submit']").await;
        wait_for(c, "#created-url").await;
        let url = c
            .find(Locator::Css("#created-url"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .expect("the invitation URL");
        urls.push(url);
    }
    shots(c, "staff-links", None).await;
    (id, urls.remove(0), urls.remove(0))
}

/// Customer side: pick every answer (by clicking the visible labels) and send.
async fn answer_all(c: &Client) {
    for css in [
        "label[for='q0-4']",
        "label[for='q1-9']",
        "label[for='q2-2']",
        "label[for='q3-e6']",
        "label[for='q3-p5']",
        "label[for='q4-o1']",
        "label[for='q5-o0']",
        "label[for='q5-o2']",
    ] {
        click(c, css).await;
    }
    fill(c, "#q6-text", "Quick, and the cashier was kind").await;
}

async fn scenario(port: u16) {
    let app = TestApp::spawn().await;
    let yaml = seed(&app).await;
    app.user_with_password(Role::Manager, "manager@bank.test", TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("touchpoint-survey-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser(port, &profile).await;
    c.set_window_size(1280, 1000).await.expect("window size");
    let (survey_id, english, spanish) = build_and_invite(&c, &app, &yaml).await;

    // English, with one refused submit first.
    c.goto(&english).await.expect("open the English invitation");
    wait_for(&c, "form#questions").await;
    let text = body_text(&c).await;
    for s in [
        "question 1 of 7",
        "part 1 of 2",
        "wait for your turn",
        "very dissatisfied",
    ] {
        assert!(text.to_lowercase().contains(s), "missing {s:?}");
    }
    shots(&c, "answer-en", Some("#q3")).await;
    click(&c, "label[for='q1-10']").await;
    click(&c, "button.submit").await;
    wait_for(&c, ".error-summary").await;
    let text = body_text(&c).await;
    assert!(text.contains("please answer this question"), "{text}");
    assert!(c.find(Locator::Css("#q0-err")).await.is_ok());
    let kept = c
        .find(Locator::Css("#q1-10"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("true"), "the given answer is kept");
    shots(&c, "answer-en-errors", Some("#q0")).await;
    answer_all(&c).await;
    click(&c, "button.submit").await;
    wait_for(&c, ".message-ok").await;
    assert!(
        body_text(&c)
            .await
            .contains("Thank you! Your answers help the branch team.")
    );
    shots(&c, "thanks-en", None).await;
    // Back to the same form and send it again: recognised by its nonce, thanked, not counted.
    c.back().await.expect("back");
    wait_for(&c, "button.submit").await;
    click(&c, "button.submit").await;
    c.wait()
        .for_element(Locator::XPath("//h1[contains(., 'Thank you!')]"))
        .await
        .expect("thanked again");

    // Spanish, from the invitation's language.
    c.goto(&spanish).await.expect("open the Spanish invitation");
    wait_for(&c, "form#questions").await;
    let text = body_text(&c).await;
    for s in [
        "Pregunta 1 de 7",
        "Muy insatisfecho",
        "Nada probable",
        "Lo que espera",
    ] {
        assert!(text.contains(s), "missing {s:?}");
    }
    shots(&c, "answer-es", Some("#q3")).await;
    click(&c, "button.submit").await;
    wait_for(&c, ".error-summary").await;
    assert!(
        body_text(&c)
            .await
            .contains("por favor, responda esta pregunta")
    );
    answer_all(&c).await;
    click(&c, "button.submit").await;
    wait_for(&c, ".message-ok").await;
    assert!(body_text(&c).await.contains("¡Gracias!"));
    shots(&c, "thanks-es", None).await;

    // The answers, read back through the JSON API.
    let (_, token) = app.user_with_token(Role::Viewer).await;
    let stored = app
        .store
        .list_responses(survey_id, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(stored.total, 2);
    let mut languages = Vec::new();
    for r in &stored.items {
        let (status, body, _) = app
            .api(&token)
            .get(&format!("/api/v1/responses/{}", r.id))
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        languages.push(body["language"].as_str().unwrap().to_string());
        let answers = body["answers"].as_array().unwrap();
        assert_eq!(answers.len(), 7, "{body}");
        let value = |code: &str| {
            answers
                .iter()
                .find(|a| a["question_code"] == code)
                .map(|a| a["value"].clone())
                .unwrap_or_default()
        };
        assert_eq!(value("wait"), serde_json::json!(4));
        assert_eq!(value("recommend"), serde_json::json!(9));
        assert_eq!(
            value("courtesy"),
            serde_json::json!({"expectation": 6, "perception": 5})
        );
        assert_eq!(value("visit"), serde_json::json!("repeat"));
        assert_eq!(value("channels"), serde_json::json!(["phone", "branch"]));
        assert_eq!(
            value("comment"),
            serde_json::json!("Quick, and the cashier was kind")
        );
        assert_eq!(body["source"], "web");
    }
    languages.sort();
    assert_eq!(languages, ["en", "es"]);
    c.goto(&app.url(&format!(
        "/surveys/{survey_id}/responses/{}",
        stored.items[0].id
    )))
    .await
    .unwrap();
    wait_for(&c, ".sv-answers").await;
    shot(&c, "staff-response").await;
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_with_every_kind_answered_in_english_and_spanish() {
    let Some((_driver, port)) = driver_or_skip("survey").await else {
        return;
    };
    scenario(port).await;
}
