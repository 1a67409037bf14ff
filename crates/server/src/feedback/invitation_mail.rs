//! Personal invitations by email. When the caller asks for it (`send_email` on
//! `POST /surveys/{id}/invitations`, the box on the invite page), every new invitation with an
//! address is queued in the notification outbox as `survey.invitation:<invitation id>`, in the
//! invitation's language (the survey's first otherwise), with its absolute `/s/{token}` link.
//! The scheduler's next pass sends it with leases and retries, and the text (which holds the
//! token) is erased from the outbox once sent, as for every notification.
//!
//! The raw token exists only while the invitations are being created, so this is the one
//! moment the email can be written: the invitations are committed first, then queued; a
//! process that dies in between leaves invitations without an email (their URLs were returned
//! to the caller, who can send them another way). The webhook's data names the invitation and
//! the survey but never carries the link.
use crate::{notify::Notification, state::AppState};
use touchpoint_core::{
    ValidationErrors,
    feedback::records::{Survey, SurveyLink},
};

/// Why invitations cannot be emailed by this server, named on `field`; `None` when they can.
pub fn cannot_send(state: &AppState, field: &str) -> Option<ValidationErrors> {
    let message = if state.config.smtp_url.is_none() {
        "no mail server is configured (smtp_url), so nothing could be sent"
    } else if state.config.public_base_url.is_none() {
        "the server's public address (public_base_url) is not configured, so an emailed link would not open"
    } else {
        return None;
    };
    Some(ValidationErrors::single(field, message))
}

/// The absolute link of a `/s/{token}` path.
fn absolute(state: &AppState, path: &str) -> String {
    let base = state.config.public_base_url.as_deref().unwrap_or("");
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The invitation's email, or `None` when it has no address.
pub fn notification(survey: &Survey, link: &SurveyLink, url: &str) -> Option<Notification> {
    let to = link.email.clone().filter(|e| !e.trim().is_empty())?;
    let fallback = survey.draft.languages.first().map_or("en", String::as_str);
    let lang = link.language.as_deref().unwrap_or(fallback);
    let title = survey.draft.title.text_for(lang, fallback);
    let expiry = link
        .expires_at
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let (subject, text) = if lang == "es" {
        let until = if expiry.is_empty() {
            String::new()
        } else {
            format!("\nPuede responder hasta el {expiry}.\n")
        };
        (
            format!("{title}: ¿nos cuenta cómo le fue?"),
            format!(
                "Hola:\n\nNos gustaría saber cómo le fue con nosotros. Responder toma un par de \
                 minutos y nos ayuda a mejorar en lo que a usted le importa:\n\n{url}\n{until}\n\
                 El enlace es personal: sirve para una sola respuesta.\n"
            ),
        )
    } else {
        let until = if expiry.is_empty() {
            String::new()
        } else {
            format!("\nYou can answer until {expiry}.\n")
        };
        (
            format!("{title}: how did we do?"),
            format!(
                "Hello,\n\nWe would like to know how your visit went. Answering takes a couple of \
                 minutes and helps us improve what matters to you:\n\n{url}\n{until}\n\
                 The link is personal: it accepts one answer.\n"
            ),
        )
    };
    Some(Notification {
        event: "survey.invitation".into(),
        entity: "survey_link".into(),
        entity_id: link.id,
        key: format!("survey.invitation:{}", link.id),
        subject,
        text,
        to: vec![to],
        data: serde_json::json!({
            "invitation_id": link.id,
            "survey_id": link.survey_id,
            "survey_key": survey.draft.key,
            "customer": link.customer,
            "language": lang,
            "expires_at": link.expires_at,
        }),
    })
}

/// Queue the email of every invitation with an address; `links` pairs each stored invitation
/// with its `/s/{token}` path. Returns how many were queued.
pub async fn announce(state: &AppState, survey: &Survey, links: &[(&SurveyLink, &str)]) -> usize {
    let mut queued = 0;
    for (link, path) in links {
        let Some(n) = notification(survey, link, &absolute(state, path)) else {
            continue;
        };
        match state.store.enqueue_notification(&n).await {
            Ok(true) => {
                queued += 1;
                state.outbox_ready.notify_one();
            }
            Ok(false) => {}
            Err(e) => tracing::error!(
                error = %e, key = %n.key,
                "could not queue an invitation email: the invitation exists, unannounced"
            ),
        }
    }
    queued
}
