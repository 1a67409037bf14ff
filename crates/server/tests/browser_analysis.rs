//! The journey map, the IPA page and the priorities page in headless Chromium, in English and
//! Spanish, on the seeded demo situation. Screenshots go to `docs/screenshots/` (`journey-*`,
//! `ipa-*`, `priorities-*`) so they can be looked at in review.
//!
//! Needs `chromium` and `chromium-driver` (`scripts/ensure-chromium.sh`). Without them the
//! test is skipped loudly, or fails when `CI` is set.
mod analysis_support;
mod chrome_support;
mod support;

use analysis_support::{build, now};
use chrome_support::{browser_sized, driver_or_skip};
use fantoccini::{Client, Locator};
use std::{path::Path, sync::Arc};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("create docs/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let w = build(&app, &token).await;
    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("tp-analysis-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1280, 1600)).await;
    c.set_window_size(1280, 1600).await.expect("window size");

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
    c.find(Locator::Css("form[action='/login'] button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("main")).await.unwrap();

    let s = w.service_id;
    c.goto(&app.url(&format!("/services/{s}"))).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".journey-wide svg"))
        .await
        .expect("the journey map");
    shot(&c, &format!("journey-{lang}")).await;

    c.goto(&app.url(&format!("/services/{s}/ipa")))
        .await
        .unwrap();
    let chart = text_of(&c, ".ipa-svg").await;
    let concentrate = if lang == "es" {
        "Concentrarse aquí"
    } else {
        "Concentrate here"
    };
    assert!(chart.contains(concentrate), "{chart}");
    assert!(chart.contains("3. Wait for the turn"), "{chart}");
    shot(&c, &format!("ipa-{lang}")).await;
    c.execute(
        "document.getElementById('consistency-h').scrollIntoView({ block: 'start', behavior: 'instant' })",
        vec![],
    )
    .await
    .unwrap();
    shot(&c, &format!("consistency-gaps-{lang}")).await;

    c.goto(&app.url(&format!("/services/{s}/priorities")))
        .await
        .unwrap();
    let first = text_of(&c, "#priority-1").await;
    assert!(
        first.contains("Wait for the turn") && first.contains("Norte"),
        "{first}"
    );
    shot(&c, &format!("priorities-{lang}")).await;
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analysis_pages_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("analysis").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
