//! What closing a complaint sets in motion: when the response policy of the case (its
//! severity × channel, see `complaints::policy_for`) names a `resolution_survey_key`, the
//! customer gets a personal invitation to that survey, tied to the complaint
//! (`complaint_ref`), and the closing notification carries its `/s/{token}` link: by email to
//! the customer when the customers table knows their address, and in the webhook's data.
//!
//! One open invitation per complaint: closing again after a reopening retires the invitation
//! of the earlier close if it was not answered (its link stops working) and makes a new one,
//! because the customer is now asked about the new resolution; an answered one stays as the
//! record of what they thought of the first. A retried close cannot make a second invitation:
//! `closed → closed` is refused by the store before this runs.
//!
//! The close, the retirement of the earlier invitation, the new invitation and its notice are
//! one store transaction (`ComplaintStore::close_complaint`): a crash leaves either all of them
//! or none, never a closed case whose customer was not asked, nor an invitation nobody was told
//! about. What the invitation needs is read before (the policy's survey, the customer's
//! address); a failure there (no such survey, a store error) is logged and the case is closed
//! without an invitation: the customer's case is closed either way. The notice is queued in the
//! outbox (once per key `complaint.closed:<complaint>:<invitation>`), and the scheduler's next
//! pass — started at once on this node, which is woken — delivers it with leases and retries,
//! at least once even if this process dies before it goes out; each delivery is recorded as
//! `notification.sent`/`failed` on the complaint.
use crate::{
    feedback::{link_url, new_link_token},
    notify::Notification,
    state::AppState,
};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::Actor,
    complaints::{ClosingInvitation, Complaint, ComplaintStatus, policy_for},
    feedback::records::{LinkKind, NewLink, Survey, SurveyLink},
};

/// How long a resolution invitation can be answered.
pub const INVITATION_DAYS: i64 = 30;

/// Move the complaint to `to`; a close also makes its invitation (see the module).
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: i64,
    to: ComplaintStatus,
    note: &str,
) -> StoreResult<Complaint> {
    if to != ComplaintStatus::Closed {
        return state.store.transition_complaint(actor, id, to, note).await;
    }
    let invitation = match state.store.get_complaint(id).await {
        Ok(c) if c.status.transition(to).is_ok() => invitation(state, &c).await,
        // The store refuses the close itself, with the reason.
        Ok(_) => None,
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    let asked = invitation.is_some();
    let closed = match state
        .store
        .close_complaint(actor, id, note, invitation)
        .await
    {
        // Only the invitation can fail this way (the survey is never deleted, a fresh token
        // never clashes): the case is closed without it rather than not at all.
        Err(e @ (StoreError::NotFound { entity: "survey" } | StoreError::Conflict { .. }))
            if asked =>
        {
            tracing::error!(error = %e, complaint = id,
                "could not make the resolution survey invitation: closing without it");
            state.store.close_complaint(actor, id, note, None).await?
        }
        other => other?,
    };
    if closed.queued {
        state.outbox_ready.notify_one();
    } else if let Some(link) = &closed.invitation {
        tracing::warn!(
            invitation = link.id,
            "the closing notice was already queued"
        );
    }
    Ok(closed.complaint)
}

/// The invitation the close of `c` makes, or `None` (logged when something failed).
async fn invitation(state: &AppState, c: &Complaint) -> Option<ClosingInvitation> {
    match prepare(state, c).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(
                error = %e, complaint = %c.reference,
                "could not prepare the resolution survey invitation: closing without it"
            );
            None
        }
    }
}

/// The survey the case's policy names, when it can be answered.
async fn resolution_survey(state: &AppState, c: &Complaint) -> StoreResult<Option<Survey>> {
    let policies = state.store.list_policies().await?;
    let Some(key) =
        policy_for(&policies, c.severity, c.channel).and_then(|p| p.resolution_survey_key.clone())
    else {
        return Ok(None);
    };
    match state.store.get_survey_by_key(&key).await {
        Ok(s) if s.archived_at.is_none() && s.current_version.is_some() => Ok(Some(s)),
        Ok(_) | Err(StoreError::NotFound { .. }) => {
            tracing::warn!(survey = %key, complaint = %c.reference,
                "the resolution survey is missing, archived or unpublished: no invitation");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The invitation with its notice, written with the absolute link of a fresh token.
async fn prepare(state: &AppState, c: &Complaint) -> StoreResult<Option<ClosingInvitation>> {
    let Some(survey) = resolution_survey(state, c).await? else {
        return Ok(None);
    };
    let email = match state.store.get_customer_by_ref(&c.customer_ref).await {
        Ok(customer) => Some(customer.email).filter(|e| !e.trim().is_empty()),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    let (token, token_hash) = new_link_token();
    let link = NewLink {
        kind: LinkKind::Personal,
        token_hash,
        token: None,
        customer: Some(c.customer_ref.clone()),
        email,
        language: None,
        site_id: c.site_id,
        staff_id: None,
        visit_date: None,
        complaint_ref: Some(c.reference.clone()),
        expires_at: Some(state.clock.now() + Duration::days(INVITATION_DAYS)),
    };
    let url = state.config.public_url(&link_url(&token));
    Ok(Some(ClosingInvitation {
        survey_id: survey.id,
        link,
        notice: Arc::new(move |closed, link| notification(closed, link, &url)),
    }))
}

fn notification(c: &Complaint, link: &SurveyLink, url: &str) -> Notification {
    let text = format!(
        "Your complaint {reference} is closed. Thank you for telling us.\n\n\
         How satisfied are you with how we resolved it? Two minutes of your time help us put\n\
         it right for the next customer:\n\n{url}\n\n\
         ---\n\n\
         Su reclamo {reference} está cerrado. Gracias por avisarnos.\n\n\
         ¿Qué tan satisfecho está con la solución? Dos minutos de su tiempo nos ayudan a\n\
         hacerlo mejor con el próximo cliente:\n\n{url}\n",
        reference = c.reference,
    );
    let data = serde_json::json!({
        "complaint": c,
        "invitation_id": link.id,
        "survey_id": link.survey_id,
        "survey_url": url,
        "expires_at": link.expires_at,
    });
    Notification {
        event: "complaint.closed".into(),
        entity: "complaint".into(),
        entity_id: c.id,
        key: format!("complaint.closed:{}:{}", c.id, link.id),
        subject: format!("{} — how did we do? / ¿cómo lo hicimos?", c.reference),
        text,
        to: link.email.iter().cloned().collect(),
        data,
    }
}
