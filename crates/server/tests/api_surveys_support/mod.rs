//! Survey fixtures shared by the survey, response, evidence and access tests: a survey with a
//! question of every kind, and helpers that create and publish it through the API.
#![allow(dead_code)]

use crate::support::{Reply, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn en_es(en: &str, es: &str) -> Value {
    json!({"en": en, "es": es})
}

fn option(code: &str) -> Value {
    json!({"code": code, "label": en_es(&code.to_uppercase(), &format!("{code} (es)"))})
}

/// A survey about `service_key` (whose cycle has a moment `m1`) asking one question of every
/// kind: `wait` rating about `m1` (required), `recommend` NPS (required), `effort`, `courtesy`
/// servqual, `visit` single choice, `channels` multi choice, `comment` text.
pub fn all_kinds_draft(key: &str, service_key: &str) -> Value {
    let q = |code: &str, kind: &str, required: bool| {
        json!({
            "code": code,
            "kind": kind,
            "text": en_es(&format!("Question {code}?"), &format!("¿Pregunta {code}?")),
            "required": required,
        })
    };
    let mut wait = q("wait", "rating", true);
    wait["moment_key"] = json!("m1");
    let mut courtesy = q("courtesy", "servqual", false);
    courtesy["dimension"] = json!("courtesy");
    let mut visit = q("visit", "single_choice", false);
    visit["options"] = json!([option("first"), option("repeat")]);
    let mut channels = q("channels", "multi_choice", false);
    channels["options"] = json!([option("phone"), option("web"), option("branch")]);
    json!({
        "key": key,
        "service_key": service_key,
        "audience": "customers",
        "languages": ["en", "es"],
        "title": en_es("Your visit", "Su visita"),
        "thank_you": en_es("Thank you!", "¡Gracias!"),
        "questions": [
            wait,
            q("recommend", "nps", true),
            q("effort", "effort", false),
            courtesy,
            visit,
            channels,
            q("comment", "text", false),
        ],
    })
}

/// Answers to every question of [`all_kinds_draft`].
pub fn all_kinds_answers() -> Value {
    json!({
        "wait": 4,
        "recommend": 9,
        "effort": 2,
        "courtesy": {"expectation": 6, "perception": 5},
        "visit": "repeat",
        "channels": ["web", "phone"],
        "comment": "Quick and friendly",
    })
}

/// Create the all-kinds survey through the API and return its id (unpublished).
pub async fn create_survey(app: &TestApp, token: &str, key: &str, service_key: &str) -> i64 {
    let (status, body, _) = app
        .api(token)
        .post_json("/api/v1/surveys", &all_kinds_draft(key, service_key))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("survey id")
}

/// Create and publish the all-kinds survey; returns its id.
pub async fn published_survey(app: &TestApp, token: &str, key: &str, service_key: &str) -> i64 {
    let id = create_survey(app, token, key, service_key).await;
    let (status, body, _) = app
        .api(token)
        .post_json(&format!("/api/v1/surveys/{id}/publish"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id
}

/// POST a response with an optional `Idempotency-Key`.
pub async fn submit(
    app: &TestApp,
    token: &str,
    survey: i64,
    body: &Value,
    key: Option<&str>,
) -> Reply {
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/surveys/{survey}/responses")))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        headers,
    )
}

pub async fn response_total(app: &TestApp, token: &str, survey: i64) -> i64 {
    let (_, list, _) = app
        .api(token)
        .get(&format!("/api/v1/surveys/{survey}/responses"))
        .await;
    list["total"].as_i64().unwrap()
}
