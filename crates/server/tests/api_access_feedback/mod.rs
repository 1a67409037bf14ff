//! The feedback rows of the route × role table (see `api_access.rs`), and the sample survey,
//! link, response and visit their paths point at.
use super::{ALL, Body, Op, api_surveys_support, op, support::TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use touchpoint_core::user::Role;

const SURVEYS: &[Role] = &[Role::Admin, Role::Manager];
const AUDIT: &[Role] = &[Role::Admin, Role::Manager, Role::Auditor];
const FEEDBACK: &[Role] = &[Role::Admin, Role::Manager, Role::Agent];

const SURVEY_YAML: &str = "key: imported-nps\nservice: cash-a-cheque\naudience: customers\nlanguages: [en, es]\ntitle: {en: NPS, es: NPS}\nquestions:\n  - code: recommend\n    kind: nps\n    text: {en: Recommend?, es: ¿Recomendaría?}\n    required: true\n";

/// The feedback operations: surveys, links, responses, audits, measurements, compliments.
pub fn table() -> Vec<Op> {
    use Body::{Json, Yaml};
    let visit = json!({
        "service_id": 0,
        "site_id": 0,
        "visited_at": "2026-01-10T10:00:00Z",
        "results": {
            "m1": {"standard-1": "met"},
            "m2": {"standard-1": "not_met"},
            "m3": {"standard-1": "not_applicable"},
        },
    });
    let measurement = json!({
        "service_id": 0, "moment_key": "m1", "metric": "wait_minutes",
        "site_key": "centro", "observed_at": "2026-01-10T10:00:00Z", "value": 1.0,
    });
    let compliment = json!({
        "service_key": "cash-a-cheque", "moment_key": "m1", "text": "Lovely",
        "received_at": "2026-01-10T10:00:00Z", "channel": "email",
    });
    vec![
        op(Method::GET, "/api/v1/surveys", ALL, Body::None),
        op(
            Method::POST,
            "/api/v1/surveys",
            SURVEYS,
            Json(api_surveys_support::all_kinds_draft(
                "access-new",
                "cash-a-cheque",
            )),
        ),
        op(
            Method::POST,
            "/api/v1/surveys/from-template",
            SURVEYS,
            Json(json!({"template": "nps", "service_id": 0})),
        ),
        op(
            Method::POST,
            "/api/v1/surveys/import",
            SURVEYS,
            Yaml(SURVEY_YAML),
        ),
        op(Method::GET, "/api/v1/surveys/{id}", ALL, Body::None),
        op(
            Method::PUT,
            "/api/v1/surveys/{id}/draft",
            SURVEYS,
            Json(api_surveys_support::all_kinds_draft(
                "access",
                "cash-a-cheque",
            )),
        ),
        op(
            Method::POST,
            "/api/v1/surveys/{id}/publish",
            SURVEYS,
            Body::None,
        ),
        op(
            Method::GET,
            "/api/v1/surveys/{id}/versions",
            ALL,
            Body::None,
        ),
        op(
            Method::GET,
            "/api/v1/surveys/{id}/versions/{version}",
            ALL,
            Body::None,
        ),
        op(Method::GET, "/api/v1/surveys/{id}/export", ALL, Body::None),
        op(
            Method::GET,
            "/api/v1/surveys/{id}/links",
            SURVEYS,
            Body::None,
        ),
        op(
            Method::POST,
            "/api/v1/surveys/{id}/links",
            SURVEYS,
            Json(json!({"kind": "open"})),
        ),
        op(
            Method::POST,
            "/api/v1/surveys/{id}/invitations",
            SURVEYS,
            Json(json!({"invitations": [{"customer": "C-1"}]})),
        ),
        op(Method::DELETE, "/api/v1/links/{id}", SURVEYS, Body::None),
        op(
            Method::GET,
            "/api/v1/surveys/{id}/responses",
            ALL,
            Body::None,
        ),
        op(
            Method::POST,
            "/api/v1/surveys/{id}/responses",
            FEEDBACK,
            Json(json!({"answers": api_surveys_support::all_kinds_answers()})),
        ),
        op(Method::GET, "/api/v1/responses/{id}", ALL, Body::None),
        op(
            Method::GET,
            "/api/v1/surveys/{id}/responses/export",
            ALL,
            Body::None,
        ),
        op(Method::GET, "/api/v1/rollups", ALL, Body::None),
        op(
            Method::GET,
            "/api/v1/services/{id}/checklist",
            ALL,
            Body::None,
        ),
        op(
            Method::PUT,
            "/api/v1/services/{id}/checklist/{moment_key}",
            AUDIT,
            Json(json!({"items": ["Greets within 10 seconds"]})),
        ),
        op(Method::GET, "/api/v1/visits", ALL, Body::None),
        op(Method::POST, "/api/v1/visits", AUDIT, Json(visit)),
        op(Method::GET, "/api/v1/visits/{id}", ALL, Body::None),
        op(Method::GET, "/api/v1/measurements", ALL, Body::None),
        op(
            Method::POST,
            "/api/v1/measurements",
            FEEDBACK,
            Json(measurement),
        ),
        op(Method::GET, "/api/v1/compliments", ALL, Body::None),
        op(
            Method::POST,
            "/api/v1/compliments",
            FEEDBACK,
            Json(compliment),
        ),
        // Last: archiving the sample survey.
        op(Method::DELETE, "/api/v1/surveys/{id}", SURVEYS, Body::None),
    ]
}

/// Ids of feedback rows to put into the path templates.
pub struct Samples {
    pub survey: i64,
    pub link: i64,
    pub response: i64,
    pub visit: i64,
}

/// `body` with its `service_id` and `site_id` (when present) set to real rows.
pub fn with_ids(body: &Value, service: i64, site: i64) -> Value {
    let mut body = body.clone();
    for (field, id) in [("service_id", service), ("site_id", site)] {
        if body.get(field).is_some() {
            body[field] = json!(id);
        }
    }
    body
}

/// A published survey about `cash-a-cheque` with an open link and one response, and a visit.
pub async fn samples(app: &TestApp, service: i64, site: i64) -> Samples {
    let (_, admin) = app.user_with_token(Role::Admin).await;
    let survey =
        api_surveys_support::published_survey(app, &admin, "access", "cash-a-cheque").await;
    let api = app.api(&admin);
    let (_, link, _) = api
        .post_json(
            &format!("/api/v1/surveys/{survey}/links"),
            &json!({"kind": "open"}),
        )
        .await;
    let (_, response, _) = api
        .post_json(
            &format!("/api/v1/surveys/{survey}/responses"),
            &json!({"answers": api_surveys_support::all_kinds_answers()}),
        )
        .await;
    let visit = table()
        .into_iter()
        .find(|o| o.path == "/api/v1/visits" && o.method == Method::POST)
        .and_then(|o| match o.body {
            Body::Json(v) => Some(with_ids(&v, service, site)),
            _ => None,
        })
        .expect("the visit body");
    let (status, visit, _) = api.post_json("/api/v1/visits", &visit).await;
    assert_eq!(status, StatusCode::CREATED, "{visit}");
    Samples {
        survey,
        link: link["id"].as_i64().expect("link id"),
        response: response["id"].as_i64().expect("response id"),
        visit: visit["id"].as_i64().expect("visit id"),
    }
}
