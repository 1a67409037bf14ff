//! A deterministic scorecard dataset: a service whose cycle is redesigned halfway (v1 with
//! moments m1..m4, v2 adds m5), a survey published against each version, and answers,
//! measurements, visits and compliments spread over 70 days at two sites. Everything is
//! stored through the store (the same calls the API handlers make) and also written as raw
//! rows for the reference script.
#![allow(dead_code)]

use crate::support::TestApp;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use touchpoint_core::{
    audit::Actor,
    cycle::CycleVersion,
    feedback::{
        AnswerValue, Checklist, ComplimentDraft, ItemResult, MeasurementDraft, QuestionKind,
        VisitDraft,
        records::{NewMeasurement, NewResponse, ResponseSource, StoredAnswer, SurveyVersion},
    },
};

/// The fixed "now" of the dataset: 2026-06-30 12:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap()
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// A small deterministic generator (64-bit LCG, high bits), so the dataset never changes.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    /// A score in `min..=max`, skewed upwards by `skew` (0 = uniform).
    fn score(&mut self, min: i32, max: i32, skew: u64) -> i32 {
        let span = (max - min + 1) as u64;
        let a = self.below(span);
        let b = if skew > 0 && self.below(skew + 1) > 0 {
            self.below(span)
        } else {
            0
        };
        min + a.max(b) as i32
    }
}

/// The raw rows for the reference script: `kind,day,site,moment_key,value,staff`.
#[derive(Default)]
pub struct Dataset {
    pub rows: Vec<[String; 6]>,
}

fn id_cell(id: Option<i64>) -> String {
    id.map_or(String::new(), |s| s.to_string())
}

impl Dataset {
    fn push(&mut self, kind: &str, at: DateTime<Utc>, site: Option<i64>, key: &str, value: String) {
        self.push_by(kind, at, site, key, value, None);
    }

    fn push_by(
        &mut self,
        kind: &str,
        at: DateTime<Utc>,
        site: Option<i64>,
        key: &str,
        value: String,
        staff: Option<i64>,
    ) {
        self.rows.push([
            kind.to_string(),
            at.date_naive().to_string(),
            id_cell(site),
            key.to_string(),
            value,
            id_cell(staff),
        ]);
    }

    pub fn to_csv(&self) -> String {
        let mut out = String::from("kind,day,site,moment_key,value,staff\n");
        for r in &self.rows {
            out.push_str(&r.join(","));
            out.push('\n');
        }
        out
    }
}

pub struct World {
    pub service_id: i64,
    pub sites: [i64; 2],
    /// Two staff members; a third of the answers, visits and compliments name neither.
    pub staff: [i64; 2],
    pub data: Dataset,
}

/// Who served, picked by position so the random sequence stays as it was: every third
/// piece of evidence names nobody, the others alternate between the two members.
fn served_by(staff: [i64; 2], i: usize) -> Option<i64> {
    match i % 3 {
        0 => None,
        k => Some(staff[k - 1]),
    }
}

/// (code, kind, moment) of the survey's questions.
const QUESTIONS: [(&str, &str, &str); 5] = [
    ("sat1", "rating", "m1"),
    ("rec", "nps", "m2"),
    ("ces3", "effort", "m3"),
    ("sat3", "rating", "m3"),
    ("gap4", "servqual", "m4"),
];

fn survey_json(title: &str) -> Value {
    let questions: Vec<Value> = QUESTIONS
        .iter()
        .map(|(code, kind, moment)| {
            let mut q = json!({"code": code, "kind": kind, "moment_key": moment,
                   "text": {"en": format!("{code}?"), "es": format!("¿{code}?")}});
            if *kind == "servqual" {
                q["dimension"] = json!("courtesy");
            }
            q
        })
        .collect();
    json!({"key": "visit", "service_key": "bank", "audience": "customers",
           "languages": ["en", "es"], "title": {"en": title, "es": title},
           "thank_you": {"en": "Thanks", "es": "Gracias"}, "questions": questions})
}

fn random_time(rng: &mut Lcg) -> DateTime<Utc> {
    // 0..70 days back from now, at a random minute of the day (never after now).
    let days = rng.below(70) as i64;
    let minute = rng.below(12 * 60) as i64;
    now() - Duration::days(days) - Duration::minutes(minute)
}

/// Responses of one survey version; days further back score a little worse, so the trend
/// tests have something to find.
fn responses(
    rng: &mut Lcg,
    v: &SurveyVersion,
    (sites, staff): ([i64; 2], [i64; 2]),
    n: usize,
    data: &mut Dataset,
) -> Vec<NewResponse> {
    let keys: BTreeMap<&str, &str> = QUESTIONS.iter().map(|(c, _, m)| (*c, *m)).collect();
    (0..n)
        .map(|i| {
            let served = served_by(staff, i);
            let at = random_time(rng);
            let site = Some(sites[rng.below(2) as usize]);
            let recent = u64::from((now() - at).num_days() < 30);
            let mut answers = Vec::new();
            for (code, kind, _) in QUESTIONS {
                if rng.below(10) < 2 {
                    continue;
                }
                let (kind, value) = match kind {
                    "rating" => (
                        QuestionKind::Rating,
                        AnswerValue::Score(rng.score(1, 5, 1 + recent)),
                    ),
                    "nps" => (
                        QuestionKind::Nps,
                        AnswerValue::Score(rng.score(0, 10, 1 + recent)),
                    ),
                    "effort" => (QuestionKind::Effort, AnswerValue::Score(rng.score(1, 7, 0))),
                    _ => (
                        QuestionKind::Servqual,
                        AnswerValue::Servqual {
                            expectation: rng.score(1, 7, 1),
                            perception: rng.score(1, 7, 0),
                        },
                    ),
                };
                let score = match value {
                    AnswerValue::Score(s) => s.to_string(),
                    _ => String::new(),
                };
                data.push_by(kind.as_str(), at, site, keys[code], score, served);
                answers.push(StoredAnswer {
                    question_code: code.to_string(),
                    kind,
                    moment_id: v.moment_ids.get(code).copied(),
                    dimension: None,
                    value,
                });
            }
            NewResponse {
                survey_id: v.survey_id,
                survey_version_id: v.id,
                source: ResponseSource::Import,
                external_id: None,
                idempotency_key: None,
                link_id: None,
                submitted_at: at,
                customer: None,
                site_id: site,
                staff_id: served,
                language: "en".into(),
                answers,
            }
        })
        .collect()
}

/// Measurements, visits and compliments judged against `cycle`.
async fn evidence(app: &TestApp, rng: &mut Lcg, w: &mut World, cycle: &CycleVersion, n: usize) {
    let actor = Actor::system("test");
    let site_keys = ["north", "south"];
    let mut measurements = Vec::new();
    for _ in 0..n {
        let m = &cycle.moments[rng.below(cycle.moments.len() as u64 - 1) as usize];
        let s = rng.below(2) as usize;
        let at = random_time(rng);
        let draft = MeasurementDraft {
            moment_key: m.key.clone(),
            metric: "wait_minutes".into(),
            site_key: site_keys[s].into(),
            observed_at: at,
            value: rng.below(9) as f64,
        };
        let judged = draft.judge(cycle, now()).expect("a valid measurement");
        w.data.push(
            "measurement",
            at,
            Some(w.sites[s]),
            &m.key,
            u8::from(judged.met()).to_string(),
        );
        measurements.push(NewMeasurement {
            service_id: w.service_id,
            site_id: w.sites[s],
            external_id: None,
            judged,
        });
    }
    app.store
        .record_measurements(&actor, &measurements)
        .await
        .unwrap();

    let checklist = Checklist::from_cycle(cycle, &BTreeMap::new()).unwrap();
    for v in 0..n / 4 {
        let observed = served_by(w.staff, v);
        let s = rng.below(2) as usize;
        let at = random_time(rng);
        let marks = [
            ItemResult::Met,
            ItemResult::Met,
            ItemResult::NotMet,
            ItemResult::NotApplicable,
        ];
        let results = checklist
            .moments
            .iter()
            .map(|m| {
                // Nothing at m5 is ever applicable: it stays a blind spot.
                let pick = |rng: &mut Lcg| match m.key.as_str() {
                    "m5" => ItemResult::NotApplicable,
                    _ => marks[rng.below(4) as usize],
                };
                let items = m
                    .items
                    .iter()
                    .map(|i| (i.code.clone(), pick(rng)))
                    .collect();
                (m.key.clone(), items)
            })
            .collect();
        let draft = VisitDraft {
            site_id: w.sites[s],
            visited_at: at,
            staff_ids: observed.into_iter().collect(),
            results,
            notes: String::new(),
            moment_notes: BTreeMap::new(),
        };
        let valid = draft.validate(&checklist, now()).expect("a valid visit");
        for (key, score) in valid.score_per_moment() {
            if let Some(score) = score {
                let value = format!("{score:?}");
                w.data
                    .push_by("visit", at, Some(w.sites[s]), key, value, observed);
            }
        }
        app.store
            .record_visit(&actor, w.service_id, cycle.id, &valid)
            .await
            .unwrap();
    }

    for c in 0..n / 5 {
        let about = served_by(w.staff, c);
        let m = &cycle.moments[rng.below(3) as usize];
        let site = (rng.below(3) < 2).then(|| w.sites[rng.below(2) as usize]);
        let at = random_time(rng);
        let c = ComplimentDraft {
            service_key: Some("bank".into()),
            moment_key: Some(m.key.clone()),
            staff_id: about,
            site_id: site,
            customer: None,
            text: "Very kind".into(),
            received_at: at,
            channel: "email".into(),
        }
        .validate(Some(cycle), now())
        .unwrap();
        w.data
            .push_by("compliment", at, site, &m.key, String::new(), about);
        app.store
            .record_compliment(&actor, Some(w.service_id), &c)
            .await
            .unwrap();
    }
}

/// Build the whole dataset in `app` (whose clock must read [`now`]).
pub async fn build(app: &TestApp, token: &str) -> World {
    let actor = Actor::system("test");
    let mut rng = Lcg::new(20_260_630);
    let service_id = app.seed_service_with_cycle("bank", 4, &[2]).await.id;
    let mut sites = [0; 2];
    for (i, key) in ["north", "south"].iter().enumerate() {
        let f = touchpoint_test_support::sample_site_fields(key);
        sites[i] = app.store.create_site(&actor, &f).await.unwrap().id;
    }
    let mut staff = [0; 2];
    for (i, name) in ["Ana Ruiz", "Luis Soto"].iter().enumerate() {
        let f = touchpoint_test_support::sample_staff_fields(name, Some(sites[i]));
        staff[i] = app.store.create_staff(&actor, &f).await.unwrap().id;
    }
    let mut w = World {
        service_id,
        sites,
        staff,
        data: Dataset::default(),
    };
    let api = app.api(token);
    let (status, body, _) = api
        .post_json("/api/v1/surveys", &survey_json("Visit"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let survey = body["id"].as_i64().unwrap();
    let publish = format!("/api/v1/surveys/{survey}/publish");
    let (status, body, _) = api.post_json(&publish, &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let v1_cycle = app.store.current_cycle(service_id).await.unwrap();
    let v1 = app.store.current_survey_version(survey).await.unwrap();
    let batch = responses(&mut rng, &v1, (sites, staff), 700, &mut w.data);
    app.store.submit_responses(&batch).await.unwrap();
    evidence(app, &mut rng, &mut w, &v1_cycle, 160).await;

    // The redesign: new moment rows for m1..m4 and a new m5 that nobody reports on.
    let v2_cycle = app
        .store
        .publish_cycle(
            &actor,
            service_id,
            &touchpoint_test_support::sample_cycle(5, &[2]),
        )
        .await
        .unwrap();
    let (status, body, _) = api
        .put_json(
            &format!("/api/v1/surveys/{survey}/draft"),
            &survey_json("Your visit"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body, _) = api.post_json(&publish, &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let v2 = app.store.current_survey_version(survey).await.unwrap();
    assert_ne!(
        v1.moment_ids["sat1"], v2.moment_ids["sat1"],
        "new rows for the same key"
    );
    let batch = responses(&mut rng, &v2, (sites, staff), 700, &mut w.data);
    app.store.submit_responses(&batch).await.unwrap();
    evidence(app, &mut rng, &mut w, &v2_cycle, 160).await;
    w
}
