//! The improvement API on a seeded bank: the complaint analysis (counts, Pareto, promise-kept
//! rates, estimates from the configured assumptions, CSV, problems), complaints in the
//! scorecard, requirements and action plans (CRUD, problems naming fields) and each of the
//! before/after verdicts.
mod improvement_support;
mod support;

use improvement_support::{CASES, build, now, plan};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use support::{TestApp, content_type, error_fields};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn bank() -> (TestApp, String, improvement_support::Bank) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let bank = build(&app, &token).await;
    (app, token, bank)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test]
async fn complaint_analysis_counts_ranks_causes_and_labels_its_estimates() {
    let (app, token, bank) = bank().await;
    let api = app.api(&token);
    let s = bank.service_id;
    let (status, body, _) = api
        .get(&format!("/api/v1/services/{s}/complaint-analysis"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let a = &body["analysis"];
    assert_eq!(a["complaints"], CASES.len());
    let by_moment: Vec<(String, u64)> = a["by_moment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_moment,
        [
            ("wait-turn".into(), 5),
            ("get-paid".into(), 2),
            ("take-number".into(), 1)
        ]
    );
    assert!(close(&a["by_moment"][0]["share"], 62.5));
    assert_eq!(
        a["by_site"][0],
        json!({"site_id": bank.sites[1], "count": 5, "share": 62.5})
    );
    assert_eq!(a["by_dimension"][0]["key"], "responsiveness");

    // Seven known causes: 3 (two spellings), 2, then two singles sorted by text.
    let pareto = a["pareto"].as_array().unwrap();
    let bars: Vec<(&str, u64, bool)> = pareto
        .iter()
        .map(|b| {
            (
                b["cause"].as_str().unwrap(),
                b["count"].as_u64().unwrap(),
                b["vital_few"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        bars,
        [
            ("Too few cashiers at lunchtime", 3, true),
            ("Wrong notes given", 2, true),
            ("Queue numbers not called out", 1, true),
            ("Rude answer at the desk", 1, false),
        ]
    );
    assert!(close(&pareto[1]["cumulative_share"], 500.0 / 7.0));
    assert!(close(&pareto[3]["cumulative_share"], 100.0));
    assert_eq!(a["cause_unknown"], 1);

    // Kept 4 of the 7 promises that ended kept or broken.
    assert_eq!(
        (
            a["promises"]["kept"].clone(),
            a["promises"]["broken"].clone()
        ),
        (json!(4), json!(3))
    );
    assert!(close(&a["promises"]["kept_percent"]["value"], 400.0 / 7.0));
    assert_eq!(a["promises"]["kept_percent"]["n"], 7);
    let wait = &a["promises_by_moment"][0];
    assert_eq!(
        (
            wait["key"].clone(),
            wait["kept"].clone(),
            wait["broken"].clone()
        ),
        (json!("wait-turn"), json!(2), json!(3))
    );
    let agent = bank.agent_id.to_string();
    assert_eq!(a["promises_by_assignee"][0]["key"], agent.as_str());

    // Estimates: 8 × 25 silent; 200 + 7 not satisfied = 207 dissatisfied, × 11; 1 × 3.
    let e = &a["estimates"];
    assert_eq!(
        e["assumptions"],
        json!({"silent_per_complaint": 25.0, "told_by_dissatisfied": 11.0, "told_by_satisfied": 3.0})
    );
    assert!(close(&e["silent_dissatisfied"], 200.0) && close(&e["dissatisfied"], 207.0));
    assert!(close(&e["told_by_dissatisfied"], 2277.0) && close(&e["told_by_satisfied"], 3.0));

    // The organisation's own assumptions change the estimates, not the counts.
    let mine = json!({"silent_per_complaint": 10.0, "told_by_dissatisfied": 5.0, "told_by_satisfied": 2.0});
    let (status, body, _) = api.put_json("/api/v1/complaint-assumptions", &mine).await;
    assert_eq!((status, body), (StatusCode::OK, mine.clone()));
    let (_, body, _) = api.get("/api/v1/complaint-assumptions").await;
    assert_eq!(body, mine);
    let (_, body, _) = api
        .get(&format!("/api/v1/services/{s}/complaint-analysis"))
        .await;
    let e = &body["analysis"]["estimates"];
    assert!(
        close(&e["silent_dissatisfied"], 80.0) && close(&e["told_by_dissatisfied"], 87.0 * 5.0)
    );
    let (status, problem, _) = api
        .put_json(
            "/api/v1/complaint-assumptions",
            &json!({"silent_per_complaint": -1.0, "told_by_dissatisfied": 11.0, "told_by_satisfied": 5000.0}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["silent_per_complaint", "told_by_satisfied"]
    );

    // One site; a period that holds none of them.
    let (_, body, _) = api
        .get(&format!(
            "/api/v1/services/{s}/complaint-analysis?site={}",
            bank.sites[0]
        ))
        .await;
    assert_eq!(body["analysis"]["complaints"], 3);
    assert_eq!(body["site_id"], bank.sites[0]);
    let (_, body, _) = api
        .get(&format!(
            "/api/v1/services/{s}/complaint-analysis?from=2026-01-01&to=2026-01-31"
        ))
        .await;
    assert_eq!(body["analysis"]["complaints"], 0);
    assert_eq!(body["analysis"]["pareto"], json!([]));
    assert_eq!(body["analysis"]["promises"]["kept_percent"], Value::Null);
}

#[tokio::test]
async fn complaint_analysis_csv_and_problems() {
    let (app, token, bank) = bank().await;
    let api = app.api(&token);
    let s = bank.service_id;
    let (status, body, headers) = api
        .get(&format!(
            "/api/v1/services/{s}/complaint-analysis?format=csv"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    let csv = body.as_str().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "section,key,count,share_percent,cumulative_percent,vital_few,kept,broken,kept_percent,kept_low,kept_high,value"
    );
    assert!(lines.contains(&"moment,wait-turn,5,62.5,,,,,,,,"), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("root_cause,Too few cashiers at lunchtime,3,"))
    );
    assert!(
        lines.contains(&"estimate,silent_dissatisfied,,,,,,,,,,200"),
        "{csv}"
    );
    assert!(
        lines.contains(&"assumption,silent_per_complaint,,,,,,,,,,25"),
        "{csv}"
    );

    let (status, problem, _) = api
        .get(&format!(
            "/api/v1/services/{s}/complaint-analysis?from=2026-06-10&to=2026-06-01&site=999"
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["to", "site"]);
    let (status, _, _) = api.get("/api/v1/services/999/complaint-analysis").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_scorecard_counts_complaints_per_thousand_answers() {
    let (app, token, bank) = bank().await;
    let (status, card, _) = app
        .api(&token)
        .get(&format!("/api/v1/services/{}/scorecard", bank.service_id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let wait = card["moments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "wait-turn")
        .unwrap();
    // 120 answers in the last 90 days, 5 complaints.
    assert_eq!(
        (wait["answers"].clone(), wait["complaints"].clone()),
        (json!(120), json!(5))
    );
    assert!(close(&wait["complaints_per_1000"], 5000.0 / 120.0));
    let enter = &card["moments"][0];
    assert_eq!(enter["complaints"], 0);
}

#[tokio::test]
async fn requirements_are_recorded_listed_changed_and_deleted() {
    let (app, token, bank) = bank().await;
    let api = app.api(&token);
    let s = bank.service_id;
    let (status, r, headers) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn", "site_id": bank.sites[1],
                    "text": "A second cashier from 12:00 to 14:00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(
        headers.get("location").unwrap(),
        &format!("/api/v1/requirements/{id}")
    );
    assert_eq!(
        (r["source"].clone(), r["status"].clone()),
        (json!("entered"), json!("open"))
    );
    let (status, _, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "get-paid", "text": "Note counter",
                    "status": "planned"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (_, page, _) = api
        .get(&format!(
            "/api/v1/requirements?service_id={s}&moment_key=wait-turn"
        ))
        .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], id);
    let (_, page, _) = api.get("/api/v1/requirements?status=planned&limit=1").await;
    assert_eq!(
        (page["total"].clone(), page["limit"].clone()),
        (json!(1), json!(1))
    );

    let (status, u, _) = api
        .put_json(
            &format!("/api/v1/requirements/{id}"),
            &json!({"service_id": s, "moment_key": "wait-turn", "text": "Two more cashiers",
                    "status": "done"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{u}");
    assert_eq!(
        (u["text"].clone(), u["site_id"].clone()),
        (json!("Two more cashiers"), Value::Null)
    );

    let (status, problem, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "nowhere", "text": " ",
                    "source": "employee_survey"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["moment_key", "text", "response_id"]
    );
    let (status, problem, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": 999, "moment_key": "wait-turn", "text": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["service_id", "text"]);
    let (status, problem, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn", "text": "From the staff survey",
                    "source": "employee_survey", "response_id": 99999}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["response_id"]);

    let (status, _, _) = api.delete(&format!("/api/v1/requirements/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = api.get(&format!("/api/v1/requirements/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn action_plans_are_managed_and_named_problems_refused() {
    let (app, token, bank) = bank().await;
    let api = app.api(&token);
    let s = bank.service_id;
    let id = plan(&app, &token, s, "Lunchtime cashier", &["wait-turn"]).await;
    let (_, p, _) = api.get(&format!("/api/v1/action-plans/{id}")).await;
    assert_eq!(p["status"], "in_progress");
    assert_eq!(p["moment_keys"], json!(["wait-turn"]));
    let (_, page, _) = api
        .get(&format!(
            "/api/v1/action-plans?service_id={s}&moment_key=wait-turn"
        ))
        .await;
    assert_eq!(page["total"], 1);
    let (_, page, _) = api.get("/api/v1/action-plans?status=done").await;
    assert_eq!(page["total"], 0);

    let (status, problem, _) = api
        .post_json(
            "/api/v1/action-plans",
            &json!({"service_id": s, "title": "", "moment_keys": ["wait-turn", "nowhere"],
                    "owner": "Ana", "start_date": "2026-06-10", "due_date": "2026-06-01",
                    "status": "someday"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["title", "moment_keys[1]", "due_date", "status"]
    );
    let (status, problem, _) = api
        .put_json(
            &format!("/api/v1/action-plans/{id}"),
            &json!({"service_id": s, "title": "Lunchtime cashier", "moment_keys": ["wait-turn"],
                    "owner": "Ana", "start_date": "2026-06-01", "due_date": "2026-07-31",
                    "requirement_ids": [12345]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["requirement_ids"]);
    let (status, done, _) = api
        .put_json(
            &format!("/api/v1/action-plans/{id}"),
            &json!({"service_id": s, "title": "Lunchtime cashier", "moment_keys": ["wait-turn"],
                    "owner": "Ana", "start_date": "2026-06-01", "due_date": "2026-07-31",
                    "status": "done"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["status"].clone(), done["owner"].clone()),
        (json!("done"), json!("Ana"))
    );
    let (status, _, _) = api.delete(&format!("/api/v1/action-plans/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = api
        .get(&format!("/api/v1/action-plans/{id}/before-after"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn figure<'a>(moment: &'a Value, name: &str) -> &'a Value {
    moment["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == name)
        .unwrap()
}

#[tokio::test]
async fn before_after_gives_each_verdict_with_its_test() {
    let (app, token, bank) = bank().await;
    let api = app.api(&token);
    let s = bank.service_id;
    let get = |id: i64| {
        let api = app.api(&token);
        async move {
            let (status, body, _) = api
                .get(&format!("/api/v1/action-plans/{id}/before-after"))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["before_after"].clone()
        }
    };
    let wait = plan(
        &app,
        &token,
        s,
        "Lunchtime cashier",
        &["wait-turn", "take-number"],
    )
    .await;
    let b = get(wait).await;
    assert_eq!(
        b["windows"],
        json!({"before": {"from": "2026-05-02", "to": "2026-05-31"},
               "after": {"from": "2026-06-01", "to": "2026-06-30"}})
    );
    assert_eq!(
        (b["verdict"].clone(), b["min_sample"].clone()),
        (json!("improved"), json!(30))
    );
    let w = &b["moments"][0];
    assert_eq!(
        (w["moment_key"].clone(), w["verdict"].clone()),
        (json!("wait-turn"), json!("improved"))
    );
    let csat = figure(w, "csat");
    // 12 of 60 satisfied before (20%), 48 of 60 after (80%).
    assert!(close(&csat["before"]["value"], 20.0) && close(&csat["after"]["value"], 80.0));
    assert_eq!(csat["test"], "two_proportion_z");
    assert!(csat["p_value"].as_f64().unwrap() < 0.001);
    let mean = figure(w, "rating_mean");
    assert_eq!(
        (mean["test"].clone(), mean["verdict"].clone()),
        (json!("welch_t"), json!("improved"))
    );
    assert_eq!(figure(w, "nps")["verdict"], "not_enough_data");
    let few = &b["moments"][1];
    assert_eq!(
        (few["moment_key"].clone(), few["verdict"].clone()),
        (json!("take-number"), json!("not_enough_data"))
    );
    assert_eq!(figure(few, "csat")["after"]["n"], 10);

    let paid = plan(&app, &token, s, "Note counter", &["get-paid"]).await;
    assert_eq!(get(paid).await["verdict"], "no_detectable_change");
    let goodbye = plan(&app, &token, s, "Shorter goodbye script", &["goodbye"]).await;
    assert_eq!(get(goodbye).await["verdict"], "worse");
    let nothing = plan(&app, &token, s, "Door signs", &["enter"]).await;
    assert_eq!(get(nothing).await["verdict"], "not_enough_data");

    let (status, csv, headers) = api
        .get(&format!(
            "/api/v1/action-plans/{wait}/before-after?format=csv"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/csv; charset=utf-8");
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with("moment_key,moment,figure,before,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 2 * 4, "two moments × four figures");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("wait-turn,Wait for the turn,csat,20,")
                && l.contains(",two_proportion_z,")
                && l.ends_with(",improved,improved")),
        "{csv}"
    );
}
