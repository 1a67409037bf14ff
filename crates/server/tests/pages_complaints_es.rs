//! The complaint pages in Spanish (natural Latin American Spanish, usted): the queue, the
//! form's messages, the complaint page's clocks and marks, and the escalations dashboard by
//! site, newest first.
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use complaints_support::{NewCase, create, escalate, promise, token, update};
use pages_evidence_support::seed_bank;
use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    complaints::{PromiseKind, Visibility},
    user::Role,
};

async fn spanish(app: &TestApp, role: Role) -> Browser {
    let (b, _) = Browser::signed_in(app, role, &format!("{role}-es@bank.test")).await;
    let switched = b.get("/lang/es?next=/complaints").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    b
}

#[tokio::test]
async fn the_complaint_pages_speak_spanish() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let mut case = NewCase::new("Ana María", "Me contestaron de mala manera", token("es"));
    case.site = Some(bank.centro);
    case.moment = Some("take-number");
    case.severity = "critical";
    let x = create(&app, &bank, case).await;
    update(
        &app,
        x.id,
        Visibility::Customer,
        "Ya hablamos con la sucursal",
    )
    .await;
    update(&app, x.id, Visibility::Internal, "Revisar turnos").await;
    promise(&app, x.id, PromiseKind::Callback, "La llamamos hoy", 3).await;
    promise(&app, x.id, PromiseKind::Custom, "Carta de disculpa", -2).await;
    let b = spanish(&app, Role::Agent).await;

    let queue = b.get("/complaints").await;
    assert!(queue.body.contains("<html lang=\"es\">"));
    assert!(queue.has("<h1>Reclamos</h1>"));
    assert!(queue.shows("Todos los estados"));
    assert!(queue.shows("Solo con promesas vencidas"));
    assert!(queue.shows("Crítica"));
    assert!(queue.shows("Recibido"));
    assert!(queue.shows("Vencido"));
    assert!(queue.shows("Asignar los reclamos marcados a"));
    assert!(queue.shows("1–1 de 1"));

    let form = b.get("/complaints/new").await;
    assert!(form.shows("Qué pasó, en palabras del cliente"));
    assert!(form.shows("Cortesía") || form.shows("Courtesy"));
    let refused = b
        .submit(
            "/complaints",
            &[
                ("channel", "phone"),
                ("severity", "media"),
                ("received_at", "ayer"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.shows("Corrija lo siguiente"));
    assert!(refused.shows("describa lo que pasó"));
    assert!(refused.shows("escriba una fecha y hora como 2026-04-02 09:30"));
    assert!(refused.shows("no puede estar vacío"));

    let page = b.get(&format!("/complaints/{}", x.id)).await;
    assert!(page.shows("Saldo de la relación"));
    assert!(page.shows("Historial"));
    assert!(page.shows("Registrado"));
    assert!(page.shows("Visible para el cliente"));
    assert!(page.shows("Nota interna"));
    assert!(page.shows("Quedan 2 h") || page.shows("Quedan 3 h"));
    assert!(page.shows("Vencida hace"));
    assert!(page.shows("Acusar recibo"));
    assert!(page.shows("Guardar la resolución"));
    let blank = b
        .submit(
            &format!("/complaints/{}/resolution", x.id),
            &[("root_cause", "Falta de personal")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.shows("escriba la explicación que se le dio al cliente"));
    let moved = b
        .submit(
            &format!("/complaints/{}/transition", x.id),
            &[("to", "acknowledged")],
        )
        .await;
    let after = b.get(&moved.location()).await;
    assert!(after.shows("El reclamo ahora está: Acuse de recibo enviado."));

    // Escalations: by site with counts, newest first.
    let other = {
        let mut c = NewCase::new("Luis", "Nadie me llamó", token("es2"));
        c.site = Some(bank.norte);
        create(&app, &bank, c).await
    };
    promise(&app, other.id, PromiseKind::Callback, "Llamar", -1).await;
    assert_eq!(escalate(&app).await, 2);
    let dash = b.get("/escalations").await;
    assert!(dash.has("<h1>Escalamientos</h1>"));
    assert!(dash.shows("Por sucursal"));
    for site in ["Centro", "Norte"] {
        assert!(dash.has(&format!(
            "<span>{site}</span> <strong class=\"es-count\">1</strong>"
        )));
    }
    assert!(dash.shows("Devolver la llamada"));
    let centro = b.get(&format!("/escalations?site={}", bank.centro)).await;
    assert!(centro.has(&x.reference));
    assert!(!centro.has(&other.reference));
}
