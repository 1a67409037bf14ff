//! The customer and portfolio rows of the route × role table (see `api_access.rs`).
use super::{ALL, Body, Op, op, support::TestApp};
use reqwest::Method;
use serde_json::json;
use touchpoint_core::{portfolio::CustomerInput, user::Role};

const CUSTOMERS: &[Role] = &[Role::Admin, Role::Manager, Role::Agent];
const CATALOG: &[Role] = &[Role::Admin, Role::Manager];
const ADMIN: &[Role] = &[Role::Admin];

pub fn table() -> Vec<Op> {
    use Body::{Json, None};
    let customer = json!({"ref": "NEW-1", "name": "Nueva Cliente"});
    vec![
        op(Method::GET, "/api/v1/customers", ALL, None),
        op(Method::POST, "/api/v1/customers", CUSTOMERS, Json(customer)),
        op(Method::GET, "/api/v1/customers/{id}", ALL, None),
        op(
            Method::PUT,
            "/api/v1/customers/{id}",
            CUSTOMERS,
            Json(json!({"ref": "SAMPLE-1", "name": "Sample Renamed"})),
        ),
        op(
            Method::POST,
            "/api/v1/customers/{id}/status",
            CUSTOMERS,
            Json(json!({"status": "active"})),
        ),
        op(Method::GET, "/api/v1/customers/{id}/history", ALL, None),
        op(Method::GET, "/api/v1/customers/{id}/sales", ALL, None),
        op(
            Method::GET,
            "/api/v1/customers/{id}/personal-data",
            ADMIN,
            None,
        ),
        op(Method::POST, "/api/v1/customers/{id}/erase", ADMIN, None),
        op(Method::GET, "/api/v1/lost-reasons", ALL, None),
        op(
            Method::PUT,
            "/api/v1/lost-reasons",
            CATALOG,
            Json(
                json!({"key": "merger", "label_en": "Merged", "label_es": "Fusión", "active": true}),
            ),
        ),
        op(
            Method::POST,
            "/api/v1/sales",
            CUSTOMERS,
            Json(
                json!([{"customer": "SAMPLE-1", "date": "2026-01-02", "amount": 10, "currency": "USD"}]),
            ),
        ),
        op(Method::GET, "/api/v1/portfolio/ranking", ALL, None),
        op(Method::GET, "/api/v1/portfolio/ranking.csv", ALL, None),
        op(Method::GET, "/api/v1/portfolio/summary", ALL, None),
        op(Method::GET, "/api/v1/portfolio/at-risk", ALL, None),
    ]
}

/// The customer the `{id}` of `/customers/{id}` paths points at.
pub async fn sample_customer(app: &TestApp) -> i64 {
    let f = CustomerInput {
        reference: "SAMPLE-1".into(),
        name: "Sample Customer".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let actor = touchpoint_core::audit::Actor::system("test");
    app.store.create_customer(&actor, &f).await.unwrap().id
}
