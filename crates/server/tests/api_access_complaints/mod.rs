//! The complaint and ledger rows of the route × role table (see `api_access.rs`), and the
//! sample complaint and promise their paths point at.
use super::{ALL, Body, Op, op, support::TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;
use touchpoint_core::user::Role;

const HANDLERS: &[Role] = &[Role::Admin, Role::Manager, Role::Agent];
const CATALOG: &[Role] = &[Role::Admin, Role::Manager];

/// The customer whose ledger `GET /customers/ledger` reads.
pub const CUSTOMER_REF: &str = "CU-ACCESS";

pub fn table() -> Vec<Op> {
    use Body::{Json, None};
    let complaint = json!({
        "customer_ref": CUSTOMER_REF, "channel": "phone", "site_id": 0,
        "description": "The cashier was rude", "severity": "high",
        "received_at": "2026-01-05T10:00:00Z",
    });
    let calendar = json!({
        "utc_offset_minutes": -300,
        "hours": [{"weekday": 1, "open_minute": 540, "close_minute": 1020}],
        "holidays": [],
    });
    vec![
        op(Method::GET, "/api/v1/complaints", ALL, None),
        op(
            Method::POST,
            "/api/v1/complaints",
            HANDLERS,
            Json(complaint),
        ),
        op(Method::GET, "/api/v1/complaints/{id}", ALL, None),
        op(
            Method::POST,
            "/api/v1/complaints/{id}/transitions",
            HANDLERS,
            Json(json!({"to": "acknowledged", "note": "called back"})),
        ),
        op(
            Method::POST,
            "/api/v1/complaints/assign",
            HANDLERS,
            Json(json!({"ids": [1], "assignee_id": null})),
        ),
        op(
            Method::POST,
            "/api/v1/complaints/{id}/updates",
            HANDLERS,
            Json(json!({"visibility": "internal", "text": "Checked the camera"})),
        ),
        op(
            Method::POST,
            "/api/v1/complaints/{id}/resolution",
            HANDLERS,
            Json(json!({"root_cause": "Training", "explanation": "We are sorry"})),
        ),
        op(
            Method::POST,
            "/api/v1/complaints/{id}/promises",
            HANDLERS,
            Json(
                json!({"kind": "callback", "description": "Call back", "due_at": "2099-01-01T00:00:00Z"}),
            ),
        ),
        op(Method::POST, "/api/v1/promises/{id}/fulfil", HANDLERS, None),
        op(
            Method::POST,
            "/api/v1/promises/{id}/cancel",
            HANDLERS,
            Json(json!({"reason": "customer asked"})),
        ),
        op(Method::GET, "/api/v1/escalations", ALL, None),
        op(Method::GET, "/api/v1/complaint-policies", ALL, None),
        op(
            Method::PUT,
            "/api/v1/complaint-policies",
            CATALOG,
            Json(json!({"severity": "low", "acknowledge_minutes": 60})),
        ),
        op(
            Method::DELETE,
            "/api/v1/complaint-policies/{id}",
            CATALOG,
            None,
        ),
        op(Method::GET, "/api/v1/business-calendars", ALL, None),
        op(
            Method::PUT,
            "/api/v1/business-calendars",
            CATALOG,
            Json(calendar),
        ),
        op(Method::GET, "/api/v1/customers/ledger", ALL, None),
        op(
            Method::POST,
            "/api/v1/ledger",
            HANDLERS,
            Json(
                json!({"customer_ref": CUSTOMER_REF, "kind": "thank_you_note", "occurred_at": "2026-01-05T10:00:00Z"}),
            ),
        ),
        op(Method::GET, "/api/v1/ledger-weights", ALL, None),
        op(
            Method::PUT,
            "/api/v1/ledger-weights",
            CATALOG,
            Json(json!({"kind": "offer", "weight": 3})),
        ),
    ]
}

/// Ids of the sample complaint, of a promise on it and of a response policy.
pub struct Samples {
    pub complaint: i64,
    pub promise: i64,
    pub policy: i64,
}

pub async fn samples(app: &TestApp, site: i64) -> Samples {
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let api = app.api(&admin);
    let (status, made, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({
                "customer_ref": CUSTOMER_REF, "channel": "email", "site_id": site,
                "description": "Wrong amount paid", "severity": "critical",
                "received_at": "2026-01-05T09:00:00Z",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let complaint = made["complaint"]["id"].as_i64().expect("complaint id");
    let (status, promise, _) = api
        .post_json(
            &format!("/api/v1/complaints/{complaint}/promises"),
            &json!({"kind": "callback", "description": "Call back", "due_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{promise}");
    let (status, policy, _) = api
        .put_json(
            "/api/v1/complaint-policies",
            &json!({"severity": "medium", "channel": "chat", "resolve_minutes": 600}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    Samples {
        complaint,
        promise: promise["id"].as_i64().expect("promise id"),
        policy: policy["id"].as_i64().expect("policy id"),
    }
}
