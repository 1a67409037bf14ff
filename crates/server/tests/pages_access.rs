//! Every page route × every role: read pages for all, catalog edits for managers and admins,
//! users and audit for admins only. Denials are a localized 403 page and are audited.
mod pages_support;
mod support;

use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    audit::Actor,
    org::{SiteFields, StaffFields},
    user::Role,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Need {
    Read,
    Manage,
    Admin,
}

fn allowed(role: Role, need: Need) -> bool {
    match need {
        Need::Read => true,
        Need::Manage => matches!(role, Role::Admin | Role::Manager),
        Need::Admin => role == Role::Admin,
    }
}

struct Ids {
    service: i64,
    site: i64,
    staff: i64,
    user: i64,
    plan: i64,
}

fn get_routes(ids: &Ids) -> Vec<(String, Need)> {
    let (s, si, st, u, pl) = (ids.service, ids.site, ids.staff, ids.user, ids.plan);
    vec![
        ("/services".into(), Need::Read),
        ("/services?sort=key&dir=desc&page=1".into(), Need::Read),
        (format!("/services/{s}"), Need::Read),
        (format!("/services/{s}?version=1"), Need::Read),
        (format!("/services/{s}/versions"), Need::Read),
        (format!("/services/{s}/priorities"), Need::Read),
        (
            format!("/services/{s}/ipa?from=2026-01-01&to=2026-03-31"),
            Need::Read,
        ),
        (format!("/services/{s}/report"), Need::Read),
        (
            format!("/services/{s}/report?from=2026-01-01&to=2026-03-31&site={si}"),
            Need::Read,
        ),
        (format!("/services/{s}/cycle.yaml"), Need::Read),
        (format!("/services/{s}/complaint-analysis"), Need::Read),
        (
            format!("/services/{s}/complaint-analysis?from=2026-01-01&to=2026-03-31&site={si}"),
            Need::Read,
        ),
        (format!("/services/{s}/complaint-analysis.csv"), Need::Read),
        ("/action-plans".into(), Need::Read),
        ("/action-plans?status=in_progress&page=1".into(), Need::Read),
        (format!("/action-plans/{pl}"), Need::Read),
        (format!("/action-plans/{pl}/before-after.csv"), Need::Read),
        ("/action-plans/new".into(), Need::Manage),
        (format!("/action-plans/new?service={s}"), Need::Manage),
        (format!("/action-plans/{pl}/edit"), Need::Manage),
        (format!("/services/{s}/edit"), Need::Manage),
        ("/sites".into(), Need::Read),
        (format!("/sites/{si}/edit"), Need::Manage),
        ("/staff".into(), Need::Read),
        (format!("/staff?site={si}"), Need::Read),
        (format!("/staff/{st}/edit"), Need::Manage),
        ("/users".into(), Need::Admin),
        (format!("/users/{u}/edit"), Need::Admin),
        ("/audit".into(), Need::Admin),
        ("/audit.csv".into(), Need::Admin),
        ("/recognition".into(), Need::Read),
        (format!("/services/{s}/employee-voice"), Need::Read),
        (format!("/recognition?month=2025-12&site={si}"), Need::Read),
        ("/recognition.csv?month=2025-12".into(), Need::Read),
        ("/recognition/certificate?month=2025-12".into(), Need::Read),
        ("/recognition/settings".into(), Need::Manage),
    ]
}

type Form = Vec<(&'static str, String)>;

fn post_routes(ids: &Ids, tag: &str) -> Vec<(String, Form, Need)> {
    let (s, si, st, u) = (ids.service, ids.site, ids.staff, ids.user);
    vec![
        (
            "/services".into(),
            vec![("name", format!("Service by {tag}"))],
            Need::Manage,
        ),
        (
            format!("/services/{s}/edit"),
            vec![("action", "add".into()), ("m0.key", "a".into())],
            Need::Manage,
        ),
        (
            "/sites".into(),
            vec![("name", format!("Site by {tag}"))],
            Need::Manage,
        ),
        (
            format!("/sites/{si}"),
            vec![("name", "Centro".into()), ("active", "on".into())],
            Need::Manage,
        ),
        (format!("/sites/{si}/deactivate"), vec![], Need::Manage),
        (
            "/action-plans".into(),
            vec![
                ("service_id", s.to_string()),
                ("title", format!("Plan by {tag}")),
                ("moment_keys", "m2".into()),
                ("owner", "Ana".into()),
                ("start_date", "2026-02-01".into()),
                ("due_date", "2026-04-30".into()),
            ],
            Need::Manage,
        ),
        (
            format!("/action-plans/{}", ids.plan),
            vec![
                ("title", "Lunchtime cashier".into()),
                ("moment_keys", "m2".into()),
                ("owner", "Ana".into()),
                ("start_date", "2026-01-01".into()),
                ("due_date", "2026-03-31".into()),
                ("status", "in_progress".into()),
            ],
            Need::Manage,
        ),
        (
            format!("/services/{s}/complaint-assumptions"),
            vec![
                ("silent_per_complaint", "20".into()),
                ("told_by_dissatisfied", "9".into()),
                ("told_by_satisfied", "3".into()),
            ],
            Need::Manage,
        ),
        (
            "/recognition/settings".into(),
            [
                ("audit.weight", "0.3"),
                ("audit.min_sample", "5"),
                ("satisfaction.weight", "0.3"),
                ("satisfaction.min_sample", "10"),
                ("compliments.weight", "0.15"),
                ("compliments.min_sample", "0"),
                ("resolution.weight", "0.1"),
                ("resolution.min_sample", "3"),
                ("promises_kept.weight", "0.15"),
                ("promises_kept.min_sample", "5"),
                ("compliments_for_full_marks", "5"),
                ("min_coverage", "0.5"),
            ]
            .map(|(k, v)| (k, v.to_string()))
            .to_vec(),
            Need::Manage,
        ),
        (
            "/staff".into(),
            vec![("name", format!("Staff by {tag}"))],
            Need::Manage,
        ),
        (
            format!("/staff/{st}"),
            vec![("name", "Ana".into()), ("active", "on".into())],
            Need::Manage,
        ),
        (format!("/staff/{st}/deactivate"), vec![], Need::Manage),
        (
            "/users".into(),
            vec![
                ("email", format!("new-{tag}@bank.test")),
                ("name", "New".into()),
                ("role", "viewer".into()),
                ("password", "a long enough password".into()),
            ],
            Need::Admin,
        ),
        (
            format!("/users/{u}"),
            vec![
                ("name", "Target".into()),
                ("role", "agent".into()),
                ("active", "on".into()),
            ],
            Need::Admin,
        ),
    ]
}

#[tokio::test]
async fn every_page_allows_and_denies_by_role() {
    let app = TestApp::spawn().await;
    let actor = Actor::system("test");
    let service = app.seed_service_with_cycle("cash", 4, &[2]).await;
    let site = app
        .store
        .create_site(
            &actor,
            &SiteFields {
                key: "centro".into(),
                name: "Centro".into(),
                city: "Bogotá".into(),
                timezone: "America/Bogota".into(),
                manager_email: None,
                active: true,
            },
        )
        .await
        .unwrap();
    let staff = app
        .store
        .create_staff(
            &actor,
            &StaffFields {
                name: "Ana".into(),
                role: "Cashier".into(),
                site_id: Some(site.id),
                email: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let target = app
        .user_with_password(Role::Agent, "target@bank.test", support::TEST_PASSWORD)
        .await;
    let plan = touchpoint_core::improvement::ActionPlanInput {
        service_id: service.id,
        title: "Lunchtime cashier".into(),
        moment_keys: vec!["m2".into()],
        owner: "Ana".into(),
        start_date: "2026-01-01".parse().unwrap(),
        due_date: "2026-03-31".parse().unwrap(),
        status: None,
        expected_effect: String::new(),
        requirement_ids: Vec::new(),
    };
    let cycle = app.store.current_cycle(service.id).await.unwrap();
    let plan = app
        .store
        .create_action_plan(&actor, &plan.validate(Some(&cycle)).unwrap())
        .await
        .unwrap();
    let ids = Ids {
        service: service.id,
        site: site.id,
        staff: staff.id,
        user: target.id,
        plan: plan.id,
    };

    // Signed out: every GET page sends to the login form, every POST is refused.
    let anon = Browser::new(&app);
    for (path, _) in get_routes(&ids) {
        let page = anon.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    for (path, form, _) in post_routes(&ids, "anon") {
        let form: Vec<(String, String)> =
            form.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let page = anon.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "anonymous POST {path}");
    }

    for role in Role::ALL {
        let (b, _) = Browser::signed_in(&app, role, &format!("{role}@bank.test")).await;
        for (path, need) in get_routes(&ids) {
            let page = b.get(&path).await;
            if allowed(role, need) {
                assert_eq!(page.status, StatusCode::OK, "{role} GET {path}");
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} GET {path}");
                assert!(page.has("Your role does not allow this"), "{path}");
                assert!(page.has("<html lang=\"en\">"));
            }
        }
        for (path, form, need) in post_routes(&ids, role.as_str()) {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = b.submit(&path, &fields).await;
            if allowed(role, need) {
                assert!(
                    page.status == StatusCode::SEE_OTHER || page.status == StatusCode::OK,
                    "{role} POST {path}: {}",
                    page.status
                );
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} POST {path}");
            }
        }
        let nav_admin = b.get("/services").await.has("href=\"/audit\"");
        assert_eq!(nav_admin, role == Role::Admin, "audit link for {role}");
    }

    // Denied POSTs wrote nothing; each denial is in the audit log.
    let services = app.store.list_services(&Default::default()).await.unwrap();
    let names: Vec<_> = services.items.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Service by admin") && names.contains(&"Service by manager"));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("agent") || n.contains("viewer"))
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
    assert!(denied.total >= 3 * 6, "denials audited: {}", denied.total);
}

#[tokio::test]
async fn unknown_ids_are_localized_404_pages() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    for path in [
        "/services/999",
        "/services/abc",
        "/services/999/edit",
        "/services/999/versions",
        "/services/999/priorities",
        "/services/999/ipa",
        "/services/999/report",
        "/services/999/complaint-analysis",
        "/action-plans/999",
        "/action-plans/abc",
        "/sites/77/edit",
        "/users/77/edit",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has("Page not found"), "{path}");
    }
    b.get("/lang/es?next=/").await;
    let es = b.get("/services/999").await;
    assert!(es.has("No encontramos esta página"));
}
