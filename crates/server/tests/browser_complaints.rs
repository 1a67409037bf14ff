//! The complaint pages in headless Chromium, in English and Spanish: the queue (ticking two
//! rows and assigning them with the one button), a complaint page (moving it on with a
//! button, no JavaScript), the escalations, and the customer's status page on a phone.
//! Screenshots go to `target/screenshots/` (`complaints-queue-en.png`, `complaint-page-es.png`,
//! `complaint-status-phone-es.png`, …) to be looked at; those in docs/ were copied from there.
//!
//! Needs `chromium` and `chromium-driver`. Without them the test is skipped loudly, or fails
//! when `CI` is set.
mod chrome_support;
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use complaints_support::{NewCase, create, escalate, promise, token, update};
use fantoccini::{Client, Locator};
use pages_evidence_support::{Bank, seed_bank};
use std::{path::Path, sync::Arc};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    clock::SystemClock,
    complaints::{ComplaintStatus, PromiseKind, Visibility},
    user::Role,
};
use touchpoint_server::ServerConfig;

/// The whole page, not just the window: grow the window to the document, then restore it.
async fn shot(c: &Client, name: &str, width: u32, height: u32) {
    let full = c
        // The window includes the browser's own chrome: add it, or the bottom is cut off.
        .execute(
            "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(u64::from(height)) as u32;
    c.set_window_size(width, full.clamp(height, 5000))
        .await
        .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    c.set_window_size(width, height).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' })",
        vec![serde_json::to_value(&el).unwrap()],
    )
    .await
    .unwrap();
    el.click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn no_sideways_scroll(c: &Client, what: &str) {
    let v = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert!(v.as_i64().unwrap_or(0) <= 0, "{what} scrolls sideways: {v}");
}

/// A busy desk: four complaints, one rich with updates, promises in every state and an
/// escalation, so the screenshots show what agents will see.
async fn seed(app: &TestApp, bank: &Bank, lang: &str) -> (i64, String) {
    let es = lang == "es";
    let words = |en: &'static str, es_: &'static str| if es { es_ } else { en };
    let tk = token(&format!("shot{lang}"));
    let mut main = NewCase::new(
        "Ana María Pérez · 300 555 0142",
        words(
            "The greeter told me to \"just wait like everybody else\" and turned away. I waited 40 minutes.",
            "El anfitrión me dijo que \"esperara como todos\" y me dio la espalda. Esperé 40 minutos.",
        ),
        tk.clone(),
    );
    main.site = Some(bank.centro);
    main.moment = Some("take-number");
    main.severity = "high";
    let x = create(app, bank, main).await;
    let actor = Actor::system("Laura (supervisor)");
    app.store
        .transition_complaint(
            &actor,
            x.id,
            ComplaintStatus::Acknowledged,
            words(
                "Called her back within the hour",
                "La llamamos dentro de la hora",
            ),
        )
        .await
        .unwrap();
    app.store
        .transition_complaint(&actor, x.id, ComplaintStatus::Assessed, "")
        .await
        .unwrap();
    update(app, x.id, Visibility::Customer, words(
        "We have spoken to the branch manager and are reviewing the camera footage of that morning.",
        "Hablamos con el gerente de la sucursal y estamos revisando las cámaras de esa mañana.",
    ))
    .await;
    update(
        app,
        x.id,
        Visibility::Internal,
        words(
            "Greeter was covering two doors alone; rota gap on Mondays.",
            "El anfitrión cubría dos puertas solo; falta personal los lunes.",
        ),
    )
    .await;
    let kept = promise(
        app,
        x.id,
        PromiseKind::Callback,
        words("We will call you back today", "La llamaremos hoy"),
        2,
    )
    .await;
    app.store.fulfil_promise(&actor, kept).await.unwrap();
    promise(
        app,
        x.id,
        PromiseKind::Update,
        words("News by Friday", "Novedades el viernes"),
        30,
    )
    .await;
    promise(
        app,
        x.id,
        PromiseKind::Custom,
        words("Send the written apology", "Enviar la carta de disculpa"),
        -3,
    )
    .await;
    let others = [
        (
            "Bruno Díaz",
            words(
                "Nobody called back after I reported a wrong charge.",
                "Nadie me devolvió la llamada tras reportar un cobro indebido.",
            ),
            Some(bank.norte),
            None,
            "medium",
        ),
        (
            "Carla Ruiz",
            words(
                "I was paid 50,000 short and had to come back.",
                "Me pagaron 50.000 de menos y tuve que volver.",
            ),
            Some(bank.centro),
            Some("paid"),
            "critical",
        ),
        (
            "Diego León",
            words(
                "The phone rang for two minutes before anyone answered.",
                "El teléfono sonó dos minutos antes de que contestaran.",
            ),
            Some(bank.norte),
            Some("call"),
            "low",
        ),
    ];
    for (i, (who, what, site, moment, sev)) in others.into_iter().enumerate() {
        let mut n = NewCase::new(who, what, token(&format!("o{i}{lang}")));
        n.site = site;
        n.moment = moment;
        n.severity = sev;
        let o = create(app, bank, n).await;
        if i == 0 {
            promise(
                app,
                o.id,
                PromiseKind::Callback,
                words("Call back", "Devolver la llamada"),
                -1,
            )
            .await;
        }
    }
    escalate(app).await;
    (x.id, tk)
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn_with(
        Arc::new(SystemClock),
        ServerConfig {
            support_phone: Some("+57 601 555 0100".into()),
            ..ServerConfig::default()
        },
    )
    .await;
    let bank = seed_bank(&app).await;
    let (id, tk) = seed(&app, &bank, lang).await;
    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let agent = app
        .user_with_password(
            Role::Agent,
            &format!("sofia-{lang}@bank.test"),
            TEST_PASSWORD,
        )
        .await;

    let profile = std::env::temp_dir().join(format!("tp-complaints-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1280, 900)).await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url(&format!("/lang/{lang}?next=/login")))
        .await
        .unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(&email)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(TEST_PASSWORD)
        .await
        .unwrap();
    click(&c, "form[action='/login'] button[type='submit']").await;
    c.wait().for_element(Locator::Css("main")).await.unwrap();

    // The queue: tick two rows, choose the agent, one click assigns both.
    c.goto(&app.url("/complaints")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("table.cq-table"))
        .await
        .unwrap();
    shot(&c, &format!("complaints-queue-{lang}"), 1280, 900).await;
    let boxes = c.find_all(Locator::Css("input[name='ids']")).await.unwrap();
    assert_eq!(boxes.len(), 4);
    boxes[0].click().await.unwrap();
    boxes[1].click().await.unwrap();
    c.find(Locator::Css(&format!(
        "#bulk-assignee option[value='{}']",
        agent.id
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    click(&c, ".cq-bulkbar button[type='submit']").await;
    c.wait().for_element(Locator::Css(".flash")).await.unwrap();
    let flash = text_of(&c, ".flash").await;
    assert!(flash.contains('2'), "{flash}");

    // The new-complaint form, refused once (nothing filled in), then registered.
    c.goto(&app.url("/complaints/new")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#n-customer"))
        .await
        .unwrap();
    shot(&c, &format!("complaint-new-{lang}"), 1280, 900).await;
    click(&c, "form[action='/complaints'] button[type='submit']").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    c.find(Locator::Css("#n-customer"))
        .await
        .unwrap()
        .send_keys("Elena Rojas")
        .await
        .unwrap();
    c.find(Locator::Css("#n-description"))
        .await
        .unwrap()
        .send_keys(if lang == "es" {
            "Me cobraron dos veces."
        } else {
            "I was charged twice."
        })
        .await
        .unwrap();
    click(&c, "form[action='/complaints'] button[type='submit']").await;
    c.wait()
        .for_element(Locator::Css("#status-url"))
        .await
        .unwrap();
    let link = c
        .find(Locator::Css("#status-url"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(link.contains("/c/"), "{link}");
    shot(&c, &format!("complaint-created-{lang}"), 1280, 900).await;

    // The complaint page: move it on with the offered button.
    c.goto(&app.url(&format!("/complaints/{id}")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#promises"))
        .await
        .unwrap();
    shot(&c, &format!("complaint-page-{lang}"), 1280, 900).await;
    click(&c, "button[name='to'][value='investigating']").await;
    c.wait().for_element(Locator::Css(".flash")).await.unwrap();
    let stored = app.store.get_complaint(id).await.unwrap();
    assert_eq!(stored.status, ComplaintStatus::Investigating);

    c.goto(&app.url("/escalations")).await.unwrap();
    c.wait().for_element(Locator::Css("table")).await.unwrap();
    shot(&c, &format!("escalations-{lang}"), 1280, 900).await;

    // The complaint page and the status page on a phone.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&app.url(&format!("/complaints/{id}")))
        .await
        .unwrap();
    no_sideways_scroll(&c, "complaint page").await;
    shot(&c, &format!("complaint-page-phone-{lang}"), 390, 844).await;
    c.goto(&app.url(&format!("/c/{tk}?lang={lang}")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".cs-steps"))
        .await
        .unwrap();
    no_sideways_scroll(&c, "status page").await;
    let body = text_of(&c, "main").await;
    assert!(!body.contains(if lang == "es" {
        "falta personal"
    } else {
        "rota gap"
    }));
    shot(&c, &format!("complaint-status-phone-{lang}"), 390, 844).await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaint_pages_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("complaint").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
