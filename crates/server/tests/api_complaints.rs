//! The complaints and ledger API beyond the happy path: filters and sorting, every problem of
//! an input at once, all-or-nothing bulk assignment, promise rules, ledger entries by hand and
//! the configuration routes.
mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use support::{TestApp, error_fields};
use touchpoint_core::{clock::FixedClock, user::Role};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

async fn app() -> (TestApp, Arc<FixedClock>, String) {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (_, admin) = app.user_with_token(Role::Admin).await;
    (app, clock, admin)
}

fn complaint(customer: &str, severity: &str, received: DateTime<Utc>) -> Value {
    json!({"customer_ref": customer, "channel": "phone", "severity": severity,
           "description": format!("{customer} complains"), "received_at": received.to_rfc3339()})
}

fn refs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["customer_ref"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn lists_filter_sort_and_page() {
    let (app, _, admin) = app().await;
    let api = app.api(&admin);
    for (i, (who, sev)) in [("A", "low"), ("B", "critical"), ("C", "high")]
        .into_iter()
        .enumerate()
    {
        let at = t0() - Duration::hours(3 - i as i64);
        let (status, c, _) = api
            .post_json("/api/v1/complaints", &complaint(who, sev, at))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
    }
    let (_, all, _) = api.get("/api/v1/complaints").await;
    assert_eq!(
        (all["total"].as_i64(), refs(&all)),
        (Some(3), vec!["A".into(), "B".into(), "C".into()])
    );
    let (_, by_sev, _) = api.get("/api/v1/complaints?sort=severity&order=desc").await;
    assert_eq!(refs(&by_sev), ["B", "C", "A"]);
    let (_, high, _) = api.get("/api/v1/complaints?severity=high").await;
    assert_eq!(refs(&high), ["C"]);
    let (_, paged, _) = api.get("/api/v1/complaints?limit=1&offset=1").await;
    assert_eq!(
        (paged["total"].as_i64(), refs(&paged)),
        (Some(3), vec!["B".into()])
    );
    let (_, found, _) = api.get("/api/v1/complaints?q=b%20compl").await;
    assert_eq!(refs(&found), ["B"]);
    let (status, bad, _) = api.get("/api/v1/complaints?status=lost").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_fields(&bad), ["status"]);
}

#[tokio::test]
async fn overdue_lists_cases_with_a_promise_past_due() {
    let (app, clock, admin) = app().await;
    let api = app.api(&admin);
    let (_, a, _) = api
        .post_json("/api/v1/complaints", &complaint("A", "low", t0()))
        .await;
    api.post_json("/api/v1/complaints", &complaint("B", "low", t0()))
        .await;
    let id = a["complaint"]["id"].as_i64().unwrap();
    let due = (t0() + Duration::minutes(30)).to_rfc3339();
    let (status, p, _) = api
        .post_json(
            &format!("/api/v1/complaints/{id}/promises"),
            &json!({"kind": "callback", "description": "Call", "due_at": due}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (_, none, _) = api.get("/api/v1/complaints?overdue=true").await;
    assert_eq!(none["total"], 0);
    clock.advance(Duration::hours(1));
    let (_, late, _) = api.get("/api/v1/complaints?overdue=true").await;
    assert_eq!(refs(&late), ["A"]);
    // Fulfilled late: broken, but no longer overdue.
    let (status, f, _) = api
        .post_json(&format!("/api/v1/promises/{}/fulfil", p["id"]), &json!({}))
        .await;
    assert_eq!(
        (status, f["state"].as_str()),
        (StatusCode::OK, Some("broken")),
        "{f}"
    );
    let (_, after, _) = api.get("/api/v1/complaints?overdue=true").await;
    assert_eq!(after["total"], 0);
}

#[tokio::test]
async fn invalid_input_names_every_field_at_once() {
    let (app, _, admin) = app().await;
    let api = app.api(&admin);
    let (status, p, _) = api
        .post_json(
            "/api/v1/complaints",
            &json!({"customer_ref": " ", "channel": "pigeon", "severity": "dire",
                    "service_key": "no-such-service", "moment_key": "m1",
                    "description": "", "received_at": (t0() + Duration::days(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&p);
    for f in [
        "service_key",
        "customer_ref",
        "channel",
        "description",
        "severity",
        "received_at",
    ] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} missing from {fields:?}"
        );
    }
    let (status, p, _) = api
        .put_json("/api/v1/complaint-policies", &json!({"severity": "low"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&p), ["acknowledge_minutes"]);
}

#[tokio::test]
async fn a_deleted_policy_makes_no_more_promises() {
    let (app, _, admin) = app().await;
    let api = app.api(&admin);
    let (_, policy, _) = api
        .put_json(
            "/api/v1/complaint-policies",
            &json!({"severity": "low", "acknowledge_minutes": 30}),
        )
        .await;
    let (_, with, _) = api
        .post_json("/api/v1/complaints", &complaint("A", "low", t0()))
        .await;
    assert_eq!(with["promises"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/complaint-policies/{}", policy["id"]);
    let (status, _, _) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, without, _) = api
        .post_json("/api/v1/complaints", &complaint("B", "low", t0()))
        .await;
    assert_eq!(without["promises"], json!([]));
    let (_, list, _) = api.get("/api/v1/complaint-policies").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn bulk_assignment_is_all_or_nothing() {
    let (app, _, admin) = app().await;
    let (agent, _) = app.user_with_token(Role::Agent).await;
    let api = app.api(&admin);
    let mut ids = Vec::new();
    for who in ["A", "B"] {
        let (_, c, _) = api
            .post_json("/api/v1/complaints", &complaint(who, "low", t0()))
            .await;
        ids.push(c["complaint"]["id"].as_i64().unwrap());
    }
    let (status, _, _) = api
        .post_json(
            "/api/v1/complaints/assign",
            &json!({"ids": [ids[0], 999], "assignee_id": agent.id}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, unchanged, _) = api.get(&format!("/api/v1/complaints/{}", ids[0])).await;
    assert_eq!(unchanged["complaint"]["assignee_id"], Value::Null);
    let (status, done, _) = api
        .post_json(
            "/api/v1/complaints/assign",
            &json!({"ids": ids, "assignee_id": agent.id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(
        done.as_array()
            .unwrap()
            .iter()
            .all(|c| c["assignee_id"] == agent.id)
    );
    let (_, mine, _) = api
        .get(&format!("/api/v1/complaints?assignee_id={}", agent.id))
        .await;
    assert_eq!(mine["total"], 2);
    let (status, p, _) = api
        .post_json("/api/v1/complaints/assign", &json!({"ids": []}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&p), ["ids"]);
}

#[tokio::test]
async fn promises_need_a_future_due_time_and_a_reason_to_cancel() {
    let (app, _, admin) = app().await;
    let api = app.api(&admin);
    let (_, c, _) = api
        .post_json("/api/v1/complaints", &complaint("A", "low", t0()))
        .await;
    let id = c["complaint"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/complaints/{id}/promises");
    let past = (t0() - Duration::minutes(1)).to_rfc3339();
    let (status, p, _) = api
        .post_json(
            &path,
            &json!({"kind": "callback", "description": "x", "due_at": past}),
        )
        .await;
    assert_eq!(
        (status, error_fields(&p)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["due_at".into()])
    );
    let due = (t0() + Duration::hours(1)).to_rfc3339();
    let (_, p, _) = api
        .post_json(
            &path,
            &json!({"kind": "callback", "description": "x", "due_at": due}),
        )
        .await;
    let cancel = format!("/api/v1/promises/{}/cancel", p["id"]);
    let (status, e, _) = api.post_json(&cancel, &json!({"reason": " "})).await;
    assert_eq!(
        (status, error_fields(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".into()])
    );
    let (status, ok, _) = api
        .post_json(&cancel, &json!({"reason": "customer asked"}))
        .await;
    assert_eq!(
        (status, ok["state"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let (status, e, _) = api.post_json(&cancel, &json!({"reason": "again"})).await;
    assert_eq!(
        (status, error_fields(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["state".into()])
    );
    let (status, _, _) = api
        .post_json("/api/v1/promises/999/fulfil", &json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_ledger_entries_weights_and_calendars() {
    let (app, _, admin) = app().await;
    let api = app.api(&admin);
    let entry = |kind: &str| {
        json!({"customer_ref": "CU-7", "kind": kind, "occurred_at": t0().to_rfc3339(),
               "note": "Card after the visit"})
    };
    let (status, e, _) = api
        .post_json("/api/v1/ledger", &entry("thank_you_note"))
        .await;
    assert_eq!(
        (status, e["amount"].as_i64()),
        (StatusCode::CREATED, Some(1)),
        "{e}"
    );
    let (status, e, _) = api
        .post_json("/api/v1/ledger", &entry("broken_promise"))
        .await;
    assert_eq!(
        (status, error_fields(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".into()])
    );
    let (status, w, _) = api
        .put_json(
            "/api/v1/ledger-weights",
            &json!({"kind": "thank_you_note", "weight": 4}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{w}");
    let thanks = w
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "thank_you_note")
        .unwrap();
    assert_eq!(
        (thanks["weight"].as_i64(), thanks["deposit"].as_bool()),
        (Some(4), Some(true))
    );
    api.post_json("/api/v1/ledger", &entry("courtesy_call"))
        .await;
    api.post_json("/api/v1/ledger", &entry("thank_you_note"))
        .await;
    let (_, account, _) = api.get("/api/v1/customers/ledger?customer_ref=CU-7").await;
    assert_eq!(
        account["balance"],
        1 + 2 + 4,
        "the old entry keeps its weight: {account}"
    );
    assert_eq!(account["entries"]["total"], 3);
    let (status, _, _) = api.get("/api/v1/customers/ledger").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, none, _) = api.get("/api/v1/business-calendars").await;
    assert_eq!(none["calendar"], Value::Null);
    let cal = json!({"utc_offset_minutes": -300, "holidays": ["2026-12-25"],
                     "hours": [{"weekday": 1, "open_minute": 540, "close_minute": 1020}]});
    let (status, set, _) = api.put_json("/api/v1/business-calendars", &cal).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    let (_, site_cal, _) = api.get("/api/v1/business-calendars?site_id=5").await;
    assert_eq!(
        site_cal["calendar"]["utc_offset_minutes"], -300,
        "the default applies"
    );
    let (status, e, _) = api
        .put_json("/api/v1/business-calendars?site_id=999", &cal)
        .await;
    assert_eq!(
        (status, error_fields(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["site_id".into()])
    );
}
