//! Customers, sales and the portfolio ranking through the API.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, error_fields};
use touchpoint_core::{audit::AuditQuery, user::Role};

async fn four_customers(api: &support::Api<'_>) {
    for (r, n) in [
        ("P", "Perez"),
        ("A", "Antunez"),
        ("F", "Fernandez"),
        ("G", "Gomez"),
        ("Z", "Zapata"),
    ] {
        let (s, body, _) = api
            .post_json(
                "/api/v1/customers",
                &json!({"ref": r, "name": n, "status": "active"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    // The totals arrive over several rows each, one of them a string amount.
    let sales = json!([
        {"customer": "P", "date": "2026-03-01", "amount": 20000, "currency": "USD", "sale_id": "s1"},
        {"customer": "P", "date": "2026-03-02", "amount": "500", "currency": "USD", "sale_id": "s2"},
        {"customer": "A", "date": "2026-03-03", "amount": 16500, "currency": "USD", "sale_id": "s3"},
        {"customer": "F", "date": "2026-03-04", "amount": 10000.5, "currency": "USD", "sale_id": "s4"},
        {"customer": "F", "date": "2026-03-05", "amount": 2299.5, "currency": "USD", "sale_id": "s5"},
        {"customer": "G", "date": "2026-03-06", "amount": 700, "currency": "usd", "sale_id": "s6"},
    ]);
    let (s, body, _) = api.post_json("/api/v1/sales", &sales).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 6);
    // A retry records nothing twice.
    let (_, body, _) = api.post_json("/api/v1/sales", &sales).await;
    assert_eq!(
        (body["created"].clone(), body["already_present"].clone()),
        (json!(0), json!(6))
    );
}

/// A non-JSON body (CSV) as text.
async fn text(api: &support::Api<'_>, path: &str) -> String {
    let (status, body, _) = api.get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    body.as_str().unwrap_or_default().to_string()
}

fn rows(page: &Value) -> Vec<(u64, String, f64, f64, f64)> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rank"].as_u64().unwrap(),
                r["name"].as_str().unwrap().to_string(),
                r["sales"].as_f64().unwrap(),
                r["cumulative"].as_f64().unwrap(),
                r["cumulative_hundredths"].as_f64().unwrap() / 100.0,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_ranking_adds_up_by_api_and_csv() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    four_customers(&api).await;
    let (s, page, _) = api
        .get("/api/v1/portfolio/ranking?from=2026-03-01&to=2026-03-31")
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let s = |v: &str| v.to_string();
    assert_eq!(
        rows(&page),
        [
            (1, s("Perez"), 20500.0, 20500.0, 41.0),
            (2, s("Antunez"), 16500.0, 37000.0, 74.0),
            (3, s("Fernandez"), 12300.0, 49300.0, 98.6),
            (4, s("Gomez"), 700.0, 50000.0, 100.0),
            (5, s("Zapata"), 0.0, 50000.0, 100.0),
        ]
    );
    assert_eq!(
        (page["total"].as_f64(), page["currency"].as_str()),
        (Some(50000.0), Some("USD"))
    );
    let res = text(
        &api,
        "/api/v1/portfolio/ranking.csv?from=2026-03-01&to=2026-03-31",
    )
    .await;
    let lines: Vec<&str> = res.lines().collect();
    assert_eq!(
        lines[0],
        "rank,ref,name,status,sales,cumulative,share_pct,cumulative_pct,tier,currency"
    );
    assert_eq!(
        lines[1],
        "1,P,Perez,active,20500,20500,41.00,41.00,important,USD"
    );
    assert_eq!(
        lines[3],
        "3,F,Fernandez,active,12300,49300,24.60,98.60,important,USD"
    );
    assert_eq!(lines[4], "4,G,Gomez,active,700,50000,1.40,100.00,small,USD");
    assert_eq!(lines[5], "5,Z,Zapata,active,0,50000,0.00,100.00,small,USD");
    // Paging and a tier filter.
    let (_, page, _) = api
        .get("/api/v1/portfolio/ranking?from=2026-03-01&to=2026-03-31&tier=important&limit=2&offset=1")
        .await;
    assert_eq!((page["matching"].as_u64(), rows(&page).len()), (Some(3), 2));
}

/// The server keeps computed rankings; a sale or a renamed customer must show up at once.
#[tokio::test]
async fn a_kept_ranking_follows_every_sale_and_change() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    four_customers(&api).await;
    let path = "/api/v1/portfolio/ranking?from=2026-03-01&to=2026-03-31";
    let first = |page: &Value| rows(page)[0].clone();
    let (_, page, _) = api.get(path).await;
    assert_eq!(first(&page).1, "Perez");
    let (_, page, _) = api.get(path).await;
    assert_eq!(first(&page).1, "Perez", "asked again: the same answer");
    let sale = json!([{"customer": "Z", "date": "2026-03-09", "amount": 30000, "currency": "USD", "sale_id": "s9"}]);
    let (s, body, _) = api.post_json("/api/v1/sales", &sale).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, page, _) = api.get(path).await;
    assert_eq!(
        (first(&page).1, first(&page).2),
        ("Zapata".to_string(), 30000.0)
    );
    let (_, list, _) = api.get("/api/v1/customers?q=Zapata").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (s, body, _) = api
        .put_json(
            &format!("/api/v1/customers/{id}"),
            &json!({"ref": "Z", "name": "Zapata Hnos."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, page, _) = api.get(path).await;
    assert_eq!(first(&page).1, "Zapata Hnos.");
}

#[tokio::test]
async fn bad_input_names_its_field() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Agent).await;
    let api = app.api(&token);
    let (s, body, _) = api
        .post_json(
            "/api/v1/customers",
            &json!({"ref": "", "name": "X", "status": "lost"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["ref", "lost_reason"]);
    api.post_json("/api/v1/customers", &json!({"ref": "C-1", "name": "Uno"}))
        .await;
    let (s, body, _) = api
        .post_json("/api/v1/customers", &json!({"ref": "C-1", "name": "Otro"}))
        .await;
    assert_eq!(
        (s, error_fields(&body)),
        (StatusCode::CONFLICT, vec!["ref".to_string()])
    );
    let (s, body, _) = api
        .post_json(
            "/api/v1/sales",
            &json!([
                {"customer": "C-1", "date": "2026-13-01", "amount": 5, "currency": "USD"},
                {"customer": "NOPE", "date": "2026-01-01", "amount": 5, "currency": "USD"},
                {"customer": "C-1", "date": "2026-01-01", "amount": 5, "currency": "USD"},
            ]),
        )
        .await;
    assert_eq!(s, StatusCode::MULTI_STATUS, "{body}");
    assert_eq!(body["items"][0]["errors"][0]["field"], "[0].date");
    assert_eq!(body["items"][1]["errors"][0]["field"], "[1].customer");
    assert_eq!(body["items"][2]["result"], "created");
    let (s, body, _) = api
        .get("/api/v1/portfolio/ranking?from=2026-02-01&to=2026-01-01")
        .await;
    assert_eq!(
        (s, error_fields(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["from".to_string()])
    );
    let (s, _, _) = api
        .post_json(
            "/api/v1/sales",
            &json!([{"customer": "C-1", "date": "2026-01-02", "amount": 1, "currency": "EUR"}]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body, _) = api
        .get("/api/v1/portfolio/ranking?from=2026-01-01&to=2026-01-31")
        .await;
    assert_eq!(
        (s, error_fields(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["currency".to_string()]
        )
    );
}

#[tokio::test]
async fn erasure_removes_the_identity_from_every_answer() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Admin).await;
    let api = app.api(&token);
    let (_, c, _) = api
        .post_json(
            "/api/v1/customers",
            &json!({"ref": "SECRET-7", "name": "Mariela Escondida", "email": "mariela@example.com", "status": "active"}),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    api.post_json(
        "/api/v1/sales",
        &json!([{"customer": "SECRET-7", "date": "2026-03-01", "amount": 900, "currency": "USD"}]),
    )
    .await;
    let (s, data, _) = api
        .get(&format!("/api/v1/customers/{id}/personal-data"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            data["customer"]["email"].as_str(),
            data["sales"].as_array().unwrap().len()
        ),
        (Some("mariela@example.com"), 1)
    );

    let (s, _, _) = api
        .post_json(&format!("/api/v1/customers/{id}/erase"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let mut everything = String::new();
    for path in [
        format!("/api/v1/customers/{id}"),
        format!("/api/v1/customers/{id}/personal-data"),
        format!("/api/v1/customers/{id}/history"),
        "/api/v1/customers?include_archived=true".to_string(),
        "/api/v1/portfolio/ranking?from=2026-03-01&to=2026-03-31".to_string(),
        "/api/v1/audit?limit=500".to_string(),
    ] {
        let (s, body, _) = api.get(&path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {body}");
        everything.push_str(&body.to_string());
    }
    everything.push_str(
        &text(
            &api,
            "/api/v1/portfolio/ranking.csv?from=2026-03-01&to=2026-03-31",
        )
        .await,
    );
    everything.push_str(&text(&api, "/api/v1/audit/export").await);
    for secret in ["SECRET-7", "Mariela", "mariela@example.com"] {
        assert!(!everything.contains(secret), "{secret} is still shown");
    }
    // The total is kept, under the erased reference.
    let (_, page, _) = api
        .get("/api/v1/portfolio/ranking?from=2026-03-01&to=2026-03-31")
        .await;
    assert_eq!(page["total"].as_f64(), Some(900.0));
    let erasures = app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("customer.erase".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(erasures.total, 1);
}

#[tokio::test]
async fn important_customers_with_an_open_complaint_are_at_risk_and_say_why() {
    use touchpoint_core::complaints::{ComplaintInput, LedgerKind, NewLedgerEntry};
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token(Role::Manager).await;
    let api = app.api(&token);
    four_customers(&api).await;
    let now = chrono::Utc::now();
    let actor = touchpoint_core::audit::Actor::system("test");
    // Open complaints from an important customer (A), a small one (G, not listed) and
    // someone who is not in the portfolio at all (ignored, not an error).
    for (i, who) in ["A", "G", "walk-in"].into_iter().enumerate() {
        let complaint = ComplaintInput {
            customer_ref: who.into(),
            channel: "phone".into(),
            description: "Forty minutes waiting for the turn".into(),
            severity: "high".into(),
            received_at: now,
            ..ComplaintInput::default()
        }
        .validate(None, &[], now)
        .unwrap();
        app.store
            .create_complaint(&actor, &complaint, &format!("{i:02}").repeat(32))
            .await
            .unwrap();
    }
    // P's account is positive but fell during March: a thank-you note in February, a
    // failed standard in March.
    let at = |d: &str| format!("{d}T12:00:00Z").parse().unwrap();
    for (kind, day, weight) in [
        (LedgerKind::ThankYouNote, "2026-02-10", 10),
        (LedgerKind::FailedStandard, "2026-03-10", 3),
    ] {
        let entry = NewLedgerEntry {
            customer_ref: "P".into(),
            kind,
            occurred_at: at(day),
            weight: Some(weight),
            complaint_id: None,
            note: String::new(),
        };
        app.store.append_ledger(&actor, &entry).await.unwrap();
    }
    let (s, list, _) = api
        .get("/api/v1/portfolio/at-risk?from=2026-03-01&to=2026-03-31")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let rows = list.as_array().unwrap();
    let who: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["ref"].as_str().unwrap(), r["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(who, [("P", 1), ("A", 2)], "{list}");
    assert_eq!(rows[0]["reasons"][0]["kind"], "falling_balance", "{list}");
    assert_eq!(rows[0]["reasons"][0]["change"], -3, "{list}");
    let rows = &rows[1..];
    let kinds: Vec<&str> = rows[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    // The complaint is open, and it withdrew from the relationship account.
    assert_eq!(kinds, ["open_complaints", "negative_balance"], "{list}");
}
