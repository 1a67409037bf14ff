//! Measurements (judged against the current cycle's standards, idempotent by `external_id`)
//! and compliments through the API, with their validation errors and role denials.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, error_fields};
use touchpoint_core::{audit::Actor, user::Role};

/// A service with moments m1..m3 (standard `wait_minutes <= p + 0.5`), site `centro` and one
/// staff member; returns (app, service id, staff id).
async fn world() -> (TestApp, i64, i64) {
    let app = TestApp::spawn().await;
    let service = app
        .seed_service_with_cycle("cash-a-cheque", 3, &[2])
        .await
        .id;
    let actor = Actor::system("test");
    let site = app
        .store
        .create_site(
            &actor,
            &touchpoint_test_support::sample_site_fields("centro"),
        )
        .await
        .unwrap()
        .id;
    let staff = app
        .store
        .create_staff(
            &actor,
            &touchpoint_test_support::sample_staff_fields("Luis Gómez", Some(site)),
        )
        .await
        .unwrap()
        .id;
    (app, service, staff)
}

fn item(moment: &str, value: f64, external_id: Option<&str>) -> Value {
    let mut m = json!({
        "moment_key": moment, "metric": "wait_minutes", "site_key": "centro",
        "observed_at": "2026-02-10T10:30:00Z", "value": value,
    });
    if let Some(e) = external_id {
        m["external_id"] = json!(e);
    }
    m
}

#[tokio::test]
async fn measurements_are_judged_against_the_current_standards() {
    let (app, service, _) = world().await;
    let token = app.user_with_token(Role::Agent).await.1;
    let api = app.api(&token);

    let mut single = item("m1", 3.0, None);
    single["service_id"] = json!(service);
    let (status, body, _) = api.post_json("/api/v1/measurements", &single).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["results"][0]["met"], false, "3 min > 1.5 min");

    let batch = json!({"service_id": service, "items": [
        item("m1", 1.0, Some("dev-1")),
        item("m3", 9.0, Some("dev-2")),
    ]});
    let (status, first, _) = api.post_json("/api/v1/measurements", &batch).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let met: Vec<_> = first["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["met"].clone())
        .collect();
    assert_eq!(met, [true, false]);
    let (status, again, _) = api.post_json("/api/v1/measurements", &batch).await;
    assert_eq!(status, StatusCode::OK, "a resent batch records nothing new");
    assert_eq!(again["results"][0]["id"], first["results"][0]["id"]);
    assert_eq!(again["results"][1]["created"], false);

    let (_, list, _) = api
        .get(&format!(
            "/api/v1/measurements?service_id={service}&moment_key=m1"
        ))
        .await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["judged"]["metric"], "wait_minutes");
    assert_eq!(list["compliance"], json!({"met": 1, "total": 2}));
    // Compliance counts every matching measurement, not just the page.
    let (_, first_page, _) = api
        .get(&format!(
            "/api/v1/measurements?service_id={service}&limit=1"
        ))
        .await;
    assert_eq!(first_page["items"].as_array().unwrap().len(), 1);
    assert_eq!(first_page["compliance"], json!({"met": 1, "total": 3}));
}

#[tokio::test]
async fn measurement_problems_name_their_fields_and_write_nothing() {
    let (app, service, _) = world().await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let mut wrong_metric = item("m2", 1.0, None);
    wrong_metric["metric"] = json!("rings");
    let mut wrong_site = item("m1", 1.0, None);
    wrong_site["site_key"] = json!("norte");
    let batch = json!({"service_id": service, "items": [
        item("m1", 1.0, None), wrong_metric, wrong_site, item("lunch", 1.0, None),
    ]});
    let (status, problem, _) = api.post_json("/api/v1/measurements", &batch).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        error_fields(&problem),
        [
            "items[1].metric",
            "items[2].site_key",
            "items[3].moment_key"
        ]
    );
    let (_, list, _) = api.get("/api/v1/measurements").await;
    assert_eq!(list["total"], 0);

    let (status, problem, _) = api
        .post_json(
            "/api/v1/measurements",
            &json!({"service_id": service, "moment_key": "m1"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["metric", "site_key", "observed_at", "value"]
    );
    let (status, problem, _) = api
        .post_json(
            "/api/v1/measurements",
            &json!({"service_id": 999, "items": []}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&problem)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["service_id".to_string()]
        )
    );
    let mut bad_value = item("m1", 1.0, None);
    bad_value["value"] = json!("fast");
    let (status, problem, _) = api
        .post_json(
            "/api/v1/measurements",
            &json!({"service_id": service, "items": [bad_value]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["items[0].value"]);
}

#[tokio::test]
async fn compliments_about_a_moment_or_a_staff_member_are_recorded() {
    let (app, service, staff) = world().await;
    let token = app.user_with_token(Role::Agent).await.1;
    let api = app.api(&token);
    let praise = json!({
        "service_key": "cash-a-cheque", "moment_key": "m2", "staff_id": staff,
        "customer": "Marta", "text": "The cashier counted the notes with me",
        "received_at": "2026-02-10T16:00:00Z", "channel": "email",
    });
    let (status, body, _) = api.post_json("/api/v1/compliments", &praise).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["service_id"], service);
    assert!(body["compliment"]["moment_id"].is_i64());
    let (status, _, _) = api
        .post_json(
            "/api/v1/compliments",
            &json!({"staff_id": staff, "text": "Kind", "received_at": "2026-02-11T09:00:00Z", "channel": "phone"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list, _) = api
        .get(&format!("/api/v1/compliments?staff_id={staff}"))
        .await;
    assert_eq!(list["total"], 2);
    let (_, about_m2, _) = api
        .get(&format!(
            "/api/v1/compliments?service_id={service}&moment_key=m2"
        ))
        .await;
    assert_eq!(about_m2["total"], 1);

    let (status, problem, _) = api
        .post_json(
            "/api/v1/compliments",
            &json!({"text": "Nice", "received_at": "2026-02-11T09:00:00Z", "channel": "pigeon"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["moment_key", "channel"]);
    let (status, problem, _) = api
        .post_json(
            "/api/v1/compliments",
            &json!({"service_key": "nope", "moment_key": "m1", "staff_id": 4242, "text": "Nice",
                    "received_at": "2026-02-11T09:00:00Z", "channel": "email"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["service_key", "staff_id"]);
}

#[tokio::test]
async fn auditors_and_viewers_cannot_record_measurements_or_compliments() {
    let (app, service, staff) = world().await;
    let mut single = item("m1", 1.0, None);
    single["service_id"] = json!(service);
    let praise = json!({"staff_id": staff, "text": "Kind", "received_at": "2026-02-11T09:00:00Z", "channel": "phone"});
    for role in [Role::Auditor, Role::Viewer] {
        let token = app.user_with_token(role).await.1;
        let api = app.api(&token);
        let (status, _, _) = api.post_json("/api/v1/measurements", &single).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
        let (status, _, _) = api.post_json("/api/v1/compliments", &praise).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
        let (status, _, _) = api.get("/api/v1/measurements").await;
        assert_eq!(status, StatusCode::OK, "{role} reads");
    }
}
