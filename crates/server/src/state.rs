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
    /// Who is emailed when a promise breaks, besides the complaint's assignee and the manager
    /// of its site (e.g. the complaints manager's mailbox); also warned about promises due
    /// soon on cases nobody is assigned to.
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

impl ServerConfig {
    /// `path` (starting with `/`) on the configured public origin, for links that leave the
    /// server (emails, webhooks); just `path` when no origin is configured.
    pub fn public_url(&self, path: &str) -> String {
        let base = self.public_base_url.as_deref().unwrap_or("");
        format!("{}{path}", base.trim_end_matches('/'))
    }
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
    /// Woken when this process queues a notification, so its scheduler delivers it now
    /// rather than at the next interval (other nodes still find it at theirs).
    pub outbox_ready: Arc<tokio::sync::Notify>,
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
            outbox_ready: Arc::default(),
        }
    }
}
