//! The portfolio and a customer's page in headless Chromium, in English and Spanish, on a
//! desktop and a phone. Screenshots go to `target/screenshots/portfolio-*.png`.
//!
//! Needs `chromium` and `chromium-driver`. Without them the test is skipped loudly, or fails
//! when `CI` is set.
mod chrome_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use chrono::{Duration, Utc};
use fantoccini::{Client, Locator};
use std::path::Path;
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    portfolio::{CustomerInput, CustomerStatus, Money, SaleInput, StatusFields},
    user::Role,
};

async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// Forty customers with Pareto-like sales over three months, a few lost along the way.
async fn seed(app: &TestApp) -> i64 {
    app.seed_service_with_cycle("bank", 3, &[2]).await;
    let a = Actor::system("test");
    let now = Utc::now();
    let names = [
        "Perez",
        "Antunez",
        "Fernandez",
        "Gomez",
        "Rojas",
        "Vargas",
        "Castro",
        "Ortiz",
    ];
    let mut first = 0;
    for i in 0..40i64 {
        let mut f = CustomerInput {
            reference: format!("C-{:03}", i + 1),
            name: format!("{} {}", names[i as usize % names.len()], i + 1),
            status: Some(if i % 13 == 12 { "potential" } else { "active" }.into()),
            segment: if i % 3 == 0 { "corporate" } else { "personal" }.into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        if let Some(s) = f.status.as_mut() {
            s.since = Some(now - Duration::days(200));
        }
        let id = app.store.create_customer(&a, &f).await.unwrap().id;
        if i == 0 {
            first = id;
        }
        if i % 13 == 12 {
            continue;
        }
        let units = (30_000.0 / ((i + 1) as f64).powf(1.1)) as i64;
        let sales: Vec<_> = (0..3)
            .map(|m| {
                SaleInput {
                    customer: format!("C-{:03}", i + 1),
                    date: (now - Duration::days(10 + 30 * m)).date_naive().to_string(),
                    amount: Money::from_units(units / 3 + m),
                    currency: "USD".into(),
                    ..Default::default()
                }
                .validate()
                .unwrap()
            })
            .collect();
        app.store.record_sales(&a, &sales).await.unwrap();
        if i % 9 == 4 {
            let lost = StatusFields {
                status: CustomerStatus::Lost,
                lost_reason: Some(if i < 20 { "service_failure" } else { "price" }.into()),
                lost_note: String::new(),
                lost_moment_key: (i < 20).then(|| "wait-turn".to_string()),
                since: Some(now - Duration::days(i * 3)),
            };
            app.store.set_customer_status(&a, id, &lost).await.unwrap();
        }
    }
    first
}

async fn scenario(port: u16, lang: &str) {
    let app = TestApp::spawn().await;
    let first = seed(&app).await;
    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("tp-portfolio-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1280, 2600)).await;
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

    c.goto(&app.url("/portfolio")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("svg.pareto"))
        .await
        .expect("the Pareto chart");
    let bars = c
        .find_all(Locator::Css("svg.pareto rect.bar"))
        .await
        .unwrap();
    assert_eq!(
        bars.len(),
        31,
        "30 customers and the rest folded into one bar"
    );
    let first_row = c
        .find(Locator::Css("table.ranking tbody tr td:nth-child(3)"))
        .await
        .unwrap();
    assert!(first_row.text().await.unwrap().starts_with("Perez 1"));
    shot(&c, &format!("portfolio-{lang}")).await;
    c.execute("document.getElementById('statuses-now').scrollIntoView({block: 'start', behavior: 'instant'})", vec![])
        .await
        .unwrap();
    shot(&c, &format!("portfolio-statuses-{lang}")).await;

    c.goto(&app.url(&format!("/customers/{first}")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#status"))
        .await
        .expect("status form");
    // The moment that caused a loss is picked, by service, from the current cycles.
    c.find(Locator::Css("#status option[value='lost']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#lost_moment_key option[value='m2']"))
        .await
        .expect("the cycle's moments are offered")
        .click()
        .await
        .unwrap();
    shot(&c, &format!("portfolio-customer-{lang}")).await;

    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&app.url("/portfolio")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("svg.pareto"))
        .await
        .unwrap();
    let width: i64 = c
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(width <= 390, "no sideways scrolling on a phone: {width}px");
    shot(&c, &format!("portfolio-phone-{lang}")).await;
    c.goto(&app.url("/customers")).await.unwrap();
    shot(&c, &format!("portfolio-customers-phone-{lang}")).await;
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portfolio_pages_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("portfolio").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
