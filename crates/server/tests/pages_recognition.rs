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

async fn post_settings(b: &Browser, f: &[(&'static str, String)]) -> pages_support::Page {
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.submit("/recognition/settings", &refs).await
}

/// Admins and managers change the formula in a form: bad values come back named (in the page
/// language) with nothing saved; good ones change the ranking at once.
#[tokio::test]
async fn managers_change_the_weights_and_minimums_in_a_form() {
    let app = app().await;
    seed(&app).await;
    let (viewer, _) = Browser::signed_in(&app, Role::Viewer, "viewer@bank.test").await;
    assert!(
        !viewer
            .get("/recognition")
            .await
            .has("/recognition/settings")
    );
    let (b, _) = Browser::signed_in(&app, Role::Manager, "manager@bank.test").await;
    assert!(
        b.get("/recognition")
            .await
            .has(r#"<a href="/recognition/settings">"#)
    );
    let form = b.get("/recognition/settings").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has(r#"name="satisfaction.min_sample" value="10""#));
    assert!(form.has(r#"name="min_coverage" value="0.5""#));

    let fields = |min_sample: &str, coverage: &str| {
        vec![
            ("audit.weight", "0.3".to_string()),
            ("audit.min_sample", "5".into()),
            ("satisfaction.weight", "0,3".into()),
            ("satisfaction.min_sample", min_sample.into()),
            ("compliments.weight", "0.15".into()),
            ("compliments.min_sample", "0".into()),
            ("resolution.weight", "0.1".into()),
            ("resolution.min_sample", "3".into()),
            ("promises_kept.weight", "0.15".into()),
            ("promises_kept.min_sample", "5".into()),
            ("compliments_for_full_marks", "5".into()),
            ("min_coverage", coverage.into()),
        ]
    };
    let bad = post_settings(&b, &fields("ten", "2")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("must be a whole number of 0 or more"));
    assert!(bad.shows("must be a share from 0 to 1"));
    assert!(
        bad.has(r#"name="satisfaction.min_sample" value="ten""#),
        "kept as typed"
    );
    assert_eq!(
        app.store.recognition_settings().await.unwrap().min_coverage,
        0.5,
        "nothing saved"
    );

    let saved = post_settings(&b, &fields("3", "0.5")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stored = app.store.recognition_settings().await.unwrap();
    assert_eq!(
        (stored.satisfaction.min_sample, stored.satisfaction.weight),
        (3, 0.3)
    );
    let page = b.get("/recognition?flash=settings").await;
    assert!(page.shows("The recognition settings were saved"));
    assert!(
        !page.shows("left out: 3 of 10 needed"),
        "three answers count now"
    );

    b.get("/lang/es?next=/").await;
    let es = post_settings(&b, &fields("-1", "0.5")).await;
    assert_eq!(es.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(es.shows("Configuración del reconocimiento"));
    assert!(es.shows("debe ser un número entero igual o mayor que 0"));
}
