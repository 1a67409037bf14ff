//! Help, migrations, users, tokens, configuration and error reporting of the binary.
mod common;

use common::{Scratch, run_in};

#[test]
fn help_works_for_every_command() {
    let s = Scratch::new();
    let commands: [&[&str]; 21] = [
        &[],
        &["serve"],
        &["demo"],
        &["migrate"],
        &["user"],
        &["user", "add"],
        &["token"],
        &["token", "add"],
        &["import"],
        &["import", "cycle"],
        &["export"],
        &["export", "cycle"],
        &["import", "survey"],
        &["import", "responses"],
        &["import", "measurements"],
        &["export", "survey"],
        &["export", "responses"],
        &["survey"],
        &["survey", "publish"],
        &["report"],
        &["report", "cycle"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = run_in(&s.dir, &args, None).expect(0);
        assert!(
            out.stdout.contains("Usage: touchpoint"),
            "{args:?}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("--database"),
            "{args:?}: global flags shown"
        );
    }
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    let s = Scratch::new();
    let out = run_in(&s.dir, &["serve", "--bogus"], None).expect(2);
    assert!(out.stderr.contains("--bogus"), "{}", out.stderr);
    let out = s.run(&[
        "user", "add", "--email", "a@b.co", "--name", "A", "--role", "boss",
    ]);
    let out = out.expect(2);
    assert!(out.stderr.contains("unknown role 'boss'"), "{}", out.stderr);
}

#[test]
fn migrate_can_run_any_number_of_times() {
    let s = Scratch::new();
    for _ in 0..3 {
        let out = s.run(&["migrate"]).expect(0);
        assert!(out.stdout.contains("up to date"), "{}", out.stdout);
    }
}

#[test]
fn an_unknown_database_scheme_lists_the_accepted_ones() {
    let s = Scratch::new();
    let out = run_in(
        &s.dir,
        &["--database", "mysql://u:hunter2@h/db", "migrate"],
        None,
    );
    let out = out.expect(2);
    assert!(
        out.stderr.starts_with("error: unsupported database URL"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("sqlite:") && out.stderr.contains("postgres:"));
    assert!(
        !out.stderr.contains("hunter2"),
        "passwords are never printed"
    );
}

#[test]
fn user_add_reads_the_password_from_stdin() {
    let s = Scratch::new();
    let args = [
        "user",
        "add",
        "--email",
        "Ana@Bank.example",
        "--name",
        "Ana Ruiz",
        "--role",
        "manager",
        "--password-stdin",
    ];
    let out = s
        .run_with_stdin(&args, Some("a long enough secret\n"))
        .expect(0);
    assert!(out.stdout.is_empty(), "no password printed: {}", out.stdout);
    assert!(out.stderr.contains("ana@bank.example"), "{}", out.stderr);
    let dup = s
        .run_with_stdin(&args, Some("a long enough secret\n"))
        .expect(1);
    assert!(dup.stderr.starts_with("error: "), "{}", dup.stderr);
    let token = s.run(&[
        "token",
        "add",
        "--email",
        "ana@bank.example",
        "--name",
        "ci",
    ]);
    assert!(token.expect(0).stdout.starts_with("tp_"));
}

#[test]
fn user_add_rejects_short_passwords_and_bad_emails() {
    let s = Scratch::new();
    let args = [
        "user",
        "add",
        "--email",
        "not-an-email",
        "--name",
        "X",
        "--role",
        "viewer",
        "--password-stdin",
    ];
    let out = s.run_with_stdin(&args, Some("short\n")).expect(2);
    assert!(out.stderr.contains("email:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("password: must be at least 12"),
        "{}",
        out.stderr
    );
    let out = s
        .run(&["token", "add", "--email", "not-an-email", "--name", "t"])
        .expect(1);
    assert!(
        out.stderr.contains("no user"),
        "nothing was created: {}",
        out.stderr
    );
}

#[test]
fn user_add_without_password_prints_a_generated_one_once() {
    let s = Scratch::new();
    let out = s.run(&[
        "user",
        "add",
        "--email",
        "v@x.example",
        "--name",
        "V",
        "--role",
        "viewer",
    ]);
    let out = out.expect(0);
    let password = out.stdout.trim();
    assert!(
        password.len() >= 20 && !password.contains(' '),
        "{password:?}"
    );
}

#[test]
fn token_add_prints_only_the_secret_on_stdout() {
    let s = Scratch::new();
    s.run(&["demo", "--no-serve"]).expect(0);
    let out = s.run(&[
        "token",
        "add",
        "--email",
        "viewer@touchpoint.local",
        "--name",
        "t",
    ]);
    let out = out.expect(0);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(out.stdout.starts_with("tp_"));
    let missing = s.run(&["token", "add", "--email", "who@x.example", "--name", "t"]);
    assert!(
        missing
            .expect(1)
            .stderr
            .contains("no user with email who@x.example")
    );
}

#[test]
fn the_config_file_is_read_and_unknown_keys_are_named_with_their_line() {
    let s = Scratch::new();
    let db = s.path("from-config.db");
    std::fs::write(
        s.path("touchpoint.toml"),
        format!("database = \"sqlite://{db}\"\nlog_level = \"warn\"\n"),
    )
    .unwrap();
    run_in(&s.dir, &["migrate"], None).expect(0);
    assert!(
        std::path::Path::new(&db).exists(),
        "touchpoint.toml chose the database"
    );

    std::fs::write(
        s.path("bad.toml"),
        "listen = \"127.0.0.1:1\"\nport = 8080\n",
    )
    .unwrap();
    let out = run_in(&s.dir, &["--config", "bad.toml", "migrate"], None).expect(2);
    assert!(
        out.stderr
            .starts_with("error: bad.toml:2:1: unknown key `port`"),
        "{}",
        out.stderr
    );
}
