//! The customer and portfolio pages in English and Spanish, their forms, who may use them,
//! and that customers' words never reach the page as markup.
mod pages_support;
mod support;

use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    audit::Actor,
    portfolio::{CustomerInput, Money, SaleInput},
    user::Role,
};

const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

/// The sources' four customers with sales in March 2026, and one whose name is a payload.
async fn seed(app: &TestApp) -> Vec<i64> {
    let a = Actor::system("test");
    let mut ids = Vec::new();
    for (r, n) in [
        ("P", "Perez"),
        ("A", "Antunez"),
        ("F", "Fernandez"),
        ("G", "Gomez"),
        ("X", XSS),
    ] {
        let f = CustomerInput {
            reference: r.into(),
            name: n.into(),
            status: Some("active".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        ids.push(app.store.create_customer(&a, &f).await.unwrap().id);
    }
    let sales: Vec<_> = [("P", "20500"), ("A", "16500"), ("F", "11800"), ("G", "700")]
        .iter()
        .map(|(c, m)| {
            SaleInput {
                customer: c.to_string(),
                date: "2026-03-10".into(),
                amount: Money::parse(m).unwrap(),
                currency: "USD".into(),
                ..Default::default()
            }
            .validate()
            .unwrap()
        })
        .collect();
    app.store.record_sales(&a, &sales).await.unwrap();
    ids
}

const PERIOD: &str = "/portfolio?from=2026-03-01&to=2026-03-31";

#[tokio::test]
async fn the_portfolio_page_ranks_in_english_and_spanish() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@test.local").await;
    let page = b.get(PERIOD).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Ranking by sales",
        "Pareto chart",
        "Concentration risk",
        "49500",
        "41.41",
        "74.75",
        "98.59",
        "100.00",
        "Important",
    ] {
        assert!(page.has(text), "{text} missing");
    }
    let perez = page.body.find(">Perez<").unwrap();
    let gomez = page.body.find(">Gomez<").unwrap();
    assert!(perez < gomez, "Perez ranks above Gomez");
    assert!(page.has("<svg class=\"chart pareto\""));
    let csv = b
        .get("/portfolio/ranking.csv?from=2026-03-01&to=2026-03-31")
        .await;
    assert!(
        csv.body
            .contains("3,F,Fernandez,active,11800,48800,23.84,98.59,important,USD"),
        "{}",
        csv.body
    );

    b.get("/lang/es?next=/services").await;
    let page = b.get(PERIOD).await;
    for text in [
        "Ranking por ventas",
        "Diagrama de Pareto",
        "Riesgo de concentración",
        "Importante",
        "Estados mes a mes",
    ] {
        assert!(page.has(text), "{text} missing in Spanish");
    }
    let list = b.get("/customers").await;
    assert!(list.has("Clientes") && list.has("Activo"));
}

#[tokio::test]
async fn customer_names_are_shown_as_text_never_as_markup() {
    let app = TestApp::spawn().await;
    let ids = seed(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@test.local").await;
    for path in [
        "/customers".to_string(),
        format!("/customers/{}", ids[4]),
        PERIOD.to_string(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page.has("<script>alert(1)") && !page.has("<img src=x"),
            "{path} has live markup"
        );
    }
}

#[tokio::test]
async fn status_changes_need_a_reason_and_erasure_needs_an_admin_and_a_tick() {
    let app = TestApp::spawn().await;
    let ids = seed(&app).await;
    app.seed_service_with_cycle("bank", 3, &[2]).await;
    let (agent, _) = Browser::signed_in(&app, Role::Agent, "agent@test.local").await;
    let path = format!("/customers/{}/status", ids[0]);
    // The moment that caused a loss is picked from the current cycles, by service.
    let form = agent.get(&format!("/customers/{}", ids[0])).await;
    assert!(form.has(r#"<select id="lost_moment_key" name="lost_moment_key">"#));
    assert!(form.has(r#"<optgroup label="Service bank"><option value="m1">1. Moment 1</option>"#));
    let page = agent.submit(&path, &[("status", "lost")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("field-error"), "the reason is asked for");
    let page = agent
        .submit(
            &path,
            &[
                ("status", "lost"),
                ("lost_reason", "price"),
                ("lost_moment_key", "m2"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shown = agent.get(&format!("/customers/{}", ids[0])).await;
    assert!(shown.has("Lost") && shown.has("Price"));
    assert!(
        shown.has("<td>Service bank · 2. Moment 2</td>"),
        "the history names the moment"
    );
    assert!(shown.has(r#"<option value="m2" selected>2. Moment 2</option>"#));
    // A moment no current cycle has (imported, or from an old cycle) stays, under its key.
    agent
        .submit(
            &path,
            &[
                ("status", "lost"),
                ("lost_reason", "price"),
                ("lost_moment_key", "wait"),
            ],
        )
        .await;
    let shown = agent.get(&format!("/customers/{}", ids[0])).await;
    assert!(shown.has(r#"<option value="wait" selected>wait</option>"#));
    let erase = format!("/customers/{}/erase", ids[0]);
    assert_eq!(
        agent.submit(&erase, &[("confirm", "yes")]).await.status,
        StatusCode::FORBIDDEN
    );
    let (viewer, _) = Browser::signed_in(&app, Role::Viewer, "viewer@test.local").await;
    assert_eq!(
        viewer.submit(&path, &[("status", "active")]).await.status,
        StatusCode::FORBIDDEN
    );

    let (admin, _) = Browser::signed_in(&app, Role::Admin, "admin@test.local").await;
    assert_eq!(
        admin.submit(&erase, &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(
        app.store
            .get_customer(ids[0])
            .await
            .unwrap()
            .erased_at
            .is_none()
    );
    let data = admin
        .get(&format!("/customers/{}/personal-data.json", ids[0]))
        .await;
    assert!(data.has("\"name\":\"Perez\""), "{}", data.body);
    assert_eq!(
        admin.submit(&erase, &[("confirm", "yes")]).await.status,
        StatusCode::SEE_OTHER
    );
    for path in [
        format!("/customers/{}", ids[0]),
        "/customers?inactive=1".into(),
        PERIOD.into(),
    ] {
        let page = admin.get(&path).await;
        assert!(!page.has("Perez"), "{path} still shows the erased name");
    }
    assert!(admin.get(PERIOD).await.has("49500"), "totals are kept");
    assert_eq!(
        agent
            .get(&format!("/customers/{}/personal-data.json", ids[1]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn customers_can_be_added_with_field_messages() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "manager@test.local").await;
    let empty = b.get("/customers").await;
    assert!(empty.has("No customers yet"));
    let page = b
        .submit(
            "/customers",
            &[
                ("ref", ""),
                ("name", "Ana"),
                ("email", "nope"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("ref-error") && page.has("email-error"));
    let page = b
        .submit(
            "/customers",
            &[("ref", "C-9"), ("name", "Ana"), ("status", "potential")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let dup = b
        .submit(
            "/customers",
            &[("ref", "C-9"), ("name", "Otra"), ("status", "active")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.has("ref-error"));
    let list = b.get("/customers?status=potential").await;
    assert!(list.has("C-9") && list.has("Potential"));
}
