//! Run the real `touchpoint` binary against throw-away databases.
#![allow(dead_code)]

pub mod complaints;
pub mod feedback;
pub mod portfolio;
pub mod report;
pub mod restart;

use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, ChildStdout, Command, Stdio},
};
use tempfile::TempDir;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Panic with everything printed unless the exit code is `code`.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "unexpected exit code; {self:#?}");
        self
    }
}

/// A scratch directory (the working directory of every run, so no stray touchpoint.toml is
/// read) holding a fresh SQLite database.
pub struct Scratch {
    pub dir: TempDir,
    pub url: String,
}

impl Scratch {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("touchpoint.db").display());
        Self { dir, url }
    }

    /// The same scratch directory, but with another database URL (e.g. PostgreSQL).
    pub fn with_url(url: String) -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            url,
        }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// `touchpoint --database URL ARGS…`
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut full = vec!["--database", self.url.as_str()];
        full.extend_from_slice(args);
        run_in(&self.dir, &full, stdin)
    }

    /// Start `touchpoint serve` on a free port and wait for it to print its URL.
    pub fn serve(&self) -> Server {
        self.spawn_server(&["serve", "--listen", "127.0.0.1:0"])
    }

    /// Start a command that serves (`serve` or `demo`) and wait for its
    /// `Touchpoint is listening on URL` line; lines printed before it are kept.
    pub fn spawn_server(&self, args: &[&str]) -> Server {
        let mut child = command(&self.dir)
            .args(["--database", &self.url, "--log-level", "warn"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start touchpoint");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut printed = String::new();
        let url = loop {
            let mut line = String::new();
            let n = stdout.read_line(&mut line).expect("read the server output");
            assert!(
                n > 0,
                "touchpoint exited before listening; it printed:\n{printed}"
            );
            printed.push_str(&line);
            if line.starts_with("Touchpoint is listening on ") {
                let url = line.split_whitespace().find(|w| w.starts_with("http://"));
                break url.expect("URL").trim_end_matches('/').to_string();
            }
        };
        Server {
            child,
            _stdout: stdout,
            url,
            printed,
        }
    }
}

/// A running `touchpoint serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// Kept open so that the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    /// Everything printed on stdout up to and including the listening line.
    pub printed: String,
}

impl Server {
    /// Stop the process with SIGKILL (what `Child::kill` sends on Unix): no shutdown code
    /// runs, as when a machine loses power or the OOM killer strikes.
    pub fn kill_hard(mut self) {
        self.child.kill().expect("SIGKILL");
        let status = self.child.wait().expect("wait");
        assert!(!status.success(), "killed, not exited: {status:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with a clean environment: no TOUCHPOINT_* variable leaks in from the caller.
fn command(dir: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_touchpoint"));
    cmd.current_dir(dir.path());
    for (key, _) in std::env::vars() {
        if key.starts_with("TOUCHPOINT_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

pub fn run_in(dir: &TempDir, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start touchpoint");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    let out = child.wait_with_output().expect("wait for touchpoint");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `GET url` with a bearer token; returns the status and the JSON body.
pub async fn get_json(url: &str, token: &str) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

/// The items of a list response, whether wrapped in `{"items": [...]}` or a bare array.
pub fn items(body: &serde_json::Value) -> Vec<serde_json::Value> {
    body.get("items")
        .unwrap_or(body)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Load the demo, make a token for the admin, serve, and check the bank service through the
/// API: the acceptance path, shared by the SQLite and PostgreSQL tests.
pub async fn demo_token_and_api(s: &Scratch) {
    let demo = s.run(&["demo", "--no-serve"]).expect(0);
    assert!(
        demo.stdout.contains("admin@touchpoint.local"),
        "{}",
        demo.stdout
    );
    let token = s
        .run(&[
            "token",
            "add",
            "--email",
            "admin@touchpoint.local",
            "--name",
            "t",
        ])
        .expect(0)
        .stdout;
    let token = token.trim();
    assert!(
        token.starts_with("tp_") && !token.contains(char::is_whitespace),
        "{token:?}"
    );

    let server = s.serve();
    let (status, body) = get_json(&format!("{}/api/v1/services", server.url), token).await;
    assert_eq!(status, 200, "{body}");
    let bank = items(&body)
        .into_iter()
        .find(|s| s["key"] == "cash-a-cheque")
        .unwrap_or_else(|| panic!("no bank service in {body}"));
    assert_eq!(bank["moment_count"], 14, "{bank}");
    assert_eq!(bank["critical_count"], 3, "{bank}");

    // The demo's plan on the weak wait is judged on a month of real answers each side.
    let (status, plans) = get_json(&format!("{}/api/v1/action-plans", server.url), token).await;
    assert_eq!(status, 200, "{plans}");
    let plan = &items(&plans)[0];
    assert_eq!(
        plan["moment_keys"],
        serde_json::json!(["wait-turn"]),
        "{plan}"
    );
    assert_eq!(plan["requirement_ids"].as_array().map(Vec::len), Some(1));
    let (status, ba) = get_json(
        &format!(
            "{}/api/v1/action-plans/{}/before-after",
            server.url, plan["id"]
        ),
        token,
    )
    .await;
    assert_eq!(status, 200, "{ba}");
    let wait = &ba["before_after"]["moments"][0];
    let csat = wait["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["figure"] == "csat"))
        .unwrap_or_else(|| panic!("no CSAT in {wait}"));
    for side in ["before", "after"] {
        assert!(csat[side]["n"].as_u64().unwrap_or(0) >= 30, "{csat}");
    }
    assert_ne!(wait["verdict"], "not_enough_data", "{wait}");
}
