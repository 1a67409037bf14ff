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

/// The email of the manager of the case's site, when the case has a site that names one.
/// Inactive sites count too: their open cases still need someone with authority.
async fn site_manager_email(state: &AppState, site_id: Option<i64>) -> Option<String> {
    let id = site_id?;
    match state.store.get_site(id).await {
        Ok(site) => site.manager_email,
        Err(e) => {
            tracing::warn!(error = %e, site = id, "cannot read the site manager to notify");
            None
        }
    }
}

/// Each address once, in the order given; two spellings of one mailbox that differ only in
/// case count as one (mail systems treat them alike, and one person should get one email).
fn recipients(addresses: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in addresses {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
            out.push(a);
        }
    }
    out
}

fn complaint_url(state: &AppState, id: i64) -> String {
    state.config.public_url(&format!("/api/v1/complaints/{id}"))
}

/// A promise was broken and escalated: the assignee, the manager of the case's site and the
/// escalation addresses are told, each once.
pub async fn escalation(state: &AppState, e: &Escalation) -> Notification {
    let assignee = assignee_email(state, e.assignee_id).await;
    let manager = site_manager_email(state, e.site_id).await;
    let to = recipients(
        assignee
            .into_iter()
            .chain(manager)
            .chain(state.config.escalation_emails.iter().cloned()),
    );
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
        event: "promise.broken".into(),
        entity: "promise".into(),
        entity_id: p.id,
        key: format!("promise.broken:{}", p.id),
        subject: format!("Promise broken on {}: {}", e.reference, p.kind),
        text,
        to,
        data,
    }
}

/// A promise is about to break: its assignee is warned once, or, with nobody assigned, those
/// who can assign someone: the manager of the case's site and the escalation addresses.
pub async fn due_soon(state: &AppState, d: &DueSoon) -> Notification {
    let to = match assignee_email(state, d.assignee_id).await {
        Some(email) => vec![email],
        None => recipients(
            site_manager_email(state, d.site_id)
                .await
                .into_iter()
                .chain(state.config.escalation_emails.iter().cloned()),
        ),
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
        event: "promise.due_soon".into(),
        entity: "promise".into(),
        entity_id: p.id,
        key: format!("promise.due_soon:{}", p.id),
        subject: format!("Promise due soon on {}: {}", d.reference, p.kind),
        text,
        to,
        data,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn recipients_keep_the_first_spelling_of_each_mailbox() {
        let got = super::recipients(
            [
                "ana@x.org",
                "Boss@X.org",
                "ANA@x.org",
                "boss@x.org",
                "c@x.org",
            ]
            .map(String::from),
        );
        assert_eq!(got, ["ana@x.org", "Boss@X.org", "c@x.org"]);
    }
}
