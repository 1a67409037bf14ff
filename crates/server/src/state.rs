//! What every handler can reach: the store, the clock, the configuration, the login throttle,
//! the notifier and this node's id (for the scheduler's claims).
use crate::{auth::throttle::LoginThrottle, notify::Notifier};
use std::{sync::Arc, time::Duration};
use touchpoint_core::{clock::Clock, portfolio::RankingSettings, store::Store};

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Send cookies with the `Secure` flag. Turn on whenever Touchpoint is served over HTTPS.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind a known proxy).
    pub trust_proxy: bool,
    /// How long a login session lasts without logging in again.
    pub session_ttl: Duration,
    /// Failed logins allowed per address and per email within `login_window`.
    pub login_max_failures: u32,
    pub login_window: Duration,
    /// Requests per minute per client address on the answering site (`/s/…`); 0 = no limit.
    pub public_get_per_minute: u32,
    pub public_post_per_minute: u32,
    /// Origin the answering links are shown with (e.g. `https://feedback.example.com`);
    /// when unset, the staff page's own `Host` is used.
    pub public_base_url: Option<String>,
    /// Tier thresholds and concentration warnings of the portfolio ranking.
    pub ranking: RankingSettings,
    /// SMTP relay for notification emails (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`); unset = no emails.
    pub smtp_url: Option<String>,
    /// Sender of notification emails, e.g. `Touchpoint <touchpoint@example.com>`.
    pub mail_from: String,
    /// Who is emailed when a promise breaks, besides the complaint's assignee (e.g. the
    /// complaints manager's mailbox).
    pub escalation_emails: Vec<String>,
    /// Where signed webhook notifications are posted; unset = no webhooks.
    pub webhook_url: Option<String>,
    /// The HMAC-SHA256 key of the `X-Touchpoint-Signature` header.
    pub webhook_secret: Option<String>,
    /// Tries per notification and channel, and the wait before the second (doubling after).
    pub notify_attempts: u32,
    pub notify_backoff: Duration,
    /// How often the scheduler looks for due promises (the deadlines themselves are stored).
    pub jobs_interval: Duration,
    /// How long before its due time the assignee is warned about an open promise.
    pub due_soon_within: Duration,
    /// The number customers can call about their complaint, shown on the status page
    /// (`/c/{token}`) when set.
    pub support_phone: Option<String>,
    /// The organisation's name, printed at the head of the cycle report when set.
    pub organisation: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            trust_proxy: false,
            session_ttl: Duration::from_secs(12 * 3600),
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            public_get_per_minute: 300,
            public_post_per_minute: 30,
            public_base_url: None,
            ranking: RankingSettings::default(),
            smtp_url: None,
            mail_from: "Touchpoint <touchpoint@localhost>".into(),
            escalation_emails: Vec::new(),
            webhook_url: None,
            webhook_secret: None,
            notify_attempts: 5,
            notify_backoff: Duration::from_secs(2),
            jobs_interval: Duration::from_secs(30),
            due_soon_within: Duration::from_secs(3600),
            support_phone: None,
            organisation: None,
        }
    }
}

impl ServerConfig {
    /// The notification settings from the environment: `TOUCHPOINT_SMTP_URL`,
    /// `TOUCHPOINT_MAIL_FROM`, `TOUCHPOINT_ESCALATION_EMAILS` (comma-separated),
    /// `TOUCHPOINT_WEBHOOK_URL` and `TOUCHPOINT_WEBHOOK_SECRET`; unset ones keep their value.
    pub fn notifications_from_env(self) -> Self {
        self.notifications_from(|name| std::env::var(name).ok())
    }

    /// Like [`Self::notifications_from_env`] with any lookup (for tests).
    pub fn notifications_from(mut self, get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if let Some(v) = get("TOUCHPOINT_SMTP_URL") {
            self.smtp_url = Some(v);
        }
        if let Some(v) = get("TOUCHPOINT_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = get("TOUCHPOINT_ESCALATION_EMAILS") {
            self.escalation_emails = v
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
        }
        if let Some(v) = get("TOUCHPOINT_WEBHOOK_URL") {
            self.webhook_url = Some(v);
        }
        if let Some(v) = get("TOUCHPOINT_WEBHOOK_SECRET") {
            self.webhook_secret = Some(v);
        }
        self
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ServerConfig>,
    pub throttle: Arc<LoginThrottle>,
    pub notifier: Arc<Notifier>,
    /// Names this process in escalation claims (`escalated_by`): host, pid and random bits,
    /// so two processes on one host, or a restarted one, never share an id.
    pub node_id: Arc<str>,
    /// Portfolio rankings kept while customers and sales are unchanged.
    pub rankings: Arc<crate::portfolio::RankingCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: ServerConfig) -> Self {
        let throttle = Arc::new(LoginThrottle::new(
            config.login_max_failures,
            config.login_window,
        ));
        let notifier = Arc::new(Notifier::from_config(&config));
        Self {
            store,
            clock,
            config: Arc::new(config),
            throttle,
            notifier,
            node_id: crate::jobs::node_id().into(),
            rankings: Arc::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_settings_come_from_the_environment() {
        let env = |name: &str| match name {
            "TOUCHPOINT_SMTP_URL" => Some("smtp://relay:25".to_string()),
            "TOUCHPOINT_ESCALATION_EMAILS" => Some(" a@x.org, ,b@x.org ".to_string()),
            "TOUCHPOINT_WEBHOOK_SECRET" => Some("  ".to_string()),
            _ => None,
        };
        let c = ServerConfig::default().notifications_from(env);
        assert_eq!(c.smtp_url.as_deref(), Some("smtp://relay:25"));
        assert_eq!(c.escalation_emails, ["a@x.org", "b@x.org"]);
        assert_eq!(c.webhook_secret, None, "blank means unset");
        assert_eq!(c.mail_from, ServerConfig::default().mail_from);
    }
}
