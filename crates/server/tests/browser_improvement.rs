//! The complaint analysis (Pareto chart) and an action plan's before/after page in headless
//! Chromium, in English and Spanish, on the seeded bank. Screenshots go to
//! `target/screenshots/` (`complaint-pareto-{en,es}.png`, `plan-before-after-{en,es}.png`, `plan-form-{en,es}.png`,
//! `plans-{en,es}.png`) to be looked at.
//!
//! Needs `chromium` and `chromium-driver` (`scripts/ensure-chromium.sh`). Without them the
//! test is skipped loudly, or fails when `CI` is set.
mod chrome_support;
mod improvement_support;
mod support;

use chrome_support::{browser_sized, driver_or_skip};
use fantoccini::{Client, Locator};
use improvement_support::{build, now, plan};
use serde_json::json;
use std::{path::Path, sync::Arc};
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{clock::FixedClock, user::Role};

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
    let bank = build(&app, &token).await;
    let s = bank.service_id;
    let (status, r, _) = app
        .api(&token)
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn", "site_id": bank.sites[1],
                    "text": "A second cashier from 12:00 to 14:00"}),
        )
        .await;
    assert!(status.is_success(), "{r}");
    let id = plan(
        &app,
        &token,
        s,
        "Lunchtime cashier",
        &["wait-turn", "take-number"],
    )
    .await;
    let (status, p, _) = app
        .api(&token)
        .put_json(
            &format!("/api/v1/action-plans/{id}"),
            &json!({"service_id": s, "title": "Lunchtime cashier",
                    "moment_keys": ["wait-turn", "take-number"], "owner": "Marta Ruiz",
                    "start_date": "2026-06-01", "due_date": "2026-07-31", "status": "in_progress",
                    "expected_effect": "CSAT of the wait up from about 20% to 80%",
                    "requirement_ids": [r["id"]]}),
        )
        .await;
    assert!(status.is_success(), "{p}");
    plan(&app, &token, s, "Shorter goodbye script", &["goodbye"]).await;

    let email = format!("manager-{lang}@bank.test");
    app.user_with_password(Role::Manager, &email, TEST_PASSWORD)
        .await;
    let profile = std::env::temp_dir().join(format!("tp-plans-{}-{lang}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let c = browser_sized(port, &profile, (1280, 1000)).await;
    c.set_window_size(1280, 1000).await.expect("window size");
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

    // From the journey map to the complaint analysis, as a reader would.
    c.goto(&app.url(&format!("/services/{s}"))).await.unwrap();
    c.find(Locator::Css(&format!(
        "a[href='/services/{s}/complaint-analysis']"
    )))
    .await
    .expect("the journey links the complaint analysis")
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css(".pareto-svg"))
        .await
        .expect("the Pareto chart");
    let chart = text_of(&c, ".pareto-chart").await;
    let cumulative = if lang == "es" {
        "% acumulado"
    } else {
        "Cumulative %"
    };
    assert!(chart.contains(cumulative), "{chart}");
    assert!(chart.contains("Too few cashiers"), "{chart}");
    let estimates = text_of(&c, ".estimates").await;
    let warning = if lang == "es" {
        "Son estimaciones, no mediciones"
    } else {
        "These are estimates, not measurements"
    };
    assert!(estimates.contains(warning), "{estimates}");
    shot(&c, &format!("complaint-pareto-{lang}"), 1280, 1000).await;

    c.goto(&app.url("/action-plans")).await.unwrap();
    c.find(Locator::Css(&format!("a[href='/action-plans/{id}']")))
        .await
        .expect("the plan in the list");
    shot(&c, &format!("plans-{lang}"), 1280, 1000).await;
    c.find(Locator::Css(&format!("a[href='/action-plans/{id}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".verdict"))
        .await
        .expect("the verdict");
    let verdict = text_of(&c, ".verdict").await;
    let improved = if lang == "es" { "Mejoró" } else { "Improved" };
    assert!(verdict.contains(improved), "{verdict}");
    shot(&c, &format!("plan-before-after-{lang}"), 1280, 1000).await;
    // On a phone the tables scroll inside their box instead of widening the page.
    c.set_window_size(400, 900).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow, json!(false), "the plan page fits a phone");
    shot(&c, &format!("plan-before-after-phone-{lang}"), 400, 900).await;

    // The manager edits the plan from its page: the form comes filled in, and a changed
    // owner and status are saved and shown.
    c.set_window_size(1280, 1000).await.unwrap();
    c.find(Locator::Css(&format!("a[href='/action-plans/{id}/edit']")))
        .await
        .expect("an edit link for managers")
        .click()
        .await
        .unwrap();
    let owner = c
        .wait()
        .for_element(Locator::Css("#plan-owner"))
        .await
        .expect("the plan form");
    assert_eq!(
        owner.prop("value").await.unwrap().as_deref(),
        Some("Marta Ruiz")
    );
    shot(&c, &format!("plan-form-{lang}"), 1280, 1000).await;
    owner.clear().await.unwrap();
    owner.send_keys("Luis Gómez").await.unwrap();
    c.find(Locator::Css("#plan-status option[value='done']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.grid-form button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".verdict"))
        .await
        .expect("back on the plan page");
    let facts = text_of(&c, ".plan-facts").await;
    let done = if lang == "es" { "Terminado" } else { "Done" };
    assert!(
        facts.contains("Luis Gómez") && facts.contains(done),
        "{facts}"
    );
    c.close().await.expect("close the browser");
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaint_pareto_and_plan_before_after_in_a_real_browser() {
    let Some((_driver, port)) = driver_or_skip("improvement").await else {
        return;
    };
    scenario(port, "en").await;
    scenario(port, "es").await;
}
