//! Personal invitations by email. When the caller asks for it (`send_email` on
//! `POST /surveys/{id}/invitations`, the box on the invite page), every new invitation with an
//! address is queued in the notification outbox as `survey.invitation:<invitation id>`, in the
//! invitation's language (the survey's first otherwise), with its absolute `/s/{token}` link.
//! The scheduler's next pass sends it with leases and retries, and the text (which holds the
//! token) is erased from the outbox once sent, as for every notification.
//!
//! The raw token exists only while the invitations are being created, so this is the one
//! moment the email can be written: the store queues each email in the same transaction that
//! creates its invitation (`SurveyStore::create_links_announced`), so no invitation is ever
//! committed without the email that was asked for. The webhook's data names the invitation and
//! the survey but never carries the link.
use crate::{feedback::link_url, notify::Notification, state::AppState};
use std::sync::Arc;
use touchpoint_core::{
    StoreResult, ValidationErrors,
    audit::Actor,
    complaints::AnnounceLink,
    feedback::records::{NewLink, Survey, SurveyLink},
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

/// What the store queues for each new invitation: its email when it has an address; `paths`
/// holds the `/s/{token}` path of each link, in the order they are created.
pub fn announcer(state: &AppState, survey: &Survey, paths: Vec<String>) -> AnnounceLink {
    let survey = survey.clone();
    let urls: Vec<String> = paths.iter().map(|p| state.config.public_url(p)).collect();
    Arc::new(move |i, link| notification(&survey, link, urls.get(i)?))
}

/// Create the invitations, with their emails when `send_email`; returns the stored links and
/// how many emails were queued (waking this node's scheduler when there are any).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    survey: &Survey,
    made: Vec<(String, NewLink)>,
    send_email: bool,
) -> StoreResult<(Vec<(String, SurveyLink)>, usize)> {
    let (tokens, links): (Vec<String>, Vec<NewLink>) = made.into_iter().unzip();
    let (stored, queued) = if send_email {
        let paths = tokens.iter().map(|t| link_url(t)).collect();
        let announce = announcer(state, survey, paths);
        state
            .store
            .create_links_announced(actor, survey.id, &links, announce)
            .await?
    } else {
        (state.store.create_links(actor, survey.id, &links).await?, 0)
    };
    if queued > 0 {
        state.outbox_ready.notify_one();
    }
    Ok((tokens.into_iter().zip(stored).collect(), queued))
}
