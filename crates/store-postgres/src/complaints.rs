//! [`ComplaintStore`] for [`PgStore`]: each change in one transaction, each read on one
//! pooled connection.
use crate::{
    PgStore, complaint_config as config, complaint_import, complaint_promises as promises,
    complaint_rows as rows, complaint_writes as writes, errors::Db, micros,
};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
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
impl ComplaintStore for PgStore {
    async fn create_complaint(
        &self,
        actor: &Actor,
        c: &ValidComplaint,
        status_token_hash: &str,
    ) -> StoreResult<Complaint> {
        let now = self.now();
        in_tx!(self, conn => writes::create(conn, actor, c, status_token_hash, now))
    }

    async fn import_complaint(
        &self,
        actor: &Actor,
        c: &ImportedComplaint,
    ) -> StoreResult<ImportOutcome> {
        let now = self.now();
        in_tx!(self, conn => complaint_import::import(conn, actor, c, now))
    }

    async fn get_complaint(&self, id: i64) -> StoreResult<Complaint> {
        read!(self, c => rows::get(c, id))
    }

    async fn get_complaint_by_reference(&self, reference: &str) -> StoreResult<Complaint> {
        read!(self, c => rows::by_reference(c, reference))
    }

    async fn find_complaint_by_token(&self, token_hash: &str) -> StoreResult<Complaint> {
        read!(self, c => rows::by_token(c, token_hash))
    }

    async fn list_complaints(
        &self,
        f: &ComplaintFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Complaint>> {
        read!(self, c => rows::list(c, f, q))
    }

    async fn transition_complaint(
        &self,
        actor: &Actor,
        id: i64,
        to: ComplaintStatus,
        note: &str,
    ) -> StoreResult<Complaint> {
        let now = self.now();
        in_tx!(self, c => writes::transition(c, actor, id, to, note, now))
    }

    async fn close_complaint(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
        invitation: Option<ClosingInvitation>,
    ) -> StoreResult<Closed> {
        let now = self.now();
        in_tx!(self, c => writes::close(c, actor, id, note, invitation.as_ref(), now))
    }

    async fn complaint_transitions(&self, id: i64) -> StoreResult<Vec<Transition>> {
        read!(self, c => rows::transitions(c, id))
    }

    async fn assign_complaints(
        &self,
        actor: &Actor,
        ids: &[i64],
        assignee_id: Option<i64>,
    ) -> StoreResult<Vec<Complaint>> {
        let now = self.now();
        in_tx!(self, c => writes::assign(c, actor, ids, assignee_id, now))
    }

    async fn add_complaint_update(
        &self,
        actor: &Actor,
        id: i64,
        u: &ValidUpdate,
    ) -> StoreResult<ComplaintUpdate> {
        let now = self.now();
        in_tx!(self, c => writes::add_update(c, actor, id, u, now))
    }

    async fn complaint_updates(
        &self,
        id: i64,
        include_internal: bool,
    ) -> StoreResult<Vec<ComplaintUpdate>> {
        read!(self, c => rows::updates(c, id, include_internal))
    }

    async fn record_resolution(
        &self,
        actor: &Actor,
        id: i64,
        r: &Resolution,
    ) -> StoreResult<Complaint> {
        let now = self.now();
        in_tx!(self, c => writes::record_resolution(c, actor, id, r, now))
    }

    async fn add_promise(
        &self,
        actor: &Actor,
        complaint_id: i64,
        p: &NewPromise,
    ) -> StoreResult<Promise> {
        let now = self.now();
        in_tx!(self, c => promises::add(c, actor, complaint_id, p, now))
    }

    async fn complaint_promises(&self, complaint_id: i64) -> StoreResult<Vec<Promise>> {
        read!(self, c => rows::promises(c, complaint_id))
    }

    async fn fulfil_promise(&self, actor: &Actor, promise_id: i64) -> StoreResult<Promise> {
        let now = self.now();
        in_tx!(self, c => promises::fulfil(c, actor, promise_id, now))
    }

    async fn cancel_promise(
        &self,
        actor: &Actor,
        promise_id: i64,
        reason: &str,
    ) -> StoreResult<Promise> {
        let now = self.now();
        in_tx!(self, c => promises::cancel(c, actor, promise_id, reason, now))
    }

    async fn claim_due_promises(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<Escalation>> {
        in_tx!(self, c => promises::claim_due(c, micros(now), node_id, limit))
    }

    async fn enqueue_notification(&self, n: &Notification) -> StoreResult<bool> {
        let now = self.now();
        in_tx!(self, conn => crate::complaint_outbox::enqueue_notification(conn, n, now))
    }

    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        node_id: &str,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>> {
        let now = micros(now);
        in_tx!(self, conn => crate::complaint_outbox::claim(conn, now, node_id, lease, limit))
    }

    async fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        let at = micros(at);
        in_tx!(self, conn => crate::complaint_outbox::mark_sent(conn, id, at))
    }

    async fn promises_due_soon(
        &self,
        now: DateTime<Utc>,
        within: Duration,
        limit: u32,
    ) -> StoreResult<Vec<DueSoon>> {
        in_tx!(self, c => promises::due_soon(c, micros(now), within, limit))
    }

    async fn list_escalations(
        &self,
        site_id: Option<i64>,
        q: &ListQuery,
    ) -> StoreResult<Page<Escalation>> {
        read!(self, c => rows::list_escalations(c, site_id, q))
    }

    async fn append_ledger(&self, actor: &Actor, e: &NewLedgerEntry) -> StoreResult<LedgerEntry> {
        let now = self.now();
        in_tx!(self, c => config::append(c, actor, e, now))
    }

    async fn ledger_balance(&self, customer_ref: &str) -> StoreResult<i64> {
        read!(self, c => config::balance(c, customer_ref))
    }

    async fn ledger_history(
        &self,
        customer_ref: &str,
        q: &ListQuery,
    ) -> StoreResult<Page<LedgerEntry>> {
        read!(self, c => config::history(c, customer_ref, q))
    }

    async fn ledger_summaries(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<LedgerSummary>> {
        read!(self, c => config::summaries(c, from, until))
    }

    async fn ledger_weights(&self) -> StoreResult<LedgerWeights> {
        read!(self, c => config::weights(c))
    }

    async fn set_ledger_weight(
        &self,
        actor: &Actor,
        kind: LedgerKind,
        weight: i32,
    ) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => config::set_weight(c, actor, kind, weight, now))
    }

    async fn list_policies(&self) -> StoreResult<Vec<ResponsePolicy>> {
        read!(self, c => config::policies(c))
    }

    async fn save_policy(&self, actor: &Actor, p: &ValidPolicy) -> StoreResult<ResponsePolicy> {
        let now = self.now();
        in_tx!(self, c => config::save_policy(c, actor, p, now))
    }

    async fn delete_policy(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => config::delete_policy(c, actor, id, now))
    }

    async fn business_calendar(
        &self,
        site_id: Option<i64>,
    ) -> StoreResult<Option<BusinessCalendar>> {
        read!(self, c => config::calendar(c, site_id))
    }

    async fn set_business_calendar(
        &self,
        actor: &Actor,
        site_id: Option<i64>,
        cal: &BusinessCalendar,
    ) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => config::set_calendar(c, actor, site_id, cal, now))
    }
}
