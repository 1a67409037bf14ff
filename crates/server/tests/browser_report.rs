//! The printable cycle report in headless Chromium, in English and Spanish, on the seeded
//! improvement bank: screenshots of its top (heading, scorecard) and of the complaint
//! analysis go to `docs/screenshots/report-*.png`, and the browser prints it to PDF
//! (`report-{en,es}.pdf` in Cargo's test temp directory): landscape A4 pages, one section per page at least.
//!
//! Needs `chromium` and `chromium-driver` (`scripts/ensure-chromium.sh`). Without them the
//! test is skipped loudly, or fails when `CI` is set.
mod chrome_support;
mod improvement_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use fantoccini::{
    Client, Locator,
    wd::{PrintConfiguration, PrintOrientation, PrintSize},
};
use improvement_support::{build, now, plan};
use std::{path::Path, sync::Arc};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{clock::FixedClock, user::Role};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("create docs/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

async fn scroll_to(c: &Client, id: &str) {
    c.execute(
        &format!(
            "document.getElementById('{id}').scrollIntoView({{ block: 'start', behavior: 'instant' }})"
        ),
        vec![],
    )
    .await
    .unwrap();
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let bank = build(&app, &token).await;
    plan(
        &app,
        &token,
        bank.service_id,
        "Lunchtime cashier",
        &["wait-turn"],
    )
    .await;
    let email = format!("viewer-{lang}@bank.test");
    app.user_with_password(Role::Viewer, &email, TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("tp-report-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1280, 1400)).await;
    c.set_window_size(1280, 1400).await.expect("window size");

    c.goto(&app.url(&format!("/lang/{lang}?next=/login")))
        .await
        .unwrap();
    c.find(Locator::Css("#email"))
        .await
        .expect("login form")
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

    let s = bank.service_id;
    c.goto(&app.url(&format!("/services/{s}/report")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".chart svg.journey-svg"))
        .await
        .expect("the journey map");
    // The inline stylesheet applies (the CSP allows it by its hash): without it the toolbar
    // would have no background.
    let toolbar = c
        .execute(
            "return getComputedStyle(document.querySelector('.toolbar')).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        toolbar.as_str(),
        Some("rgb(15, 23, 42)"),
        "report.css applied"
    );
    let heading = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let title = if lang == "es" {
        "Informe del ciclo"
    } else {
        "Cycle report"
    };
    assert!(heading.starts_with(title), "{heading}");
    shot(&c, &format!("report-{lang}")).await;
    scroll_to(&c, "map-h").await;
    shot(&c, &format!("report-map-priorities-{lang}")).await;
    scroll_to(&c, "complaints-h").await;
    shot(&c, &format!("report-complaints-{lang}")).await;

    let pdf = c
        .print(
            PrintConfiguration::builder()
                .orientation(PrintOrientation::Landscape)
                .size(PrintSize::A4)
                .background(true)
                .build()
                .expect("a print configuration"),
        )
        .await
        .expect("print to PDF");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count()
        + pdf.windows(10).filter(|w| w == b"/Type/Page").count();
    assert!(pages >= 8, "a page per section at least: {pages}");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{lang}.pdf"));
    std::fs::write(&out, &pdf).expect("write the PDF");
    eprintln!("printed the {lang} report to {}", out.display());

    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cycle_report_in_a_real_browser_and_printed() {
    let Some((_driver, port)) = driver_or_skip("cycle report").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
