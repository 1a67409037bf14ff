//! A small, deterministic copy of the demo's situation: a cheque-cashing cycle at three
//! branches where the critical "wait for the turn" is weak at Norte only, a per-moment CSAT
//! survey with an overall question, a SERVQUAL survey that also asks the importance of two
//! dimensions, and complaints about the wait at Norte. (The demo builder lives in
//! `touchpoint-cli`, which these tests must not build, so the situation is seeded here.)
#![allow(dead_code)]

use crate::support::TestApp;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use touchpoint_core::{
    audit::Actor,
    complaints::ComplaintInput,
    dimension::default_dimensions,
    feedback::{
        AnswerValue, QuestionKind,
        records::{NewResponse, ResponseSource, StoredAnswer, SurveyVersion},
    },
    org::SiteFields,
};

/// The fixed "now": 2026-06-30 12:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap()
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// (key, name, critical) of the bank cycle, as in the demo.
pub const MOMENTS: [(&str, &str, bool); 5] = [
    ("enter", "Enter the branch", false),
    ("take-number", "Take a number", true),
    ("wait-turn", "Wait for the turn", true),
    ("get-paid", "Get paid", true),
    ("goodbye", "Say goodbye", false),
];
pub const SITES: [(&str, &str); 3] = [("centro", "Centro"), ("norte", "Norte"), ("sur", "Sur")];

pub struct World {
    pub service_id: i64,
    /// Centro, Norte, Sur.
    pub sites: [i64; 3],
}

/// A 64-bit LCG so the data never changes.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn around(&mut self, centre: f64, spread: f64) -> f64 {
        centre + (self.unit() - 0.5) * 2.0 * spread
    }
}

/// Mean 1–5 quality of a moment at a site: the wait at Norte is the planted weakness.
fn quality(site: &str, moment: &str) -> f64 {
    match (site, moment) {
        ("norte", "wait-turn") => 2.2,
        (_, "wait-turn") => 4.2,
        (_, "get-paid") => 4.6,
        _ => 4.3,
    }
}

async fn created(api: &crate::support::Api<'_>, path: &str, body: &Value) -> Value {
    let (status, body, _) = api.post_json(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
    body
}

fn text(s: &str) -> Value {
    json!({"en": s, "es": s})
}

async fn publish(app: &TestApp, token: &str, survey: Value) -> SurveyVersion {
    let api = app.api(token);
    let id = created(&api, "/api/v1/surveys", &survey).await["id"]
        .as_i64()
        .unwrap();
    created(&api, &format!("/api/v1/surveys/{id}/publish"), &json!({})).await;
    app.store.current_survey_version(id).await.unwrap()
}

fn response(
    v: &SurveyVersion,
    at: DateTime<Utc>,
    site: i64,
    answers: Vec<(String, QuestionKind, AnswerValue)>,
) -> NewResponse {
    NewResponse {
        survey_id: v.survey_id,
        survey_version_id: v.id,
        source: ResponseSource::Import,
        external_id: None,
        idempotency_key: None,
        link_id: None,
        submitted_at: at,
        customer: None,
        site_id: Some(site),
        staff_id: None,
        language: "en".into(),
        answers: answers
            .into_iter()
            .map(|(code, kind, value)| StoredAnswer {
                moment_id: v.moment_ids.get(&code).copied(),
                dimension: v
                    .definition
                    .questions
                    .iter()
                    .find(|q| q.code == code)
                    .and_then(|q| q.dimension.clone()),
                question_code: code,
                kind,
                value,
            })
            .collect(),
    }
}

fn csat_survey() -> Value {
    let mut questions: Vec<Value> = MOMENTS
        .iter()
        .map(|(key, name, _)| {
            json!({"code": format!("{key}_csat"), "kind": "rating", "moment_key": key,
                   "text": text(&format!("{name}?"))})
        })
        .collect();
    questions.push(json!({"code": "overall", "kind": "rating", "text": text("Overall?")}));
    json!({"key": "bank-csat", "service_key": "bank", "audience": "customers",
           "languages": ["en", "es"], "title": text("Visit"), "thank_you": text("Thanks"),
           "questions": questions})
}

fn servqual_survey() -> Value {
    let q = |code: &str, kind: &str, dimension: &str| json!({"code": code, "kind": kind, "dimension": dimension, "text": text(code)});
    json!({"key": "bank-servqual", "service_key": "bank", "audience": "customers",
    "languages": ["en", "es"], "title": text("Expectations"), "thank_you": text("Thanks"),
    "questions": [
        q("prompt_service", "servqual", "responsiveness"),
        q("courtesy", "servqual", "courtesy"),
        q("premises", "servqual", "tangibles"),
        q("imp_responsiveness", "rating", "responsiveness"),
        q("imp_tangibles", "rating", "tangibles"),
    ]})
}

/// Build the world in `app` (whose clock must read [`now`]).
pub async fn build(app: &TestApp, token: &str) -> World {
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
    let mut sites = [0; 3];
    for (i, (key, name)) in SITES.iter().enumerate() {
        let f = SiteFields {
            name: (*name).into(),
            ..touchpoint_test_support::sample_site_fields(key)
        };
        sites[i] = app.store.create_site(&actor, &f).await.unwrap().id;
    }
    let csat = publish(app, token, csat_survey()).await;
    let servqual = publish(app, token, servqual_survey()).await;

    let mut rng = Lcg(20_260_630);
    let mut batch = Vec::new();
    for (s, (site_key, _)) in SITES.iter().enumerate() {
        for i in 0..60 {
            let at = now() - Duration::days(1 + i % 60) - Duration::hours(i % 7);
            let mood = rng.around(0.0, 0.8);
            let mut answers = Vec::new();
            let mut sum = 0.0;
            for (key, _, _) in MOMENTS {
                let x = (quality(site_key, key) + mood + rng.around(0.0, 0.6)).clamp(1.0, 5.0);
                sum += x;
                answers.push((
                    format!("{key}_csat"),
                    QuestionKind::Rating,
                    AnswerValue::Score(x.round() as i32),
                ));
            }
            let overall = (sum / 5.0 + rng.around(0.0, 0.4)).clamp(1.0, 5.0).round() as i32;
            answers.push((
                "overall".into(),
                QuestionKind::Rating,
                AnswerValue::Score(overall),
            ));
            batch.push(response(&csat, at, sites[s], answers));

            let pair = |e: f64, p: f64, rng: &mut Lcg| AnswerValue::Servqual {
                expectation: rng.around(e, 0.6).clamp(1.0, 7.0).round() as i32,
                perception: rng.around(p, 0.6).clamp(1.0, 7.0).round() as i32,
            };
            let wait_p = if *site_key == "norte" { 3.0 } else { 5.5 };
            let answers = vec![
                (
                    "prompt_service",
                    QuestionKind::Servqual,
                    pair(6.5, wait_p, &mut rng),
                ),
                ("courtesy", QuestionKind::Servqual, pair(6.0, 6.0, &mut rng)),
                ("premises", QuestionKind::Servqual, pair(5.5, 5.8, &mut rng)),
                (
                    "imp_responsiveness",
                    QuestionKind::Rating,
                    AnswerValue::Score(5),
                ),
                ("imp_tangibles", QuestionKind::Rating, AnswerValue::Score(2)),
            ]
            .into_iter()
            .map(|(c, k, v)| (c.to_string(), k, v))
            .collect();
            batch.push(response(&servqual, at, sites[s], answers));
        }
    }
    app.store.submit_responses(&batch).await.unwrap();

    let cycle = app.store.current_cycle(service_id).await.unwrap();
    let complaints = [("wait-turn", 1usize); 4]
        .into_iter()
        .chain([("get-paid", 0usize)]);
    for (n, (moment, site)) in complaints.enumerate() {
        let c = ComplaintInput {
            customer_ref: format!("customer-{n}"),
            channel: "in_person".into(),
            site_id: Some(sites[site]),
            service_key: Some("bank".into()),
            moment_key: Some(moment.into()),
            dimension_key: None,
            description: "Waited far too long".into(),
            remedy_requested: String::new(),
            severity: "medium".into(),
            assignee_id: None,
            received_at: now() - Duration::days(3 + n as i64),
        }
        .validate(Some(&cycle), &default_dimensions(), now())
        .unwrap();
        let hash = format!("{:064x}", n + 1);
        app.store.create_complaint(&actor, &c, &hash).await.unwrap();
    }
    World { service_id, sites }
}
