//! API tokens and the caller's account: a token's secret is shown once, revoking or
//! deactivating stops it at once.
mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{TestApp, error_fields};
use touchpoint_core::user::Role;

#[tokio::test]
async fn a_new_token_shows_its_secret_once_and_works_at_once() {
    let app = TestApp::spawn().await;
    let (user, first) = app.user_with_token(Role::Agent).await;
    let (status, created, _) = app
        .api(&first)
        .post_json("/api/v1/tokens", &json!({"name": "  nightly export "}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("tp_") && secret.len() > 40, "{secret}");
    assert_eq!(created["name"], "nightly export");
    assert_eq!(created["user_id"], user.id);
    assert!(secret.starts_with(created["prefix"].as_str().unwrap()));

    let (status, me, _) = app.api(&secret).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], user.email);

    let (status, list, _) = app.api(&secret).get("/api/v1/tokens").await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let text = serde_json::to_string(list).unwrap();
    assert!(!text.contains(&secret), "the list never holds a secret");
    assert!(list.iter().all(|t| t.get("token").is_none()));
}

#[tokio::test]
async fn a_revoked_token_is_refused_with_401() {
    let app = TestApp::spawn().await;
    let (_, keeper) = app.user_with_token(Role::Viewer).await;
    let (_, created, _) = app
        .api(&keeper)
        .post_json("/api/v1/tokens", &json!({"name": "short-lived"}))
        .await;
    let secret = created["token"].as_str().unwrap();
    let (status, body, _) = app
        .api(&keeper)
        .delete(&format!("/api/v1/tokens/{}", created["id"]))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _, _) = app.api(secret).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (_, list, _) = app.api(&keeper).get("/api/v1/tokens").await;
    let revoked = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == created["id"])
        .unwrap();
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
}

#[tokio::test]
async fn nobody_can_revoke_someone_elses_token() {
    let app = TestApp::spawn().await;
    let (owner, owner_token) = app.user_with_token(Role::Agent).await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let id = app.store.list_tokens(owner.id).await.unwrap()[0].id;
    let (status, _, _) = app
        .api(&admin)
        .delete(&format!("/api/v1/tokens/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app.api(&owner_token).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "the owner's token still works");
}

#[tokio::test]
async fn a_deactivated_users_token_is_refused_with_401() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (agent, agent_token) = app.user_with_token(Role::Agent).await;
    let (status, body, _) = app
        .api(&admin)
        .patch_json(
            &format!("/api/v1/users/{}", agent.id),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);
    let (status, _, _) = app.api(&agent_token).get("/api/v1/services").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_needs_a_name() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Auditor).await;
    let (status, body, _) = app
        .api(&token)
        .post_json("/api/v1/tokens", &json!({"name": "   "}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
    let (status, body, _) = app
        .api(&token)
        .post_json("/api/v1/tokens", &json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["name"]);
}

#[tokio::test]
async fn me_describes_the_caller_without_secrets() {
    let app = TestApp::spawn().await;
    let (user, token) = app.user_with_token(Role::Auditor).await;
    let (status, me, _) = app.api(&token).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], user.id);
    assert_eq!(me["role"], "auditor");
    assert_eq!(me["language"], "en");
    assert!(me.get("password_hash").is_none());
}
