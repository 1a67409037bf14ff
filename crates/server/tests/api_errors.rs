//! How the API answers requests it cannot serve: always RFC 9457 problem details, naming the
//! field or parameter at fault when there is one.
mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::user::Role;
use touchpoint_server::ServerConfig;

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400_naming_the_body_with_line_and_column() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let (status, body, headers) = app
        .api(&token)
        .send_raw(
            Method::POST,
            "/api/v1/services",
            Some("application/json"),
            b"{\"name\": ".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(error_fields(&body), ["body"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column"),
        "{body}"
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let (status, body, _) = api
        .post_json("/api/v1/services", &json!({"name": 42}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
    let (status, body, _) = api
        .post_json("/api/v1/services", &json!({"description": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
    assert!(
        body["detail"].as_str().unwrap().contains("missing field"),
        "{body}"
    );
}

#[tokio::test]
async fn a_body_without_a_json_content_type_is_a_415_problem() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    for ct in [Some("text/plain"), None] {
        let (status, body, headers) = app
            .api(&token)
            .send_raw(
                Method::POST,
                "/api/v1/services",
                ct,
                b"{\"name\": \"A\"}".to_vec(),
            )
            .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(body["status"], 415);
    }
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let app = TestApp::spawn_with_config(ServerConfig {
        max_body_bytes: 2048,
        ..ServerConfig::default()
    })
    .await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let big = json!({"name": "x".repeat(4096)});
    let (status, body, headers) = app.api(&token).post_json("/api/v1/services", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(body["status"], 413);

    let yaml = format!(
        "service:\n  key: a\n  name: A\n  description: {}\n",
        "y".repeat(4096)
    );
    let (status, body, _) = app
        .api(&token)
        .send_raw(
            Method::POST,
            "/api/v1/cycles/import",
            Some("application/yaml"),
            yaml.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["status"], 413);
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Admin).await;
    let (status, body, headers) = app.api(&token).get("/api/v1/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(body["status"], 404);

    let (status, body, headers) = app
        .api(&token)
        .send(Method::PUT, "/api/v1/services", Some(&json!({})))
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(body["status"], 405);
    assert!(headers.contains_key("allow"));
}

#[tokio::test]
async fn a_forbidden_request_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Viewer).await;
    let (status, body, _) = app
        .api(&token)
        .send_raw(
            Method::POST,
            "/api/v1/services",
            Some("application/json"),
            b"not json".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["type"], "https://touchpoint.dev/problems/forbidden");
}
