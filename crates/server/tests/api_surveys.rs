//! Surveys through the API: drafts with every question type, templates, publishing versions,
//! validation errors that name their field, and the roles that may do it. Files (import and
//! export) and links are in `api_surveys_files.rs`.
mod api_surveys_support;
mod support;

use api_surveys_support::{all_kinds_draft, create_survey};
use reqwest::StatusCode;
use serde_json::json;
use support::{TestApp, error_fields};
use touchpoint_core::user::Role;

#[tokio::test]
async fn a_survey_with_every_question_type_is_created_published_and_versioned() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 3, &[2]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);

    let (status, survey, headers) = api
        .post_json(
            "/api/v1/surveys",
            &all_kinds_draft("visit", "cash-a-cheque"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{survey}");
    let id = survey["id"].as_i64().unwrap();
    assert_eq!(
        headers["location"],
        format!("/api/v1/surveys/{id}").as_str()
    );
    assert_eq!(survey["current_version"], json!(null));
    assert_eq!(survey["has_unpublished_changes"], true);
    let kinds: Vec<_> = survey["draft"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "rating",
            "nps",
            "effort",
            "servqual",
            "single_choice",
            "multi_choice",
            "text"
        ]
    );

    let publish = format!("/api/v1/surveys/{id}/publish");
    let (status, v1, headers) = api.post_json(&publish, &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{v1}");
    assert_eq!(v1["version"], 1);
    assert!(v1["moment_ids"]["wait"].is_i64(), "{v1}");
    assert_eq!(
        headers["location"],
        format!("/api/v1/surveys/{id}/versions/1").as_str()
    );

    let (status, again, _) = api.post_json(&publish, &json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(error_fields(&again), ["draft"]);

    let mut edited = all_kinds_draft("visit", "cash-a-cheque");
    edited["title"]["en"] = json!("Your last visit");
    let (status, survey, _) = api
        .put_json(&format!("/api/v1/surveys/{id}/draft"), &edited)
        .await;
    assert_eq!(status, StatusCode::OK, "{survey}");
    assert_eq!(survey["has_unpublished_changes"], true);
    let (status, v2, _) = api.post_json(&publish, &json!({})).await;
    assert_eq!(
        (status, v2["version"].as_i64()),
        (StatusCode::CREATED, Some(2))
    );

    let (_, versions, _) = api.get(&format!("/api/v1/surveys/{id}/versions")).await;
    let numbers: Vec<_> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    let (_, first, _) = api.get(&format!("/api/v1/surveys/{id}/versions/1")).await;
    assert_eq!(first["definition"]["title"]["en"], "Your visit");
    let (status, _, _) = api.get(&format!("/api/v1/surveys/{id}/versions/9")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, survey, _) = api.get(&format!("/api/v1/surveys/{id}")).await;
    assert_eq!(survey["current_version"], 2);
    assert_eq!(survey["has_unpublished_changes"], false);
}

#[tokio::test]
async fn templates_make_moment_csat_nps_and_servqual_surveys() {
    let app = TestApp::spawn().await;
    let service = app.seed_service_with_cycle("cash-a-cheque", 4, &[2]).await;
    let bare = app.seed_service_with_cycle("no-cycle", 0, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let api = app.api(&token);
    let url = "/api/v1/surveys/from-template";

    let (status, csat, _) = api
        .post_json(
            url,
            &json!({"template": "moment_csat", "service_id": service.id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{csat}");
    assert_eq!(csat["key"], "cash-a-cheque-csat");
    let questions = csat["draft"]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 4 + 2, "one per moment, overall, comment");
    assert_eq!(questions[0]["moment_key"], "m1");

    let (status, nps, _) = api
        .post_json(
            url,
            &json!({"template": "nps", "service_id": service.id, "key": "bank-nps"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{nps}");
    assert_eq!(nps["key"], "bank-nps");
    assert_eq!(nps["draft"]["questions"][0]["kind"], "nps");

    let (status, servqual, _) = api
        .post_json(
            url,
            &json!({"template": "servqual", "service_id": service.id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{servqual}");
    assert_eq!(servqual["draft"]["languages"], json!(["en", "es"]));

    let (status, body, _) = api
        .post_json(
            url,
            &json!({"template": "moment_csat", "service_id": bare.id}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["service_id"]);
    let (status, body, _) = api
        .post_json(url, &json!({"template": "nps", "service_id": 999}))
        .await;
    assert_eq!(
        (status, error_fields(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["service_id".to_string()]
        )
    );
    let (status, body, _) = api
        .post_json(
            url,
            &json!({"template": "survey-monkey", "service_id": service.id}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["template".to_string()]
        )
    );
    let (status, body, _) = api
        .post_json(
            url,
            &json!({"template": "nps", "service_id": service.id, "key": "bank-nps"}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&body)),
        (StatusCode::CONFLICT, vec!["key".to_string()])
    );
}

#[tokio::test]
async fn survey_problems_name_their_fields() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);

    let mut draft = all_kinds_draft("bad", "cash-a-cheque");
    draft["questions"][0]["moment_key"] = json!("lunch");
    draft["questions"][1]["text"] = json!({"en": "Recommend?"});
    draft["questions"][4]["options"] = json!([]);
    let (status, body, _) = api.post_json("/api/v1/surveys", &draft).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error_fields(&body),
        [
            "questions[0].moment_key",
            "questions[1].text.es",
            "questions[4].options"
        ]
    );

    let (status, body, _) = api
        .post_json("/api/v1/surveys", &all_kinds_draft("x", "no-such-service"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["service_key"]);

    let mut wrong_shape = all_kinds_draft("y", "cash-a-cheque");
    wrong_shape["questions"][2]["kind"] = json!("stars");
    let (status, body, _) = api.post_json("/api/v1/surveys", &wrong_shape).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["questions[2].kind"]);

    let id = create_survey(&app, &token, "good", "cash-a-cheque").await;
    let (status, body, _) = api
        .put_json(
            &format!("/api/v1/surveys/{id}/draft"),
            &all_kinds_draft("renamed", "cash-a-cheque"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["key"]);
}

#[tokio::test]
async fn surveys_are_listed_by_service_and_archived_ones_leave_the_list() {
    let app = TestApp::spawn().await;
    let bank = app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    app.seed_service_with_cycle("hotel", 2, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let api = app.api(&token);
    let first = create_survey(&app, &token, "bank-a", "cash-a-cheque").await;
    create_survey(&app, &token, "bank-b", "cash-a-cheque").await;
    create_survey(&app, &token, "hotel-a", "hotel").await;

    let (_, all, _) = api.get("/api/v1/surveys").await;
    assert_eq!(all["total"], 3);
    let (_, bank_only, _) = api
        .get(&format!("/api/v1/surveys?service_id={}&sort=key", bank.id))
        .await;
    assert_eq!(bank_only["total"], 2);
    assert_eq!(bank_only["items"][0]["key"], "bank-a");

    let (status, _, _) = api.delete(&format!("/api/v1/surveys/{first}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, left, _) = api.get("/api/v1/surveys").await;
    assert_eq!(left["total"], 2);
    let (_, with_archived, _) = api.get("/api/v1/surveys?include_archived=true").await;
    assert_eq!(with_archived["total"], 3);
    let (status, body, _) = api.get("/api/v1/surveys?service_id=abc").await;
    assert_eq!(
        (status, error_fields(&body)),
        (StatusCode::BAD_REQUEST, vec!["service_id".to_string()])
    );
}

#[tokio::test]
async fn only_admins_and_managers_change_surveys_and_everyone_reads_them() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let manager = app.user_with_token(Role::Manager).await.1;
    let id = create_survey(&app, &manager, "visit", "cash-a-cheque").await;
    for role in [Role::Agent, Role::Auditor, Role::Viewer] {
        let token = app.user_with_token(role).await.1;
        let api = app.api(&token);
        let (status, _, _) = api
            .post_json(
                "/api/v1/surveys",
                &all_kinds_draft("other", "cash-a-cheque"),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role} creates");
        let (status, _, _) = api
            .post_json(&format!("/api/v1/surveys/{id}/publish"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role} publishes");
        let (status, _, _) = api.get(&format!("/api/v1/surveys/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{role} reads");
    }
}
