//! Email over SMTP with lettre. The URL says how to connect: `smtp://host:25` (plain, for a
//! local relay), `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://host:465`
//! (TLS from the start).
use super::Notification;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use std::time::Duration;

#[derive(Clone)]
pub struct EmailChannel {
    url: String,
    from: String,
}

impl std::fmt::Debug for EmailChannel {
    // The URL may carry the SMTP password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChannel")
            .field("from", &self.from)
            .finish()
    }
}

impl EmailChannel {
    pub fn new(url: &str, from: &str) -> Self {
        EmailChannel {
            url: url.to_string(),
            from: from.to_string(),
        }
    }

    /// The message for `n`: one email to all its recipients.
    pub fn message(&self, n: &Notification) -> Result<Message, String> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e| format!("mail_from '{}': {e}", self.from))?;
        let mut b = Message::builder()
            .from(from)
            .subject(n.subject.as_str())
            .header(ContentType::TEXT_PLAIN);
        for to in &n.to {
            let to: Mailbox = to.parse().map_err(|e| format!("recipient '{to}': {e}"))?;
            b = b.to(to);
        }
        b.body(n.text.clone()).map_err(|e| e.to_string())
    }

    pub async fn send(&self, n: &Notification) -> Result<(), String> {
        let message = self.message(n)?;
        // A transport per delivery: notifications are rare, and a fresh connection never
        // trips over one the relay has closed in the meantime.
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|e| format!("smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        mailer
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
