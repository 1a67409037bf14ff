//! The improvement rows of the route × role table (see `api_access.rs`): everyone reads the
//! complaint analysis, requirements and plans; admins and managers change them and the
//! assumptions behind the estimates. Also the sample requirement and plan their paths use.
use super::{ALL, Body, CATALOG, Op, op, support::TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;
use touchpoint_core::user::Role;

pub fn table() -> Vec<Op> {
    use Body::{Json, None};
    let requirement = json!({
        "service_id": 0, "moment_key": "m2", "text": "A second cashier at lunchtime",
    });
    let plan = json!({
        "service_id": 0, "title": "Lunchtime cashier", "moment_keys": ["m2"],
        "owner": "Branch manager", "start_date": "2026-01-01", "due_date": "2026-03-31",
    });
    let assumptions = json!({
        "silent_per_complaint": 25.0, "told_by_dissatisfied": 11.0, "told_by_satisfied": 3.0,
    });
    vec![
        op(
            Method::GET,
            "/api/v1/services/{id}/complaint-analysis",
            ALL,
            None,
        ),
        op(Method::GET, "/api/v1/complaint-assumptions", ALL, None),
        op(
            Method::PUT,
            "/api/v1/complaint-assumptions",
            CATALOG,
            Json(assumptions),
        ),
        op(Method::GET, "/api/v1/requirements", ALL, None),
        op(
            Method::POST,
            "/api/v1/requirements",
            CATALOG,
            Json(requirement.clone()),
        ),
        op(Method::GET, "/api/v1/requirements/{id}", ALL, None),
        op(
            Method::PUT,
            "/api/v1/requirements/{id}",
            CATALOG,
            Json(requirement),
        ),
        op(Method::GET, "/api/v1/action-plans", ALL, None),
        op(
            Method::POST,
            "/api/v1/action-plans",
            CATALOG,
            Json(plan.clone()),
        ),
        op(Method::GET, "/api/v1/action-plans/{id}", ALL, None),
        op(
            Method::PUT,
            "/api/v1/action-plans/{id}",
            CATALOG,
            Json(plan),
        ),
        op(
            Method::GET,
            "/api/v1/action-plans/{id}/before-after",
            ALL,
            None,
        ),
        // Deletions last: the first allowed role deletes, the others then get a 404.
        op(Method::DELETE, "/api/v1/action-plans/{id}", CATALOG, None),
        op(Method::DELETE, "/api/v1/requirements/{id}", CATALOG, None),
    ]
}

/// Ids of the sample requirement and plan.
pub struct Samples {
    pub requirement: i64,
    pub plan: i64,
}

pub async fn samples(app: &TestApp, service: i64) -> Samples {
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let api = app.api(&admin);
    let (status, r, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": service, "moment_key": "m2", "text": "A queue display"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let (status, p, _) = api
        .post_json(
            "/api/v1/action-plans",
            &json!({
                "service_id": service, "title": "Queue display", "moment_keys": ["m2"],
                "owner": "Branch manager", "start_date": "2026-01-01",
                "due_date": "2026-02-28", "requirement_ids": [r["id"]],
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    Samples {
        requirement: r["id"].as_i64().unwrap(),
        plan: p["id"].as_i64().unwrap(),
    }
}
