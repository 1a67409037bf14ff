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
//! The close is committed before this runs, and a failure here (no such survey, a store
//! error) is logged and does not undo or fail the close: the customer's case is closed either
//! way. The notification is queued in the outbox (once per key
//! `complaint.closed:<complaint>:<invitation>`), and the scheduler's next pass — started at
//! once on this node, which is woken — delivers it with leases and retries, at least once even if this process dies before it goes out; each
//! delivery is recorded as `notification.sent`/`failed` on the complaint.
use crate::{
    feedback::{link_url, new_link_token},
    notify::Notification,
    state::AppState,
};
use chrono::Duration;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::Actor,
    complaints::{Complaint, ComplaintStatus, policy_for},
    feedback::records::{LinkKind, NewLink, Survey, SurveyLink},
    listing::{ListQuery, MAX_LIMIT},
};

/// How long a resolution invitation can be answered.
pub const INVITATION_DAYS: i64 = 30;

/// Call after a transition succeeded; does something only when `c` is now closed.
pub async fn after_transition(state: &AppState, actor: &Actor, c: &Complaint) {
    if c.status != ComplaintStatus::Closed {
        return;
    }
    match invite(state, actor, c).await {
        Ok(Some((link, url))) => {
            let n = notification(c, &link, &url);
            match state.store.enqueue_notification(&n).await {
                Ok(true) => state.outbox_ready.notify_one(),
                Ok(false) => tracing::warn!(key = %n.key, "the closing notice was already queued"),
                Err(e) => tracing::error!(
                    error = %e, complaint = %c.reference, key = %n.key,
                    "could not queue the closing notice: the invitation exists, unannounced"
                ),
            }
        }
        Ok(None) => {}
        Err(e) => tracing::error!(
            error = %e, complaint = %c.reference,
            "could not invite the customer to the resolution survey"
        ),
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

/// Make the invitation (retiring an unanswered one of an earlier close); returns it with its
/// absolute link.
async fn invite(
    state: &AppState,
    actor: &Actor,
    c: &Complaint,
) -> StoreResult<Option<(SurveyLink, String)>> {
    let Some(survey) = resolution_survey(state, c).await? else {
        return Ok(None);
    };
    retire_unanswered(state, actor, survey.id, &c.reference).await?;
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
    let stored = state.store.create_links(actor, survey.id, &[link]).await?;
    let base = state.config.public_base_url.as_deref().unwrap_or("");
    let url = format!("{}{}", base.trim_end_matches('/'), link_url(&token));
    Ok(stored.into_iter().next().map(|l| (l, url)))
}

/// Deactivate the complaint's invitations to `survey_id` that are still open.
async fn retire_unanswered(
    state: &AppState,
    actor: &Actor,
    survey_id: i64,
    reference: &str,
) -> StoreResult<()> {
    let mut q = ListQuery {
        limit: MAX_LIMIT,
        ..ListQuery::default()
    };
    loop {
        let page = state.store.list_links(survey_id, &q).await?;
        for l in &page.items {
            if l.active && l.answered_at.is_none() && l.complaint_ref.as_deref() == Some(reference)
            {
                state.store.deactivate_link(actor, l.id).await?;
            }
        }
        q.offset += page.items.len() as u32;
        if page.items.is_empty() || i64::from(q.offset) >= page.total {
            return Ok(());
        }
    }
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
