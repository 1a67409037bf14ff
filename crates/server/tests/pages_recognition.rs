//! `/recognition` and `/recognition/certificate` in English and Spanish: the ranking with every
//! figure, its n and points, the formula, the unranked person and why, the certificate of each
//! site's winner, the empty state, a bad month, and user text escaped.
mod pages_support;
mod recognition_support;
mod support;

use pages_support::Browser;
use recognition_support::{now, seed};
use reqwest::StatusCode;
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{audit::Actor, clock::FixedClock, org::StaffFields, user::Role};

async fn app() -> TestApp {
    TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await
}

#[tokio::test]
async fn the_ranking_shows_every_figure_and_why_in_english() {
    let app = app().await;
    seed(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    let page = b.get("/recognition").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Recognition · December 2025",
        "Centro",
        "Norte",
        "Ana Ruiz",
        "88.0",
        "n=6",
        "+40.0",
        "88.0 points = Mystery shopper 40.0 + Customer satisfaction 40.0 + Compliments 8.0.",
        "audit at the moments of their role",
        "Not ranked",
        "left out: 3 of 10 needed",
        "Not enough evidence: the figures that count carry 15 % of the weight.",
        "How the score works",
        "value=\"2025-12\"",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    // Ana (rank 1) comes before Bruno (rank 2) before Carla (not ranked).
    let body = page.text();
    let at = |s: &str| body.find(s).unwrap();
    assert!(at("Ana Ruiz") < at("Bruno Díaz") && at("Bruno Díaz") < at("Carla Gómez"));
}

#[tokio::test]
async fn the_ranking_and_certificate_speak_spanish() {
    let app = app().await;
    seed(&app).await;
    let (mut b, _) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;
    b.get("/lang/es?next=/recognition").await;
    let page = b.get("/recognition?month=2025-12").await;
    for text in [
        "Reconocimiento · diciembre de 2025",
        "88,0 puntos = Cliente incógnito 40,0 + Satisfacción de clientes 40,0 + Felicitaciones 8,0.",
        "no cuenta: 3 de 10 necesarias",
        "Sin puesto",
        "Cómo se calcula el puntaje",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    let cert = b.get("/recognition/certificate?month=2025-12").await;
    assert_eq!(cert.status, StatusCode::OK);
    for text in [
        "Diploma de reconocimiento",
        "Colaborador del mes",
        "Ana Ruiz",
        "Diego Paz",
        "Centro · diciembre de 2025",
        "Puntaje de reconocimiento: 88,0 de 100",
        "Cliente incógnito: 100,0 (n=6)",
    ] {
        assert!(cert.shows(text), "missing {text:?}");
    }
    assert!(
        !cert.shows("Bruno Díaz"),
        "only the winners get a certificate"
    );
    let _ = &mut b;
}

#[tokio::test]
async fn the_certificate_names_each_sites_winner_and_a_site_filter_keeps_one() {
    let app = app().await;
    let s = seed(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    let page = b
        .get(&format!(
            "/recognition/certificate?month=2025-12&site={}",
            s.norte
        ))
        .await;
    assert!(page.shows("Certificate of recognition"));
    assert!(page.shows("Diego Paz") && page.shows("Norte · December 2025"));
    assert!(!page.shows("Ana Ruiz"));
    // November: nobody has evidence, each site says so.
    let page = b.get("/recognition/certificate?month=2025-11").await;
    assert!(page.shows("Nobody at Centro had enough evidence this month to be recognised."));
}

#[tokio::test]
async fn empty_state_bad_month_and_escaped_names() {
    let app = app().await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    let page = b.get("/recognition").await;
    assert!(page.shows("No active staff members here yet"));
    let page = b.get("/recognition?month=2025-14").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("That month could not be read"), "{}", page.body);
    assert!(page.shows("showing December 2025 instead"));

    app.store
        .create_staff(
            &Actor::system("test"),
            &StaffFields {
                name: "<script>alert(1)</script>".into(),
                role: "\"><img src=x onerror=alert(2)>".into(),
                site_id: None,
                email: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let page = b.get("/recognition").await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.shows("<script>alert(1)</script>"), "shown as text");
    assert!(page.shows("No site"));
}

#[tokio::test]
async fn the_page_csv_downloads_without_a_token() {
    let app = app().await;
    seed(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    let page = b.get("/recognition.csv?month=2025-12").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.starts_with("month,site_id,site,rank"));
    assert_eq!(page.body.lines().count(), 5);
}
