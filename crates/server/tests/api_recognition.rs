//! `GET /api/v1/recognition` and `GET/PUT /api/v1/recognition/settings`: the ranking per site
//! with every component, the default month, the site filter, CSV, problems naming the field,
//! and settings that change the ranking.
mod recognition_support;
mod support;

use recognition_support::{now, seed};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn app() -> TestApp {
    TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await
}

fn component<'a>(person: &'a Value, kind: &str) -> &'a Value {
    person["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap()
}

fn close(v: &Value, expected: f64) -> bool {
    (v.as_f64().unwrap() - expected).abs() < 1e-9
}

#[tokio::test]
async fn the_last_complete_month_is_ranked_per_site_with_every_component() {
    let app = app().await;
    let s = seed(&app).await;
    let token = app.user_with_token(Role::Viewer).await.1;
    let (status, body, _) = app.api(&token).get("/api/v1/recognition").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["month"], "2025-12");
    let sites = body["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[0]["site_name"], "Centro");
    let centro = sites[0]["staff"].as_array().unwrap();
    let names: Vec<&str> = centro.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ana Ruiz", "Bruno Díaz", "Carla Gómez"]);
    let ana = &centro[0];
    assert_eq!(ana["rank"], 1);
    assert!(close(&ana["score"], 88.0), "{ana}");
    assert_eq!(ana["audit_basis"], "role_moments");
    let audit = component(ana, "audit");
    assert_eq!(
        (audit["n"].as_i64(), audit["qualifies"].as_bool()),
        (Some(6), Some(true))
    );
    assert!(close(&audit["points"], 40.0));
    let compliments = component(ana, "compliments");
    assert_eq!(compliments["n"], 2);
    assert!(close(&compliments["points"], 8.0));
    assert!(close(&centro[1]["score"], 50.0));
    // Three perfect answers do not win: Carla is listed, unranked, her answers left out.
    let carla = &centro[2];
    assert!(carla["rank"].is_null());
    let sat = component(carla, "satisfaction");
    assert_eq!(
        (sat["n"].as_i64(), sat["qualifies"].as_bool()),
        (Some(3), Some(false))
    );
    assert!(close(&sat["value"], 100.0));
    let diego = &sites[1]["staff"][0];
    assert_eq!(
        (diego["name"].as_str(), diego["rank"].as_i64()),
        (Some("Diego Paz"), Some(1))
    );
    assert!(close(&diego["score"], 70.0));
    assert_eq!(body["settings"]["min_coverage"], 0.5);
    let _ = s;
}

#[tokio::test]
async fn a_site_and_month_filter_and_an_empty_month() {
    let app = app().await;
    let s = seed(&app).await;
    let token = app.user_with_token(Role::Agent).await.1;
    let api = app.api(&token);
    let (status, body, _) = api
        .get(&format!(
            "/api/v1/recognition?month=2025-12&site={}",
            s.norte
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sites = body["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0]["site_id"], s.norte);
    // November has no evidence: everyone is listed, nobody ranked.
    let (_, body, _) = api.get("/api/v1/recognition?month=2025-11").await;
    for site in body["sites"].as_array().unwrap() {
        for p in site["staff"].as_array().unwrap() {
            assert!(p["rank"].is_null(), "{p}");
        }
    }
}

#[tokio::test]
async fn bad_months_and_unknown_sites_are_problems_naming_the_field() {
    let app = app().await;
    let token = app.user_with_token(Role::Viewer).await.1;
    let api = app.api(&token);
    for (query, field) in [
        ("?month=2025-13", "month"),
        ("?month=december", "month"),
        ("?site=999", "site"),
    ] {
        let (status, problem, headers) = api.get(&format!("/api/v1/recognition{query}")).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
        assert_eq!(content_type(&headers), "application/problem+json");
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
}

#[tokio::test]
async fn the_csv_has_one_row_per_person_with_every_component() {
    let app = app().await;
    seed(&app).await;
    let token = app.user_with_token(Role::Viewer).await.1;
    let (status, body, headers) = app
        .api(&token)
        .get("/api/v1/recognition?month=2025-12&format=csv")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    let text = body.as_str().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("month,site_id,site,rank,staff_id,name,role,score,coverage"));
    assert!(lines[0].contains("promises_kept_points"));
    assert!(
        lines[1].contains(",Centro,1,") && lines[1].contains("Ana Ruiz"),
        "{}",
        lines[1]
    );
}

#[tokio::test]
async fn settings_are_validated_saved_and_change_the_ranking() {
    let app = app().await;
    seed(&app).await;
    let manager = app.user_with_token(Role::Manager).await.1;
    let api = app.api(&manager);
    let (status, defaults, _) = api.get("/api/v1/recognition/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        defaults["satisfaction"],
        json!({"weight": 0.3, "min_sample": 10})
    );

    let mut bad = defaults.clone();
    bad["audit"]["weight"] = json!(-1);
    bad["min_coverage"] = json!(2);
    let (status, problem, _) = api.put_json("/api/v1/recognition/settings", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["audit.weight", "min_coverage"]);

    // Three answers are enough once the minimum says so: Carla now has satisfaction 100 and
    // only it and compliments count (coverage .45 ≥ .4).
    let mut lenient = defaults.clone();
    lenient["satisfaction"]["min_sample"] = json!(3);
    lenient["min_coverage"] = json!(0.4);
    let (status, saved, _) = api.put_json("/api/v1/recognition/settings", &lenient).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved, lenient);
    let (_, body, _) = api.get("/api/v1/recognition?month=2025-12").await;
    let centro = body["sites"][0]["staff"].as_array().unwrap();
    let carla = centro.iter().find(|p| p["name"] == "Carla Gómez").unwrap();
    assert!(carla["rank"].is_number(), "{carla}");
    assert_eq!(body["settings"], lenient);
}
