//! The journey map coloured by the scorecard: a colour per moment, hatched blind spots, a
//! legend and every figure written out, in English and Spanish; older versions stay plain.
mod pages_support;
mod scorecard_support;
mod support;

use pages_support::Browser;
use reqwest::StatusCode;
use scorecard_support::{build, now};
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{clock::FixedClock, user::Role};

#[tokio::test]
async fn the_current_map_is_coloured_by_the_scorecard_in_both_languages() {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let admin = app.user_with_token(Role::Admin).await.1;
    let world = build(&app, &admin).await;
    let service = world.service_id;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;

    let map = b.get(&format!("/services/{service}")).await;
    assert_eq!(map.status, StatusCode::OK);
    for text in [
        "Scorecard",
        "From 2026-04-02 to 2026-06-30 (UTC days), compared with 2026-01-02 to 2026-04-01.",
        "Targets: CSAT 80%, standards compliance 90%.",
        "Blind spot — no evidence at all — never read as good",
        "Below target — the whole 95% interval is below target",
        "Blind spot: no answers, measurements, audits, compliments or complaints in this period.",
        "Complaints: 0 (Complaints per 1,000 answers: 0",
        "CSAT: ",
        "(95% interval ",
        "Mean effort (CES, 1–7, lower is better): ",
        "Mystery-shopper score: ",
        "Compliments per 1,000 answers: ",
    ] {
        assert!(map.shows(text), "missing {text}");
    }
    assert!(map.has(r#"fill="url(#jw-hatch)""#), "m5 is hatched");
    assert!(map.shows("5. Moment 5 — In person — Blind spot</title>"));
    // No evidence before 2026-04-21, so the default period has nothing to compare with.
    assert!(!map.shows("Welch's t-test"));

    // A chosen month is compared with the 30 days before it, each trend naming its test.
    let june = b
        .get(&format!(
            "/services/{service}?from=2026-06-01&to=2026-06-30"
        ))
        .await;
    assert!(june.has(r#"name="from" type="date" value="2026-06-01""#));
    assert!(june.shows("compared with 2026-05-02 to 2026-05-31."));
    assert!(june.shows("Welch's t-test") && june.shows("two-proportion z-test"));
    assert!(june.shows("z-test on the NPS difference, p = "));
    assert!(
        june.shows("(Welch's t-test, p < 0.001)"),
        "tiny p-values are not printed as 0.000"
    );
    let reversed = b
        .get(&format!(
            "/services/{service}?from=2026-06-30&to=2026-06-01"
        ))
        .await;
    assert_eq!(reversed.status, StatusCode::OK);
    assert!(reversed.shows("Enter both dates as YYYY-MM-DD"));
    assert!(reversed.shows("From 2026-04-02 to 2026-06-30"));

    // Each moment's colour is the status the API reports, and is named in words too.
    let token = app.user_with_token(Role::Viewer).await.1;
    let (_, card, _) = app
        .api(&token)
        .get(&format!("/api/v1/services/{service}/scorecard"))
        .await;
    let labels = [
        ("good", "On target", "#15803d"),
        ("watch", "Watch", "#b45309"),
        ("poor", "Below target", "#b91c1c"),
        ("unrated", "No target figure", "#64748b"),
        ("blind_spot", "Blind spot", "url(#jw-hatch)"),
    ];
    let mut seen = 0;
    for m in card["moments"].as_array().unwrap() {
        let (_, label, fill) = labels
            .iter()
            .find(|(s, _, _)| m["status"] == *s)
            .expect("a known status");
        assert!(map.shows(&format!("Scorecard — {label}")), "{label}");
        assert!(map.has(&format!("fill=\"{fill}\"")), "{fill}");
        seen += 1;
    }
    assert_eq!(seen, 5);

    let switch = b.get(&format!("/lang/es?next=/services/{service}")).await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    let mapa = b.get(&format!("/services/{service}")).await;
    for text in [
        "Cuadro de mando",
        "Del 2026-04-02 al 2026-06-30 (días UTC)",
        "Metas: CSAT 80 %, cumplimiento de estándares 90 %.",
        "Punto ciego — ninguna evidencia; nunca se lee como algo bueno",
        "El silencio no es satisfacción.",
        "Reclamos: 0 (Reclamos por cada 1000 respuestas: 0",
        "(intervalo del 95 %: de ",
        "Esfuerzo medio (CES, 1–7; cuanto menor, mejor): ",
        "— Punto ciego</title>",
    ] {
        assert!(mapa.shows(text), "falta {text}");
    }
    let junio = b
        .get(&format!(
            "/services/{service}?from=2026-06-01&to=2026-06-30"
        ))
        .await;
    assert!(junio.shows("prueba t de Welch") && junio.shows("prueba z de dos proporciones"));
    assert!(junio.shows("Mostrar") && junio.shows("Desde") && junio.shows("Hasta"));
    assert!(junio.shows("(prueba t de Welch, p < 0,001)"));

    // An older version is history: no scorecard on it.
    let old = b.get(&format!("/services/{service}?version=1")).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(!old.shows("Cuadro de mando"));
    assert!(!old.has("-hatch)\""));
}

#[tokio::test]
async fn the_map_narrows_to_one_staff_member_and_says_what_that_leaves_out() {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let admin = app.user_with_token(Role::Admin).await.1;
    let world = build(&app, &admin).await;
    let service = world.service_id;
    let [ana, luis] = world.staff;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;

    let everyone = b.get(&format!("/services/{service}")).await;
    assert!(everyone.has(r#"<select id="sc-staff" name="staff">"#));
    assert!(everyone.shows("Ana Ruiz") && everyone.shows("Luis Soto"));
    assert!(everyone.shows("Standards compliance: "));
    assert!(!everyone.shows("Only the evidence about"));

    let page = b
        .get(&format!(
            "/services/{service}?staff={luis}&site={}",
            world.sites[1]
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has(&format!(r#"<option value="{luis}" selected>"#)));
    assert!(page.has(&format!(r#"<option value="{}" selected>"#, world.sites[1])));
    assert!(!page.has(&format!(r#"<option value="{ana}" selected>"#)));
    assert!(
        page.shows("Only the evidence about Luis Soto: answers from the customers they served")
    );
    assert!(
        !page.shows("Standards compliance: "),
        "measurements name nobody"
    );
    assert!(!page.shows("Complaints: "), "complaints name nobody");
    assert!(page.shows("CSAT: ") && page.shows("Mystery-shopper score: "));
    // The figures are the API's for the same staff member and site.
    let token = app.user_with_token(Role::Viewer).await.1;
    let (_, card, _) = app
        .api(&token)
        .get(&format!(
            "/api/v1/services/{service}/scorecard?staff={luis}&site={}",
            world.sites[1]
        ))
        .await;
    let answers = card["moments"][0]["answers"].as_u64().unwrap();
    assert!(answers > 0);
    assert!(page.shows(&format!("Answers: {answers}")), "{answers}");

    // An id that is no staff member shows everyone, as an unknown site shows every site.
    let unknown = b.get(&format!("/services/{service}?staff=999999")).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.shows("Standards compliance: "));

    b.get(&format!("/lang/es?next=/services/{service}")).await;
    let pagina = b.get(&format!("/services/{service}?staff={ana}")).await;
    assert!(pagina.shows("Colaborador") && pagina.shows("Todas las sucursales"));
    assert!(
        pagina
            .shows("Solo la evidencia sobre Ana Ruiz: las respuestas de los clientes que atendió")
    );
}
