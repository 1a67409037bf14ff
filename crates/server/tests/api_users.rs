//! Users through the API (admins only): create with a password, change role and language,
//! deactivate (which ends sessions and tokens).
mod support;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use support::{TestApp, error_fields};
use touchpoint_core::user::{Role, Session};
use touchpoint_server::auth::password::verify_password;

#[tokio::test]
async fn an_admin_creates_a_user_whose_password_is_stored_hashed() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (status, user, headers) = app
        .api(&admin)
        .post_json(
            "/api/v1/users",
            &json!({"email": " Lucia@Bank.Example ", "name": "Lucía", "role": "auditor", "password": "a very long passphrase", "language": "es"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    assert_eq!(user["email"], "lucia@bank.example");
    assert_eq!(
        (user["role"].as_str(), user["language"].as_str()),
        (Some("auditor"), Some("es"))
    );
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    let (status, fetched, _) = app
        .api(&admin)
        .get(headers["location"].to_str().unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, user);

    let creds = app
        .store
        .find_credentials("lucia@bank.example")
        .await
        .unwrap();
    assert!(creds.password_hash.starts_with("$argon2id$"));
    assert!(verify_password(
        "a very long passphrase",
        &creds.password_hash
    ));
}

#[tokio::test]
async fn invalid_users_are_problems_naming_each_field() {
    let app = TestApp::spawn().await;
    let (admin_user, admin) = app.user_with_token(Role::Admin).await;
    let api = app.api(&admin);
    let (status, body, _) = api
        .post_json(
            "/api/v1/users",
            &json!({"email": "nope", "name": "", "role": "viewer", "password": "short"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["email", "name", "password"]);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("at least 12 characters")
    );

    let (status, body, _) = api
        .post_json("/api/v1/users", &json!({"email": "a@b.co", "name": "A", "role": "boss", "password": "long enough password"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["role"]);

    let (status, body, _) = api
        .post_json("/api/v1/users", &json!({"email": admin_user.email, "name": "Twin", "role": "viewer", "password": "long enough password"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&body), ["email"]);

    let (status, body, _) = api
        .patch_json(
            &format!("/api/v1/users/{}", admin_user.id),
            &json!({"active": false, "role": "viewer", "language": "fr"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["language", "active", "role"]);
}

#[tokio::test]
async fn an_admin_changes_a_users_role_and_the_new_role_applies_at_once() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (viewer, viewer_token) = app.user_with_token(Role::Viewer).await;
    let (status, _, _) = app
        .api(&viewer_token)
        .post_json("/api/v1/services", &json!({"name": "Before"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body, _) = app
        .api(&admin)
        .patch_json(
            &format!("/api/v1/users/{}", viewer.id),
            &json!({"role": "manager", "name": " Promoted "}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["role"].as_str(), body["name"].as_str()),
        (Some("manager"), Some("Promoted"))
    );
    let (status, _, _) = app
        .api(&viewer_token)
        .post_json("/api/v1/services", &json!({"name": "After"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (agent, _) = app.user_with_token(Role::Agent).await;
    let now = chrono::Utc::now();
    app.store
        .create_session(&Session {
            token_hash: "session-hash".into(),
            user_id: agent.id,
            csrf_token: "csrf".into(),
            created_at: now,
            expires_at: now + Duration::hours(1),
        })
        .await
        .unwrap();
    let (status, _, _) = app
        .api(&admin)
        .patch_json(
            &format!("/api/v1/users/{}", agent.id),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(app.store.find_session("session-hash", now).await.is_err());

    let (_, list, _) = app.api(&admin).get("/api/v1/users").await;
    assert_eq!(list["total"], 1, "deactivated users leave the list");
    let (_, list, _) = app
        .api(&admin)
        .get("/api/v1/users?include_archived=true&sort=created_at")
        .await;
    assert_eq!(list["total"], 2);
}
