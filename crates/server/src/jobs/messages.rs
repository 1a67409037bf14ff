//! What the scheduler's notifications say and to whom.
use crate::{notify::Notification, state::AppState};
use touchpoint_core::complaints::{DueSoon, Escalation};

/// The assignee's email, when the case has an active assignee.
async fn assignee_email(state: &AppState, assignee_id: Option<i64>) -> Option<String> {
    let id = assignee_id?;
    match state.store.get_user(id).await {
        Ok(u) if u.active => Some(u.email),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, user = id, "cannot read the assignee to notify");
            None
        }
    }
}

fn complaint_url(state: &AppState, id: i64) -> String {
    let base = state.config.public_base_url.as_deref().unwrap_or("");
    format!("{}/api/v1/complaints/{id}", base.trim_end_matches('/'))
}

/// A promise was broken and escalated: the assignee and the escalation addresses are told.
pub async fn escalation(state: &AppState, e: &Escalation) -> Notification {
    let mut to: Vec<String> = assignee_email(state, e.assignee_id)
        .await
        .into_iter()
        .collect();
    for addr in &state.config.escalation_emails {
        if !to.contains(addr) {
            to.push(addr.clone());
        }
    }
    let url = complaint_url(state, e.complaint_id);
    let p = &e.promise;
    let text = format!(
        "A promise to the customer was broken and has been escalated.\n\n\
         Complaint: {reference} ({severity})\nCustomer: {customer}\n\
         Promise: {kind} — {description}\nDue: {due}\nEscalated: {at}\n\n{url}\n",
        reference = e.reference,
        severity = e.severity,
        customer = e.customer_ref,
        kind = p.kind,
        description = p.description,
        due = p.due_at.to_rfc3339(),
        at = e.escalated_at.to_rfc3339(),
    );
    let mut data = serde_json::to_value(e).unwrap_or_default();
    data["complaint_url"] = url.into();
    Notification {
        event: "promise.broken",
        entity: "promise",
        entity_id: p.id,
        key: format!("promise.broken:{}", p.id),
        subject: format!("Promise broken on {}: {}", e.reference, p.kind),
        text,
        to,
        data,
    }
}

/// A promise is about to break: its assignee (or, with nobody assigned, the escalation
/// addresses) is warned once.
pub async fn due_soon(state: &AppState, d: &DueSoon) -> Notification {
    let to = match assignee_email(state, d.assignee_id).await {
        Some(email) => vec![email],
        None => state.config.escalation_emails.clone(),
    };
    let url = complaint_url(state, d.promise.complaint_id);
    let p = &d.promise;
    let text = format!(
        "A promise to the customer is due soon.\n\n\
         Complaint: {reference}\nPromise: {kind} — {description}\nDue: {due}\n\n{url}\n",
        reference = d.reference,
        kind = p.kind,
        description = p.description,
        due = p.due_at.to_rfc3339(),
    );
    let mut data = serde_json::to_value(d).unwrap_or_default();
    data["complaint_url"] = url.into();
    Notification {
        event: "promise.due_soon",
        entity: "promise",
        entity_id: p.id,
        key: format!("promise.due_soon:{}", p.id),
        subject: format!("Promise due soon on {}: {}", d.reference, p.kind),
        text,
        to,
        data,
    }
}
