//! Headless Chromium through chromedriver, shared by every browser test. Needs Debian's
//! `chromium` and `chromium-driver` (scripts/ensure-chromium.sh installs them).
#![allow(dead_code)]
use fantoccini::{Client, ClientBuilder};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

pub fn find_chromedriver() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromedriver"))
        .chain([
            PathBuf::from("/usr/bin/chromedriver"),
            PathBuf::from("/usr/lib/chromium/chromedriver"),
        ])
        .find(|p| p.is_file())
}

pub fn find_chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| {
        [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("/usr/bin/chromium")
        .to_string()
    })
}

/// The chromedriver process; killed when dropped, whatever happens in the test.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn start_driver(binary: &Path) -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (driver, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start listening on port {port}");
}

/// A running chromedriver and its port, or `None` after saying loudly that the browser test
/// `what` is skipped. Under CI a missing driver fails instead: the browser tests must run
/// there (scripts/ensure-chromium.sh installs it).
pub async fn driver_or_skip(what: &str) -> Option<(Driver, u16)> {
    let Some(binary) = find_chromedriver() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromedriver not found: install chromium and chromium-driver");
        }
        eprintln!("\n========================================================================");
        eprintln!("SKIPPED: {what} browser test — install chromium chromium-driver");
        eprintln!("========================================================================\n");
        return None;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    Some(start_driver(&binary).await)
}

/// A desktop-sized window.
pub async fn browser(port: u16, profile: &Path) -> Client {
    browser_sized(port, profile, (1280, 1000)).await
}

/// A window of `width` × `height` CSS pixels (e.g. 390 × 844 for a phone).
pub async fn browser_sized(port: u16, profile: &Path, (width, height): (u32, u32)) -> Client {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--hide-scrollbars".into(),
        format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": find_chromium(), "args": args }),
    );
    ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("open a Chromium session")
}

/// Wait (up to 10 s) until the page's address contains `needle`: after a click that submits a
/// form, the old page's elements are still there until the new page arrives, so waiting for
/// an element both pages have would race the navigation.
pub async fn wait_for_url_containing(c: &Client, needle: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let url = c.current_url().await.expect("the current address");
        if url.as_str().contains(needle) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never reached an address containing {needle:?} (at {url})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
