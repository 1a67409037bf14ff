//! The analysis pages on the seeded demo situation: the priorities page ranks the weak wait at
//! Norte first and says why in English and Spanish; the IPA page draws the labelled scatter
//! with its quadrants, and writes out consistency and SERVQUAL gaps; the journey links both.
mod analysis_support;
mod pages_support;
mod support;

use analysis_support::{build, now};
use pages_support::Browser;
use reqwest::StatusCode;
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{clock::FixedClock, user::Role};

#[tokio::test]
async fn priorities_and_ipa_pages_explain_themselves_in_both_languages() {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let w = build(&app, &token).await;
    let s = w.service_id;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;

    let map = b.get(&format!("/services/{s}")).await;
    assert!(map.has(&format!(r#"href="/services/{s}/priorities""#)));
    assert!(map.has(&format!(r#"href="/services/{s}/ipa""#)));

    let p = b.get(&format!("/services/{s}/priorities")).await;
    assert_eq!(p.status, StatusCode::OK);
    let first = p.text();
    let first = &first[first.find("Rank 1:").expect("rank 1")..];
    let first = &first[..first.find("Rank 2:").unwrap_or(first.len())];
    assert!(first.contains("3. Wait for the turn"), "{first}");
    assert!(
        first.contains("Ranks first because it is critical"),
        "{first}"
    );
    assert!(first.contains("points below target at Norte"), "{first}");
    assert!(first.contains("it drew 4 complaints"), "{first}");
    assert!(p.shows("Weights: criticality 0.30, gap to target 0.30"));
    assert!(p.shows("Gap to target"));

    b.get("/lang/es?next=/").await;
    let es = b.get(&format!("/services/{s}/priorities")).await;
    assert!(es.shows("Queda en primer lugar porque es un momento crítico"));
    assert!(es.shows("puntos por debajo de la meta en Norte"));
    assert!(es.shows("Pesos: criticidad 0,30"));

    let ipa = b.get(&format!("/services/{s}/ipa")).await;
    assert_eq!(ipa.status, StatusCode::OK);
    for text in [
        "Concentrarse aquí",
        "Mantener el buen trabajo",
        "Baja prioridad",
        "Posible exceso",
        "3. Wait for the turn",
        "correlación de Pearson con la satisfacción general",
        "Brechas SERVQUAL",
        "Capacidad de respuesta",
        "Más baja: Norte",
        "Lo atienden con prontitud, sin esperas innecesarias. (Capacidad de respuesta)",
        "Ponderada por la importancia que declaran los clientes",
    ] {
        assert!(ipa.shows(text), "missing {text}");
    }
    assert!(ipa.has(r#"<svg class="ipa-svg""#));

    b.get("/lang/en?next=/").await;
    // One site: Centro's wait is fine, so nothing is "below target at Norte" any more.
    let centro = b
        .get(&format!("/services/{s}/priorities?site={}", w.sites[0]))
        .await;
    assert!(centro.has(&format!(
        r#"<option value="{}" selected>Centro"#,
        w.sites[0]
    )));
    assert!(!centro.shows("below target at Norte"));
    // Weights from the form: only complaints count, so get-paid (one complaint) is second.
    let q = "w_criticality=0&w_gap=0&w_importance=0&w_inconsistency=0&w_complaints=1";
    let weighted = b.get(&format!("/services/{s}/priorities?{q}")).await;
    let text = weighted.text();
    let second =
        &text[text.find("Rank 2:").expect("rank 2")..text.find("Rank 3:").expect("rank 3")];
    assert!(second.contains("4. Get paid"), "{second}");
    assert!(weighted.shows("it drew 1 complaint (5.6 per 1,000 answers)"));
    let bad = b.get(&format!("/services/{s}/priorities?w_gap=-2")).await;
    assert!(bad.shows("Weights must be numbers of 0 or more"));
    assert!(bad.shows("Weights: criticality 0.30, gap to target 0.30"));

    let en = b
        .get(&format!("/services/{s}/ipa?from=2026-06-01&to=2026-05-01"))
        .await;
    assert!(
        en.shows("Enter both dates as YYYY-MM-DD"),
        "a refused period is said"
    );
    assert!(en.shows("Concentrate here") && en.shows("SD across sites"));
}
