//! The recognition ranking and the printable certificate in headless Chromium, in English and
//! Spanish. Screenshots go to `target/screenshots/recognition-*.png`.
//!
//! Needs `chromium` and `chromium-driver`. Without them the test is skipped loudly, or fails
//! when `CI` is set.
mod chrome_support;
mod recognition_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use fantoccini::{Client, Locator};
use recognition_support::{now, seed};
use std::{path::Path, sync::Arc};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    seed(&app).await;
    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let profile =
        std::env::temp_dir().join(format!("tp-recognition-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1400, 1500)).await;
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
    c.find(Locator::Css("form[action='/login'] button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("main")).await.unwrap();

    c.goto(&app.url("/recognition")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("table.recognition"))
        .await
        .expect("the ranking table");
    let winner = c
        .find(Locator::Css("tr.recognition-winner th"))
        .await
        .unwrap();
    assert!(winner.text().await.unwrap().starts_with("Ana Ruiz"));
    shot(&c, &format!("recognition-{lang}")).await;

    // The month picker and the site filter go through the form.
    let site = c.find(Locator::Css("#site")).await.unwrap();
    site.select_by_label("Norte").await.unwrap();
    c.find(Locator::Css("form.searchbar button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome_support::wait_for_url_containing(&c, "site=").await;
    c.wait()
        .for_element(Locator::Css("table.recognition"))
        .await
        .unwrap();
    let sites = c
        .find_all(Locator::Css("section.recognition-site"))
        .await
        .unwrap();
    assert_eq!(sites.len(), 1, "only Norte");

    c.goto(&app.url("/recognition/certificate?month=2025-12"))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("article.certificate"))
        .await
        .expect("a certificate");
    let certificates = c
        .find_all(Locator::Css("article.certificate"))
        .await
        .unwrap();
    assert_eq!(certificates.len(), 2, "Ana at Centro, Diego at Norte");
    shot(&c, &format!("recognition-certificate-{lang}")).await;

    // The manager changes the formula in a form: a bad minimum is named at its field.
    c.goto(&app.url("/recognition/settings")).await.unwrap();
    let min = c
        .wait()
        .for_element(Locator::Css("#rs-satisfaction-min"))
        .await
        .expect("the settings form");
    min.clear().await.unwrap();
    min.send_keys("many").await.unwrap();
    c.find(Locator::Css(
        "form[action='/recognition/settings'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("#rs-satisfaction-min-err"))
        .await
        .expect("the field's error");
    shot(&c, &format!("recognition-settings-{lang}")).await;

    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&app.url("/recognition?month=2025-12"))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("table.recognition"))
        .await
        .unwrap();
    let width: i64 = c
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(width <= 390, "no sideways scrolling on a phone: {width}px");
    shot(&c, &format!("recognition-phone-{lang}")).await;
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recognition_pages_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("recognition").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
