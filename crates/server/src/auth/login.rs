//! The login use case: throttled, audited, one generic failure message, a fresh session
//! (new secret, new CSRF token) on every successful login.
use super::{
    SESSION_COOKIE,
    csrf::LOGIN_CSRF_COOKIE,
    password::{decoy_hash, verify_password},
    secrets::{random_secret, sha256_hex},
};
use crate::state::{AppState, ServerConfig};
use chrono::Duration;
use touchpoint_core::{
    StoreError,
    audit::{Actor, NewAuditEntry},
    user::{Session, User},
};

pub struct LoggedIn {
    pub user: User,
    /// Goes into the session cookie; only its hash is stored.
    pub session_secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong email, wrong password, inactive account or throttled: deliberately one case.
    #[error("login failed")]
    Failed,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    ip: &str,
    previous_session_secret: Option<&str>,
) -> Result<LoggedIn, LoginError> {
    let email = email.trim().to_ascii_lowercase();
    if !state.throttle.allowed(ip, &email) {
        audit(state, &Actor::system(&email), "login.throttled", ip).await;
        return Err(LoginError::Failed);
    }
    let creds = match state.store.find_credentials(&email).await {
        Ok(c) => Some(c),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_string());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    let user = match creds {
        Some(c) if ok && c.user.active => c.user,
        other => {
            state.throttle.record_failure(ip, &email);
            let actor = match &other {
                Some(c) => Actor::user(c.user.id, &c.user.email),
                None => Actor::system(&email),
            };
            audit(state, &actor, "login.failed", ip).await;
            return Err(LoginError::Failed);
        }
    };
    state.throttle.record_success(&email);
    if let Some(old) = previous_session_secret {
        state.store.delete_session(&sha256_hex(old)).await.ok();
    }
    let session_secret = random_secret();
    let now = state.clock.now();
    let ttl = Duration::from_std(state.config.session_ttl).unwrap_or(Duration::hours(12));
    state
        .store
        .create_session(&Session {
            token_hash: sha256_hex(&session_secret),
            user_id: user.id,
            csrf_token: random_secret(),
            created_at: now,
            expires_at: now + ttl,
        })
        .await?;
    audit(state, &Actor::user(user.id, &user.email), "login.ok", ip).await;
    Ok(LoggedIn {
        user,
        session_secret,
    })
}

pub async fn logout(state: &AppState, session_hash: &str, user: &User) {
    state.store.delete_session(session_hash).await.ok();
    audit(state, &Actor::user(user.id, &user.email), "logout", "").await;
}

async fn audit(state: &AppState, actor: &Actor, action: &str, detail: &str) {
    if let Err(e) = state
        .store
        .record(&NewAuditEntry::event(actor, action, detail))
        .await
    {
        tracing::warn!(error = %e, action, "could not write audit entry");
    }
}

fn cookie(name: &str, value: &str, max_age_secs: i64, config: &ServerConfig) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// `Set-Cookie` value carrying a new session.
pub fn session_cookie(secret: &str, config: &ServerConfig) -> String {
    cookie(
        SESSION_COOKIE,
        secret,
        config.session_ttl.as_secs() as i64,
        config,
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(config: &ServerConfig) -> String {
    cookie(SESSION_COOKIE, "", 0, config)
}

/// A fresh login-form token and the `Set-Cookie` value that pairs with it.
pub fn login_csrf(config: &ServerConfig) -> (String, String) {
    let token = random_secret();
    let set = cookie(LOGIN_CSRF_COOKIE, &token, 3600, config);
    (token, set)
}
