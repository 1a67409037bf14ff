//! Responses through the API: answered and read back, idempotent retries, single-use
//! invitations, answer problems named `answers.<code>`, and unpublished surveys. The CSV
//! export and roll-ups are in `api_responses_export.rs`.
mod api_surveys_support;
mod support;

use api_surveys_support::{
    all_kinds_answers, create_survey, published_survey, response_total, submit,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestApp, error_fields};
use touchpoint_core::user::Role;

#[tokio::test]
async fn a_survey_with_every_question_type_answered_by_api_is_visible_by_id() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[2]).await;
    let (_, manager) = app.user_with_token(Role::Manager).await;
    let survey = published_survey(&app, &manager, "visit", "cash-a-cheque").await;
    let agent = app.user_with_token(Role::Agent).await.1;

    let body = json!({
        "answers": all_kinds_answers(),
        "submitted_at": "2026-03-02T10:15:00Z",
        "customer": "C-77",
        "language": "es",
    });
    let (status, created, headers) = submit(&app, &agent, survey, &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["created"], true);
    assert_eq!(created["survey_version"], 1);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        headers["location"],
        format!("/api/v1/responses/{id}").as_str()
    );

    let (status, stored, _) = app
        .api(&agent)
        .get(&format!("/api/v1/responses/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{stored}");
    assert_eq!(stored["source"], "api");
    assert_eq!(stored["language"], "es");
    assert_eq!(stored["customer"], "C-77");
    assert_eq!(stored["submitted_at"], "2026-03-02T10:15:00Z");
    let answers: serde_json::Map<String, Value> = stored["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["question_code"].as_str().unwrap().to_string(),
                a["value"].clone(),
            )
        })
        .collect();
    assert_eq!(answers.len(), 7);
    assert_eq!(answers["wait"], 4);
    assert_eq!(
        answers["courtesy"],
        json!({"expectation": 6, "perception": 5})
    );
    assert_eq!(
        answers["channels"],
        json!(["phone", "web"]),
        "in option order"
    );
    assert_eq!(answers["comment"], "Quick and friendly");
    let wait = stored["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_code"] == "wait")
        .unwrap();
    assert!(wait["moment_id"].is_i64(), "anchored to its moment: {wait}");
    assert_eq!(response_total(&app, &agent, survey).await, 1);
}

#[tokio::test]
async fn the_same_idempotency_key_twice_gives_one_response_with_the_same_id() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let body = json!({"answers": all_kinds_answers()});

    let (status, first, _) = submit(&app, &token, survey, &body, Some("order-81-retry")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, second, headers) =
        submit(&app, &token, survey, &body, Some("order-81-retry")).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(second["id"], first["id"]);
    assert_eq!(second["created"], false);
    assert_eq!(response_total(&app, &token, survey).await, 1);

    let (status, _, _) = submit(&app, &token, survey, &body, Some("another-key")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(response_total(&app, &token, survey).await, 2);

    let long = "k".repeat(201);
    let (status, problem, _) = submit(&app, &token, survey, &body, Some(&long)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&problem), ["Idempotency-Key"]);
}

#[tokio::test]
async fn an_invitation_answered_twice_gives_a_409_and_one_response() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let (_, made, _) = app
        .api(&token)
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"invitations": [{"customer": "C-5", "language": "es"}]}),
        )
        .await;
    let url = made["invitations"][0]["url"].as_str().unwrap();
    let invitation = url.trim_start_matches("/s/").to_string();
    let body = json!({"answers": all_kinds_answers(), "invitation_token": invitation});

    let (status, first, _) = submit(&app, &token, survey, &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (_, stored, _) = app
        .api(&token)
        .get(&format!("/api/v1/responses/{}", first["id"]))
        .await;
    assert_eq!(stored["customer"], "C-5", "the invitation's customer");
    assert_eq!(stored["language"], "es");
    assert_eq!(stored["link_id"], made["invitations"][0]["id"]);

    let (status, problem, _) = submit(&app, &token, survey, &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(error_fields(&problem), ["invitation"]);
    assert_eq!(response_total(&app, &token, survey).await, 1);

    let stranger = json!({"answers": all_kinds_answers(), "invitation_token": "not-a-token"});
    let (status, problem, _) = submit(&app, &token, survey, &stranger, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["invitation_token"]);
}

#[tokio::test]
async fn a_deactivated_invitation_is_refused_with_409() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &token, "visit", "cash-a-cheque").await;
    let api = app.api(&token);
    let (_, made, _) = api
        .post_json(
            &format!("/api/v1/surveys/{survey}/invitations"),
            &json!({"invitations": [{"customer": "C-6"}]}),
        )
        .await;
    let link = &made["invitations"][0];
    api.delete(&format!("/api/v1/links/{}", link["id"])).await;
    let token_part = link["url"].as_str().unwrap().trim_start_matches("/s/");
    let body = json!({"answers": all_kinds_answers(), "invitation_token": token_part});
    let (status, problem, _) = submit(&app, &token, survey, &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        problem["detail"].as_str().unwrap().contains("deactivated"),
        "{problem}"
    );
}

#[tokio::test]
async fn answer_problems_are_named_by_question_code() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Agent).await.1;
    let manager = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &manager, "visit", "cash-a-cheque").await;

    let body = json!({"answers": {
        "wait": 6,
        "courtesy": {"expectation": 8, "perception": 5},
        "visit": "never",
        "nope": 3,
    }});
    let (status, problem, _) = submit(&app, &token, survey, &body, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        error_fields(&problem),
        [
            "answers.wait",
            "answers.recommend",
            "answers.courtesy",
            "answers.visit",
            "answers.nope"
        ]
    );
    let (status, problem, _) = submit(
        &app,
        &token,
        survey,
        &json!({"answers": all_kinds_answers(), "language": "fr", "site_id": 999}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["language"]);
    let (status, problem, _) = submit(
        &app,
        &token,
        survey,
        &json!({"answers": all_kinds_answers(), "site_id": 999}),
        None,
    )
    .await;
    assert_eq!(
        (status, error_fields(&problem)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["site_id".to_string()]
        )
    );
    let (status, problem, _) = submit(
        &app,
        &token,
        survey,
        &json!({"answers": {"wait": true}}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["answers.wait"]);
    assert_eq!(response_total(&app, &token, survey).await, 0);
}

#[tokio::test]
async fn an_unpublished_or_archived_survey_refuses_responses_with_409() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let draft_only = create_survey(&app, &token, "draft-only", "cash-a-cheque").await;
    let body = json!({"answers": all_kinds_answers()});
    let (status, problem, _) = submit(&app, &token, draft_only, &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(error_fields(&problem), ["survey"]);
    let (status, _, _) = submit(&app, &token, 9999, &body, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let archived = published_survey(&app, &token, "archived", "cash-a-cheque").await;
    app.api(&token)
        .delete(&format!("/api/v1/surveys/{archived}"))
        .await;
    let (status, _, _) = submit(&app, &token, archived, &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn auditors_and_viewers_cannot_submit_responses_but_can_read_them() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[]).await;
    let manager = app.user_with_token(Role::Manager).await.1;
    let survey = published_survey(&app, &manager, "visit", "cash-a-cheque").await;
    for role in [Role::Auditor, Role::Viewer] {
        let token = app.user_with_token(role).await.1;
        let (status, _, _) = submit(
            &app,
            &token,
            survey,
            &json!({"answers": all_kinds_answers()}),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
        let (status, _, _) = app
            .api(&token)
            .send(
                Method::GET,
                &format!("/api/v1/surveys/{survey}/responses"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{role}");
    }
}
