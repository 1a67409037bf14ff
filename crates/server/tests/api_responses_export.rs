//! The wide CSV export of responses (read back with core's own parser, across keyset pages)
//! and roll-ups with their CSAT, NPS and mean estimates.
mod api_surveys_support;
mod support;

use api_surveys_support::{all_kinds_answers, published_survey};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use support::{TestApp, content_type};
use touchpoint_core::{
    feedback::{AnswerValue, WideHeader, records::ResponseSource, records::SurveyVersion},
    user::Role,
};
use touchpoint_server::feedback::{ResponseMeta, build_response};

async fn version(app: &TestApp, token: &str, survey: i64) -> SurveyVersion {
    let (_, v, _) = app
        .api(token)
        .get(&format!("/api/v1/surveys/{survey}/versions/1"))
        .await;
    serde_json::from_value(v).expect("a survey version")
}

async fn export(app: &TestApp, token: &str, survey: i64) -> String {
    let (status, csv, headers) = app
        .api(token)
        .get(&format!("/api/v1/surveys/{survey}/responses/export"))
        .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    csv.as_str().expect("CSV text").to_string()
}

#[tokio::test]
async fn the_csv_export_round_trips_through_the_wide_header_parser() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let api = app.api(&token);
    let (_, site, _) = api
        .post_json("/api/v1/sites", &json!({"name": "Centro", "key": "centro"}))
        .await;
    let (_, staff, _) = api
        .post_json(
            "/api/v1/staff",
            &json!({"name": "Ana Ruiz", "email": "ana@bank.test"}),
        )
        .await;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let url = format!("/api/v1/surveys/{survey}/responses");
    let mut sent = vec![json!({
        "answers": all_kinds_answers(), "customer": "C-1", "site_id": site["id"],
        "staff_id": staff["id"], "language": "es", "submitted_at": "2026-03-01T09:00:00Z",
    })];
    sent.push(
        json!({"answers": {"wait": 2, "recommend": 0, "comment": "Long queue; \"slow\", sorry"}}),
    );
    sent.push(json!({"answers": {"wait": 5, "recommend": 10, "channels": ["branch"]}}));
    for body in &sent {
        let (status, r, _) = api.post_json(&url, body).await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
    }

    let text = export(&app, &token, survey).await;
    let version = version(&app, &token, survey).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, WideHeader::header_for(&version.definition));
    let header = WideHeader::parse(&headers, &version.definition).expect("a valid header");
    let (_, listed, _) = api.get(&format!("{url}?limit=10")).await;
    let mut stored: Vec<&Value> = listed["items"].as_array().unwrap().iter().collect();
    stored.sort_by_key(|r| r["id"].as_i64());
    let mut rows = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<&str> = record.iter().collect();
        let row = header.parse_row(i as u64 + 2, &cells).expect("a valid row");
        let original = stored[i];
        assert_eq!(row.response_id, original["id"].to_string());
        assert_eq!(
            row.submitted_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            original["submitted_at"].as_str().unwrap()
        );
        let from_csv: BTreeMap<String, AnswerValue> = row
            .answers
            .with_questions(&version.definition)
            .map(|(q, v)| (q.code.clone(), v.clone()))
            .collect();
        let from_api: BTreeMap<String, AnswerValue> = original["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let value = match (a["kind"].as_str(), &a["value"]) {
                    (Some("text"), Value::String(s)) => AnswerValue::Text(s.clone()),
                    (_, v) => serde_json::from_value(v.clone()).unwrap(),
                };
                (a["question_code"].as_str().unwrap().to_string(), value)
            })
            .collect();
        assert_eq!(from_csv, from_api, "row {i}");
        rows += 1;
    }
    assert_eq!(rows, 3);
    let first = text.lines().nth(1).unwrap();
    assert!(first.contains(",C-1,centro,ana@bank.test,es,"), "{first}");
}

#[tokio::test]
async fn a_large_export_streams_every_response_once_across_pages() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let version = version(&app, &token, survey).await;
    let answers: BTreeMap<String, AnswerValue> =
        serde_json::from_value(json!({"wait": 3, "recommend": 7})).unwrap();
    let now = chrono::Utc::now();
    let batch: Vec<_> = (0..2_345)
        .map(|i| {
            let mut meta = ResponseMeta::new(ResponseSource::Import);
            meta.external_id = Some(format!("ext-{i}"));
            build_response(&version, &answers, meta, now).unwrap()
        })
        .collect();
    for outcome in app.store.submit_responses(&batch).await.unwrap() {
        outcome.unwrap();
    }
    let text = export(&app, &token, survey).await;
    let mut ids: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 2_345);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2_345, "no row twice");
}

#[tokio::test]
async fn rollups_carry_csat_nps_and_means_with_their_sample_sizes() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    for (wait, recommend, effort) in [(4, 9, 2), (5, 10, 3), (2, 3, 7)] {
        let body = json!({
            "answers": {"wait": wait, "recommend": recommend, "effort": effort},
            "submitted_at": "2026-03-01T09:00:00Z",
        });
        api.post_json(&format!("/api/v1/surveys/{survey}/responses"), &body)
            .await;
    }
    let (status, report, _) = api
        .get(&format!(
            "/api/v1/rollups?survey_id={survey}&from=2026-03-01&to=2026-03-31"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(!report["rows"].as_array().unwrap().is_empty());
    let summary = |code: &str| {
        report["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["question_code"] == code)
            .unwrap_or_else(|| panic!("no summary for {code}: {report}"))
            .clone()
    };
    let wait = summary("wait");
    assert_eq!(wait["kind"], "rating");
    assert_eq!(wait["csat"]["n"], 3);
    assert!((wait["csat"]["value"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert!(wait["csat"]["low"].as_f64().unwrap() < wait["csat"]["value"].as_f64().unwrap());
    let recommend = summary("recommend");
    assert!((recommend["nps"]["value"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(recommend["csat"], Value::Null);
    let effort = summary("effort");
    assert_eq!(effort["mean"]["value"], 4.0);
    assert_eq!(effort["mean"]["n"], 3);

    let (_, outside, _) = api
        .get(&format!(
            "/api/v1/rollups?survey_id={survey}&from=2026-04-01"
        ))
        .await;
    assert_eq!(outside["rows"], json!([]));
    let (status, _, _) = api
        .get("/api/v1/rollups?from=2026-04-01&to=2026-03-01")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = api.get("/api/v1/rollups?from=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
