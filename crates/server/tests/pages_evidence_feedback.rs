//! Measurements and compliments through the pages (a value judged against its standard, a
//! compliment whose text stays text), and the evidence pages in Spanish.
mod pages_evidence_support;
mod pages_support;
mod support;

use pages_evidence_support::{MARKS, seed_bank, send, visit_form};
use pages_support::{Browser, pairs};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::user::Role;

#[tokio::test]
async fn a_measurement_is_judged_against_its_standard() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;
    let form = b
        .get(&format!("/measurements/new?service={}", bank.service))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("value=\"call/rings\""));
    assert!(form.shows("1. Call the branch — rings <= 3 rings"));
    let when = pages_evidence_support::an_hour_ago();
    let service = bank.service.to_string();
    let site = bank.centro.to_string();
    let record = |value: &'static str| {
        pairs(&[
            ("service", &service),
            ("standard", "call/rings"),
            ("site", &site),
            ("observed_at", &when),
            ("value", value),
        ])
    };
    let five = send(&b, "/measurements", record("5")).await;
    assert_eq!(five.status, StatusCode::SEE_OTHER, "{}", five.body);
    assert!(five.location().contains("flash=not_met"));
    let list = b.get(&five.location()).await;
    assert!(list.shows("Measurement recorded: it does not meet the standard."));
    assert!(list.shows("✗ Not met"));
    assert!(list.shows("rings <= 3 rings"));
    assert!(list.shows("5 rings"));
    assert!(list.shows("0% of 1 measurements met their standard"));

    let two = send(&b, "/measurements", record("2")).await;
    assert!(two.location().contains("flash=met"));
    let list = b.get("/measurements").await;
    assert!(list.shows("50% of 2 measurements met their standard"));
    let stored = app
        .store
        .list_measurements(&Default::default(), &Default::default())
        .await
        .unwrap();
    let met: Vec<bool> = stored.items.iter().map(|m| m.met).collect();
    assert_eq!(met.len(), 2);
    assert!(met.contains(&true) && met.contains(&false));
    let centro_only = b
        .get(&format!(
            "/measurements?service={}&site={}&moment=call",
            bank.service, bank.norte
        ))
        .await;
    assert!(centro_only.shows("No measurements to show"));
    assert!(
        centro_only.has("name=\"moment\""),
        "moment filter once a service is chosen"
    );

    let bad = send(&b, "/measurements", record("lots")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"m-value-err\""));
    assert!(bad.shows("enter a number"));
    let unknown = send(
        &b,
        "/measurements",
        pairs(&[
            ("service", &service),
            ("standard", "call/wait_minutes"),
            ("site", &site),
            ("observed_at", &when),
            ("value", "3"),
        ]),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.shows("has no standard on 'wait_minutes'"));
    let stored = app
        .store
        .list_measurements(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(stored.total, 2);
}

#[tokio::test]
async fn a_compliment_is_recorded_and_its_text_stays_text() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "manager@bank.test").await;
    let form = b.get("/compliments/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("value=\"cash-a-cheque/paid\""));
    let empty = b
        .submit(
            "/compliments",
            &[
                ("text", ""),
                ("channel", "email"),
                ("received_at", &pages_evidence_support::an_hour_ago()),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has("id=\"c-about-err\"") && empty.has("id=\"c-text-err\""));

    let ana = bank.ana.to_string();
    let centro = bank.centro.to_string();
    let when = pages_evidence_support::an_hour_ago();
    let saved = b
        .submit(
            "/compliments",
            &[
                ("about", "cash-a-cheque/paid"),
                ("staff", &ana),
                ("site", &centro),
                ("customer", "Marta <b>Gómez</b>"),
                ("channel", "email"),
                ("received_at", &when),
                (
                    "text",
                    "<script>alert('x')</script> Counted the notes with me",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = b.get(&saved.location()).await;
    assert!(list.shows("Compliment recorded."));
    assert!(!list.has("<script>alert"), "never markup");
    assert!(list.has("&lt;script&gt;") || list.has("&#60;script&#62;"));
    assert!(list.shows("<script>alert('x')</script> Counted the notes with me"));
    assert!(list.shows("Marta <b>Gómez</b>") && !list.has("<b>Gómez</b>"));
    assert!(list.shows("Cash a cheque · 3. Paid the exact amount"));
    assert!(list.shows("Ana Pérez") && list.shows("Email"));
    let by_staff = b.get(&format!("/compliments?staff={}", bank.luis)).await;
    assert!(by_staff.shows("No compliments to show"));
    let stored = app
        .store
        .list_compliments(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(stored.total, 1);
    assert_eq!(stored.items[0].service_id, Some(bank.service));
}

#[tokio::test]
async fn the_evidence_pages_speak_spanish() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    b.get("/lang/es?next=/").await;
    let form = b
        .get(&format!(
            "/audits/new?service={}&site={}",
            bank.service, bank.centro
        ))
        .await;
    assert!(form.has("<html lang=\"es\">"));
    for s in [
        "Nueva auditoría",
        "Cumple",
        "No cumple",
        "No aplica",
        "Personal observado",
        "Momento crítico",
        "Guardar auditoría",
        "Fecha y hora de la visita (UTC)",
    ] {
        assert!(form.shows(s), "{s}");
    }
    for s in ["Auditorías", "Mediciones", "Felicitaciones"] {
        assert!(form.shows(&format!(">{s}</a>")), "nav {s}");
    }
    let partial: Vec<(&str, &str)> = MARKS[..4].to_vec();
    let page = send(
        &b,
        "/audits",
        visit_form(bank.service, bank.centro, &[], &partial),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("La auditoría no se guardó"));
    assert!(page.shows("3. Paid the exact amount: 1 punto(s) sin marcar"));
    assert!(page.shows("marque este punto como «Cumple», «No cumple» o «No aplica»"));
    let saved = send(
        &b,
        "/audits",
        visit_form(bank.service, bank.centro, &[], &MARKS),
    )
    .await;
    let detail = b.get(&saved.location()).await;
    for s in [
        "Auditoría guardada.",
        "Auditoría de Cash a cheque en Centro",
        "Fallas críticas (1)",
        "Falla crítica",
        "Puntaje general",
        "No observado",
    ] {
        assert!(detail.shows(s), "{s}");
    }
    let list = b.get("/measurements").await;
    assert!(list.shows("No hay mediciones para mostrar"));
    let m = b
        .get(&format!("/measurements/new?service={}", bank.service))
        .await;
    assert!(m.shows("Registrar una medición") && m.shows("Estándar medido"));
    let c = b.get("/compliments/new").await;
    assert!(c.shows("Lo que dijo el cliente") && c.shows("Correo electrónico"));
    let audits = b.get("/audits").await;
    assert!(audits.shows("cliente incógnito"));
}
