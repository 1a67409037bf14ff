//! The OpenAPI document: served publicly, generated from the code, and pinned by a snapshot so
//! every change to the API surface shows up in review.
mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::{TestApp, content_type};

async fn served_document() -> Value {
    let app = TestApp::spawn().await;
    let (status, doc, headers) = app.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "application/json");
    doc
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

#[tokio::test]
async fn the_openapi_document_matches_the_snapshot() {
    let doc = served_document().await;
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    let served = served_document().await;
    let generated = serde_json::to_value(touchpoint_server::api::openapi()).unwrap();
    assert_eq!(served, generated);
}

#[tokio::test]
async fn every_operation_is_described_and_secured_except_the_document_itself() {
    let doc = served_document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (scheme["type"].as_str(), scheme["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());

    for (method, path, op) in operations(&doc) {
        let name = format!("{method} {path}");
        assert!(op["operationId"].is_string(), "{name} has no operationId");
        assert!(
            op["summary"].is_string(),
            "{name} has no summary (doc comment)"
        );
        assert!(op["tags"].is_array(), "{name} has no tag");
        let public = path == "/api/v1/openapi.json";
        assert_eq!(op["security"].is_array(), !public, "{name} security");
        if !public {
            let unauthorized = &op["responses"]["401"]["content"]["application/problem+json"];
            assert!(
                unauthorized.is_object(),
                "{name} does not document its 401 problem"
            );
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{name} {status} is not documented as a problem"
                );
            }
        }
    }
}

fn collect_refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_schema_reference_resolves() {
    let doc = served_document().await;
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
}
