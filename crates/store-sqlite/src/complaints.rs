//! [`ComplaintStore`] for [`SqliteStore`]: every change runs on the writer (one savepoint of a
//! group commit per call), every read on the reader pool.
use crate::{
    SqliteStore, complaint_config as config, complaint_import, complaint_promises as promises,
    complaint_rows as rows, complaint_writes as writes, rows::micros,
};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use touchpoint_core::{
    StoreResult,
    audit::Actor,
    complaints::{
        BusinessCalendar, Closed, ClosingInvitation, Complaint, ComplaintFilter, ComplaintStatus,
        ComplaintUpdate, DueSoon, Escalation, ImportOutcome, ImportedComplaint, LedgerEntry,
        LedgerKind, LedgerSummary, LedgerWeights, NewLedgerEntry, NewPromise, Notification,
        OutboxEntry, Promise, Resolution, ResponsePolicy, Transition, ValidComplaint, ValidPolicy,
        ValidUpdate, store::ComplaintStore,
    },
    listing::{ListQuery, Page},
};

#[async_trait]
impl ComplaintStore for SqliteStore {
    async fn create_complaint(
        &self,
        actor: &Actor,
        c: &ValidComplaint,
        status_token_hash: &str,
    ) -> StoreResult<Complaint> {
        let (actor, c, hash, now) = (
            actor.clone(),
            c.clone(),
            status_token_hash.to_string(),
            self.now(),
        );
        self.write(move |conn| writes::create(conn, &actor, &c, &hash, now))
            .await
    }

    async fn import_complaint(
        &self,
        actor: &Actor,
        c: &ImportedComplaint,
    ) -> StoreResult<ImportOutcome> {
        let (actor, c, now) = (actor.clone(), c.clone(), self.now());
        self.write(move |conn| complaint_import::import(conn, &actor, &c, now))
            .await
    }

    async fn get_complaint(&self, id: i64) -> StoreResult<Complaint> {
        self.read(move |c| rows::get(c, id)).await
    }

    async fn get_complaint_by_reference(&self, reference: &str) -> StoreResult<Complaint> {
        let reference = reference.to_string();
        self.read(move |c| rows::by_reference(c, &reference)).await
    }

    async fn find_complaint_by_token(&self, token_hash: &str) -> StoreResult<Complaint> {
        let hash = token_hash.to_string();
        self.read(move |c| rows::by_token(c, &hash)).await
    }

    async fn list_complaints(
        &self,
        f: &ComplaintFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Complaint>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| rows::list(c, &f, &q)).await
    }

    async fn transition_complaint(
        &self,
        actor: &Actor,
        id: i64,
        to: ComplaintStatus,
        note: &str,
    ) -> StoreResult<Complaint> {
        let (actor, note, now) = (actor.clone(), note.to_string(), self.now());
        self.write(move |c| writes::transition(c, &actor, id, to, &note, now))
            .await
    }

    async fn close_complaint(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
        invitation: Option<ClosingInvitation>,
    ) -> StoreResult<Closed> {
        let (actor, note, now) = (actor.clone(), note.to_string(), self.now());
        self.write(move |c| writes::close(c, &actor, id, &note, invitation.as_ref(), now))
            .await
    }

    async fn complaint_transitions(&self, id: i64) -> StoreResult<Vec<Transition>> {
        self.read(move |c| rows::transitions(c, id)).await
    }

    async fn assign_complaints(
        &self,
        actor: &Actor,
        ids: &[i64],
        assignee_id: Option<i64>,
    ) -> StoreResult<Vec<Complaint>> {
        let (actor, ids, now) = (actor.clone(), ids.to_vec(), self.now());
        self.write(move |c| writes::assign(c, &actor, &ids, assignee_id, now))
            .await
    }

    async fn add_complaint_update(
        &self,
        actor: &Actor,
        id: i64,
        u: &ValidUpdate,
    ) -> StoreResult<ComplaintUpdate> {
        let (actor, u, now) = (actor.clone(), u.clone(), self.now());
        self.write(move |c| writes::add_update(c, &actor, id, &u, now))
            .await
    }

    async fn complaint_updates(
        &self,
        id: i64,
        include_internal: bool,
    ) -> StoreResult<Vec<ComplaintUpdate>> {
        self.read(move |c| rows::updates(c, id, include_internal))
            .await
    }

    async fn record_resolution(
        &self,
        actor: &Actor,
        id: i64,
        r: &Resolution,
    ) -> StoreResult<Complaint> {
        let (actor, r, now) = (actor.clone(), r.clone(), self.now());
        self.write(move |c| writes::record_resolution(c, &actor, id, &r, now))
            .await
    }

    async fn add_promise(
        &self,
        actor: &Actor,
        complaint_id: i64,
        p: &NewPromise,
    ) -> StoreResult<Promise> {
        let (actor, p, now) = (actor.clone(), p.clone(), self.now());
        self.write(move |c| promises::add(c, &actor, complaint_id, &p, now))
            .await
    }

    async fn complaint_promises(&self, complaint_id: i64) -> StoreResult<Vec<Promise>> {
        self.read(move |c| rows::promises(c, complaint_id)).await
    }

    async fn fulfil_promise(&self, actor: &Actor, promise_id: i64) -> StoreResult<Promise> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| promises::fulfil(c, &actor, promise_id, now))
            .await
    }

    async fn cancel_promise(
        &self,
        actor: &Actor,
        promise_id: i64,
        reason: &str,
    ) -> StoreResult<Promise> {
        let (actor, reason, now) = (actor.clone(), reason.to_string(), self.now());
        self.write(move |c| promises::cancel(c, &actor, promise_id, &reason, now))
            .await
    }

    async fn claim_due_promises(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<Escalation>> {
        let (now, node) = (micros(now), node_id.to_string());
        self.write(move |c| promises::claim_due(c, now, &node, limit))
            .await
    }

    async fn enqueue_notification(&self, n: &Notification) -> StoreResult<bool> {
        let (n, now) = (n.clone(), self.now());
        self.write(move |c| crate::complaint_outbox::enqueue_notification(c, &n, now))
            .await
    }

    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>> {
        let (now, node) = (micros(now), node_id.to_string());
        self.write(move |c| crate::complaint_outbox::claim(c, now, &node, lease, limit))
            .await
    }

    async fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        let at = micros(at);
        self.write(move |c| crate::complaint_outbox::mark_sent(c, id, at))
            .await
    }

    async fn promises_due_soon(
        &self,
        now: DateTime<Utc>,
        within: Duration,
        limit: u32,
    ) -> StoreResult<Vec<DueSoon>> {
        let now = micros(now);
        self.write(move |c| promises::due_soon(c, now, within, limit))
            .await
    }

    async fn list_escalations(
        &self,
        site_id: Option<i64>,
        q: &ListQuery,
    ) -> StoreResult<Page<Escalation>> {
        let q = q.clone();
        self.read(move |c| rows::list_escalations(c, site_id, &q))
            .await
    }

    async fn append_ledger(&self, actor: &Actor, e: &NewLedgerEntry) -> StoreResult<LedgerEntry> {
        let (actor, e, now) = (actor.clone(), e.clone(), self.now());
        self.write(move |c| config::append(c, &actor, &e, now))
            .await
    }

    async fn ledger_balance(&self, customer_ref: &str) -> StoreResult<i64> {
        let customer = customer_ref.to_string();
        self.read(move |c| config::balance(c, &customer)).await
    }

    async fn ledger_history(
        &self,
        customer_ref: &str,
        q: &ListQuery,
    ) -> StoreResult<Page<LedgerEntry>> {
        let (customer, q) = (customer_ref.to_string(), q.clone());
        self.read(move |c| config::history(c, &customer, &q)).await
    }

    async fn ledger_summaries(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<LedgerSummary>> {
        self.read(move |c| config::summaries(c, from, until)).await
    }

    async fn ledger_weights(&self) -> StoreResult<LedgerWeights> {
        self.read(config::weights).await
    }

    async fn set_ledger_weight(
        &self,
        actor: &Actor,
        kind: LedgerKind,
        weight: i32,
    ) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| config::set_weight(c, &actor, kind, weight, now))
            .await
    }

    async fn list_policies(&self) -> StoreResult<Vec<ResponsePolicy>> {
        self.read(config::policies).await
    }

    async fn save_policy(&self, actor: &Actor, p: &ValidPolicy) -> StoreResult<ResponsePolicy> {
        let (actor, p, now) = (actor.clone(), p.clone(), self.now());
        self.write(move |c| config::save_policy(c, &actor, &p, now))
            .await
    }

    async fn delete_policy(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| config::delete_policy(c, &actor, id, now))
            .await
    }

    async fn business_calendar(
        &self,
        site_id: Option<i64>,
    ) -> StoreResult<Option<BusinessCalendar>> {
        self.read(move |c| config::calendar(c, site_id)).await
    }

    async fn set_business_calendar(
        &self,
        actor: &Actor,
        site_id: Option<i64>,
        cal: &BusinessCalendar,
    ) -> StoreResult<()> {
        let (actor, cal, now) = (actor.clone(), cal.clone(), self.now());
        self.write(move |c| config::set_calendar(c, &actor, site_id, &cal, now))
            .await
    }
}
