use super::*;
use crate::failure::{EXIT_USAGE, exit_code};
use std::collections::HashMap;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

const FILE: &str = "database = \"sqlite://file.db\"\nlisten = \"0.0.0.0:9000\"\n\
    secure_cookies = true\nmax_body_bytes = 2048\nsession_ttl_hours = 24\nlog_level = \"debug\"\n";

#[test]
fn defaults_apply_when_nothing_is_given() {
    let s = resolve(None, env_of(&[]), &Overrides::default()).unwrap();
    assert_eq!(s, Settings::default());
    assert_eq!(s.database, "sqlite://touchpoint.db");
    assert_eq!(s.listen, "127.0.0.1:8080");
}

#[test]
fn file_overrides_defaults() {
    let s = resolve(Some(("t.toml", FILE)), env_of(&[]), &Overrides::default()).unwrap();
    assert_eq!(s.database, "sqlite://file.db");
    assert_eq!(s.listen, "0.0.0.0:9000");
    assert!(s.secure_cookies);
    assert!(
        !s.trust_proxy,
        "keys absent from the file keep their default"
    );
    assert_eq!((s.max_body_bytes, s.session_ttl_hours), (2048, 24));
    assert_eq!(s.log_level.as_deref(), Some("debug"));
}

#[test]
fn environment_overrides_file() {
    let env = env_of(&[
        ("TOUCHPOINT_DATABASE_URL", "sqlite://env.db"),
        ("TOUCHPOINT_SECURE_COOKIES", "false"),
        ("TOUCHPOINT_TRUST_PROXY", "yes"),
        ("TOUCHPOINT_SESSION_TTL_HOURS", "8"),
        ("TOUCHPOINT_LOG_LEVEL", "warn"),
    ]);
    let s = resolve(Some(("t.toml", FILE)), env, &Overrides::default()).unwrap();
    assert_eq!(s.database, "sqlite://env.db");
    assert_eq!(
        s.listen, "0.0.0.0:9000",
        "not in the environment: the file wins"
    );
    assert!(!s.secure_cookies && s.trust_proxy);
    assert_eq!(s.session_ttl_hours, 8);
    assert_eq!(s.log_level.as_deref(), Some("warn"));
}

#[test]
fn flags_override_environment_and_file() {
    let env = env_of(&[
        ("TOUCHPOINT_DATABASE_URL", "sqlite://env.db"),
        ("TOUCHPOINT_LISTEN", "127.0.0.1:7000"),
    ]);
    let flags = Overrides {
        database: Some("postgres://flag/db".into()),
        listen: Some("127.0.0.1:6000".into()),
        log_level: Some("trace".into()),
    };
    let s = resolve(Some(("t.toml", FILE)), env, &flags).unwrap();
    assert_eq!(s.database, "postgres://flag/db");
    assert_eq!(s.listen, "127.0.0.1:6000");
    assert_eq!(s.log_level.as_deref(), Some("trace"));
    assert_eq!(s.max_body_bytes, 2048, "no flag or variable: the file wins");
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let text = "listen = \"127.0.0.1:1\"\n\ndatabse = \"sqlite://x.db\"\n";
    let e = resolve(
        Some(("touchpoint.toml", text)),
        env_of(&[]),
        &Overrides::default(),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("touchpoint.toml:3:1: unknown key `databse`"),
        "{msg}"
    );
    assert_eq!(exit_code(&e), EXIT_USAGE);
}

#[test]
fn bad_types_and_values_are_usage_errors() {
    let e = resolve(
        Some(("t.toml", "secure_cookies = \"maybe\"\n")),
        env_of(&[]),
        &Overrides::default(),
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("t.toml:1:18:"), "{e}");
    let env = env_of(&[("TOUCHPOINT_MAX_BODY_BYTES", "lots")]);
    let e = resolve(None, env, &Overrides::default()).unwrap_err();
    assert!(e.to_string().contains("TOUCHPOINT_MAX_BODY_BYTES"), "{e}");
    let env = env_of(&[("TOUCHPOINT_SESSION_TTL_HOURS", "0")]);
    let e = resolve(None, env, &Overrides::default()).unwrap_err();
    assert_eq!(exit_code(&e), EXIT_USAGE);
}

#[test]
fn line_and_column_are_one_based() {
    assert_eq!(line_column("ab\ncd", 0), (1, 1));
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
}

#[test]
fn the_organisation_comes_from_the_file_or_the_environment() {
    let file = "organisation = \"Banco Andino\"\n";
    let s = resolve(Some(("t.toml", file)), env_of(&[]), &Overrides::default()).unwrap();
    assert_eq!(s.organisation.as_deref(), Some("Banco Andino"));
    let env = env_of(&[("TOUCHPOINT_ORGANISATION", "Hotel Andino")]);
    let s = resolve(Some(("t.toml", file)), env, &Overrides::default()).unwrap();
    assert_eq!(s.organisation.as_deref(), Some("Hotel Andino"));
    assert_eq!(Settings::default().organisation, None);
}
