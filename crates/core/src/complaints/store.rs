//! The storage contract for complaints. Both backends implement it; the conformance suite in
//! `touchpoint-test-support` (`complaints_conformance_tests!`) holds them to the same behaviour.
//!
//! Rules every backend follows:
//! * Every change writes its audit record in the same transaction (actions `complaint.create`,
//!   `complaint.transition`, `complaint.assign`, `complaint.update`, `complaint.resolution`,
//!   `promise.create`, `promise.fulfil`, `promise.cancel`, `promise.break`, `ledger.append`,
//!   `ledger.weight`, `policy.save`, `policy.delete`, `calendar.set`).
//! * Times of changes come from the store's injected clock; `claim_due_promises` and
//!   `promises_due_soon` take `now` from their caller (the scheduler) instead.
//! * An invalid status change is `Invalid` on field `status` with the message of
//!   [`InvalidTransition`](super::status::InvalidTransition); a promise that can no longer
//!   change is `Invalid` on `state`. Conflicts are reserved for uniqueness.
//! * Transitions settle the promises they fulfil: `acknowledged` the acknowledge promises,
//!   `responded` the first-response ones, `resolved` the resolve ones (kept when on time,
//!   broken otherwise); `closed` cancels every promise still open. A customer-visible update
//!   fulfils the open update promises and, while the case is open, makes the next one from
//!   the policy. A promise that becomes broken writes one `broken_promise` withdrawal.
//! * Unknown complaint ids are `NotFound { entity: "complaint" }`, promises `"promise"`,
//!   policies `"policy"`.
use super::{
    calendar::BusinessCalendar,
    complaint::{
        Complaint, ComplaintFilter, ComplaintUpdate, Resolution, Transition, ValidComplaint,
        ValidUpdate,
    },
    import::{ImportOutcome, ImportedComplaint},
    ledger::{LedgerEntry, LedgerKind, LedgerSummary, LedgerWeights, NewLedgerEntry},
    outbox::{Closed, ClosingInvitation, Notification, OutboxEntry},
    policy::{ResponsePolicy, ValidPolicy},
    promise::{DueSoon, Escalation, NewPromise, Promise},
    status::ComplaintStatus,
};
use crate::{
    audit::Actor,
    error::StoreResult,
    listing::{ListQuery, Page},
};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

#[async_trait]
pub trait ComplaintStore: Send + Sync {
    /// Register a complaint in status `received` with the next reference of the current year,
    /// the promises of its policy (see [`super::policy::policy_for`], counted in its site's
    /// business calendar), a `complaint` withdrawal on the customer's account and the first
    /// transition record — all in one transaction. `status_token_hash` is the SHA-256 of the
    /// customer's status-page token (`Conflict { field: "token_hash" }` when taken). An unknown
    /// `site_id` or `assignee_id` is `Invalid` on that field.
    async fn create_complaint(
        &self,
        actor: &Actor,
        c: &ValidComplaint,
        status_token_hash: &str,
    ) -> StoreResult<Complaint>;
    /// Bring in a case from another system (see [`super::import`] for the rules), with an
    /// `complaint.import` audit record, in one transaction. An unknown `site_id` or
    /// `assignee_id` is `Invalid` on that field.
    async fn import_complaint(
        &self,
        actor: &Actor,
        c: &ImportedComplaint,
    ) -> StoreResult<ImportOutcome>;
    async fn get_complaint(&self, id: i64) -> StoreResult<Complaint>;
    /// Case-insensitive and space-tolerant (`c-2026-000001 ` finds `C-2026-000001`).
    async fn get_complaint_by_reference(&self, reference: &str) -> StoreResult<Complaint>;
    /// The complaint behind a status-page token, by the token's hash.
    async fn find_complaint_by_token(&self, token_hash: &str) -> StoreResult<Complaint>;
    /// `ListQuery.search` is a case-insensitive substring of the reference, customer or
    /// description; its `sort` is ignored in favour of `f.order`, its `descending` applies;
    /// ties break by id in the same direction.
    async fn list_complaints(
        &self,
        f: &ComplaintFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Complaint>>;

    /// Move the complaint to `to`, recording who, when and `note`.
    async fn transition_complaint(
        &self,
        actor: &Actor,
        id: i64,
        to: ComplaintStatus,
        note: &str,
    ) -> StoreResult<Complaint>;
    /// The transition to `closed` and, in the same transaction, the invitation the close sets
    /// in motion: the complaint's still-open invitations to `invitation.survey_id` (active,
    /// unanswered, `complaint_ref` = its reference) are deactivated (`link.deactivate`), the new
    /// one is created (`link.create`) and its notice queued in the outbox. Either all of it is
    /// committed or nothing: an invalid transition leaves no invitation behind.
    async fn close_complaint(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
        invitation: Option<ClosingInvitation>,
    ) -> StoreResult<Closed>;
    /// Oldest first, starting with the creation (`from: None`).
    async fn complaint_transitions(&self, id: i64) -> StoreResult<Vec<Transition>>;
    /// Assign (or with `None` unassign) every listed complaint, all or nothing; one audit
    /// record per complaint. Returned in input order.
    async fn assign_complaints(
        &self,
        actor: &Actor,
        ids: &[i64],
        assignee_id: Option<i64>,
    ) -> StoreResult<Vec<Complaint>>;
    async fn add_complaint_update(
        &self,
        actor: &Actor,
        id: i64,
        u: &ValidUpdate,
    ) -> StoreResult<ComplaintUpdate>;
    /// Oldest first; internal notes only with `include_internal`.
    async fn complaint_updates(
        &self,
        id: i64,
        include_internal: bool,
    ) -> StoreResult<Vec<ComplaintUpdate>>;
    /// Record (or replace) the resolution; not on a closed complaint (`Invalid` on `status`).
    /// `customer_satisfied: Some(true)` adds one `complaint_resolved_satisfied` deposit per
    /// complaint, however often the resolution is edited.
    async fn record_resolution(
        &self,
        actor: &Actor,
        id: i64,
        r: &Resolution,
    ) -> StoreResult<Complaint>;

    /// A promise made by staff (source `staff`), validated by the caller.
    async fn add_promise(
        &self,
        actor: &Actor,
        complaint_id: i64,
        p: &NewPromise,
    ) -> StoreResult<Promise>;
    /// Oldest due first, then id.
    async fn complaint_promises(&self, complaint_id: i64) -> StoreResult<Vec<Promise>>;
    /// What was promised happened now (see [`Promise::fulfil`]).
    async fn fulfil_promise(&self, actor: &Actor, promise_id: i64) -> StoreResult<Promise>;
    async fn cancel_promise(
        &self,
        actor: &Actor,
        promise_id: i64,
        reason: &str,
    ) -> StoreResult<Promise>;
    /// Break and escalate up to `limit` open promises due before `now` (oldest due first),
    /// each exactly once even with several nodes calling at the same time: the promise
    /// becomes `broken` with `escalated_at = now` and `escalated_by = node_id`, and in the same
    /// transaction an escalation row, a `broken_promise` withdrawal and a `promise.break`
    /// audit record (actor `scheduler:<node_id>`) are written, with an outbox row for its
    /// notification (see [`claim_outbox`](Self::claim_outbox)). Returns what this call claimed.
    async fn claim_due_promises(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<Escalation>>;
    /// Queue `n` in the outbox for the scheduler to deliver (see
    /// [`claim_outbox`](Self::claim_outbox)), stamped with the store's clock. Once per
    /// `n.key`: `false` when that key was queued before (sent or not), and nothing changes.
    /// Not audited: it changes no business state, and each delivery is
    /// (`notification.sent`/`failed`).
    async fn enqueue_notification(&self, n: &Notification) -> StoreResult<bool>;
    /// Lease up to `limit` undelivered outbox rows — escalations and queued notifications,
    /// oldest first — to `node_id` until `now + lease`: rows not sent, with fewer than
    /// [`super::MAX_OUTBOX_ATTEMPTS`] attempts, and not leased (or whose lease expired — the
    /// node that held it died). Each lease counts as an attempt. Several nodes never get the
    /// same row while a lease runs.
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>>;
    /// The notification of outbox row `id` was delivered: it is never leased again, and a
    /// queued notification's content is erased (it may carry a customer's personal link);
    /// its key stays, so it cannot be queued again.
    async fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// Open promises due in `(now, now + within]` not yet notified: stamps `notified_at = now`
    /// and returns them (each is returned once, across nodes too). Not audited: it changes no
    /// business state.
    async fn promises_due_soon(
        &self,
        now: DateTime<Utc>,
        within: Duration,
        limit: u32,
    ) -> StoreResult<Vec<DueSoon>>;
    /// Newest first; `site_id` filters to one site (the site manager's dashboard).
    async fn list_escalations(
        &self,
        site_id: Option<i64>,
        q: &ListQuery,
    ) -> StoreResult<Page<Escalation>>;

    /// Append to a customer's account; the amount is the entry's weight (or the configured
    /// one) with the kind's sign.
    async fn append_ledger(&self, actor: &Actor, e: &NewLedgerEntry) -> StoreResult<LedgerEntry>;
    async fn ledger_balance(&self, customer_ref: &str) -> StoreResult<i64>;
    /// Newest first by `occurred_at`, then id.
    async fn ledger_history(
        &self,
        customer_ref: &str,
        q: &ListQuery,
    ) -> StoreResult<Page<LedgerEntry>>;
    /// Every account with at least one entry, in one read: its balance and the sum of its
    /// entries that occurred at or after `from` and before `until`. Order unspecified.
    async fn ledger_summaries(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<LedgerSummary>>;
    async fn ledger_weights(&self) -> StoreResult<LedgerWeights>;
    /// Set the weight (a magnitude, `Invalid` on `weight` when negative) for future entries.
    async fn set_ledger_weight(
        &self,
        actor: &Actor,
        kind: LedgerKind,
        weight: i32,
    ) -> StoreResult<()>;

    /// Ordered by severity (low first), then channel-less first, then channel.
    async fn list_policies(&self) -> StoreResult<Vec<ResponsePolicy>>;
    /// Insert, or replace the policy of the same severity and channel.
    async fn save_policy(&self, actor: &Actor, p: &ValidPolicy) -> StoreResult<ResponsePolicy>;
    async fn delete_policy(&self, actor: &Actor, id: i64) -> StoreResult<()>;
    /// The calendar that applies to `site_id`: its own, else the default (`site_id = None`),
    /// else `None` (wall-clock time).
    async fn business_calendar(
        &self,
        site_id: Option<i64>,
    ) -> StoreResult<Option<BusinessCalendar>>;
    /// Set the calendar (validated by the caller) of a site, or the default with `None`.
    async fn set_business_calendar(
        &self,
        actor: &Actor,
        site_id: Option<i64>,
        cal: &BusinessCalendar,
    ) -> StoreResult<()>;
}
