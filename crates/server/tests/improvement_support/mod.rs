//! A deterministic bank for the improvement tests: a five-moment cheque-cashing cycle at Centro
//! and Norte, a CSAT survey answered in the 30 days before 2026-06-01 and the 30 days from it
//! (the wait clearly better after, the payment unchanged, the goodbye worse, taking a number
//! barely asked about), and complaints with root causes, promises kept and broken, and one
//! satisfied customer.
#![allow(dead_code)]

use crate::support::TestApp;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use touchpoint_core::{
    audit::Actor,
    complaints::{ComplaintInput, NewPromise, PromiseKind, ResolutionInput},
    dimension::default_dimensions,
    feedback::{
        AnswerValue, QuestionKind,
        records::{NewResponse, ResponseSource, StoredAnswer},
    },
    org::SiteFields,
};

/// The fixed "now": 2026-06-30 12:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap()
}

/// When the sample plan starts: after = 06-01..06-30, before = 05-02..05-31.
pub fn plan_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

pub const MOMENTS: [(&str, &str, bool); 5] = [
    ("enter", "Enter the branch", false),
    ("take-number", "Take a number", true),
    ("wait-turn", "Wait for the turn", true),
    ("get-paid", "Get paid", true),
    ("goodbye", "Say goodbye", false),
];

pub struct Bank {
    pub service_id: i64,
    /// Centro, Norte.
    pub sites: [i64; 2],
    /// The agent the complaints are assigned to.
    pub agent_id: i64,
}

fn text(s: &str) -> Value {
    json!({"en": s, "es": s})
}

/// Ratings (1–5) of a moment in a window, cycling through `pattern`; `n` answers.
fn ratings(pattern: &[i32], n: usize) -> Vec<i32> {
    (0..n).map(|i| pattern[i % pattern.len()]).collect()
}

/// (moment, before ratings, after ratings).
fn answers_plan() -> Vec<(&'static str, Vec<i32>, Vec<i32>)> {
    vec![
        (
            "wait-turn",
            ratings(&[2, 3, 2, 4, 3], 60),
            ratings(&[4, 5, 4, 5, 3], 60),
        ),
        (
            "get-paid",
            ratings(&[5, 4, 5, 4, 3], 60),
            ratings(&[4, 5, 5, 4, 3], 60),
        ),
        (
            "goodbye",
            ratings(&[5, 4, 5, 5, 4], 60),
            ratings(&[2, 3, 3, 2, 4], 60),
        ),
        ("take-number", ratings(&[3, 4], 10), ratings(&[5, 4], 10)),
    ]
}

pub async fn build(app: &TestApp, token: &str) -> Bank {
    let actor = Actor::system("test");
    let service_id = app.seed_service_with_cycle("bank", 0, &[]).await.id;
    let moments: Vec<Value> = MOMENTS
        .iter()
        .map(|(key, name, critical)| {
            json!({"key": key, "name": name, "channel": "in_person", "critical": critical})
        })
        .collect();
    let api = app.api(token);
    let (status, body, _) = api
        .put_json(
            &format!("/api/v1/services/{service_id}/cycle"),
            &json!({"moments": moments}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let mut sites = [0; 2];
    for (i, (key, name)) in [("centro", "Centro"), ("norte", "Norte")]
        .iter()
        .enumerate()
    {
        let f = SiteFields {
            name: (*name).into(),
            ..touchpoint_test_support::sample_site_fields(key)
        };
        sites[i] = app.store.create_site(&actor, &f).await.unwrap().id;
    }

    let questions: Vec<Value> = MOMENTS
        .iter()
        .map(|(key, name, _)| {
            json!({"code": format!("{key}_csat"), "kind": "rating", "moment_key": key,
                   "text": text(&format!("{name}?"))})
        })
        .collect();
    let survey = json!({"key": "bank-csat", "service_key": "bank", "audience": "customers",
        "languages": ["en", "es"], "title": text("Visit"), "thank_you": text("Thanks"),
        "questions": questions});
    let (status, s, _) = api.post_json("/api/v1/surveys", &survey).await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let id = s["id"].as_i64().unwrap();
    let (status, body, _) = api
        .post_json(&format!("/api/v1/surveys/{id}/publish"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let v = app.store.current_survey_version(id).await.unwrap();

    let start = plan_start().and_hms_opt(10, 0, 0).unwrap().and_utc();
    let mut batch = Vec::new();
    for (moment, before, after) in answers_plan() {
        let code = format!("{moment}_csat");
        let windows = [(before, -1i64), (after, 1i64)];
        for (scores, side) in windows {
            for (i, score) in scores.into_iter().enumerate() {
                // Spread over the 30 days of the window, away from its edges.
                let days = 1 + (i as i64 % 28);
                let at = if side < 0 {
                    start - Duration::days(days)
                } else {
                    start + Duration::days(days - 1)
                };
                batch.push(NewResponse {
                    survey_id: v.survey_id,
                    survey_version_id: v.id,
                    source: ResponseSource::Import,
                    external_id: None,
                    idempotency_key: None,
                    link_id: None,
                    submitted_at: at,
                    customer: None,
                    site_id: Some(sites[i % 2]),
                    staff_id: None,
                    language: "en".into(),
                    answers: vec![StoredAnswer {
                        moment_id: v.moment_ids.get(&code).copied(),
                        dimension: None,
                        question_code: code.clone(),
                        kind: QuestionKind::Rating,
                        value: AnswerValue::Score(score),
                    }],
                });
            }
        }
    }
    app.store.submit_responses(&batch).await.unwrap();

    let (agent, _) = app
        .user_with_token(touchpoint_core::user::Role::Agent)
        .await;
    seed_complaints(app, service_id, sites, agent.id).await;
    Bank {
        service_id,
        sites,
        agent_id: agent.id,
    }
}

/// (moment, site index, root cause, satisfied, promises kept, promises broken)
type Case = (
    &'static str,
    usize,
    Option<&'static str>,
    Option<bool>,
    u32,
    u32,
);

pub const CASES: [Case; 8] = [
    (
        "wait-turn",
        1,
        Some("Too few cashiers at lunchtime"),
        Some(true),
        1,
        0,
    ),
    (
        "wait-turn",
        1,
        Some("too few cashiers at  lunchtime"),
        None,
        0,
        1,
    ),
    (
        "wait-turn",
        1,
        Some("Too few cashiers at lunchtime"),
        Some(false),
        1,
        1,
    ),
    (
        "wait-turn",
        0,
        Some("Queue numbers not called out"),
        None,
        0,
        1,
    ),
    ("wait-turn", 1, None, None, 0, 0),
    ("get-paid", 0, Some("Wrong notes given"), None, 1, 0),
    ("get-paid", 0, Some("Wrong notes given"), None, 1, 0),
    (
        "take-number",
        1,
        Some("Rude answer at the desk"),
        None,
        0,
        0,
    ),
];

async fn seed_complaints(app: &TestApp, service_id: i64, sites: [i64; 2], agent: i64) {
    let actor = Actor::system("test");
    let cycle = app.store.current_cycle(service_id).await.unwrap();
    let mut breakable = Vec::new();
    for (n, (moment, site, cause, satisfied, kept, broken)) in CASES.into_iter().enumerate() {
        let c = ComplaintInput {
            customer_ref: format!("customer-{n}"),
            channel: "in_person".into(),
            site_id: Some(sites[site]),
            service_key: Some("bank".into()),
            moment_key: Some(moment.into()),
            dimension_key: Some(if moment == "wait-turn" {
                "responsiveness".into()
            } else {
                "reliability".into()
            }),
            description: "Something went wrong".into(),
            remedy_requested: String::new(),
            severity: "medium".into(),
            assignee_id: Some(agent),
            received_at: now() - Duration::days(3 + n as i64),
        }
        .validate(Some(&cycle), &default_dimensions(), now())
        .unwrap();
        let hash = format!("{:064x}", n + 1);
        let c = app.store.create_complaint(&actor, &c, &hash).await.unwrap();
        for _ in 0..kept {
            let p = promise(app, c.id).await;
            app.store.fulfil_promise(&actor, p).await.unwrap();
        }
        for _ in 0..broken {
            breakable.push(promise(app, c.id).await);
        }
        if let Some(cause) = cause {
            let r = ResolutionInput {
                root_cause: cause.into(),
                explanation: "We looked into it".into(),
                customer_satisfied: satisfied,
                ..ResolutionInput::default()
            }
            .validate(Some(&cycle))
            .unwrap();
            app.store.record_resolution(&actor, c.id, &r).await.unwrap();
        }
    }
    let claimed = app
        .store
        .claim_due_promises(now() + Duration::hours(2), "test", 100)
        .await
        .unwrap();
    assert_eq!(claimed.len(), breakable.len());
}

async fn promise(app: &TestApp, complaint: i64) -> i64 {
    let p = NewPromise {
        kind: PromiseKind::Callback,
        description: "We will call you back".into(),
        due_at: now() + Duration::minutes(30),
    };
    app.store
        .add_promise(&Actor::system("test"), complaint, &p)
        .await
        .unwrap()
        .id
}

/// Create a plan through the API and return its id.
pub async fn plan(
    app: &TestApp,
    token: &str,
    service_id: i64,
    title: &str,
    moments: &[&str],
) -> i64 {
    let (status, p, _) = app
        .api(token)
        .post_json(
            "/api/v1/action-plans",
            &json!({
                "service_id": service_id, "title": title, "moment_keys": moments,
                "owner": "Marta Ruiz", "start_date": plan_start().to_string(),
                "due_date": "2026-07-31", "status": "in_progress",
                "expected_effect": "CSAT of the wait up from about 50% to 80%",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p["id"].as_i64().unwrap()
}
