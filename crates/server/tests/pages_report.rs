//! The printable cycle report `/services/{id}/report` on seeded banks: every section with real
//! figures (hand-checked below), empty states instead of missing sections, the refused period,
//! the inline stylesheet allowed by its hash, escaping, and both languages.
mod analysis_support;
mod improvement_support;
mod pages_support;
mod support;

use base64::Engine;
use pages_support::{Browser, Page};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{clock::FixedClock, user::Role};

/// The HTML of one section, from its heading's id to the next section.
fn section(page: &Page, id: &str) -> String {
    let text = page.text();
    let start = text
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &text[start..];
    rest[..rest.find("<section").unwrap_or(rest.len())].to_string()
}

const SECTIONS: [&str; 8] = [
    "scorecard-h",
    "map-h",
    "priorities-h",
    "ipa-h",
    "consistency-h",
    "gaps-h",
    "complaints-h",
    "plans-h",
];

#[tokio::test]
async fn the_report_holds_every_section_with_its_figures_in_both_languages() {
    let app =
        TestApp::spawn_with_clock(Arc::new(FixedClock::new(improvement_support::now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let bank = improvement_support::build(&app, &token).await;
    let s = bank.service_id;
    improvement_support::plan(&app, &token, s, "Lunchtime <b>cashier</b>", &["wait-turn"]).await;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;

    let map = b.get(&format!("/services/{s}")).await;
    // The journey map's period travels with the link.
    assert!(map.has(&format!(
        r#"href="/services/{s}/report?from=2026-04-02&amp;to=2026-06-30""#
    )));
    assert!(map.shows("Printable report"));
    let priorities = b
        .get(&format!(
            "/services/{s}/priorities?from=2026-05-01&to=2026-06-30"
        ))
        .await;
    assert!(priorities.has(&format!(
        r#"href="/services/{s}/report?from=2026-05-01&amp;to=2026-06-30""#
    )));

    let p = b.get(&format!("/services/{s}/report")).await;
    assert_eq!(p.status, StatusCode::OK);
    for id in SECTIONS {
        assert!(p.has(&format!(r#"id="{id}""#)), "section {id}");
    }
    for text in [
        "Cycle report: Service bank",
        "2026-04-02 to 2026-06-30 (UTC days)",
        "2026-01-02 to 2026-04-01 (UTC days)",
        "All branches",
        "2026-06-30 12:00 UTC",
    ] {
        assert!(p.shows(text), "heading: missing {text}");
    }

    // The wait: 60 ratings before the plan with one 4–5 in five, 60 after with four in five,
    // so CSAT = 60/120 = 50.0% with the Wilson interval 41.2% to 58.8%; 5 complaints per 120
    // answers = 41.7 per 1,000.
    let card = section(&p, "scorecard-h");
    let wait = &card[card.find(r#"id="moment-3""#).expect("the wait")..];
    let wait = &wait[..wait.find(r#"id="moment-4""#).expect("next moment")];
    for text in [
        "Wait for the turn",
        "Critical",
        "Below target",
        "50.0%",
        "41.2% to 58.8%",
        "n = 120",
        "41.7",
        "Complaints: 5",
    ] {
        assert!(wait.contains(text), "the wait: missing {text} in {wait}");
    }
    // Nobody was asked about entering the branch: a blind spot, said in words.
    let enter = &card[card.find(r#"id="moment-1""#).expect("enter")..];
    let enter = &enter[..enter.find(r#"id="moment-2""#).expect("next moment")];
    assert!(enter.contains("Blind spot"), "{enter}");
    assert!(enter.contains("Silence is not satisfaction"), "{enter}");
    assert!(card.contains("Welch's t-test"));

    let map = section(&p, "map-h");
    assert!(map.contains(r#"<svg class="journey-svg""#));
    assert!(map.contains("3. Wait for the turn — In person — Critical — Below target"));

    let ranks = section(&p, "priorities-h");
    let first = &ranks[ranks.find("Rank 1:").expect("rank 1")..];
    let first = &first[..first.find("Rank 2:").expect("rank 2")];
    assert!(first.contains("3. Wait for the turn"), "{first}");
    assert!(
        first.contains("Ranks first because it is critical"),
        "{first}"
    );
    assert!(first.contains("it drew 5 complaints (41.7 per 1,000 answers)"));
    assert!(ranks.contains("The report uses the default weights"));

    // No overall question and no SERVQUAL survey: those sections say there is no evidence.
    assert!(section(&p, "ipa-h").contains("No evidence in this period."));
    assert!(section(&p, "gaps-h").contains("No evidence in this period."));
    assert!(section(&p, "consistency-h").contains("SD across sites"));

    let complaints = section(&p, "complaints-h");
    for text in [
        "8 complaints received from 2026-04-02 to 2026-06-30 (UTC days).",
        r#"<svg class="pareto-svg""#,
        "Too few cashiers at lunchtime",
        "42.9%",
        "Overall: 57.1% of 7 promises kept",
        "Estimates from assumptions",
        "These are estimates, not measurements",
        "About 200 more customers were probably dissatisfied without complaining.",
        "Dissatisfied customers who stay silent for each one who complains",
    ] {
        assert!(complaints.contains(text), "complaints: missing {text}");
    }

    let plans = section(&p, "plans-h");
    for text in [
        "Lunchtime <b>cashier</b>",
        "Wait for the turn",
        "Marta Ruiz",
        "2026-06-01 → 2026-07-31",
        "In progress",
        "Improved",
        "At least one figure rose by more than chance explains, and none fell.",
        "Before: 2026-05-02 to 2026-05-31. After: 2026-06-01 to 2026-06-30.",
        "judged on 2026-06-30",
    ] {
        assert!(plans.contains(text), "plans: missing {text} in {plans}");
    }
    assert!(
        !p.body.contains("<b>cashier</b>") && p.shows("Lunchtime <b>cashier</b>"),
        "user text is escaped, and shown as typed"
    );

    // One document: the stylesheet is inline and the page's CSP allows exactly it.
    assert!(!p.has("/static/app.css"));
    let css = &p.body[p.body.find("<style>").expect("inline style") + 7..];
    let css = &css[..css.find("</style>").expect("style end")];
    assert!(css.contains("@media print") && css.contains("break-before: page"));
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css.as_bytes()));
    let csp = p.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains(&format!("style-src 'self' 'sha256-{hash}'")),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!p.has("<script"));

    b.get("/lang/es?next=/").await;
    let es = b.get(&format!("/services/{s}/report")).await;
    assert_eq!(es.status, StatusCode::OK);
    assert!(es.has(r#"<html lang="es">"#));
    for text in [
        "Informe del ciclo: Service bank",
        "Del 2026-04-02 al 2026-06-30 (días UTC)",
        "Todas las sucursales",
        "Cuadro de mando",
        "Bajo la meta",
        "50,0 %",
        "de 41,2 % a 58,8 %",
        "Punto ciego",
        "Prioridades",
        "Queda en primer lugar porque es un momento crítico",
        "Análisis de reclamos",
        "42,9 %",
        "Estimaciones a partir de supuestos",
        "Planes de acción",
        "Mejoró",
        "No hay evidencia en este periodo.",
    ] {
        assert!(es.shows(text), "es: missing {text}");
    }
}

#[tokio::test]
async fn the_report_draws_importance_performance_and_gaps_and_filters_by_branch() {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(analysis_support::now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let w = analysis_support::build(&app, &token).await;
    let s = w.service_id;
    let (b, _) = Browser::signed_in(&app, Role::Auditor, "a@bank.test").await;

    let p = b.get(&format!("/services/{s}/report")).await;
    assert_eq!(p.status, StatusCode::OK);
    let ipa = section(&p, "ipa-h");
    assert!(ipa.contains(r#"<svg class="ipa-svg""#));
    assert!(ipa.contains("Concentrate here") && ipa.contains("3. Wait for the turn"));
    assert!(ipa.contains("Pearson correlation with overall satisfaction"));
    let gaps = section(&p, "gaps-h");
    assert!(gaps.contains("Responsiveness") && gaps.contains("Weighted by the importance"));
    let consistency = section(&p, "consistency-h");
    assert!(consistency.contains("Lowest: Norte"), "{consistency}");
    let ranks = section(&p, "priorities-h");
    assert!(ranks.contains("points below target at Norte"));
    // No plan covers this cycle.
    assert!(section(&p, "plans-h").contains("No action plan covering this cycle"));

    // One branch: the heading names it and Norte's weakness is gone from the ranking.
    let centro = b
        .get(&format!("/services/{s}/report?site={}", w.sites[0]))
        .await;
    assert_eq!(centro.status, StatusCode::OK);
    assert!(centro.has(&format!(
        r#"<option value="{}" selected>Centro"#,
        w.sites[0]
    )));
    let facts = &centro.text()[..centro.text().find("scorecard-h").unwrap()];
    assert!(facts.contains("<dt>Branch</dt><dd>Centro</dd>"), "{facts}");
    assert!(!section(&centro, "priorities-h").contains("below target at Norte"));

    // Weights tried on the priorities page travel to the report, which says they are not
    // the defaults and keeps them when the period changes; unusable ones fall back, saying so.
    let weighted = "w_criticality=0&w_gap=0&w_importance=0&w_inconsistency=0&w_complaints=1";
    let priorities = b.get(&format!("/services/{s}/priorities?{weighted}")).await;
    assert!(
        priorities.has(
            "&amp;w_criticality=0&amp;w_gap=0&amp;w_importance=0&amp;w_inconsistency=0&amp;w_complaints=1\""
        ),
        "the report link carries the weights"
    );
    let chosen = b.get(&format!("/services/{s}/report?{weighted}")).await;
    assert_eq!(chosen.status, StatusCode::OK);
    let ranks = section(&chosen, "priorities-h");
    assert!(
        ranks.contains("chosen for this report instead of the defaults"),
        "{ranks}"
    );
    assert!(chosen.has(r#"<input type="hidden" name="w_complaints" value="1">"#));
    let bad = b.get(&format!("/services/{s}/report?w_gap=-2")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(section(&bad, "priorities-h").contains("The report uses the default weights"));
    assert!(bad.has(r#"<p class="notice" role="alert">"#));
    b.get("/lang/es?next=/").await;
    let es = b.get(&format!("/services/{s}/report?{weighted}")).await;
    assert!(es.shows("Estos pesos se eligieron para este informe"));
}

#[tokio::test]
async fn an_empty_period_keeps_every_section_and_a_bad_period_is_refused() {
    let app =
        TestApp::spawn_with_clock(Arc::new(FixedClock::new(improvement_support::now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let bank = improvement_support::build(&app, &token).await;
    let s = bank.service_id;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;

    let quiet = b
        .get(&format!(
            "/services/{s}/report?from=2026-01-01&to=2026-01-31"
        ))
        .await;
    assert_eq!(quiet.status, StatusCode::OK);
    for id in SECTIONS {
        assert!(quiet.has(&format!(r#"id="{id}""#)), "section {id}");
    }
    assert!(section(&quiet, "scorecard-h").contains("every moment is a blind spot"));
    assert!(!section(&quiet, "scorecard-h").contains("Below target"));
    for id in ["priorities-h", "ipa-h", "consistency-h", "gaps-h"] {
        assert!(
            section(&quiet, id).contains("No evidence in this period."),
            "{id}"
        );
    }
    assert!(section(&quiet, "complaints-h").contains("No complaints in this period."));
    assert!(!quiet.has("pareto-bar"));
    assert!(section(&quiet, "plans-h").contains("No action plan covering this cycle"));

    for query in [
        "from=2026-06-01&to=2026-05-01",
        "from=2026-13-01",
        "from=2000-01-01&to=2026-06-30",
    ] {
        let bad = b.get(&format!("/services/{s}/report?{query}")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(bad.shows("Enter both dates as YYYY-MM-DD"), "{query}");
        assert!(bad.has(r#"aria-invalid="true""#), "{query}");
        assert!(
            !bad.has(r#"id="scorecard-h""#),
            "no report for dates not asked: {query}"
        );
    }
    b.get("/lang/es?next=/").await;
    let bad = b
        .get(&format!(
            "/services/{s}/report?from=2026-06-01&to=2026-05-01"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("Escriba ambas fechas como AAAA-MM-DD"));

    // A service without a published cycle still gets its report, saying so.
    let bare = app.seed_service_with_cycle("bare", 0, &[]).await;
    let r = b.get(&format!("/services/{}/report", bare.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.shows("Este servicio aún no tiene un ciclo publicado"));
    for id in SECTIONS {
        assert!(r.has(&format!(r#"id="{id}""#)), "section {id}");
    }
    assert_eq!(
        b.get("/services/999/report").await.status,
        StatusCode::NOT_FOUND
    );
}
