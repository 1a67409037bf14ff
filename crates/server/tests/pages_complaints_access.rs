//! Every complaint page and form × every role: everyone signed in reads the queue, a
//! complaint and the escalations; registering, moving, assigning, updating, promising and
//! resolving need `HandleComplaints` (admins, managers, agents). Denials are the localized
//! 403 page, write nothing and are audited; readers see no forms.
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use complaints_support::{NewCase, create, promise, token};
use pages_evidence_support::{Bank, an_hour_ago, seed_bank, send};
use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    complaints::PromiseKind,
    user::{Permission, Role},
};

type Form = Vec<(String, String)>;

fn owned(pairs: &[(&str, &str)]) -> Form {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn get_routes(bank: &Bank, id: i64) -> Vec<(String, Permission)> {
    vec![
        ("/complaints".into(), Permission::Read),
        (
            format!(
                "/complaints?site={}&severity=high&overdue=1&sort=severity&dir=asc&page=1",
                bank.centro
            ),
            Permission::Read,
        ),
        (format!("/complaints/{id}"), Permission::Read),
        ("/escalations".into(), Permission::Read),
        (
            format!("/escalations?site={}", bank.centro),
            Permission::Read,
        ),
        ("/complaints/new".into(), Permission::HandleComplaints),
    ]
}

/// Each role's POSTs act on a complaint and promises of its own, so every allowed move is
/// valid when it arrives. Expected success status with each.
async fn post_routes(app: &TestApp, bank: &Bank, tag: &str) -> Vec<(String, Form, StatusCode)> {
    let x = create(app, bank, NewCase::new(tag, "Slow queue", token(tag))).await;
    let keep = promise(app, x.id, PromiseKind::Callback, "Call", 3).await;
    let drop = promise(app, x.id, PromiseKind::Custom, "Letter", 3).await;
    let id = x.id;
    let due = (chrono::Utc::now() + chrono::Duration::hours(4))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    vec![
        (
            "/complaints".into(),
            owned(&[
                ("customer", &format!("walk-in {tag}")),
                ("channel", "in_person"),
                ("severity", "low"),
                ("description", "Waited too long"),
                ("received_at", &an_hour_ago()),
            ]),
            StatusCode::CREATED,
        ),
        (
            "/complaints/assign".into(),
            owned(&[("ids", &id.to_string()), ("assignee", "")]),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/transition"),
            owned(&[("to", "acknowledged")]),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/updates"),
            owned(&[
                ("visibility", "customer"),
                ("text", &format!("note by {tag}")),
            ]),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/promises"),
            owned(&[
                ("kind", "callback"),
                ("description", "Call"),
                ("due_at", &due),
            ]),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/promises/{keep}/fulfil"),
            Vec::new(),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/promises/{drop}/cancel"),
            owned(&[("reason", "Not needed")]),
            StatusCode::SEE_OTHER,
        ),
        (
            format!("/complaints/{id}/resolution"),
            owned(&[
                ("root_cause", "Short staffed"),
                ("explanation", "We were short"),
            ]),
            StatusCode::SEE_OTHER,
        ),
    ]
}

#[tokio::test]
async fn every_complaint_page_allows_and_denies_by_role() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let first = create(&app, &bank, NewCase::new("First", "Rude", token("first"))).await;

    let anon = Browser::new(&app);
    for (path, _) in get_routes(&bank, first.id) {
        let page = anon.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    for (path, form, _) in post_routes(&app, &bank, "anon").await {
        let page = anon.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "anonymous POST {path}");
    }

    let mut allowed = 0;
    for role in Role::ALL {
        let (b, _) = Browser::signed_in(&app, role, &format!("{role}@bank.test")).await;
        for (path, need) in get_routes(&bank, first.id) {
            let page = b.get(&path).await;
            if role.allows(need) {
                assert_eq!(page.status, StatusCode::OK, "{role} GET {path}");
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} GET {path}");
                assert!(page.has("Your role does not allow this"), "{path}");
            }
        }
        let may = role.allows(Permission::HandleComplaints);
        for (path, form, ok) in post_routes(&app, &bank, role.as_str()).await {
            let page = send(&b, &path, form).await;
            let want = if may { ok } else { StatusCode::FORBIDDEN };
            assert_eq!(page.status, want, "{role} POST {path}: {}", page.body);
        }
        allowed += usize::from(may);
        // Forms and buttons only for those who may use them; the nav item for everyone.
        let queue = b.get("/complaints").await;
        assert!(
            queue.has("<a href=\"/complaints\" aria-current=\"page\""),
            "{role}"
        );
        assert_eq!(queue.has("href=\"/complaints/new\""), may, "{role}");
        assert_eq!(queue.has("name=\"ids\""), may, "{role}");
        let page = b.get(&format!("/complaints/{}", first.id)).await;
        assert_eq!(page.has("/transition\""), may, "{role}");
        assert_eq!(page.has("/updates\""), may, "{role}");
        assert_eq!(page.has("/resolution\""), may, "{role}");
        assert_eq!(
            page.shows("Your role may read this complaint but not change it."),
            !may
        );
    }
    assert_eq!(allowed, 3, "admin, manager and agent");

    // Denied roles wrote nothing: one registered complaint per allowed role, plus the seeded
    // ones (first, and one per role and anon for the POST table).
    let all = app
        .store
        .list_complaints(&Default::default(), &Default::default())
        .await
        .unwrap();
    let walk_ins = all
        .items
        .iter()
        .filter(|c| c.customer_ref.starts_with("walk-in"))
        .count();
    assert_eq!(walk_ins, 3);
    for c in all.items.iter().filter(|c| {
        c.customer_ref == "viewer" || c.customer_ref == "auditor" || c.customer_ref == "anon"
    }) {
        assert_eq!(c.status.as_str(), "received", "{}", c.customer_ref);
        assert!(c.resolution.is_none());
        let updates = app.store.complaint_updates(c.id, true).await.unwrap();
        assert!(updates.is_empty(), "{}", c.customer_ref);
    }
    let denied = app
        .store
        .list_audit(
            &touchpoint_core::audit::AuditQuery {
                action: Some("access.denied".into()),
                ..Default::default()
            },
            500,
            0,
        )
        .await
        .unwrap();
    // Auditor and viewer: 1 GET + 8 POSTs each.
    assert!(denied.total >= 2 * 9, "denials audited: {}", denied.total);
}

#[tokio::test]
async fn unknown_complaints_and_promises_are_404_pages() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let x = create(&app, &bank, NewCase::new("A", "B", token("nf"))).await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    for path in ["/complaints/999", "/complaints/abc"] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has("Page not found"), "{path}");
    }
    for path in [
        format!("/complaints/{}/promises/999/fulfil", x.id),
        format!("/complaints/{}/promises/x/cancel", x.id),
        "/complaints/999/transition".to_string(),
    ] {
        let page = send(&b, &path, owned(&[("to", "acknowledged"), ("reason", "r")])).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}
