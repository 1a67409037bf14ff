//! Outgoing notifications (a broken promise escalated, a promise about to break, a complaint
//! closed with its satisfaction survey, a survey invitation) on two channels: email over SMTP ([`email`]) and
//! signed webhooks ([`webhook`]).
//!
//! Each delivery is tried a few times with exponential backoff and its outcome is written to
//! the audit log as `notification.sent` or `notification.failed` (on the entity it is about:
//! the promise, or the complaint), so staff
//! can see what went out without a table of its own. A channel that is not configured is
//! skipped silently; a notification with no email recipient is not emailed.
pub mod email;
pub mod webhook;

use crate::state::ServerConfig;
use std::{future::Future, time::Duration};
use touchpoint_core::{audit::NewAuditEntry, store::Store};

/// One thing to tell people about; a core type because the outbox stores it whole.
pub use touchpoint_core::complaints::Notification;

/// Deliveries on every configured channel, with retries, recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Notifier {
    email: Option<email::EmailChannel>,
    webhook: Option<webhook::WebhookChannel>,
    attempts: u32,
    backoff: Duration,
}

impl Notifier {
    pub fn from_config(c: &ServerConfig) -> Self {
        Notifier {
            email: c
                .smtp_url
                .as_deref()
                .map(|url| email::EmailChannel::new(url, &c.mail_from)),
            webhook: c.webhook_url.as_deref().map(|url| {
                webhook::WebhookChannel::new(url, c.webhook_secret.as_deref().unwrap_or(""))
            }),
            attempts: c.notify_attempts.max(1),
            backoff: c.notify_backoff,
        }
    }

    /// Deliver `n` on every channel; `actor` names who sends it (the scheduler's node).
    /// `true` when every channel that applies took it (also when none applies).
    pub async fn send(&self, store: &dyn Store, actor: &str, n: &Notification) -> bool {
        let mut delivered = true;
        if let Some(email) = &self.email
            && !n.to.is_empty()
        {
            let target = format!("email to {}", n.to.join(", "));
            let result = retry(self.attempts, self.backoff, || email.send(n)).await;
            delivered &= result.is_ok();
            record(store, actor, n, &target, result).await;
        }
        if let Some(hook) = &self.webhook {
            let target = format!("webhook {}", hook.url());
            let result = retry(self.attempts, self.backoff, || hook.send(n)).await;
            delivered &= result.is_ok();
            record(store, actor, n, &target, result).await;
        }
        delivered
    }
}

/// Call `f` up to `attempts` times, waiting `backoff`, then twice that, and so on between
/// tries. Returns the number of attempts used, or the last error with that number.
pub async fn retry<F, Fut>(attempts: u32, backoff: Duration, mut f: F) -> Result<u32, (u32, String)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut wait = backoff;
    let mut attempt = 1;
    loop {
        match f().await {
            Ok(()) => return Ok(attempt),
            Err(e) if attempt >= attempts => return Err((attempt, e)),
            Err(e) => {
                tracing::warn!(attempt, error = %e, "notification failed, retrying");
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
                attempt += 1;
            }
        }
    }
}

async fn record(
    store: &dyn Store,
    actor: &str,
    n: &Notification,
    target: &str,
    result: Result<u32, (u32, String)>,
) {
    let (action, detail) = match result {
        Ok(tries) => (
            "notification.sent",
            format!("{} {target} after {tries} attempt(s)", n.event),
        ),
        Err((tries, e)) => {
            tracing::error!(event = n.event, %target, error = %e, "notification failed");
            (
                "notification.failed",
                format!("{} {target} failed after {tries} attempt(s): {e}", n.event),
            )
        }
    };
    let entry = NewAuditEntry {
        actor_user_id: None,
        actor: actor.to_string(),
        action: action.into(),
        entity: n.entity.clone(),
        entity_id: Some(n.entity_id.to_string()),
        before: None,
        after: None,
        detail,
    };
    // A lost audit line must not stop the other deliveries; the log says what happened.
    if let Err(e) = store.record(&entry).await {
        tracing::error!(error = %e, "could not record a notification in the audit log");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn retries_back_off_and_stop_after_the_last_attempt() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let r = retry(3, Duration::from_millis(10), || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), _>("down".to_string()) }
        })
        .await;
        assert_eq!(r, Err((3, "down".to_string())));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(
            started.elapsed() >= Duration::from_millis(30),
            "10 ms then 20 ms"
        );

        let calls = AtomicU32::new(0);
        let r = retry(5, Duration::from_millis(1), || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 1 {
                    Err("once".to_string())
                } else {
                    Ok(())
                }
            }
        })
        .await;
        assert_eq!(r, Ok(2));
    }
}
