//! `serve`: the web server (pages and JSON API) on the configured address.
use super::SharedStore;
use crate::{config::Settings, store_url::redact};
use anyhow::Context;
use std::{sync::Arc, time::Duration};
use tokio::net::TcpListener;
use touchpoint_core::clock::Clock;
use touchpoint_server::{AppState, ServerConfig};

/// The server's settings from the resolved configuration.
pub fn server_config(settings: &Settings) -> ServerConfig {
    let defaults = ServerConfig::default();
    ServerConfig {
        max_body_bytes: settings.max_body_bytes,
        secure_cookies: settings.secure_cookies,
        trust_proxy: settings.trust_proxy,
        session_ttl: Duration::from_secs(settings.session_ttl_hours * 3600),
        organisation: settings.organisation.clone(),
        smtp_url: settings.smtp_url.clone(),
        mail_from: settings.mail_from.clone().unwrap_or(defaults.mail_from),
        escalation_emails: settings.escalation_emails.clone(),
        webhook_url: settings.webhook_url.clone(),
        webhook_secret: settings.webhook_secret.clone(),
        ..ServerConfig::default()
    }
}

/// Bind, print the URL and serve until Ctrl-C or SIGTERM.
pub async fn run(
    settings: &Settings,
    store: SharedStore,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let listener = bind(&settings.listen).await?;
    serve_on(listener, settings, store, clock).await
}

/// Bind the listening socket (port 0 picks a free port).
pub async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))
}

/// `http://ADDR/` for a bound listener.
pub fn url_of(listener: &TcpListener) -> anyhow::Result<String> {
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    Ok(format!("http://{addr}/"))
}

/// Serve on an already bound listener, printing its URL first.
pub async fn serve_on(
    listener: TcpListener,
    settings: &Settings,
    store: SharedStore,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let url = url_of(&listener)?;
    tracing::info!(
        database = %redact(&settings.database),
        backend = store.backend(),
        %url,
        "touchpoint starting"
    );
    println!("Touchpoint is listening on {url} (Ctrl-C to stop)");
    let config = server_config(settings);
    let state = AppState::new(store, clock, config);
    // Escalations and due-soon warnings: every deadline is read from the database each pass.
    let jobs = touchpoint_server::jobs::start_jobs(state.clone());
    let served = touchpoint_server::serve(listener, state).await;
    jobs.abort();
    served.context("the server stopped with an error")?;
    tracing::info!("touchpoint stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_reach_the_server_config() {
        let s = Settings {
            secure_cookies: true,
            trust_proxy: true,
            max_body_bytes: 4096,
            session_ttl_hours: 2,
            ..Settings::default()
        };
        let c = server_config(&s);
        assert!(c.secure_cookies && c.trust_proxy);
        assert_eq!(c.max_body_bytes, 4096);
        assert_eq!(c.session_ttl, Duration::from_secs(7200));
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.mail_from, ServerConfig::default().mail_from);
    }

    #[test]
    fn notification_settings_reach_the_server_config() {
        let s = Settings {
            smtp_url: Some("smtp://relay:25".into()),
            mail_from: Some("CX <cx@bank.example>".into()),
            escalation_emails: vec!["a@x.org".into(), "b@x.org".into()],
            webhook_url: Some("https://hooks.example/tp".into()),
            webhook_secret: Some("s3cret".into()),
            ..Settings::default()
        };
        let c = server_config(&s);
        assert_eq!(c.smtp_url.as_deref(), Some("smtp://relay:25"));
        assert_eq!(c.mail_from, "CX <cx@bank.example>");
        assert_eq!(c.escalation_emails, ["a@x.org", "b@x.org"]);
        assert_eq!(c.webhook_url.as_deref(), Some("https://hooks.example/tp"));
        assert_eq!(c.webhook_secret.as_deref(), Some("s3cret"));
    }
}
