//! The analysis endpoints on a seeded copy of the demo's situation: the weak critical wait at
//! Norte ranks first in priorities (and says where), IPA, consistency and gaps are shaped as
//! documented, CSV works, and bad queries are refused with every problem named.
mod analysis_support;
mod support;

use analysis_support::{build, now};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn world() -> (TestApp, String, analysis_support::World) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let world = build(&app, &token).await;
    (app, token, world)
}

fn moment<'a>(list: &'a Value, key: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("no {key}"))
}

#[tokio::test]
async fn the_weak_critical_wait_at_norte_ranks_first_and_says_why() {
    let (app, token, w) = world().await;
    let api = app.api(&token);
    let s = w.service_id;
    let (status, body, _) = api.get(&format!("/api/v1/services/{s}/priorities")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ranked = &body["priorities"]["moments"];
    let first = &ranked[0];
    assert_eq!(first["key"], "wait-turn", "{ranked:#}");
    assert_eq!(first["rank"], 1);
    assert_eq!(
        first["worst_site"]["site_id"], w.sites[1],
        "measured at Norte"
    );
    let factors: Vec<&str> = first["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["factor"].as_str().unwrap())
        .collect();
    assert_eq!(
        factors,
        [
            "criticality",
            "gap",
            "importance",
            "inconsistency",
            "complaints"
        ]
    );
    assert_eq!(first["contributions"][0]["points"], 30.0);
    assert!(first["contributions"][1]["raw"].as_f64().unwrap() > 20.0);
    assert_eq!(first["complaints"], 4);
    let total: f64 = first["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["points"].as_f64().unwrap())
        .sum();
    assert!((total - first["score"].as_f64().unwrap()).abs() < 1e-9);

    // Weights are configurable: with only complaints weighing, get-paid (one complaint) comes
    // second, and the weights are echoed back.
    let (status, body, _) = api
        .get(&format!(
            "/api/v1/services/{s}/priorities?w_criticality=0&w_gap=0&w_importance=0&w_inconsistency=0&w_complaints=1"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["priorities"]["config"]["weights"]["complaints"], 1.0);
    assert_eq!(body["priorities"]["moments"][1]["key"], "get-paid");

    // One site only: Centro has no weak wait, so the worst site is not Norte.
    let (_, centro, _) = api
        .get(&format!(
            "/api/v1/services/{s}/priorities?site={}",
            w.sites[0]
        ))
        .await;
    assert_eq!(centro["scope"]["site_id"], w.sites[0]);
    assert!(centro["priorities"]["moments"][0]["worst_site"].is_null());
}

#[tokio::test]
async fn ipa_consistency_and_gaps_are_computed_as_documented() {
    let (app, token, w) = world().await;
    let api = app.api(&token);
    let s = w.service_id;
    let (status, ipa, _) = api.get(&format!("/api/v1/services/{s}/ipa")).await;
    assert_eq!(status, StatusCode::OK, "{ipa}");
    let wait = moment(&ipa["ipa"]["points"], "wait-turn");
    assert_eq!(wait["importance"]["method"], "pearson_overall_csat");
    assert_eq!(wait["importance"]["n"], 180);
    assert_eq!(wait["quadrant"], "concentrate_here");
    assert!(ipa["ipa"]["performance_split"].is_number());

    let (status, c, _) = api.get(&format!("/api/v1/services/{s}/consistency")).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let wait = moment(&c["consistency"]["moments"], "wait-turn");
    assert_eq!(
        wait["sites"][0]["site_id"], w.sites[1],
        "Norte has the lowest mean"
    );
    assert_eq!(wait["site_spread"]["groups"], 3);
    assert!(wait["site_spread"]["sd"].as_f64().unwrap() > 20.0);
    assert!(wait["week_spread"]["groups"].as_u64().unwrap() >= 8);
    assert_eq!(c["consistency"]["target"], 75.0);

    let (status, g, _) = api.get(&format!("/api/v1/services/{s}/gaps")).await;
    assert_eq!(status, StatusCode::OK, "{g}");
    let dims = g["gaps"]["dimensions"].as_array().unwrap();
    let names: Vec<&str> = dims
        .iter()
        .map(|d| d["servqual"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tangibles", "responsiveness", "assurance"]);
    assert_eq!(dims[1]["importance"]["value"], 5.0);
    assert!(dims[1]["gap"]["value"].as_f64().unwrap() < -1.0);
    assert!(g["gaps"]["weighted"].as_f64().unwrap() < g["gaps"]["unweighted"].as_f64().unwrap());
    assert_eq!(g["gaps"]["by_site"].as_array().unwrap().len(), 3);
    assert_eq!(g["gaps"]["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn csv_and_problems() {
    let (app, token, w) = world().await;
    let api = app.api(&token);
    let s = w.service_id;
    for (name, first_column) in [
        ("gaps", "site,level,code"),
        ("ipa", "position,key,name,critical,performance"),
        ("consistency", "position,key,name,critical,mean"),
        ("priorities", "rank,position,key"),
    ] {
        let (status, body, headers) = api
            .get(&format!("/api/v1/services/{s}/{name}?format=csv"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
        let text = body.as_str().unwrap();
        assert!(text.starts_with(first_column), "{name}: {text}");
    }
    let (_, csv, _) = api
        .get(&format!("/api/v1/services/{s}/priorities?format=csv"))
        .await;
    let second_line = csv.as_str().unwrap().lines().nth(1).unwrap().to_string();
    assert!(second_line.starts_with("1,3,wait-turn,Wait for the turn,true,"));

    let (status, problem, _) = api
        .get(&format!(
            "/api/v1/services/{s}/priorities?from=2026-06-10&to=2026-06-01&staff=1&site=999&w_gap=-1"
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["to", "staff", "site", "w_gap"]);
    let (status, _, _) = api.get("/api/v1/services/999/ipa").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let no_cycle = app.seed_service_with_cycle("empty", 0, &[]).await.id;
    let (status, _, _) = api
        .get(&format!("/api/v1/services/{no_cycle}/consistency"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The whole report by API: the same figures as the priorities endpoint, the weights asked
/// for, every section, CSV, and every problem of the query named at once.
#[tokio::test]
async fn the_whole_cycle_report_is_served_as_json_and_csv_with_chosen_weights() {
    let (app, token, w) = world().await;
    let api = app.api(&token);
    let s = w.service_id;
    let (status, report, _) = api.get(&format!("/api/v1/services/{s}/report")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let (_, alone, _) = api.get(&format!("/api/v1/services/{s}/priorities")).await;
    assert_eq!(report["priorities"], alone["priorities"]);
    assert_eq!(report["service"]["id"], s);
    for section in [
        "scorecard",
        "ipa",
        "consistency",
        "complaints",
        "action_plans",
    ] {
        assert!(!report[section].is_null(), "{section}: {report:#}");
    }
    let sites: Vec<i64> = report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(sites, w.sites);

    let weighted = "w_criticality=0&w_gap=0&w_importance=0&w_inconsistency=0&w_complaints=1";
    let (status, body, _) = api
        .get(&format!("/api/v1/services/{s}/report?{weighted}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, alone, _) = api
        .get(&format!("/api/v1/services/{s}/priorities?{weighted}"))
        .await;
    assert_eq!(body["priorities"], alone["priorities"]);
    assert_eq!(body["priorities"]["config"]["weights"]["gap"], 0.0);

    let (status, csv, headers) = api
        .get(&format!(
            "/api/v1/services/{s}/report?format=csv&site={}",
            w.sites[1]
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    let text = csv.as_str().unwrap();
    assert!(
        text.starts_with("section,moment_position,moment_key"),
        "{text}"
    );
    assert!(text.contains("\npriorities,3,wait-turn,"), "{text}");

    let (status, problem, _) = api
        .get(&format!(
            "/api/v1/services/{s}/report?from=2026-06-10&to=2026-06-01&site=999&w_gap=-1"
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["to", "site", "w_gap"]);
    let (status, _, _) = api.get("/api/v1/services/999/report").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
