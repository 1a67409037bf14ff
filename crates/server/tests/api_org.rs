//! Sites, staff and quality dimensions through the API.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, content_type, error_fields};
use touchpoint_core::user::Role;

#[tokio::test]
async fn a_site_is_created_changed_and_deactivated() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let (status, site, headers) = api
        .post_json(
            "/api/v1/sites",
            &json!({"name": "Centro Branch", "city": "Bogotá", "timezone": "America/Bogota"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    assert_eq!(
        (site["key"].as_str(), site["active"].as_bool()),
        (Some("centro-branch"), Some(true))
    );
    let path = headers["location"].to_str().unwrap().to_string();

    let (status, changed, _) = api.patch_json(&path, &json!({"city": "Medellín"})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["city"], "Medellín");
    assert_eq!(
        changed["timezone"], "America/Bogota",
        "untouched fields stay"
    );

    let (status, _, _) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, site, _) = api.get(&path).await;
    assert_eq!(site["active"], false);
    let (_, list, _) = api.get("/api/v1/sites").await;
    assert_eq!(list["total"], 0);
    let (_, list, _) = api.get("/api/v1/sites?include_archived=true").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn invalid_sites_are_422_problems_naming_the_field() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Admin).await;
    let api = app.api(&token);
    let (status, body, headers) = api
        .post_json(
            "/api/v1/sites",
            &json!({"name": "", "timezone": "Mars Base; DROP"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(error_fields(&body), ["name", "timezone"]);

    api.post_json("/api/v1/sites", &json!({"name": "North", "key": "north"}))
        .await;
    let (status, body, _) = api
        .post_json(
            "/api/v1/sites",
            &json!({"name": "North two", "key": "north"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&body), ["key"]);
    let (status, _, _) = api.get("/api/v1/sites/4040").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_site_manager_is_set_checked_kept_and_removed() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let (status, body, headers) = api
        .post_json(
            "/api/v1/sites",
            &json!({"name": "Norte", "manager_email": "gerente at norte"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(content_type(&headers), "application/problem+json");
    assert_eq!(error_fields(&body), ["manager_email"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("email address"),
        "{body}"
    );

    let (status, site, headers) = api
        .post_json(
            "/api/v1/sites",
            &json!({"name": "Norte", "manager_email": " gerente@norte.example "}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    assert_eq!(site["manager_email"], "gerente@norte.example");
    let path = headers["location"].to_str().unwrap().to_string();

    let (_, changed, _) = api.patch_json(&path, &json!({"city": "Medellín"})).await;
    assert_eq!(
        changed["manager_email"], "gerente@norte.example",
        "absent: kept"
    );
    let (status, body, _) = api
        .patch_json(&path, &json!({"manager_email": "nope"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["manager_email"]);
    let (status, changed, _) = api.patch_json(&path, &json!({"manager_email": null})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["manager_email"], Value::Null, "null: removed");
    let (_, read, _) = api.get(&path).await;
    assert_eq!(read["manager_email"], Value::Null);
}

async fn site(app: &TestApp, token: &str, name: &str) -> i64 {
    let (_, site, _) = app
        .api(token)
        .post_json("/api/v1/sites", &json!({"name": name}))
        .await;
    site["id"].as_i64().unwrap()
}

fn staff_names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn staff_are_listed_per_site_and_can_move_or_leave() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let north = site(&app, &token, "North").await;
    let south = site(&app, &token, "South").await;
    for (name, site) in [("Ana", north), ("Bea", south), ("Carla", north)] {
        let (status, body, _) = api
            .post_json(
                "/api/v1/staff",
                &json!({"name": name, "role": "Cashier", "site_id": site}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, page, _) = api.get(&format!("/api/v1/staff?site_id={north}")).await;
    assert_eq!(staff_names(&page), ["Ana", "Carla"]);
    let (_, page, _) = api
        .get(&format!("/api/v1/staff?site_id={north}&q=car"))
        .await;
    assert_eq!(staff_names(&page), ["Carla"]);

    let carla = page["items"][0]["id"].as_i64().unwrap();
    let (status, moved, _) = api
        .patch_json(&format!("/api/v1/staff/{carla}"), &json!({"site_id": null}))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["site_id"], Value::Null);
    assert_eq!(moved["role"], "Cashier");

    let (status, _, _) = api.delete(&format!("/api/v1/staff/{carla}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page, _) = api.get("/api/v1/staff").await;
    assert_eq!(staff_names(&page), ["Ana", "Bea"]);

    let (status, body, _) = api.get("/api/v1/staff?site_id=north").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&body), ["site_id"]);
}

#[tokio::test]
async fn invalid_staff_are_422_problems_naming_the_field() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    let (status, body, _) = api
        .post_json(
            "/api/v1/staff",
            &json!({"name": "Ana", "email": "not-an-email"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["email"]);
    let (status, body, _) = api
        .post_json("/api/v1/staff", &json!({"name": "Ana", "site_id": 987}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["site_id"]);
    let (status, body, _) = api
        .post_json("/api/v1/staff", &json!({"role": "Cashier"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
}

#[tokio::test]
async fn the_ten_quality_dimensions_are_listed_with_their_servqual_group() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Viewer).await;
    let (status, dims, _) = app.api(&token).get("/api/v1/dimensions").await;
    assert_eq!(status, StatusCode::OK);
    let dims = dims.as_array().unwrap();
    assert_eq!(dims.len(), 10);
    assert_eq!(dims[0]["key"], "tangibles");
    let courtesy = dims.iter().find(|d| d["key"] == "courtesy").unwrap();
    assert_eq!(courtesy["servqual"], "assurance");
    assert_eq!(courtesy["name_es"], "Cortesía");
}
