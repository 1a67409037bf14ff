//! The demo's complaints as staff see them: `touchpoint demo` is started for real, the agent
//! logs in through headless Chromium, and the queue and the escalations dashboard are checked
//! and photographed (`target/screenshots/demo-complaints-{en,es}.png`,
//! `demo-escalations-{en,es}.png`), with the bank's journey map narrowed to one staff member
//! (`demo-journey-staff-{en,es}.png`).
//!
//! Needs `chromium` and `chromium-driver`; without them the test is skipped loudly, or fails
//! when `CI` is set.
#[path = "../../server/tests/chrome_support/mod.rs"]
mod chrome_support;
mod common;

use chrome_support::{browser, find_chromedriver, start_driver};
use common::Scratch;
use fantoccini::{Client, Locator};
use std::path::Path;

async fn shot(c: &Client, name: &str) {
    let full = c
        .execute(
            "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(1000) as u32;
    c.set_window_size(1280, full.clamp(900, 5000))
        .await
        .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    c.set_window_size(1280, 900).await.unwrap();
}

/// The agent's password from the demo's login table.
fn agent_password(printed: &str) -> String {
    printed
        .lines()
        .find(|l| l.trim_start().starts_with("agent@"))
        .and_then(|l| l.split_whitespace().nth(2))
        .expect("the agent's login is printed")
        .to_string()
}

#[tokio::test]
async fn demo_complaints_and_escalations_pages() {
    let Some(driver_bin) = find_chromedriver() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromedriver is required under CI"
        );
        eprintln!("SKIPPED demo_complaints_and_escalations_pages: no chromedriver");
        return;
    };
    let s = Scratch::new();
    let server = s.spawn_server(&["demo", "--listen", "127.0.0.1:0"]);
    assert!(
        server.printed.contains("complaints: 72 over four months"),
        "{}",
        server.printed
    );
    let password = agent_password(&server.printed);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (_driver, port) = start_driver(&driver_bin).await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(port, profile.path()).await;
    for lang in ["en", "es"] {
        c.goto(&format!("{}/lang/{lang}?next=/login", server.url))
            .await
            .unwrap();
        if lang == "en" {
            let email = c.find(Locator::Css("#email")).await.unwrap();
            email.send_keys("agent@touchpoint.local").await.unwrap();
            let pw = c.find(Locator::Css("#password")).await.unwrap();
            pw.send_keys(&password).await.unwrap();
            c.find(Locator::Css("form[action='/login'] button[type='submit']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            c.wait().for_element(Locator::Css("main")).await.unwrap();
        }
        c.goto(&format!("{}/complaints", server.url)).await.unwrap();
        let table = c
            .wait()
            .for_element(Locator::Css("table.cq-table"))
            .await
            .unwrap();
        let rows = table.find_all(Locator::Css("tbody tr")).await.unwrap();
        assert!(rows.len() >= 20, "a full first page: {}", rows.len());
        let text = table.text().await.unwrap();
        assert!(text.contains("Norte"), "{text}");
        shot(&c, &format!("demo-complaints-{lang}")).await;

        c.goto(&format!("{}/escalations", server.url))
            .await
            .unwrap();
        let main = c.wait().for_element(Locator::Css("main")).await.unwrap();
        let text = main.text().await.unwrap();
        assert!(text.contains("C-20"), "escalated cases are listed: {text}");
        shot(&c, &format!("demo-escalations-{lang}")).await;

        // The bank's journey map narrowed to one floor host: the scope says whose evidence
        // it is and what that leaves out.
        c.goto(&format!("{}/services", server.url)).await.unwrap();
        c.wait()
            .for_element(Locator::XPath("//a[contains(., 'Cash a cheque')]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Css("#sc-staff"))
            .await
            .unwrap();
        c.execute(
            "const s = document.getElementById('sc-staff'); \
             s.value = [...s.options].find(o => o.text.includes('Natalia')).value; \
             s.form.submit();",
            vec![],
        )
        .await
        .unwrap();
        c.wait()
            .for_element(Locator::Css(".journey-wide svg"))
            .await
            .unwrap();
        let url = c.current_url().await.unwrap();
        assert!(url.query().unwrap_or("").contains("staff="), "{url}");
        let main = c.find(Locator::Css("main")).await.unwrap();
        let text = main.text().await.unwrap();
        assert!(text.contains("Natalia Cárdenas"), "{text}");
        shot(&c, &format!("demo-journey-staff-{lang}")).await;
    }
    c.close().await.unwrap();
}
