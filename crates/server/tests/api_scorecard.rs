//! `GET /api/v1/services/{id}/scorecard`: defaults, validation problems naming the field,
//! unknown sites and staff members, blind spots and the CSV variant. Figures are checked against the
//! reference script in `api_scorecard_reference.rs`.
mod support;

use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{clock::FixedClock, user::Role};
use touchpoint_test_support::t0;

async fn world() -> (TestApp, String, i64) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(t0()))).await;
    let token = app.user_with_token(Role::Viewer).await.1;
    let service = app.seed_service_with_cycle("bank", 3, &[2]).await.id;
    (app, token, service)
}

#[tokio::test]
async fn without_evidence_every_moment_is_a_blind_spot_over_the_last_90_days() {
    let (app, token, service) = world().await;
    let (status, card, _) = app
        .api(&token)
        .get(&format!("/api/v1/services/{service}/scorecard"))
        .await;
    assert_eq!(status, StatusCode::OK, "{card}");
    // t0 is 2026-01-15: the default period is the 90 days ending that day.
    assert_eq!(
        card["period"],
        json!({"from": "2025-10-18", "to": "2026-01-15"})
    );
    assert_eq!(
        card["previous_period"],
        json!({"from": "2025-07-20", "to": "2025-10-17"})
    );
    let moments = card["moments"].as_array().unwrap();
    assert_eq!(moments.len(), 3);
    for m in moments {
        assert_eq!(m["blind_spot"], true);
        assert_eq!(m["status"], "blind_spot");
        assert_eq!(m["answers"], 0);
        assert!(m["csat"].is_null() && m["compliance"].is_null());
        assert_eq!(m["complaints"], 0);
        assert!(
            m["complaints_per_1000"].is_null(),
            "no answers to relate them to"
        );
    }
    assert_eq!(card["targets"], json!({"csat": 80.0, "compliance": 90.0}));
}

#[tokio::test]
async fn bad_periods_unknown_sites_and_staff_filters_are_problems_naming_the_field() {
    let (app, token, service) = world().await;
    let api = app.api(&token);
    let base = format!("/api/v1/services/{service}/scorecard");
    let cases = [
        ("?from=2026-01-10&to=2026-01-01", "to"),
        ("?from=2000-01-01&to=2026-01-01", "from"),
        ("?site=999", "site"),
        ("?staff=999", "staff"),
    ];
    for (query, field) in cases {
        let (status, problem, headers) = api.get(&format!("{base}{query}")).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    let (_, problem, _) = api
        .get(&format!(
            "{base}?from=2026-01-10&to=2026-01-01&site=999&staff=999"
        ))
        .await;
    assert_eq!(
        error_fields(&problem),
        ["to", "staff", "site"],
        "all at once"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("there is no staff member with id 999")
    );
    let (status, problem, _) = api.get(&format!("{base}?from=2026-13-01")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");

    let (status, _, _) = api.get("/api/v1/services/999/scorecard").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let empty = app.seed_service_with_cycle("no-cycle", 0, &[]).await.id;
    let (status, problem, _) = api
        .get(&format!("/api/v1/services/{empty}/scorecard"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("cycle"));
}

#[tokio::test]
async fn the_csv_variant_has_one_row_per_moment() {
    let (app, token, service) = world().await;
    let res = app
        .client
        .get(app.url(&format!(
            "/api/v1/services/{service}/scorecard?from=2026-01-01&to=2026-01-15&format=csv"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(content_type(res.headers()), "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("bank.scorecard.2026-01-01.2026-01-15.csv"),
        "{disposition}"
    );
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("position,key,name,critical,status,blind_spot,answers,rating_mean,")
    );
    assert!(lines[0].contains("csat_p_value,csat_test"));
    assert!(lines[0].ends_with("compliments,compliments_per_1000,complaints,complaints_per_1000"));
    assert!(
        lines[2].starts_with("2,m2,Moment 2,true,blind_spot,true,0,"),
        "{}",
        lines[2]
    );
}
