//! Sites, staff, users and the audit log through the pages: create, edit, deactivate,
//! filters, pagination and the CSV export.
mod pages_support;
mod support;

use pages_support::{Browser, form_fields, set};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{listing::ListQuery, user::Role};

#[tokio::test]
async fn a_site_manager_is_entered_checked_and_cleared_in_both_languages() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let list = b.get("/sites").await;
    assert!(list.shows("Site manager's email"));
    let bad = b
        .submit("/sites", &[("name", "Norte"), ("manager_email", "gerente")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"site-manager-email-err\""));
    assert!(bad.shows("must be an email address"));
    assert!(
        bad.has("value=\"gerente\""),
        "what was typed is kept for correction"
    );
    let made = b
        .submit(
            "/sites",
            &[
                ("name", "Norte"),
                ("manager_email", "gerente@norte.example"),
            ],
        )
        .await;
    assert_eq!(made.location(), "/sites?flash=created");
    let norte = &app.store.list_sites(&ListQuery::all()).await.unwrap().items[0];
    assert_eq!(
        norte.manager_email.as_deref(),
        Some("gerente@norte.example")
    );
    assert!(b.get("/sites").await.has("gerente@norte.example"));

    // The same form in Spanish: its label, help and message.
    let switched = b.get("/lang/es?next=/sites").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let edit = b.get(&format!("/sites/{}/edit", norte.id)).await;
    assert!(
        edit.shows("Correo del gerente de la sucursal"),
        "{}",
        edit.body
    );
    assert!(edit.shows("se incumple una promesa"));
    assert!(edit.has("value=\"gerente@norte.example\""));
    let mut form = form_fields(&edit.body);
    set(&mut form, "manager_email", "gerente@");
    let bad = b.post(&format!("/sites/{}", norte.id), &form).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("debe ser un correo electrónico"), "{}", bad.body);
    // Emptying the field removes the manager.
    set(&mut form, "manager_email", "");
    let saved = b.post(&format!("/sites/{}", norte.id), &form).await;
    assert_eq!(saved.location(), "/sites?flash=updated");
    assert_eq!(
        app.store.get_site(norte.id).await.unwrap().manager_email,
        None
    );
}

#[tokio::test]
async fn sites_and_staff_are_created_edited_filtered_and_deactivated() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    assert!(b.get("/sites").await.has("No sites to show"));
    let bad = b
        .submit("/sites", &[("name", ""), ("timezone", "Not a zone!")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"site-name-err\"") && bad.has("id=\"site-timezone-err\""));
    let made = b
        .submit("/sites", &[("name", "Centro Branch"), ("city", "Bogotá")])
        .await;
    assert_eq!(made.location(), "/sites?flash=created");
    b.submit("/sites", &[("name", "Norte"), ("city", "Medellín")])
        .await;
    let sites = app.store.list_sites(&ListQuery::all()).await.unwrap().items;
    let centro = sites.iter().find(|s| s.key == "centro-branch").unwrap();
    let norte = sites.iter().find(|s| s.key == "norte").unwrap();
    let list = b.get("/sites?flash=created").await;
    assert!(list.has("Created.") && list.has("Centro Branch"));

    let edit = b.get(&format!("/sites/{}/edit", centro.id)).await;
    let mut form = form_fields(&edit.body);
    set(&mut form, "city", "Bogotá D.C.");
    let saved = b.post(&format!("/sites/{}", centro.id), &form).await;
    assert_eq!(saved.location(), "/sites?flash=updated");
    assert_eq!(
        app.store.get_site(centro.id).await.unwrap().city,
        "Bogotá D.C."
    );

    for (name, site) in [("Ana", centro.id), ("Luis", centro.id), ("Marta", norte.id)] {
        let res = b
            .submit(
                "/staff",
                &[
                    ("name", name),
                    ("role", "Cashier"),
                    ("site_id", &site.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let bad = b
        .submit("/staff", &[("name", "X"), ("email", "nope")])
        .await;
    assert!(bad.has("id=\"staff-email-err\""));
    let filtered = b.get(&format!("/staff?site={}", centro.id)).await;
    assert!(filtered.has("Ana") && filtered.has("Luis") && !filtered.has("Marta"));

    let deact = b
        .submit(&format!("/sites/{}/deactivate", norte.id), &[])
        .await;
    assert_eq!(deact.location(), "/sites?flash=deactivated");
    assert!(!app.store.get_site(norte.id).await.unwrap().active);
    assert!(!b.get("/sites").await.has("Medellín"));
    assert!(b.get("/sites?inactive=1").await.has("Medellín"));

    let staff = app.store.list_staff(&ListQuery::all(), None).await.unwrap();
    let ana = staff.items.iter().find(|s| s.name == "Ana").unwrap();
    b.submit(&format!("/staff/{}/deactivate", ana.id), &[])
        .await;
    assert!(!app.store.get_staff(ana.id).await.unwrap().active);
}

#[tokio::test]
async fn admins_manage_users_and_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let (b, admin) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    let short = b
        .submit(
            "/users",
            &[
                ("email", "new@bank.test"),
                ("name", "New"),
                ("role", "agent"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.has("id=\"user-password-err\""));
    let made = b
        .submit(
            "/users",
            &[
                ("email", "New@Bank.test"),
                ("name", "Nuevo"),
                ("role", "agent"),
                ("language", "es"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(made.location(), "/users?flash=created");
    let dup = b
        .submit(
            "/users",
            &[
                ("email", "new@bank.test"),
                ("name", "Again"),
                ("role", "agent"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert!(dup.has("is already in use"));
    let mut newcomer = Browser::new(&app);
    let login = newcomer
        .login("new@bank.test", "a long enough password")
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert!(
        newcomer.get("/services").await.has("<html lang=\"es\">"),
        "the user's language preference applies"
    );

    let new_id = app
        .store
        .find_credentials("new@bank.test")
        .await
        .unwrap()
        .user
        .id;
    let edit = b.get(&format!("/users/{new_id}/edit")).await;
    let mut form = form_fields(&edit.body);
    set(&mut form, "role", "manager");
    form.retain(|(k, _)| k != "active");
    let saved = b.post(&format!("/users/{new_id}"), &form).await;
    assert_eq!(saved.location(), "/users?flash=updated");
    let u = app.store.get_user(new_id).await.unwrap();
    assert_eq!((u.role, u.active), (Role::Manager, false));
    assert!(
        newcomer
            .get("/services")
            .await
            .location()
            .starts_with("/login")
    );

    let mut own = form_fields(&b.get(&format!("/users/{}/edit", admin.id)).await.body);
    set(&mut own, "role", "viewer");
    let refused = b.post(&format!("/users/{}", admin.id), &own).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store.get_user(admin.id).await.unwrap().role,
        Role::Admin
    );
}

#[tokio::test]
async fn audit_log_filters_pages_and_exports_csv() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    for i in 0..55 {
        b.submit("/sites", &[("name", &format!("=Site {i:02}"))])
            .await;
    }
    let page = b.get("/audit?action=site").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("1–50 of 55"));
    assert!(page.has("site.create"));
    assert!(!page.has("login.ok"));
    let next = b.get("/audit?action=site&page=2").await;
    assert!(next.has("51–55 of 55"));
    let logins = b.get("/audit?action=login").await;
    assert!(logins.has("login.ok"));
    let csv = b.get("/audit.csv?action=site").await;
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<_> = csv.body.lines().collect();
    assert!(lines[0].starts_with("id,at,actor,action"));
    assert!(csv.body.contains("site.create"));
    assert!(
        !csv.body.contains(",=Site"),
        "formula-looking cells are quoted"
    );
    let none = b.get("/audit?actor=nobody").await;
    assert!(none.has("No entries match these filters"));
}
