//! Services through the API: create, list (paging, sorting, search), change, archive.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{audit::AuditQuery, user::Role};

async fn manager(app: &TestApp) -> String {
    app.user_with_token(Role::Manager).await.1
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn creating_a_service_answers_201_with_its_location_and_a_key_derived_from_the_name() {
    let app = TestApp::spawn().await;
    let api_token = manager(&app).await;
    let api = app.api(&api_token);
    let (status, body, headers) = api
        .post_json(
            "/api/v1/services",
            &json!({"name": "Cash a cheque", "description": "At the counter"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["key"], "cash-a-cheque");
    assert_eq!(body["current_version"], Value::Null);
    assert_eq!(body["moment_count"], 0);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/api/v1/services/{}", body["id"]));
    let (status, fetched, _) = api.get(location).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, body);
}

#[tokio::test]
async fn the_service_list_pages_sorts_and_searches() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Viewer).await.1;
    for key in ["delta", "alpha", "echo", "charlie", "bravo"] {
        app.seed_service_with_cycle(key, 2, &[1]).await;
    }
    let api = app.api(&token);

    let (status, page, _) = api.get("/api/v1/services?limit=2&offset=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&page), ["Service bravo", "Service charlie"]);
    assert_eq!(
        (
            page["total"].as_i64(),
            page["limit"].as_i64(),
            page["offset"].as_i64()
        ),
        (Some(5), Some(2), Some(1))
    );
    assert_eq!(page["items"][0]["current_version"], 1);
    assert_eq!(page["items"][0]["moment_count"], 2);
    assert_eq!(page["items"][0]["critical_count"], 1);

    let (_, page, _) = api
        .get("/api/v1/services?sort=key&order=desc&limit=3")
        .await;
    assert_eq!(
        names(&page),
        ["Service echo", "Service delta", "Service charlie"]
    );

    let (_, page, _) = api.get("/api/v1/services?q=CHAR").await;
    assert_eq!(names(&page), ["Service charlie"]);
    assert_eq!(page["total"], 1);

    let (_, page, _) = api.get("/api/v1/services?limit=100000").await;
    assert_eq!(page["limit"], 500, "the page size is clamped");
}

#[tokio::test]
async fn bad_list_parameters_are_400_problems_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Viewer).await.1;
    for (query, field) in [
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("sort=colour", "sort"),
        ("order=up", "order"),
        ("include_archived=maybe", "include_archived"),
    ] {
        let (status, body, headers) = app
            .api(&token)
            .get(&format!("/api/v1/services?{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(error_fields(&body), [field], "{query}: {body}");
    }
}

#[tokio::test]
async fn patching_a_service_changes_only_the_given_fields_and_is_audited_with_before_and_after() {
    let app = TestApp::spawn().await;
    let token = manager(&app).await;
    let service = app.seed_service_with_cycle("renew-policy", 1, &[]).await;
    let path = format!("/api/v1/services/{}", service.id);
    let (status, body, _) = app
        .api(&token)
        .patch_json(&path, &json!({"name": "Renew a policy"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "Renew a policy");
    assert_eq!(body["key"], "renew-policy");
    assert_eq!(body["description"], service.description);

    let audit = app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("service.update".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    let entry = &audit.items[0];
    assert!(entry.actor.starts_with("manager-"), "{entry:?}");
    assert_eq!(
        entry.entity_id.as_deref(),
        Some(service.id.to_string().as_str())
    );
    assert_eq!(
        entry.before.as_ref().unwrap()["name"],
        "Service renew-policy"
    );
    assert_eq!(entry.after.as_ref().unwrap()["name"], "Renew a policy");
}

#[tokio::test]
async fn invalid_service_fields_are_422_problems_naming_each_field() {
    let app = TestApp::spawn().await;
    let token = manager(&app).await;
    let api = app.api(&token);
    let (status, body, headers) = api
        .post_json(
            "/api/v1/services",
            &json!({"name": "  ", "key": "Not A Key"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(body["status"], 422);
    assert_eq!(error_fields(&body), ["name", "key"]);

    let service = app.seed_service_with_cycle("taken", 0, &[]).await;
    let (status, body, _) = api
        .post_json(
            "/api/v1/services",
            &json!({"name": "Other", "key": "taken"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_fields(&body), ["key"]);

    let (status, body, _) = api
        .patch_json(
            &format!("/api/v1/services/{}", service.id),
            &json!({"name": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
}

#[tokio::test]
async fn archiving_a_service_hides_it_from_the_list_but_keeps_it_readable() {
    let app = TestApp::spawn().await;
    let token = manager(&app).await;
    let api = app.api(&token);
    let kept = app.seed_service_with_cycle("kept", 1, &[]).await;
    let gone = app.seed_service_with_cycle("gone", 2, &[]).await;
    let (status, body, _) = api.delete(&format!("/api/v1/services/{}", gone.id)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);

    let (_, page, _) = api.get("/api/v1/services").await;
    assert_eq!(names(&page), [kept.name.as_str()]);
    let (_, page, _) = api.get("/api/v1/services?include_archived=true").await;
    assert_eq!(page["total"], 2);
    let (status, cycle, _) = api
        .get(&format!("/api/v1/services/{}/cycle", gone.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cycle["moments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn unknown_and_malformed_service_ids_are_404_and_400_problems() {
    let app = TestApp::spawn().await;
    let token = manager(&app).await;
    let api = app.api(&token);
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/services/999"),
        (reqwest::Method::DELETE, "/api/v1/services/999"),
        (reqwest::Method::GET, "/api/v1/services/999/cycle"),
        (reqwest::Method::GET, "/api/v1/services/999/cycle/versions"),
    ] {
        let (status, body, headers) = api.send(method, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(body["type"], "https://touchpoint.dev/problems/not-found");
    }
    let (status, body, _) = api
        .patch_json("/api/v1/services/999", &json!({"name": "x"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let (status, body, _) = api.get("/api/v1/services/abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&body), ["id"]);
    let (status, body, _) = api.get("/api/v1/services/1/cycle/versions/first").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&body), ["version"]);
}
