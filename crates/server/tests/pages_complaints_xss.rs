//! Complaint text is the customer's (and staff's) words: stored as written, rendered as text.
//! Script, event-handler and attribute-breaking payloads in the description, the customer,
//! updates, promises and the resolution reach the queue, the complaint page, the escalations
//! dashboard and the customer's status page escaped — never as markup.
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use complaints_support::{NewCase, create, escalate, promise, token, update};
use pages_evidence_support::seed_bank;
use pages_support::{Browser, Page};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    audit::Actor,
    complaints::{ComplaintStatus, PromiseKind, Resolution, Visibility},
    user::Role,
};

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
];

fn all() -> String {
    PAYLOADS.join(" ")
}

/// No payload became an element; each is there as text.
fn assert_inert(where_: &str, page: &Page, expected_copies: usize) {
    assert_eq!(page.status, StatusCode::OK, "{where_}");
    let lower = page.body.to_ascii_lowercase();
    for tag in ["<script", "<img", "<svg", "<iframe"] {
        assert!(!lower.contains(tag), "{where_}: {tag} reached the HTML");
    }
    // Present as text: the escaped characters decode back to the payloads.
    let text = page.text();
    for p in PAYLOADS {
        assert!(text.contains(p), "{where_}: {p} is shown");
    }
    assert!(
        page.text().matches(PAYLOADS[1]).count() >= expected_copies,
        "{where_}: the payload is shown as text"
    );
}

#[tokio::test]
async fn payloads_are_rendered_escaped_on_every_complaint_page() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let text = all();
    let tk = token("xss");
    let mut case = NewCase::new(&text, &text, tk.clone());
    case.site = Some(bank.centro);
    let x = create(&app, &bank, case).await;
    update(&app, x.id, Visibility::Customer, &format!("Update {text}")).await;
    update(&app, x.id, Visibility::Internal, &format!("Note {text}")).await;
    promise(&app, x.id, PromiseKind::Custom, &text, 4).await;
    promise(&app, x.id, PromiseKind::Callback, &text, -1).await;
    assert_eq!(escalate(&app).await, 1);
    let actor = Actor::system("test");
    for to in [
        ComplaintStatus::Acknowledged,
        ComplaintStatus::Assessed,
        ComplaintStatus::Investigating,
    ] {
        app.store
            .transition_complaint(&actor, x.id, to, &text)
            .await
            .unwrap();
    }
    let r = Resolution {
        root_cause: text.clone(),
        root_cause_moment_key: None,
        explanation: text.clone(),
        prevention: text.clone(),
        alternatives_offered: text.clone(),
        compensation: "<b>bold</b>".into(),
        customer_satisfied: Some(true),
    };
    app.store.record_resolution(&actor, x.id, &r).await.unwrap();
    app.store
        .transition_complaint(&actor, x.id, ComplaintStatus::Responded, "")
        .await
        .unwrap();

    for role in [Role::Agent, Role::Viewer] {
        let (b, _) = Browser::signed_in(&app, role, &format!("{role}@bank.test")).await;
        let queue = b.get("/complaints").await;
        assert_inert("queue", &queue, 1);
        let searched = b.get("/complaints?q=%3Cscript%3E").await;
        assert_inert("queue search", &searched, 1);
        assert!(searched.shows("value=\"<script>\""));
        let page = b.get(&format!("/complaints/{}", x.id)).await;
        // Description, customer, two updates, two promises, transition notes, resolution.
        assert_inert(&format!("complaint page ({role})"), &page, 8);
        assert!(!page.body.contains("<b>bold</b>"));
        let escalations = b.get("/escalations").await;
        assert_inert("escalations", &escalations, 1);
    }

    let status = Browser::new(&app).get(&format!("/c/{tk}")).await;
    assert_inert("status page", &status, 2);
    assert!(status.shows(&format!("Update {text}")));
    assert!(!status.shows("Note "), "internal notes stay internal");
    assert!(!status.body.contains("<b>bold</b>"));
}
