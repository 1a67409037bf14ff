//! End to end in a real browser: headless Chromium driven through chromedriver. Signs in,
//! opens the bank's journey map, edits the cycle without JavaScript (add, move up, mark
//! critical, publish) and sees version 2 — once in English, once in Spanish. Screenshots go
//! to `target/screenshots/`.
//!
//! Needs `chromium` and `chromium-driver`. Without them the test is skipped loudly, or fails
//! when `CI` is set.
mod chrome_support;
mod support;

use chrome_support::{browser, driver_or_skip};
use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    cycle::{CycleDraft, MomentDraft},
    service::NewService,
    user::Role,
};

/// key, name, channel, role, critical, standards
type SeedMoment = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
);

const BANK: [SeedMoment; 14] = [
    (
        "travel",
        "Travel to the bank",
        "self_service",
        "",
        false,
        &[],
    ),
    (
        "enter",
        "Enter the branch",
        "in_person",
        "Security guard",
        false,
        &["door_wait_seconds <= 10 s"],
    ),
    (
        "look",
        "Look at how the process works",
        "self_service",
        "",
        false,
        &[],
    ),
    (
        "ask",
        "Ask an employee what to do",
        "in_person",
        "Greeter",
        false,
        &[],
    ),
    (
        "take-number",
        "Told to take a number",
        "in_person",
        "Greeter",
        true,
        &["courtesy_score >= 4 pts"],
    ),
    (
        "wait-turn",
        "Wait for the turn",
        "in_person",
        "",
        true,
        &["wait_minutes <= 10 min"],
    ),
    (
        "called",
        "Called to the counter",
        "in_person",
        "Cashier",
        false,
        &[],
    ),
    (
        "greet",
        "Greet the cashier and hand over the cheque",
        "in_person",
        "Cashier",
        false,
        &["greeting_seconds <= 5 s"],
    ),
    (
        "verify",
        "Cashier verifies the cheque",
        "in_person",
        "Cashier",
        false,
        &["verify_minutes <= 3 min"],
    ),
    (
        "notes",
        "Asked which notes they want",
        "in_person",
        "Cashier",
        false,
        &[],
    ),
    (
        "paid",
        "Paid the exact amount",
        "in_person",
        "Cashier",
        true,
        &["amount_errors = 0"],
    ),
    (
        "count",
        "Customer counts the money",
        "in_person",
        "",
        false,
        &[],
    ),
    (
        "goodbye",
        "Goodbye and leave",
        "in_person",
        "Cashier",
        false,
        &[],
    ),
    ("home", "Travel home", "self_service", "", false, &[]),
];

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn seed_bank(app: &TestApp) -> i64 {
    let actor = Actor::system("test");
    let fields = NewService {
        key: Some("cash-a-cheque".into()),
        name: "Cash a cheque".into(),
        description: "A customer cashes a cheque at a branch counter.".into(),
    }
    .validate()
    .unwrap();
    let service = app.store.create_service(&actor, &fields).await.unwrap();
    let draft = CycleDraft {
        moments: BANK
            .iter()
            .map(
                |(key, name, channel, role, critical, standards)| MomentDraft {
                    key: key.to_string(),
                    name: name.to_string(),
                    description: String::new(),
                    channel: channel.to_string(),
                    role: role.to_string(),
                    critical: *critical,
                    standards: standards.iter().map(|s| s.parse().unwrap()).collect(),
                },
            )
            .collect(),
        note: "First mapping with the branch team".into(),
    };
    app.store
        .publish_cycle(&actor, service.id, &draft.validate().unwrap())
        .await
        .unwrap();
    service.id
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("body text")
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = c.find(Locator::Css(css)).await.expect(css);
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn().await;
    let service_id = seed_bank(&app).await;
    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let profile =
        std::env::temp_dir().join(format!("touchpoint-chromium-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser(port, &profile).await;
    c.set_window_size(1280, 1000).await.expect("window size");

    c.goto(&app.url("/login")).await.expect("open login");
    if lang == "es" {
        click(&c, "a[hreflang='es']").await;
        c.wait()
            .for_element(Locator::XPath("//h1[contains(., 'Iniciar sesión')]"))
            .await
            .expect("Spanish login page");
    }
    shot(&c, &format!("login-{lang}")).await;
    fill(&c, "#email", &email).await;
    fill(&c, "#password", TEST_PASSWORD).await;
    click(&c, "form[action='/login'] button[type='submit']").await;
    c.wait()
        .for_element(Locator::Css("table.table"))
        .await
        .expect("services list after login");
    shot(&c, &format!("services-{lang}")).await;

    click(&c, &format!("a[href='/services/{service_id}']")).await;
    c.wait()
        .for_element(Locator::Css(".journey-wide svg"))
        .await
        .expect("journey map");
    let text = body_text(&c).await;
    let (critical, moments_word) = if lang == "es" {
        ("CRÍTICO", "Momentos de verdad")
    } else {
        ("CRITICAL", "Moments of truth")
    };
    assert!(text.contains(moments_word), "{text}");
    assert!(text.contains("Wait for the turn"));
    let critical_nodes = c
        .find_all(Locator::Css(".journey-wide .node-critical"))
        .await
        .unwrap();
    assert_eq!(critical_nodes.len(), 3);
    assert!(c.source().await.unwrap().contains(critical));
    shot(&c, &format!("journey-map-{lang}")).await;
    c.set_window_size(390, 844).await.expect("phone size");
    shot(&c, &format!("journey-map-phone-{lang}")).await;
    c.execute("window.scrollTo({ top: 640, behavior: 'instant' })", vec![])
        .await
        .unwrap();
    shot(&c, &format!("journey-map-phone-scrolled-{lang}")).await;
    c.set_window_size(1280, 1000).await.expect("desktop size");
    c.execute("window.scrollTo({ top: 0, behavior: 'instant' })", vec![])
        .await
        .unwrap();

    click(&c, &format!("a[href='/services/{service_id}/edit']")).await;
    c.wait()
        .for_element(Locator::Css("form.editor"))
        .await
        .expect("editor");
    click(&c, "button[value='add']").await;
    c.wait()
        .for_element(Locator::Css("#m14-key"))
        .await
        .expect("a 15th moment");
    // Publishing the blank moment is refused with messages by its fields.
    click(&c, "button[value='publish']").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("error summary");
    assert!(c.find(Locator::Css("#m14-name-err")).await.is_ok());
    shot(&c, &format!("editor-errors-{lang}")).await;
    fill(&c, "#m14-key", "check-receipt").await;
    fill(
        &c,
        "#m14-name",
        if lang == "es" {
            "Revisa el comprobante"
        } else {
            "Check the receipt"
        },
    )
    .await;
    fill(&c, "#m14-role", "Cashier").await;
    fill(&c, "#m14-standards", "receipt_errors = 0").await;
    click(&c, "button[value='up:14']").await;
    c.wait()
        .for_element(Locator::Css("button[value='up:13'][autofocus]"))
        .await
        .expect("moved up, focus kept on the moved moment");
    let key = c
        .find(Locator::Css("#m13-key"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(key.as_deref(), Some("check-receipt"));
    click(&c, "#m13-critical").await;
    fill(&c, "#note", "Receipt check added").await;
    c.execute(
        "document.getElementById('m13').scrollIntoView({ behavior: 'instant' })",
        vec![],
    )
    .await
    .unwrap();
    shot(&c, &format!("editor-{lang}")).await;
    c.set_window_size(390, 844).await.expect("phone size");
    shot(&c, &format!("editor-phone-{lang}")).await;
    c.set_window_size(1280, 1000).await.expect("desktop size");
    click(&c, "button[value='publish']").await;
    c.wait()
        .for_element(Locator::Css(".flash"))
        .await
        .expect("published flash");
    let text = body_text(&c).await.to_lowercase();
    let expected = if lang == "es" {
        "versión 2"
    } else {
        "version 2"
    };
    assert!(text.contains(expected), "{text}");
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains(&format!("/services/{service_id}")));
    assert_eq!(
        c.find_all(Locator::Css(".journey-wide .node-critical"))
            .await
            .unwrap()
            .len(),
        4
    );
    shot(&c, &format!("journey-map-v2-{lang}")).await;
    let cv = app.store.current_cycle(service_id).await.unwrap();
    assert_eq!(cv.version, 2);
    assert_eq!(cv.moments[13].key, "check-receipt");
    assert!(cv.moments[13].critical);
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_map_and_editor_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("the").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
