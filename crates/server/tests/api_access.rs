//! Route × role: every API operation is called anonymously and by each of the five roles.
//! Anonymous callers get 401 (except on the public OpenAPI document), roles that the route does
//! not allow get 403 (and an `access.denied` audit record), allowed roles get neither. The
//! table must cover every operation the served OpenAPI document lists.
mod api_access_analytics;
mod api_access_complaints;
mod api_access_feedback;
mod api_access_improvement;
mod api_access_portfolio;
mod api_access_recognition;
mod api_surveys_support;
mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support::{TestApp, content_type};
use touchpoint_core::{audit::AuditQuery, user::Role};

const ALL: &[Role] = &Role::ALL;
const CATALOG: &[Role] = &[Role::Admin, Role::Manager];
const ADMIN: &[Role] = &[Role::Admin];
const PUBLIC: &[Role] = &[];

enum Body {
    None,
    Json(Value),
    Yaml(&'static str),
}

struct Op {
    method: Method,
    /// The path exactly as the OpenAPI document spells it.
    path: &'static str,
    /// Roles allowed; `PUBLIC` means anyone, without a token.
    allowed: &'static [Role],
    body: Body,
}

fn op(method: Method, path: &'static str, allowed: &'static [Role], body: Body) -> Op {
    Op {
        method,
        path,
        allowed,
        body,
    }
}

const CYCLE_YAML: &str = "service:\n  key: imported\n  name: Imported service\nmoments:\n  - key: arrive\n    name: Arrive\n    channel: in_person\n";

fn table() -> Vec<Op> {
    use Body::{Json, None, Yaml};
    let cycle = json!({"moments": [{"key": "a", "name": "A", "channel": "phone"}]});
    vec![
        op(Method::GET, "/api/v1/openapi.json", PUBLIC, None),
        op(Method::GET, "/api/v1/services", ALL, None),
        op(
            Method::POST,
            "/api/v1/services",
            CATALOG,
            Json(json!({"name": "New service"})),
        ),
        op(Method::GET, "/api/v1/services/{id}", ALL, None),
        op(
            Method::PATCH,
            "/api/v1/services/{id}",
            CATALOG,
            Json(json!({"description": "changed"})),
        ),
        op(Method::DELETE, "/api/v1/services/{id}", CATALOG, None),
        op(Method::GET, "/api/v1/services/{id}/cycle", ALL, None),
        op(
            Method::PUT,
            "/api/v1/services/{id}/cycle",
            CATALOG,
            Json(cycle),
        ),
        op(
            Method::GET,
            "/api/v1/services/{id}/cycle/versions",
            ALL,
            None,
        ),
        op(
            Method::GET,
            "/api/v1/services/{id}/cycle/versions/{version}",
            ALL,
            None,
        ),
        op(Method::GET, "/api/v1/services/{id}/cycle/export", ALL, None),
        op(Method::GET, "/api/v1/services/{id}/scorecard", ALL, None),
        op(
            Method::POST,
            "/api/v1/cycles/import",
            CATALOG,
            Yaml(CYCLE_YAML),
        ),
        op(Method::GET, "/api/v1/sites", ALL, None),
        op(
            Method::POST,
            "/api/v1/sites",
            CATALOG,
            Json(json!({"name": "North branch"})),
        ),
        op(Method::GET, "/api/v1/sites/{id}", ALL, None),
        op(
            Method::PATCH,
            "/api/v1/sites/{id}",
            CATALOG,
            Json(json!({"city": "Quito"})),
        ),
        op(Method::DELETE, "/api/v1/sites/{id}", CATALOG, None),
        op(Method::GET, "/api/v1/staff", ALL, None),
        op(
            Method::POST,
            "/api/v1/staff",
            CATALOG,
            Json(json!({"name": "Ana Ruiz"})),
        ),
        op(Method::GET, "/api/v1/staff/{id}", ALL, None),
        op(
            Method::PATCH,
            "/api/v1/staff/{id}",
            CATALOG,
            Json(json!({"role": "Cashier"})),
        ),
        op(Method::DELETE, "/api/v1/staff/{id}", CATALOG, None),
        op(Method::GET, "/api/v1/dimensions", ALL, None),
        op(Method::GET, "/api/v1/users", ADMIN, None),
        op(
            Method::POST,
            "/api/v1/users",
            ADMIN,
            Json(
                json!({"email": "new@test.local", "name": "New", "role": "viewer", "password": "a long enough password"}),
            ),
        ),
        op(Method::GET, "/api/v1/users/{id}", ADMIN, None),
        op(
            Method::PATCH,
            "/api/v1/users/{id}",
            ADMIN,
            Json(json!({"name": "Renamed"})),
        ),
        op(Method::GET, "/api/v1/me", ALL, None),
        op(Method::GET, "/api/v1/tokens", ALL, None),
        op(
            Method::POST,
            "/api/v1/tokens",
            ALL,
            Json(json!({"name": "script"})),
        ),
        op(Method::DELETE, "/api/v1/tokens/{id}", ALL, None),
        op(Method::GET, "/api/v1/audit", ADMIN, None),
        op(Method::GET, "/api/v1/audit/export", ADMIN, None),
    ]
    .into_iter()
    .chain(api_access_analytics::table())
    .chain(api_access_feedback::table())
    .chain(api_access_portfolio::table())
    .chain(api_access_complaints::table())
    .chain(api_access_improvement::table())
    .chain(api_access_recognition::table())
    .collect()
}

/// Ids of real rows to put into the path templates.
struct Samples {
    service: i64,
    site: i64,
    staff: i64,
    user: i64,
    token: i64,
    feedback: api_access_feedback::Samples,
    customer: i64,
    complaints: api_access_complaints::Samples,
    improvement: api_access_improvement::Samples,
}

impl Samples {
    fn fill(&self, template: &str) -> String {
        let id = match template.split('/').nth(3) {
            Some("services") => self.service,
            Some("sites") => self.site,
            Some("staff") => self.staff,
            Some("users") => self.user,
            Some("tokens") => self.token,
            Some("surveys") => self.feedback.survey,
            Some("links") => self.feedback.link,
            Some("responses") => self.feedback.response,
            Some("visits") => self.feedback.visit,
            Some("customers") => self.customer,
            Some("complaints") => self.complaints.complaint,
            Some("promises") => self.complaints.promise,
            Some("complaint-policies") => self.complaints.policy,
            Some("requirements") => self.improvement.requirement,
            Some("action-plans") => self.improvement.plan,
            _ => 0,
        };
        let ledger = format!(
            "/customers/ledger?customer_ref={}",
            api_access_complaints::CUSTOMER_REF
        );
        template
            .replace("/customers/ledger", &ledger)
            .replace("{id}", &id.to_string())
            .replace("{version}", "1")
            .replace("{moment_key}", "m1")
    }

    /// The body with its `service_id` and `site_id` pointing at the sample rows.
    fn body(&self, body: &Value) -> Value {
        api_access_feedback::with_ids(body, self.service, self.site)
    }
}

async fn samples(app: &TestApp) -> Samples {
    let actor = touchpoint_core::audit::Actor::system("test");
    let service = app
        .seed_service_with_cycle("cash-a-cheque", 3, &[2])
        .await
        .id;
    let site = app
        .store
        .create_site(
            &actor,
            &touchpoint_test_support::sample_site_fields("centro"),
        )
        .await
        .unwrap()
        .id;
    let staff = app
        .store
        .create_staff(
            &actor,
            &touchpoint_test_support::sample_staff_fields("Luis Gómez", Some(site)),
        )
        .await
        .unwrap()
        .id;
    let (target, _) = app.user_with_token(Role::Viewer).await;
    // A token that belongs to someone else: revoking it is a 404, never a 401/403.
    let (other, _) = app.user_with_token(Role::Agent).await;
    let token = app.store.list_tokens(other.id).await.unwrap()[0].id;
    Samples {
        service,
        site,
        staff,
        user: target.id,
        token,
        feedback: api_access_feedback::samples(app, service, site).await,
        customer: api_access_portfolio::sample_customer(app).await,
        complaints: api_access_complaints::samples(app, site).await,
        improvement: api_access_improvement::samples(app, service).await,
    }
}

async fn call(
    api: &support::Api<'_>,
    op: &Op,
    path: &str,
    ids: &Samples,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    match &op.body {
        Body::None => api.send(op.method.clone(), path, None).await,
        Body::Json(v) => api.send(op.method.clone(), path, Some(&ids.body(v))).await,
        Body::Yaml(text) => {
            api.send_raw(
                op.method.clone(),
                path,
                Some("application/yaml"),
                text.as_bytes().to_vec(),
            )
            .await
        }
    }
}

#[tokio::test]
async fn every_operation_answers_each_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let ids = samples(&app).await;
    let mut callers = Vec::new();
    for role in Role::ALL {
        callers.push((role, app.user_with_token(role).await.1));
    }
    let mut failures = Vec::new();
    let mut expected_denials = 0;

    for op in table() {
        let path = ids.fill(op.path);
        let (status, body, headers) = call(&app.anonymous(), &op, &path, &ids).await;
        let public = op.allowed.is_empty();
        if public && status != StatusCode::OK {
            failures.push(format!(
                "anonymous {} {path}: {status}, expected 200",
                op.method
            ));
        }
        if !public {
            if status != StatusCode::UNAUTHORIZED {
                failures.push(format!(
                    "anonymous {} {path}: {status}, expected 401",
                    op.method
                ));
            } else if content_type(&headers) != "application/problem+json" || body["status"] != 401
            {
                failures.push(format!(
                    "anonymous {} {path}: 401 is not a problem: {body}",
                    op.method
                ));
            }
        }
        for (role, token) in &callers {
            let (status, body, _) = call(&app.api(token), &op, &path, &ids).await;
            let allowed = public || op.allowed.contains(role);
            if allowed && matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
                failures.push(format!(
                    "{role} {} {path}: {status} {body}, expected access",
                    op.method
                ));
            }
            if allowed && status.is_server_error() {
                failures.push(format!("{role} {} {path}: {status} {body}", op.method));
            }
            if !allowed {
                expected_denials += 1;
                if status != StatusCode::FORBIDDEN {
                    failures.push(format!(
                        "{role} {} {path}: {status}, expected 403",
                        op.method
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let denials = app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("access.denied".into()),
                ..Default::default()
            },
            500,
            0,
        )
        .await
        .unwrap();
    assert_eq!(denials.total, expected_denials, "every 403 is audited");
    assert!(
        denials
            .items
            .iter()
            .any(|e| e.actor.starts_with("viewer-") && e.detail == "GET /api/v1/audit"),
        "a denial names who and what: {:?}",
        denials.items.first()
    );
}

#[tokio::test]
async fn the_access_table_covers_every_operation_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let (status, doc, _) = app.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let tabled: BTreeSet<String> = table()
        .iter()
        .map(|op| format!("{} {}", op.method, op.path))
        .collect();
    let missing: Vec<_> = documented.difference(&tabled).collect();
    let stale: Vec<_> = tabled.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "operations with no access-table entry: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "table entries the API does not document: {stale:?}"
    );
}

#[tokio::test]
async fn a_bad_or_missing_bearer_token_is_a_401_problem_with_a_challenge() {
    let app = TestApp::spawn().await;
    for api in [app.api("tp_not-a-real-token"), app.anonymous()] {
        let (status, body, headers) = api.get("/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["type"], "https://touchpoint.dev/problems/unauthorized");
        assert_eq!(headers["www-authenticate"], "Bearer");
    }
}
