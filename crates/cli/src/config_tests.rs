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

const NOTIFY_FILE: &str = "smtp_url = \"smtp://relay.bank.example:25\"\n\
    mail_from = \"Touchpoint <cx@bank.example>\"\n\
    escalation_emails = [\"cx@bank.example\", \" quality@bank.example \"]\n\
    webhook_url = \"https://hooks.bank.example/touchpoint\"\n\
    webhook_secret = \"from-the-file\"\n";

#[test]
fn notification_settings_come_from_the_file() {
    let s = resolve(
        Some(("t.toml", NOTIFY_FILE)),
        env_of(&[]),
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(s.smtp_url.as_deref(), Some("smtp://relay.bank.example:25"));
    assert_eq!(s.mail_from.as_deref(), Some("Touchpoint <cx@bank.example>"));
    assert_eq!(
        s.escalation_emails,
        ["cx@bank.example", "quality@bank.example"]
    );
    assert_eq!(
        s.webhook_url.as_deref(),
        Some("https://hooks.bank.example/touchpoint")
    );
    assert_eq!(s.webhook_secret.as_deref(), Some("from-the-file"));
    let none = Settings::default();
    assert_eq!((none.smtp_url, none.webhook_url), (None, None));
    assert!(none.escalation_emails.is_empty());
}

#[test]
fn notification_settings_in_the_environment_override_the_file() {
    let env = env_of(&[
        ("TOUCHPOINT_SMTP_URL", "smtps://mail.example:465"),
        ("TOUCHPOINT_ESCALATION_EMAILS", " a@x.org, ,b@x.org "),
        ("TOUCHPOINT_WEBHOOK_SECRET", "from-the-environment"),
    ]);
    let s = resolve(Some(("t.toml", NOTIFY_FILE)), env, &Overrides::default()).unwrap();
    assert_eq!(s.smtp_url.as_deref(), Some("smtps://mail.example:465"));
    assert_eq!(
        s.escalation_emails,
        ["a@x.org", "b@x.org"],
        "comma-separated"
    );
    assert_eq!(s.webhook_secret.as_deref(), Some("from-the-environment"));
    assert_eq!(
        s.mail_from.as_deref(),
        Some("Touchpoint <cx@bank.example>"),
        "not in the environment: the file wins"
    );
    // Without a file, the environment alone configures them, as before.
    let env = env_of(&[("TOUCHPOINT_WEBHOOK_URL", "http://127.0.0.1:9/hook")]);
    let s = resolve(None, env, &Overrides::default()).unwrap();
    assert_eq!(s.webhook_url.as_deref(), Some("http://127.0.0.1:9/hook"));
}

#[test]
fn notification_keys_are_checked_strictly() {
    let err = |text: &str| {
        let e = resolve(Some(("t.toml", text)), env_of(&[]), &Overrides::default()).unwrap_err();
        assert_eq!(exit_code(&e), EXIT_USAGE);
        e.to_string()
    };
    // A list is a TOML array of strings, not one comma-separated string.
    let msg = err("listen = \"127.0.0.1:1\"\nescalation_emails = \"a@x.org,b@x.org\"\n");
    assert!(msg.starts_with("t.toml:2:21:"), "{msg}");
    let msg = err("escalation_emails = [\"a@x.org\", 7]\n");
    assert!(msg.starts_with("t.toml:1:33:"), "{msg}");
    let msg = err("smtp_url = 25\n");
    assert!(msg.starts_with("t.toml:1:12:"), "{msg}");
    let msg = err("\nwebhook_secrett = \"x\"\n");
    assert!(
        msg.starts_with("t.toml:2:1: unknown key `webhook_secrett`"),
        "{msg}"
    );
    // Values that would only fail at the first notification fail at start instead.
    let msg = err("escalation_emails = [\"boss\"]\n");
    assert!(msg.contains("escalation_emails: 'boss'"), "{msg}");
    let msg = err("smtp_url = \"relay:25\"\n");
    assert!(msg.contains("smtp_url must start with smtp://"), "{msg}");
    let msg = err("webhook_url = \"ftp://x\"\n");
    assert!(msg.contains("webhook_url must start with http"), "{msg}");
}

#[test]
fn blank_notification_values_mean_none() {
    let s = resolve(
        Some(("t.toml", "smtp_url = \"  \"\nwebhook_secret = \"\"\n")),
        env_of(&[("TOUCHPOINT_MAIL_FROM", "   ")]),
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(
        (s.smtp_url, s.webhook_secret, s.mail_from),
        (None, None, None)
    );
}
