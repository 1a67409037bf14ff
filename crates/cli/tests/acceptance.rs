//! The acceptance path on SQLite: demo → token → serve → the API lists the bank.
mod common;

use common::Scratch;

#[tokio::test]
async fn demo_then_token_then_serve_lists_the_bank_cycle_through_the_api() {
    let s = Scratch::new();
    common::demo_token_and_api(&s).await;
}

#[test]
fn demo_prints_the_url_and_a_distinct_password_per_role() {
    let s = Scratch::new();
    let out = s.run(&["demo", "--no-serve"]).expect(0).stdout;
    assert!(out.contains("http://127.0.0.1:8080/"), "{out}");
    let mut passwords = Vec::new();
    for role in ["admin", "manager", "agent", "auditor", "viewer"] {
        let line = out
            .lines()
            .find(|l| {
                l.trim_start()
                    .starts_with(&format!("{role}@touchpoint.local"))
            })
            .unwrap_or_else(|| panic!("no {role} login in {out}"));
        let password = line
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string();
        assert!(password.len() >= 12, "{line}");
        passwords.push(password);
    }
    passwords.sort();
    passwords.dedup();
    assert_eq!(passwords.len(), 5, "every login has its own password");
}

#[test]
fn demo_refuses_a_database_that_already_holds_data() {
    let s = Scratch::new();
    s.run(&["demo", "--no-serve"]).expect(0);
    let again = s.run(&["demo", "--no-serve"]).expect(1);
    assert!(again.stderr.starts_with("error: "), "{}", again.stderr);
    assert!(again.stderr.contains("empty database"), "{}", again.stderr);
    let services = s
        .run(&["export", "cycle", "cash-a-cheque"])
        .expect(0)
        .stdout;
    assert!(services.contains("version: 1"), "nothing was loaded twice");
}

#[test]
fn running_the_demo_again_serves_the_demo_already_loaded() {
    let s = Scratch::new();
    s.run(&["demo", "--no-serve"]).expect(0);
    let server = s.spawn_server(&["demo", "--listen", "127.0.0.1:0"]);
    assert!(
        server.printed.contains("already loaded"),
        "{}",
        server.printed
    );
    let exported = s
        .run(&["export", "cycle", "cash-a-cheque"])
        .expect(0)
        .stdout;
    assert!(exported.contains("version: 1"), "nothing was loaded twice");
}

#[tokio::test]
async fn demo_without_no_serve_prints_the_logins_then_serves_them() {
    let s = Scratch::new();
    let server = s.spawn_server(&["demo", "--listen", "127.0.0.1:0"]);
    let banner = &server.printed;
    assert!(
        banner.contains(&format!("Open {}/ ", server.url)),
        "{banner}"
    );
    for role in ["admin", "manager", "agent", "auditor", "viewer"] {
        let login = format!("{role}@touchpoint.local");
        assert!(banner.contains(&login), "no {login} in {banner}");
    }
    let health = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    // The CLI can work on the database while the demo server runs on it.
    let token = s.run(&[
        "token",
        "add",
        "--email",
        "manager@touchpoint.local",
        "--name",
        "t",
    ]);
    let token = token.expect(0).stdout;
    let url = format!("{}/api/v1/services", server.url);
    let (status, body) = common::get_json(&url, token.trim()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(common::items(&body).len(), 3, "{body}");
}
