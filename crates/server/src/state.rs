//! What every handler can reach: the store, the clock, the configuration, the login throttle.
use crate::auth::throttle::LoginThrottle;
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
    /// The number customers can call about their complaint, shown on the status page
    /// (`/c/{token}`) when set.
    pub support_phone: Option<String>,
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
            support_phone: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ServerConfig>,
    pub throttle: Arc<LoginThrottle>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: ServerConfig) -> Self {
        let throttle = Arc::new(LoginThrottle::new(
            config.login_max_failures,
            config.login_window,
        ));
        Self {
            store,
            clock,
            config: Arc::new(config),
            throttle,
        }
    }
}
