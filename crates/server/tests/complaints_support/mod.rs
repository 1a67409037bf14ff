//! Complaints for the complaint page tests, created through the store with a known status
//! token (only its SHA-256 is stored, as the pages do), plus promises due in the past and
//! the scheduler's claim that breaks and escalates them.
#![allow(dead_code)]

use crate::{pages_evidence_support::Bank, support::TestApp};
use chrono::{Duration, Utc};
use touchpoint_core::{
    audit::Actor,
    complaints::{Complaint, ComplaintInput, NewPromise, PromiseKind, ValidUpdate, Visibility},
};
use touchpoint_server::auth::secrets::sha256_hex;

/// A token as the pages make them: 43 URL-safe characters.
pub fn token(tag: &str) -> String {
    format!("{tag:-<12}{}", "x".repeat(31))
}

pub struct NewCase<'a> {
    pub customer: &'a str,
    pub description: &'a str,
    pub site: Option<i64>,
    pub moment: Option<&'a str>,
    pub severity: &'a str,
    pub token: String,
}

impl<'a> NewCase<'a> {
    pub fn new(customer: &'a str, description: &'a str, token: String) -> Self {
        Self {
            customer,
            description,
            site: None,
            moment: None,
            severity: "medium",
            token,
        }
    }
}

pub async fn create(app: &TestApp, bank: &Bank, n: NewCase<'_>) -> Complaint {
    let cycle = app.store.current_cycle(bank.service).await.unwrap();
    let dims = app.store.list_dimensions().await.unwrap();
    let input = ComplaintInput {
        customer_ref: n.customer.into(),
        channel: "phone".into(),
        site_id: n.site,
        service_key: n.moment.map(|_| "cash-a-cheque".to_string()),
        moment_key: n.moment.map(String::from),
        dimension_key: Some("courtesy".into()).filter(|_| dims.iter().any(|d| d.key == "courtesy")),
        description: n.description.into(),
        remedy_requested: "An apology".into(),
        severity: n.severity.into(),
        assignee_id: None,
        received_at: Utc::now() - Duration::hours(3),
    };
    let valid = input.validate(Some(&cycle), &dims, Utc::now()).unwrap();
    app.store
        .create_complaint(&Actor::system("test"), &valid, &sha256_hex(&n.token))
        .await
        .unwrap()
}

pub async fn update(app: &TestApp, id: i64, visibility: Visibility, text: &str) {
    app.store
        .add_complaint_update(
            &Actor::system("test"),
            id,
            &ValidUpdate {
                visibility,
                text: text.into(),
            },
        )
        .await
        .unwrap();
}

/// A promise due `hours` from now (negative: already due).
pub async fn promise(app: &TestApp, id: i64, kind: PromiseKind, text: &str, hours: i64) -> i64 {
    app.store
        .add_promise(
            &Actor::system("test"),
            id,
            &NewPromise {
                kind,
                description: text.into(),
                due_at: Utc::now() + Duration::hours(hours),
            },
        )
        .await
        .unwrap()
        .id
}

/// What the scheduler does: break and escalate every promise already due.
pub async fn escalate(app: &TestApp) -> usize {
    app.store
        .claim_due_promises(Utc::now(), "test-node", 100)
        .await
        .unwrap()
        .len()
}
