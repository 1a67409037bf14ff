//! The audit form on a phone in headless Chromium: 390 px wide, marks given by tapping the
//! segmented buttons and with the keyboard, a missing mark refused with the summary, then the
//! saved visit with its scores. Screenshots go to `target/screenshots/audit-*.png`.
//!
//! Needs `chromium` and `chromium-driver`. Without them the test is skipped loudly, or fails
//! when `CI` is set.
mod chrome_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use fantoccini::{Client, Locator, key::Key};
use pages_evidence_support::seed_bank;
use std::path::Path;
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    feedback::{ComplimentDraft, MeasurementDraft, records::NewMeasurement},
    user::Role,
};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
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

async fn scroll_to(c: &Client, css: &str) {
    c.execute(
        &format!("document.querySelector({css:?}).scrollIntoView({{ block: 'start', behavior: 'instant' }})"),
        vec![],
    )
    .await
    .unwrap();
}

async fn checked(c: &Client, id: &str) -> bool {
    let v = c
        .execute(
            &format!("return document.getElementById({id:?}).checked"),
            vec![],
        )
        .await
        .unwrap();
    v.as_bool().unwrap_or(false)
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let email = format!("auditor-{lang}@bank.test");
    app.user_with_password(Role::Auditor, &email, TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("tp-evidence-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (390, 844)).await;
    c.set_window_size(390, 844).await.expect("phone size");

    c.goto(&app.url(&format!("/lang/{lang}?next=/login")))
        .await
        .unwrap();
    let login = c.find(Locator::Css("#email")).await.expect("login form");
    login.send_keys(&email).await.unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(TEST_PASSWORD)
        .await
        .unwrap();
    click(&c, "form[action='/login'] button[type='submit']").await;
    c.wait().for_element(Locator::Css("main")).await.unwrap();

    c.goto(&app.url(&format!("/audits/new?service={}", bank.service)))
        .await
        .unwrap();
    shot(&c, &format!("audit-start-{lang}")).await;
    c.goto(&app.url(&format!(
        "/audits/new?service={}&site={}",
        bank.service, bank.centro
    )))
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("form.audit-form"))
        .await
        .expect("audit form");
    let width: i64 = c
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(width <= 390, "no sideways scrolling on a phone: {width}px");
    shot(&c, &format!("audit-form-phone-{lang}")).await;

    // Tap the segmented buttons (labels); the keyboard moves within a group.
    click(&c, &format!("label[for='staff-{}']", bank.ana)).await;
    click(&c, "label[for='r-call-standard-1-met']").await;
    click(&c, "label[for='r-call-item-1-not_met']").await;
    click(&c, "label[for='r-take-number-standard-1-met']").await;
    let radio = c
        .find(Locator::Css("#r-take-number-standard-1-met"))
        .await
        .unwrap();
    radio.send_keys(&Key::Right.to_string()).await.unwrap();
    assert!(
        checked(&c, "r-take-number-standard-1-not_met").await,
        "arrow key moves the choice"
    );
    click(&c, "label[for='r-paid-item-1-met']").await;
    scroll_to(&c, "#moment-call").await;
    shot(&c, &format!("audit-form-marked-{lang}")).await;
    click(&c, ".submit-bar button").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("error summary");
    assert!(c.find(Locator::Css("#r-paid-item-2-err")).await.is_ok());
    assert!(checked(&c, "r-call-item-1-not_met").await, "marks are kept");
    shot(&c, &format!("audit-form-errors-{lang}")).await;
    click(&c, ".error-summary a[href='#r-paid-item-2-met']").await;
    scroll_to(&c, "#moment-paid").await;
    shot(&c, &format!("audit-form-error-item-{lang}")).await;

    click(&c, "label[for='r-paid-item-2-na']").await;
    click(&c, ".submit-bar button").await;
    c.wait()
        .for_element(Locator::Css(".big-score"))
        .await
        .expect("visit saved");
    shot(&c, &format!("audit-detail-phone-{lang}")).await;
    scroll_to(&c, ".moment-scores").await;
    shot(&c, &format!("audit-detail-moments-{lang}")).await;
    c.set_window_size(1280, 1000).await.unwrap();
    shot(&c, &format!("audit-detail-wide-{lang}")).await;
    let visits = app
        .store
        .list_visits(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(visits.total, 1);
    assert_eq!(visits.items[0].visit.critical_failures, ["take-number"]);
    assert_eq!(visits.items[0].visit.staff_ids, [bank.ana]);
    seed_measurement_and_compliment(&app, &bank).await;
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&app.url("/measurements")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".compliance"))
        .await
        .expect("compliance");
    shot(&c, &format!("audit-measurements-phone-{lang}")).await;
    c.goto(&app.url("/compliments")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".compliment"))
        .await
        .expect("a compliment");
    shot(&c, &format!("audit-compliments-phone-{lang}")).await;
    scroll_to(&c, ".compliment").await;
    shot(&c, &format!("audit-compliments-card-{lang}")).await;
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

async fn seed_measurement_and_compliment(app: &TestApp, bank: &pages_evidence_support::Bank) {
    let actor = Actor::system("test");
    let now = chrono::Utc::now();
    let cycle = app.store.current_cycle(bank.service).await.unwrap();
    let mut items = Vec::new();
    for (n, rings) in [2.0, 5.0, 3.0].into_iter().enumerate() {
        let judged = MeasurementDraft {
            moment_key: "call".into(),
            metric: "rings".into(),
            site_key: "centro".into(),
            observed_at: now - chrono::Duration::minutes(n as i64 * 30),
            value: rings,
        }
        .judge(&cycle, now)
        .unwrap();
        items.push(NewMeasurement {
            service_id: bank.service,
            site_id: bank.centro,
            external_id: None,
            judged,
        });
    }
    app.store.record_measurements(&actor, &items).await.unwrap();
    let compliment = ComplimentDraft {
        service_key: Some("cash-a-cheque".into()),
        moment_key: Some("paid".into()),
        staff_id: Some(bank.ana),
        site_id: Some(bank.centro),
        customer: Some("Marta Gómez".into()),
        text: "The cashier counted the notes with me, very kind. <b>Thanks!</b>".into(),
        received_at: now - chrono::Duration::hours(2),
        channel: "email".into(),
    }
    .validate(Some(&cycle), now)
    .unwrap();
    app.store
        .record_compliment(&actor, Some(bank.service), &compliment)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_form_on_a_phone_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("evidence").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
