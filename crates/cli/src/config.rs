//! Settings, resolved in this order (later wins): built-in defaults → `touchpoint.toml` →
//! `TOUCHPOINT_*` environment variables → command-line flags.
use crate::failure::usage;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATABASE: &str = "sqlite://touchpoint.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_CONFIG_FILE: &str = "touchpoint.toml";
pub const CONFIG_ENV: &str = "TOUCHPOINT_CONFIG";

/// Everything the commands need to know, after every source was applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub database: String,
    pub listen: String,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub max_body_bytes: usize,
    pub session_ttl_hours: u64,
    /// `None` lets each command choose (`info` for servers, `warn` for one-shot commands).
    pub log_level: Option<String>,
    /// The organisation's name, printed at the head of cycle reports.
    pub organisation: Option<String>,
    /// SMTP relay for notification emails; `None` sends no email.
    pub smtp_url: Option<String>,
    /// Sender of notification emails; `None` keeps the server's default.
    pub mail_from: Option<String>,
    /// Told about every broken promise, besides the assignee and the site's manager.
    pub escalation_emails: Vec<String>,
    /// Where signed JSON notifications are posted; `None` posts none.
    pub webhook_url: Option<String>,
    /// The key of the webhook's `X-Touchpoint-Signature`.
    pub webhook_secret: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database: DEFAULT_DATABASE.into(),
            listen: DEFAULT_LISTEN.into(),
            secure_cookies: false,
            trust_proxy: false,
            max_body_bytes: 1024 * 1024,
            session_ttl_hours: 12,
            log_level: None,
            organisation: None,
            smtp_url: None,
            mail_from: None,
            escalation_emails: Vec::new(),
            webhook_url: None,
            webhook_secret: None,
        }
    }
}

/// The keys `touchpoint.toml` may hold; any other key is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database: Option<String>,
    listen: Option<String>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    max_body_bytes: Option<usize>,
    session_ttl_hours: Option<u64>,
    log_level: Option<String>,
    organisation: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    escalation_emails: Option<Vec<String>>,
    webhook_url: Option<String>,
    webhook_secret: Option<String>,
}

/// Values given as flags; `None` when the flag was not used.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub database: Option<String>,
    pub listen: Option<String>,
    pub log_level: Option<String>,
}

/// Environment variable for each setting.
pub const ENV_VARS: [(&str, &str); 13] = [
    ("database", "TOUCHPOINT_DATABASE_URL"),
    ("listen", "TOUCHPOINT_LISTEN"),
    ("secure_cookies", "TOUCHPOINT_SECURE_COOKIES"),
    ("trust_proxy", "TOUCHPOINT_TRUST_PROXY"),
    ("max_body_bytes", "TOUCHPOINT_MAX_BODY_BYTES"),
    ("session_ttl_hours", "TOUCHPOINT_SESSION_TTL_HOURS"),
    ("log_level", "TOUCHPOINT_LOG_LEVEL"),
    ("organisation", "TOUCHPOINT_ORGANISATION"),
    ("smtp_url", "TOUCHPOINT_SMTP_URL"),
    ("mail_from", "TOUCHPOINT_MAIL_FROM"),
    ("escalation_emails", "TOUCHPOINT_ESCALATION_EMAILS"),
    ("webhook_url", "TOUCHPOINT_WEBHOOK_URL"),
    ("webhook_secret", "TOUCHPOINT_WEBHOOK_SECRET"),
];

/// Read the config file (if any), the process environment and the flags.
pub fn load(config_flag: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Settings> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let file = match config_path(config_flag, env(CONFIG_ENV).map(PathBuf::from)) {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
            Some((path.display().to_string(), text))
        }
        None => None,
    };
    let file = file
        .as_ref()
        .map(|(name, text)| (name.as_str(), text.as_str()));
    resolve(file, env, overrides)
}

/// The config file to read: the flag, else `TOUCHPOINT_CONFIG`, else `touchpoint.toml` if
/// it exists in the current directory.
fn config_path(flag: Option<&Path>, env: Option<PathBuf>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or(env).or_else(|| {
        let default = PathBuf::from(DEFAULT_CONFIG_FILE);
        default.is_file().then_some(default)
    })
}

/// Apply every source over the defaults. `file` is `(name for messages, contents)`.
pub fn resolve(
    file: Option<(&str, &str)>,
    env: impl Fn(&str) -> Option<String>,
    overrides: &Overrides,
) -> anyhow::Result<Settings> {
    let mut s = Settings::default();
    if let Some((name, text)) = file {
        let f = parse_file(name, text)?;
        set(&mut s.database, f.database);
        set(&mut s.listen, f.listen);
        set(&mut s.secure_cookies, f.secure_cookies);
        set(&mut s.trust_proxy, f.trust_proxy);
        set(&mut s.max_body_bytes, f.max_body_bytes);
        set(&mut s.session_ttl_hours, f.session_ttl_hours);
        s.log_level = f.log_level.or(s.log_level);
        s.organisation = f.organisation.or(s.organisation);
        // A blank string in the file means "none", like an empty environment variable.
        s.smtp_url = non_blank(f.smtp_url).or(s.smtp_url);
        s.mail_from = non_blank(f.mail_from).or(s.mail_from);
        set(&mut s.escalation_emails, f.escalation_emails.map(addresses));
        s.webhook_url = non_blank(f.webhook_url).or(s.webhook_url);
        s.webhook_secret = non_blank(f.webhook_secret).or(s.webhook_secret);
    }
    let var = |key: &str| {
        let name = ENV_VARS.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)?;
        env(name).map(|v| (name, v))
    };
    set(&mut s.database, var("database").map(|(_, v)| v));
    set(&mut s.listen, var("listen").map(|(_, v)| v));
    set(
        &mut s.secure_cookies,
        var("secure_cookies").map(parse_bool).transpose()?,
    );
    set(
        &mut s.trust_proxy,
        var("trust_proxy").map(parse_bool).transpose()?,
    );
    set(
        &mut s.max_body_bytes,
        var("max_body_bytes").map(parse_num).transpose()?,
    );
    set(
        &mut s.session_ttl_hours,
        var("session_ttl_hours").map(parse_num).transpose()?,
    );
    s.log_level = var("log_level").map(|(_, v)| v).or(s.log_level);
    s.organisation = var("organisation").map(|(_, v)| v).or(s.organisation);
    s.smtp_url = non_blank(var("smtp_url").map(|(_, v)| v)).or(s.smtp_url);
    s.mail_from = non_blank(var("mail_from").map(|(_, v)| v)).or(s.mail_from);
    set(
        &mut s.escalation_emails,
        var("escalation_emails").map(|(_, v)| addresses(v.split(','))),
    );
    s.webhook_url = non_blank(var("webhook_url").map(|(_, v)| v)).or(s.webhook_url);
    s.webhook_secret = non_blank(var("webhook_secret").map(|(_, v)| v)).or(s.webhook_secret);

    set(&mut s.database, overrides.database.clone());
    set(&mut s.listen, overrides.listen.clone());
    s.log_level = overrides.log_level.clone().or(s.log_level);
    check(&s)?;
    Ok(s)
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// `Some` only with something in it, trimmed.
fn non_blank(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The addresses of a list, trimmed, without blanks (`"a@x.org, ,b@x.org"`).
fn addresses<S: AsRef<str>>(list: impl IntoIterator<Item = S>) -> Vec<String> {
    list.into_iter()
        .map(|a| a.as_ref().trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

fn parse_file(name: &str, text: &str) -> anyhow::Result<FileSettings> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        let message = e.message().trim().replace("unknown field", "unknown key");
        usage(format!("{name}:{line}:{column}: {message}"))
    })
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn parse_bool((name, v): (&str, String)) -> anyhow::Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(usage(format!("{name}: expected true or false, got '{v}'"))),
    }
}

fn parse_num<T: std::str::FromStr>((name, v): (&str, String)) -> anyhow::Result<T> {
    v.trim()
        .parse()
        .map_err(|_| usage(format!("{name}: expected a whole number, got '{v}'")))
}

fn check(s: &Settings) -> anyhow::Result<()> {
    if s.max_body_bytes < 1024 {
        return Err(usage("max_body_bytes must be at least 1024"));
    }
    if !(1..=24 * 90).contains(&s.session_ttl_hours) {
        return Err(usage(
            "session_ttl_hours must be between 1 and 2160 (90 days)",
        ));
    }
    if s.database.trim().is_empty() {
        return Err(usage("database must not be empty"));
    }
    for a in &s.escalation_emails {
        if !touchpoint_core::user::looks_like_email(a) {
            return Err(usage(format!(
                "escalation_emails: '{a}' is not an email address like name@example.com"
            )));
        }
    }
    if let Some(url) = &s.smtp_url
        && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
    {
        return Err(usage(
            "smtp_url must start with smtp:// (plain or STARTTLS) or smtps:// (TLS)",
        ));
    }
    if let Some(url) = &s.webhook_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(usage("webhook_url must start with http:// or https://"));
    }
    Ok(())
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
