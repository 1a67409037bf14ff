//! The cycle as a file through the API: export as YAML or JSON, import (creating the service
//! or publishing a new version), and the errors a broken file gets.
mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::user::Role;

#[tokio::test]
async fn exporting_then_importing_a_cycle_publishes_the_same_moments_as_a_new_version() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let service = app
        .seed_service_with_cycle("phone-support", 4, &[1, 3])
        .await;
    let export = format!("/api/v1/services/{}/cycle/export", service.id);

    let (status, yaml, headers) = api.get(&export).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/yaml");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"phone-support.cycle.yaml\""
    );
    let yaml = yaml.as_str().expect("YAML text").to_string();
    assert!(
        yaml.contains("key: phone-support") && yaml.contains("version: 1"),
        "{yaml}"
    );

    let (status, imported, _) = api
        .send_raw(
            Method::POST,
            "/api/v1/cycles/import",
            Some("application/yaml"),
            yaml.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert_eq!(imported["created"], false);
    assert_eq!(imported["service"]["id"], service.id);
    assert_eq!(imported["cycle"]["version"], 2);

    let (_, again, _) = api.get(&export).await;
    assert_eq!(
        again.as_str().unwrap(),
        yaml.replace("version: 1", "version: 2"),
        "lossless round trip"
    );

    let (status, v1_json, headers) = api.get(&format!("{export}?format=json&version=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/json");
    assert_eq!(v1_json["moments"].as_array().unwrap().len(), 4);
    assert_eq!(v1_json["version"], 1);

    let (status, bad, _) = api.get(&format!("{export}?format=xml")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&bad), ["format"]);
}

#[tokio::test]
async fn importing_a_file_with_a_new_key_creates_the_service() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Admin).await.1;
    let doc = json!({
        "service": {"key": "hotel-check-in", "name": "Hotel check-in"},
        "moments": [
            {"key": "arrive", "name": "Arrive at the desk", "channel": "in_person", "critical": true,
             "standards": ["wait_minutes <= 5 min"]},
            {"key": "keys", "name": "Get the keys", "channel": "in_person"}
        ]
    });
    let (status, body, _) = app
        .api(&token)
        .send_raw(
            Method::POST,
            "/api/v1/cycles/import",
            Some("application/json"),
            doc.to_string().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created"], true);
    assert_eq!(body["service"]["key"], "hotel-check-in");
    assert_eq!(
        (
            body["service"]["moment_count"].as_i64(),
            body["service"]["critical_count"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        body["cycle"]["moments"][0]["standards"][0]["metric"],
        "wait_minutes"
    );
    assert_eq!(
        body["cycle"]["moments"][0]["standards"][0]["threshold"],
        5.0
    );
}

#[tokio::test]
async fn a_broken_import_file_is_a_422_naming_the_line_or_the_fields() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let import = |ct: &'static str, text: &str| {
        api.send_raw(
            Method::POST,
            "/api/v1/cycles/import",
            Some(ct),
            text.as_bytes().to_vec(),
        )
    };

    let broken = "service:\n  key: a\n  name: A\nmoments:\n  - key: x\n    name: [X\n";
    let (status, problem, headers) = import("application/yaml", broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(error_fields(&problem), ["body"]);
    assert!(
        problem["detail"].as_str().unwrap().contains("line "),
        "{problem}"
    );
    assert!(
        problem["detail"].as_str().unwrap().contains("column "),
        "{problem}"
    );

    let (status, problem, _) = import("application/json", "{\"service\": {,}}").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("body: line 1, column"),
        "{problem}"
    );

    let invalid = "service:\n  key: a\n  name: \"\"\nmoments:\n  - key: x\n    name: X\n    channel: pigeon\n  - key: x\n    name: Y\n    channel: web\n";
    let (status, problem, _) = import("application/yaml", invalid).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["service.name", "moments[0].channel", "moments[1].key"],
        "{problem}"
    );

    let (status, problem, _) = import("text/csv", "a,b").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem["status"], 415);

    let (_, services, _) = api.get("/api/v1/services").await;
    assert_eq!(services["total"], 0, "nothing was created");
}
