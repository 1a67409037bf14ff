//! Surveys as YAML/JSON files (export → import round trip, errors naming line or field), and
//! distribution: open links and single-use invitations whose tokens are shown once.
mod api_surveys_support;
mod support;

use api_surveys_support::{create_survey, published_survey};
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{
    feedback::{SurveyDocument, survey_file},
    user::Role,
};

#[tokio::test]
async fn a_survey_file_round_trips_through_export_and_import() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let id = create_survey(&app, &token, "visit", "cash-a-cheque").await;

    let (status, yaml, headers) = api.get(&format!("/api/v1/surveys/{id}/export")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/yaml");
    let yaml = yaml.as_str().unwrap().to_string();
    let doc: SurveyDocument =
        survey_file::parse(&yaml, touchpoint_core::cycle_file::Format::Yaml).unwrap();
    assert_eq!(doc.questions.len(), 7);

    let (status, result, _) = api
        .send_raw(
            Method::POST,
            "/api/v1/surveys/import",
            Some("application/yaml"),
            yaml.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["created"], false);
    assert_eq!(result["survey"]["id"], id);
    let (_, again, _) = api.get(&format!("/api/v1/surveys/{id}/export")).await;
    assert_eq!(
        again.as_str().unwrap(),
        yaml,
        "export → import → export is stable"
    );

    let renamed = yaml.replacen("key: visit", "key: visit-copy", 1);
    let (status, result, _) = api
        .send_raw(
            Method::POST,
            "/api/v1/surveys/import",
            Some("application/yaml"),
            renamed.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["survey"]["key"], "visit-copy");

    let (status, json_doc, headers) = api
        .get(&format!("/api/v1/surveys/{id}/export?format=json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/json");
    assert_eq!(json_doc["key"], "visit");
}

async fn import(api: &support::Api<'_>, body: &str, content_type: &str) -> support::Reply {
    api.send_raw(
        Method::POST,
        "/api/v1/surveys/import",
        Some(content_type),
        body.as_bytes().to_vec(),
    )
    .await
}

#[tokio::test]
async fn bad_survey_files_name_the_line_or_field() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let api = app.api(&token);
    let (status, body, _) = import(&api, "key: [unclosed", "application/yaml").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["body"]);
    assert!(body["detail"].as_str().unwrap().contains("line"), "{body}");

    let typo = "key: x\nservice: cash-a-cheque\naudience: customers\nlanguages: [en, es]\n\
        title: {en: T, es: T}\nquestions:\n  - code: q\n    kind: nps\n    requird: true\n    text: {en: Q, es: Q}\n";
    let (status, body, _) = import(&api, typo, "application/yaml").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["detail"].as_str().unwrap().contains("requird"),
        "{body}"
    );

    let no_es = "key: x\nservice: cash-a-cheque\naudience: customers\nlanguages: [en, es]\n\
        title: {en: T, es: T}\nquestions:\n  - code: q\n    kind: nps\n    text: {en: Q}\n";
    let (status, body, _) = import(&api, no_es, "application/yaml").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["questions[0].text.es"]);

    let (status, _, _) = import(&api, "key: x", "text/plain").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn open_links_and_invitations_show_their_token_once() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let id = published_survey(&app, &token, "visit", "cash-a-cheque").await;

    let (status, open, _) = api
        .post_json(
            &format!("/api/v1/surveys/{id}/links"),
            &json!({"kind": "open"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{open}");
    let open_token = open["token"].as_str().unwrap();
    assert_eq!(open["url"], format!("/s/{open_token}"));
    assert_eq!(open["kind"], "open");

    let invitations = json!({"invitations": [
        {"customer": "C-1", "email": "ana@example.com", "language": "es", "visit_date": "2026-03-01"},
        {"customer": "C-2", "complaint_ref": "CASE-9"},
    ]});
    let (status, made, _) = api
        .post_json(&format!("/api/v1/surveys/{id}/invitations"), &invitations)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let made = made["invitations"].as_array().unwrap();
    assert_eq!(made.len(), 2);
    for inv in made {
        let url = inv["url"].as_str().unwrap();
        let secret = url.strip_prefix("/s/").unwrap();
        assert!(secret.len() >= 22, "at least 128 bits: {secret}");
        assert_eq!(inv["token"], json!(null), "only the hash is kept");
        assert_eq!(inv["kind"], "personal");
    }
    assert_ne!(made[0]["url"], made[1]["url"]);
    assert_eq!(made[0]["language"], "es");

    let (_, list, _) = api.get(&format!("/api/v1/surveys/{id}/links")).await;
    assert_eq!(list["total"], 3);
    let listed = serde_json::to_string(&list).unwrap();
    for inv in made {
        let secret = inv["url"].as_str().unwrap().trim_start_matches("/s/");
        assert!(
            !listed.contains(secret),
            "an invitation token is never shown again"
        );
    }

    let link_id = made[0]["id"].as_i64().unwrap();
    let (status, _, _) = api.delete(&format!("/api/v1/links/{link_id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list, _) = api.get(&format!("/api/v1/surveys/{id}/links")).await;
    let deactivated = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == link_id)
        .unwrap();
    assert_eq!(deactivated["active"], false);
    let (status, _, _) = api.delete("/api/v1/links/99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_links_and_invitations_are_refused_with_named_fields() {
    let app = TestApp::spawn().await;
    app.seed_service_with_cycle("cash-a-cheque", 2, &[]).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let api = app.api(&token);
    let id = create_survey(&app, &token, "visit", "cash-a-cheque").await;
    let links = format!("/api/v1/surveys/{id}/links");
    let (status, body, _) = api.post_json(&links, &json!({"kind": "personal"})).await;
    assert_eq!(
        (status, error_fields(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".to_string()])
    );
    let (status, body, _) = api
        .post_json(
            &links,
            &json!({"kind": "open", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["expires_at".to_string()]
        )
    );

    let bad = json!({"invitations": [
        {"customer": "C-1"},
        {"customer": " ", "email": "not-an-email", "language": "fr", "site_id": 4242},
    ]});
    let (status, body, _) = api
        .post_json(&format!("/api/v1/surveys/{id}/invitations"), &bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error_fields(&body),
        [
            "invitations[1].site_id",
            "invitations[1].customer",
            "invitations[1].email",
            "invitations[1].language"
        ]
    );
    let (_, list, _) = api.get(&links).await;
    assert_eq!(
        list["total"], 0,
        "nothing is created when one invitation is bad"
    );
    let (status, body, _) = api
        .post_json(
            &format!("/api/v1/surveys/{id}/invitations"),
            &json!({"invitations": []}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["invitations".to_string()]
        )
    );

    let viewer = app.user_with_token(Role::Viewer).await.1;
    let (status, _, _) = app.api(&viewer).get(&links).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "links hold open tokens: managers only"
    );
}
