//! The audit log through the API: filtered browsing and the CSV download.
mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{
    audit::{Actor, NewAuditEntry},
    user::Role,
};

#[tokio::test]
async fn the_audit_log_is_filtered_by_action_entity_and_time() {
    let app = TestApp::spawn().await;
    let (admin_user, admin) = app.user_with_token(Role::Admin).await;
    let api = app.api(&admin);
    api.post_json("/api/v1/services", &json!({"name": "Cash a cheque"}))
        .await;
    api.post_json("/api/v1/sites", &json!({"name": "Centro"}))
        .await;

    let (status, page, _) = api.get("/api/v1/audit?action=service").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 1);
    let entry = &page["items"][0];
    assert_eq!(entry["action"], "service.create");
    assert_eq!(entry["actor"], admin_user.email.as_str());
    assert_eq!(entry["before"], serde_json::Value::Null);
    assert_eq!(entry["after"]["name"], "Cash a cheque");

    let (_, page, _) = api.get("/api/v1/audit?entity=site").await;
    assert_eq!(page["items"][0]["action"], "site.create");
    let (_, page, _) = api.get("/api/v1/audit?since=2999-01-01T00:00:00Z").await;
    assert_eq!(page["total"], 0);
    let (_, page, _) = api.get("/api/v1/audit?limit=1").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["total"].as_i64().unwrap() >= 2);

    let (status, body, _) = api.get("/api/v1/audit?since=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&body), ["since"]);
}

#[tokio::test]
async fn the_audit_csv_is_an_escaped_attachment_with_the_documented_columns() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let api = app.api(&admin);
    let tricky = "Branch \"Centro\", floor 2\nnext to the bank";
    api.post_json("/api/v1/sites", &json!({"name": "Plain", "key": "plain"}))
        .await;
    let (status, site, _) = api
        .post_json("/api/v1/sites", &json!({"name": tricky, "key": "tricky"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{site}");

    let (status, body, headers) = api.get("/api/v1/audit/export?entity=site").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"touchpoint-audit.csv\""
    );
    let text = body.as_str().expect("CSV text");

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<_> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "id",
            "at",
            "actor",
            "action",
            "entity",
            "entity_id",
            "detail",
            "before",
            "after"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let newest = &rows[0];
    assert_eq!(&newest[3], "site.create");
    assert_eq!(&newest[5], site["id"].to_string());
    let after: serde_json::Value = serde_json::from_str(&newest[8]).unwrap();
    assert_eq!(after["name"], tricky, "quotes, commas and newlines survive");
    assert!(
        text.contains("\"\""),
        "quotes are doubled inside quoted cells"
    );
}

#[tokio::test]
async fn audit_csv_cells_that_look_like_formulas_are_defused() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let entry = NewAuditEntry::event(
        &Actor::system("=HYPERLINK(\"http://x\")"),
        "login.failed",
        "10.0.0.1",
    );
    app.store.record(&entry).await.unwrap();
    let (status, body, _) = app
        .api(&admin)
        .get("/api/v1/audit/export?action=login")
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(body.as_str().unwrap().as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[2], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&row[6], "10.0.0.1");
}

#[tokio::test]
async fn access_denials_are_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let (auditor, auditor_token) = app.user_with_token(Role::Auditor).await;
    let (status, _, _) = app.api(&auditor_token).delete("/api/v1/services/1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, page, _) = app
        .api(&admin)
        .get("/api/v1/audit?action=access.denied")
        .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["actor"], auditor.email.as_str());
    assert_eq!(page["items"][0]["detail"], "DELETE /api/v1/services/1");
}
