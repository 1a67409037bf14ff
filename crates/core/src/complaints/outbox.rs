//! The outbox: notifications that must not be lost, written in a transaction of the store and
//! delivered by the scheduler with leases and retries (at least once).
//!
//! Two kinds of rows share it. An escalation is written by the claim that breaks the promise
//! and rendered when it is delivered (to the assignee and site manager of that moment). A
//! [`Notification`] queued whole — the closing email with the customer's survey link — is
//! rendered when it is queued, because what it says (a link whose token exists only then)
//! cannot be rebuilt later; its `key` makes queueing it again a no-op.
use super::{complaint::Complaint, promise::Escalation};
use crate::feedback::records::{NewLink, SurveyLink};
use serde::{Deserialize, Serialize};
use std::{fmt, sync::Arc};

/// Leases of one outbox row a node may take before the row is left for people to notice
/// (`notification.failed` in the audit log).
pub const MAX_OUTBOX_ATTEMPTS: i32 = 5;

/// One thing to tell people about, as every channel sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// `promise.broken`, `promise.due_soon`, `complaint.closed` or `survey.invitation`.
    pub event: String,
    /// What it is about (the audit record's entity): `promise` or `complaint`.
    pub entity: String,
    pub entity_id: i64,
    /// Names this notification across retries and nodes (the webhook's `id`):
    /// `<event>:<promise id>` for promises (each is escalated once and warned about once),
    /// `complaint.closed:<complaint id>:<invitation id>` for a close (a case closed again
    /// after a reopening is a new close), `survey.invitation:<invitation id>` for an
    /// invitation emailed when it was made.
    pub key: String,
    pub subject: String,
    /// Plain-text email body.
    pub text: String,
    /// Email recipients; none means no email.
    pub to: Vec<String>,
    /// The webhook's `data`.
    pub data: serde_json::Value,
}

impl Notification {
    pub fn id(&self) -> String {
        self.key.clone()
    }
}

/// What an outbox row holds.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxItem {
    /// A broken promise, rendered at delivery time.
    Escalation(Escalation),
    /// A notification rendered when it was queued.
    Queued(Notification),
}

/// An outbox row still to be delivered, leased to the node that got it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    /// Leases taken so far, this one included.
    pub attempts: i32,
    pub item: OutboxItem,
}

/// Writes the notification that announces a link just created, from the link's position in
/// the request and its stored row; `None` when there is nobody to tell. It runs inside the
/// store's transaction, so it must only format (no I/O, no locks).
pub type AnnounceLink = Arc<dyn Fn(usize, &SurveyLink) -> Option<Notification> + Send + Sync>;

/// Writes the closing notice of a complaint from the closed complaint and the invitation made
/// for it; runs inside the store's transaction, like [`AnnounceLink`].
pub type AnnounceClose = Arc<dyn Fn(&Complaint, &SurveyLink) -> Notification + Send + Sync>;

/// The invitation to the satisfaction-with-resolution survey that closing a complaint makes,
/// committed in the same transaction as the close (see `ComplaintStore::close_complaint`).
#[derive(Clone)]
pub struct ClosingInvitation {
    pub survey_id: i64,
    pub link: NewLink,
    pub notice: AnnounceClose,
}

impl fmt::Debug for ClosingInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClosingInvitation")
            .field("survey_id", &self.survey_id)
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

/// What a close committed: the complaint, and the invitation when one was asked for, with
/// whether its notice was queued (false when its key had been queued before).
#[derive(Debug, Clone)]
pub struct Closed {
    pub complaint: Complaint,
    pub invitation: Option<SurveyLink>,
    pub queued: bool,
}
