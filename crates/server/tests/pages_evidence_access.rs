//! Every evidence page and form × every role: lists and visits for all; audits and
//! checklists for admins, managers and auditors; measurements and compliments for admins,
//! managers and agents. Denials are the localized 403 page, write nothing and are audited.
mod pages_evidence_support;
mod pages_support;
mod support;

use pages_evidence_support::{Bank, MARKS, an_hour_ago, seed_bank, send, visit_form};
use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::user::{Permission, Role};

fn get_routes(bank: &Bank, visit: i64) -> Vec<(String, Permission)> {
    let (s, site) = (bank.service, bank.centro);
    vec![
        ("/audits".into(), Permission::Read),
        (
            format!("/audits?service={s}&site={site}&page=1"),
            Permission::Read,
        ),
        (format!("/audits/{visit}"), Permission::Read),
        ("/audits/new".into(), Permission::RecordAudit),
        (format!("/audits/new?service={s}"), Permission::RecordAudit),
        (
            format!("/audits/new?service={s}&site={site}"),
            Permission::RecordAudit,
        ),
        (format!("/services/{s}/checklist"), Permission::RecordAudit),
        ("/measurements".into(), Permission::Read),
        (
            format!("/measurements?service={s}&moment=call&site={site}"),
            Permission::Read,
        ),
        ("/measurements/new".into(), Permission::RecordFeedback),
        (
            format!("/measurements/new?service={s}"),
            Permission::RecordFeedback,
        ),
        ("/compliments".into(), Permission::Read),
        (
            format!("/compliments?service={s}&staff={}", bank.ana),
            Permission::Read,
        ),
        ("/compliments/new".into(), Permission::RecordFeedback),
    ]
}

type Form = Vec<(String, String)>;

fn post_routes(bank: &Bank, tag: &str) -> Vec<(String, Form, Permission)> {
    let s = bank.service.to_string();
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    vec![
        (
            "/audits".into(),
            visit_form(bank.service, bank.centro, &[bank.ana], &MARKS),
            Permission::RecordAudit,
        ),
        (
            format!("/services/{s}/checklist"),
            // The same items again: the audits posted by later roles keep matching.
            owned(&[
                ("items.call", "Greets with the branch name"),
                (
                    "items.paid",
                    "Counts the notes in front of the customer\nOffers an envelope",
                ),
            ]),
            Permission::RecordAudit,
        ),
        (
            "/measurements".into(),
            owned(&[
                ("service", &s),
                ("standard", "call/rings"),
                ("site", &bank.centro.to_string()),
                ("observed_at", &an_hour_ago()),
                ("value", "2"),
            ]),
            Permission::RecordFeedback,
        ),
        (
            "/compliments".into(),
            owned(&[
                ("about", "cash-a-cheque/goodbye"),
                ("channel", "phone"),
                ("received_at", &an_hour_ago()),
                ("text", &format!("Thanks, said to {tag}")),
            ]),
            Permission::RecordFeedback,
        ),
    ]
}

#[tokio::test]
async fn every_evidence_page_allows_and_denies_by_role() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (first, _) = Browser::signed_in(&app, Role::Auditor, "first@bank.test").await;
    let saved = send(
        &first,
        "/audits",
        visit_form(bank.service, bank.centro, &[], &MARKS),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let visit: i64 = saved.location()["/audits/".len()..]
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let anon = Browser::new(&app);
    for (path, _) in get_routes(&bank, visit) {
        let page = anon.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    for (path, form, _) in post_routes(&bank, "anon") {
        let page = anon.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "anonymous POST {path}");
    }

    for role in Role::ALL {
        let (b, _) = Browser::signed_in(&app, role, &format!("{role}@bank.test")).await;
        for (path, need) in get_routes(&bank, visit) {
            let page = b.get(&path).await;
            if role.allows(need) {
                assert_eq!(page.status, StatusCode::OK, "{role} GET {path}");
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} GET {path}");
                assert!(page.has("Your role does not allow this"), "{path}");
            }
        }
        for (path, form, need) in post_routes(&bank, role.as_str()) {
            let page = send(&b, &path, form).await;
            if role.allows(need) {
                assert_eq!(
                    page.status,
                    StatusCode::SEE_OTHER,
                    "{role} POST {path}: {}",
                    page.body
                );
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} POST {path}");
            }
        }
        // Record buttons only for those who may record; the nav for everyone.
        let audits = b.get("/audits").await;
        assert_eq!(
            audits.has("href=\"/audits/new\""),
            role.allows(Permission::RecordAudit),
            "{role}"
        );
        let compliments = b.get("/compliments").await;
        assert_eq!(
            compliments.has("href=\"/compliments/new\""),
            role.allows(Permission::RecordFeedback),
            "{role}"
        );
        for link in ["/audits", "/measurements", "/compliments"] {
            assert!(
                audits.has(&format!("<a href=\"{link}\"")),
                "{role} nav {link}"
            );
        }
    }

    // Allowed: admin, manager, auditor audits (plus the first one); admin, manager, agent
    // measurements and compliments. Denied ones wrote nothing and were audited.
    let visits = app
        .store
        .list_visits(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(visits.total, 4);
    let measurements = app
        .store
        .list_measurements(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(measurements.total, 3);
    let compliments = app
        .store
        .list_compliments(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(compliments.total, 3);
    let texts: Vec<&str> = compliments
        .items
        .iter()
        .map(|c| c.compliment.text.as_str())
        .collect();
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("viewer") || t.contains("auditor"))
    );
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
    // agent and viewer: 4 audit GETs + 2 audit POSTs; auditor and viewer: 3 GETs + 2 POSTs.
    assert!(
        denied.total >= 2 * 6 + 2 * 5,
        "denials audited: {}",
        denied.total
    );
}

#[tokio::test]
async fn unknown_evidence_ids_are_404_pages() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    for path in [
        "/audits/999",
        "/audits/abc",
        "/services/999/checklist",
        "/services/x/checklist",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has("Page not found"), "{path}");
    }
}
