//! The storage contract for feedback. Both backends implement it; the conformance suite in
//! `touchpoint-test-support` holds them to the same behaviour.
//!
//! Rules every backend follows:
//! * A response and the roll-up rows it feeds are written in one transaction, so dashboards
//!   are exact; nothing is acknowledged before it is durable.
//! * `external_id` (imports) and `idempotency_key` (API) are unique per survey: submitting
//!   the same one again returns [`SubmitOutcome::AlreadyExists`] and changes nothing.
//! * A personal invitation accepts one response: a second is `Conflict { field: "invitation" }`.
//! * Survey, link, visit, compliment and single-measurement writes are audited in the same
//!   transaction as the change (actions `survey.create`, `survey.update`, `survey.publish`,
//!   `survey.archive`, `link.create`, `link.deactivate`, `checklist.update`, `visit.create`,
//!   `measurement.create`, `compliment.create`; entities `survey`, `link`, `checklist`,
//!   `visit`, `measurement`, `compliment`). Responses are customer data, not staff changes,
//!   and are not audited one by one; bulk imports record one `responses.import` /
//!   `measurements.import` event with their counts (written by the caller through `record`).
use super::{
    audit_visit::ValidVisit,
    compliment::ValidCompliment,
    records::{
        AuditVisit, Compliment, EvidenceFilter, LinkTarget, Measurement, NewLink, NewMeasurement,
        NewResponse, ResponseRecord, RollupQuery, RollupRebuild, RollupRow, SubmitOutcome, Survey,
        SurveyLink, SurveyStatus, SurveyVersion,
    },
    survey::ValidSurvey,
};
use crate::{
    audit::Actor,
    complaints::AnnounceLink,
    error::{StoreError, StoreResult},
    listing::{ListQuery, Page},
};
use async_trait::async_trait;
use std::collections::BTreeMap;

#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// Create a survey whose draft is `def`. `def.service_key` must name an existing service
    /// (`Invalid` on field `service_key` otherwise); a taken key is `Conflict { field: "key" }`.
    async fn create_survey(&self, actor: &Actor, def: &ValidSurvey) -> StoreResult<Survey>;
    /// Replace the draft (the key and service may not change: `Invalid` on `key` /
    /// `service_key`). Published versions are untouched.
    async fn update_survey_draft(
        &self,
        actor: &Actor,
        survey_id: i64,
        def: &ValidSurvey,
    ) -> StoreResult<Survey>;
    /// Freeze the draft as the next version, resolving each question's `moment_key` against
    /// the service's current cycle. Publishing an unchanged draft again is
    /// `Conflict { field: "draft" }`.
    async fn publish_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<SurveyVersion>;
    async fn archive_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<()>;
    async fn get_survey(&self, survey_id: i64) -> StoreResult<Survey>;
    async fn get_survey_by_key(&self, key: &str) -> StoreResult<Survey>;
    /// Sorted by `ListQuery.sort` (name = the English title, key, created_at).
    async fn list_surveys(
        &self,
        q: &ListQuery,
        service_id: Option<i64>,
    ) -> StoreResult<Page<Survey>>;
    /// `NotFound { entity: "survey_version" }` when absent.
    async fn survey_version(&self, survey_id: i64, version: i32) -> StoreResult<SurveyVersion>;
    async fn current_survey_version(&self, survey_id: i64) -> StoreResult<SurveyVersion>;
    /// Whether the survey is archived and its current version, for answering it
    /// (`NotFound { entity: "survey" }` without the survey). A backend may serve this from a
    /// cache: a publish or archive made through the same store is visible at once, one made
    /// by another process within about a second.
    async fn survey_status(&self, survey_id: i64) -> StoreResult<SurveyStatus> {
        let survey = self.get_survey(survey_id).await?;
        let current_version = match self.current_survey_version(survey_id).await {
            Ok(v) => Some(std::sync::Arc::new(v)),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(SurveyStatus {
            archived_at: survey.archived_at,
            current_version,
        })
    }
    /// Newest first.
    async fn list_survey_versions(&self, survey_id: i64) -> StoreResult<Vec<SurveyVersion>>;

    async fn create_links(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
    ) -> StoreResult<Vec<SurveyLink>>;
    /// [`create_links`](Self::create_links), queueing in the same transaction what `announce`
    /// writes for each created link in the notification outbox (once per key, as
    /// `ComplaintStore::enqueue_notification`): an invitation is never committed without its
    /// email, nor an email without its invitation. Returns the links, in order, and how many
    /// notifications were queued.
    async fn create_links_announced(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
        announce: AnnounceLink,
    ) -> StoreResult<(Vec<SurveyLink>, usize)>;
    /// The link behind a token (by hash) with its survey and current version, whatever its
    /// state: the caller decides what an expired, inactive or answered link shows.
    async fn find_link(&self, token_hash: &str) -> StoreResult<LinkTarget>;
    async fn list_links(&self, survey_id: i64, q: &ListQuery) -> StoreResult<Page<SurveyLink>>;
    async fn deactivate_link(&self, actor: &Actor, link_id: i64) -> StoreResult<()>;
}

#[async_trait]
pub trait ResponseStore: Send + Sync {
    /// Write one response and its roll-ups; see the module rules for retries and invitations.
    async fn submit_response(&self, response: &NewResponse) -> StoreResult<SubmitOutcome>;
    /// Write many responses in as few transactions as possible (imports). Outcomes are in
    /// input order; a response whose invitation was already used yields
    /// `Err(Conflict { field: "invitation" })` in its slot without failing the others.
    async fn submit_responses(
        &self,
        responses: &[NewResponse],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>>;
    async fn get_response(&self, response_id: i64) -> StoreResult<ResponseRecord>;
    /// Newest first (`submitted_at` desc, id desc).
    async fn list_responses(
        &self,
        survey_id: i64,
        q: &ListQuery,
    ) -> StoreResult<Page<ResponseRecord>>;
    /// Keyset page for exports in constant memory: responses with `id > after_id`, id order.
    async fn responses_after(
        &self,
        survey_id: i64,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<ResponseRecord>>;
    /// Roll-up rows matching the query, ordered by day, question, part, moment, site.
    async fn rollups(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>>;
    /// The same roll-ups as [`Self::rollups`] (same filters, `from`/`to` inclusive) in rows
    /// that may each cover several days of the range: per survey, question, part, moment and
    /// site, the rows' counts, sums and histograms add up to exactly the daily rows'. A row's
    /// `day` is the first day of the span it stands for and lies in the range (a whole-month
    /// row is dated with the month's first day even if its first answer came later). What a
    /// period's figures need, without reading a row per day (see [`sum_over_days`]).
    async fn rollup_totals(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>>;
    /// Recompute a survey's roll-ups from its stored responses, replacing the kept ones, in
    /// one transaction that concurrent submissions wait for; audited (`rollups.rebuild`).
    /// The kept roll-ups are exact by construction; this is the repair and the proof.
    async fn rebuild_rollups(&self, actor: &Actor, survey_id: i64) -> StoreResult<RollupRebuild>;
}

#[async_trait]
pub trait EvidenceStore: Send + Sync {
    /// Free checklist items per moment key, added to the standards on audit checklists.
    async fn checklist_items(&self, service_id: i64) -> StoreResult<BTreeMap<String, Vec<String>>>;
    async fn set_checklist_items(
        &self,
        actor: &Actor,
        service_id: i64,
        moment_key: &str,
        items: &[String],
    ) -> StoreResult<()>;

    /// `visit` was validated against the checklist of `cycle_version_id` (a version of the
    /// service's cycle: `Invalid` on `cycle_version_id` otherwise).
    async fn record_visit(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle_version_id: i64,
        visit: &ValidVisit,
    ) -> StoreResult<AuditVisit>;
    async fn get_visit(&self, visit_id: i64) -> StoreResult<AuditVisit>;
    /// Newest visit first.
    async fn list_visits(&self, f: &EvidenceFilter, q: &ListQuery)
    -> StoreResult<Page<AuditVisit>>;

    /// Write judged measurements; a repeated `external_id` (per service) is skipped and its
    /// existing id returned. One audit record per call (`measurement.create`, with the count).
    async fn record_measurements(
        &self,
        actor: &Actor,
        items: &[NewMeasurement],
    ) -> StoreResult<Vec<SubmitOutcome>>;
    /// Newest observation first.
    async fn list_measurements(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Measurement>>;
    /// `(met, total)` over every measurement matching `f`: how many met all the standards on
    /// their metric, out of how many. The filter means exactly what it means to
    /// `list_measurements` (measurements concern no staff member, so a staff filter matches
    /// none). One aggregate query: no rows are read into memory.
    async fn measurement_compliance(&self, f: &EvidenceFilter) -> StoreResult<(i64, i64)>;

    /// `service_id` is the service of `c.service_key`, resolved by the caller.
    async fn record_compliment(
        &self,
        actor: &Actor,
        service_id: Option<i64>,
        c: &ValidCompliment,
    ) -> StoreResult<Compliment>;
    /// Newest first.
    async fn list_compliments(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Compliment>>;
}

/// Everything feedback needs from a store.
pub trait FeedbackStore: SurveyStore + ResponseStore + EvidenceStore {}
impl<T: SurveyStore + ResponseStore + EvidenceStore> FeedbackStore for T {}

/// Roll-up rows summed over their days: one row per survey, question, part, moment and site,
/// dated with its first day, ordered by question, part, moment, site (absent first), survey.
/// The canonical form to compare [`ResponseStore::rollup_totals`] answers by.
pub fn sum_over_days(rows: impl IntoIterator<Item = RollupRow>) -> Vec<RollupRow> {
    let mut totals: BTreeMap<_, RollupRow> = BTreeMap::new();
    for r in rows {
        let part = match r.part {
            super::records::RollupPart::Score => 0,
            super::records::RollupPart::Expectation => 1,
            super::records::RollupPart::Perception => 2,
        };
        let key = (
            r.question_code.clone(),
            part,
            r.moment_id.unwrap_or(0),
            r.site_id.unwrap_or(0),
            r.survey_id,
        );
        match totals.get_mut(&key) {
            Some(t) => {
                t.day = t.day.min(r.day);
                t.count += r.count;
                t.sum += r.sum;
                t.sum_sq += r.sum_sq;
                for (a, b) in t.histogram.iter_mut().zip(r.histogram) {
                    *a += b;
                }
            }
            None => {
                totals.insert(key, r);
            }
        }
    }
    totals.into_values().collect()
}
