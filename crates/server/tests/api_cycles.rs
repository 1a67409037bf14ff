//! Service cycles through the API: publish versions, read the history, and validation errors
//! that name their field. Files (export/import) are in `api_cycle_files.rs`.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{audit::AuditQuery, user::Role};

fn moment(key: &str, name: &str, channel: &str, critical: bool) -> Value {
    json!({
        "key": key, "name": name, "channel": channel, "critical": critical,
        "role": "Teller",
        "standards": [{"metric": "wait_minutes", "comparator": "<=", "threshold": 10, "unit": "min"}]
    })
}

async fn new_service(app: &TestApp, token: &str, name: &str) -> i64 {
    let (status, body, _) = app
        .api(token)
        .post_json("/api/v1/services", &json!({"name": name}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

fn moment_ids(cycle: &Value) -> Vec<i64> {
    cycle["moments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn publishing_a_second_version_keeps_the_first_readable_with_its_moment_ids() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&token);
    let id = new_service(&app, &token, "Cash a cheque").await;
    let cycle = format!("/api/v1/services/{id}/cycle");

    let v1 = json!({"note": "first map", "moments": [
        moment("enter", "Enter the bank", "in_person", false),
        moment("take-number", "Take a number", "in_person", true),
        moment("paid", "Get paid", "in_person", true),
    ]});
    let (status, first, headers) = api.put_json(&cycle, &v1).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        headers["location"],
        format!("/api/v1/services/{id}/cycle/versions/1").as_str()
    );
    assert_eq!(first["version"], 1);
    assert_eq!(first["note"], "first map");
    let keys: Vec<_> = first["moments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].clone())
        .collect();
    assert_eq!(keys, ["enter", "take-number", "paid"]);
    let m = &first["moments"][1];
    assert_eq!(
        (
            m["position"].as_i64(),
            m["channel"].as_str(),
            m["critical"].as_bool()
        ),
        (Some(2), Some("in_person"), Some(true))
    );
    assert_eq!(m["standards"][0]["threshold"], 10.0);

    let v2 = json!({"note": "wait moved to the phone", "moments": [
        moment("enter", "Enter the bank", "in_person", false),
        moment("call", "Call ahead", "phone", true),
    ]});
    let (status, second, _) = api.put_json(&cycle, &v2).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["version"], 2);

    let (_, current, _) = api.get(&cycle).await;
    assert_eq!(current, second);
    let (status, old, _) = api.get(&format!("{cycle}/versions/1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        moment_ids(&old),
        moment_ids(&first),
        "v1 moment ids never change"
    );
    assert_eq!(old, first);

    let (_, history, _) = api.get(&format!("{cycle}/versions")).await;
    let versions: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [2, 1]);
    assert_eq!(history[1]["critical_count"], 2);
    assert_eq!(history[0]["note"], "wait moved to the phone");

    let (_, service, _) = api.get(&format!("/api/v1/services/{id}")).await;
    assert_eq!(
        (
            service["current_version"].as_i64(),
            service["moment_count"].as_i64()
        ),
        (Some(2), Some(2))
    );

    let (status, _, _) = api.get(&format!("{cycle}/versions/3")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let published = app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("cycle.publish".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(published.total, 2);
    assert!(
        published.items[0].after.is_some(),
        "{:?}",
        published.items[0]
    );
}

#[tokio::test]
async fn an_invalid_cycle_is_a_422_problem_naming_every_bad_field() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Admin).await.1;
    let id = new_service(&app, &token, "Check in").await;
    let cycle = format!("/api/v1/services/{id}/cycle");
    let cases = [
        (json!({"moments": []}), vec!["moments"]),
        (
            json!({"moments": [moment("a", "A", "phone", false), moment("a", "B", "phone", false)]}),
            vec!["moments[1].key"],
        ),
        (
            json!({"moments": [moment("a", " ", "phone", false)]}),
            vec!["moments[0].name"],
        ),
        (
            json!({"moments": [moment("a", "A", "fax", false)]}),
            vec!["moments[0].channel"],
        ),
        (
            json!({"moments": [{"key": "a", "name": "A", "channel": "web", "standards": [{"metric": "Wait Time", "comparator": "<=", "threshold": 1}]}]}),
            vec!["moments[0].standards[0].metric"],
        ),
    ];
    for (body, fields) in cases {
        let (status, problem, headers) = app.api(&token).put_json(&cycle, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(error_fields(&problem), fields, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains(fields[0]));
    }
    let (status, _, _) = app.api(&token).get(&cycle).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was published");
}

#[tokio::test]
async fn a_cycle_body_of_the_wrong_shape_names_the_field_serde_rejected() {
    let app = TestApp::spawn().await;
    let token = app.user_with_token(Role::Manager).await.1;
    let id = new_service(&app, &token, "Open an account").await;
    let cycle = format!("/api/v1/services/{id}/cycle");
    let cases = [
        (
            json!({"moments": [{"key": "a", "channel": "web"}]}),
            "moments[0].name",
        ),
        (
            json!({"moments": [{"key": "a", "name": "A", "channel": "web", "critical": "yes"}]}),
            "moments[0].critical",
        ),
        (
            json!({"moments": [{"key": "a", "name": "A", "channel": "web", "standards": [{"metric": "x", "comparator": "~", "threshold": 1}]}]}),
            "moments[0].standards[0].comparator",
        ),
        (json!({"moments": "none"}), "moments"),
    ];
    for (body, field) in cases {
        let (status, problem, _) = app.api(&token).put_json(&cycle, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_fields(&problem), [field], "{problem}");
    }
}
