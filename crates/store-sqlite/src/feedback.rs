//! The feedback traits for [`SqliteStore`]: every change runs on the writer (in its group
//! commit, one savepoint per call), every read on the reader pool.
use crate::{
    SqliteStore,
    caches::SurveyState,
    evidence, links, measurements, responses, rollup_reads,
    submit::{self, Target},
    surveys,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use touchpoint_core::{
    StoreError, StoreResult,
    audit::Actor,
    complaints::AnnounceLink,
    feedback::{
        ValidCompliment, ValidSurvey, ValidVisit,
        records::{
            AuditVisit, Compliment, EvidenceFilter, LinkTarget, Measurement, NewLink,
            NewMeasurement, NewResponse, ResponseRecord, RollupQuery, RollupRebuild, RollupRow,
            SubmitOutcome, Survey, SurveyLink, SurveyStatus, SurveyVersion,
        },
        store::{EvidenceStore, ResponseStore, SurveyStore},
    },
    listing::{ListQuery, Page},
};

#[async_trait]
impl SurveyStore for SqliteStore {
    async fn create_survey(&self, actor: &Actor, def: &ValidSurvey) -> StoreResult<Survey> {
        let (actor, def, now) = (actor.clone(), def.clone(), self.now());
        self.write(move |c| surveys::create(c, &actor, &def, now))
            .await
    }

    async fn update_survey_draft(
        &self,
        actor: &Actor,
        survey_id: i64,
        def: &ValidSurvey,
    ) -> StoreResult<Survey> {
        let (actor, def, now) = (actor.clone(), def.clone(), self.now());
        self.write(move |c| surveys::update_draft(c, &actor, survey_id, &def, now))
            .await
    }

    async fn publish_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<SurveyVersion> {
        let (actor, now) = (actor.clone(), self.now());
        let published = self
            .write(move |c| surveys::publish(c, &actor, survey_id, now))
            .await;
        self.surveys.invalidate(&survey_id);
        published
    }

    async fn archive_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        let archived = self
            .write(move |c| surveys::archive(c, &actor, survey_id, now))
            .await;
        self.surveys.invalidate(&survey_id);
        archived
    }

    async fn get_survey(&self, survey_id: i64) -> StoreResult<Survey> {
        self.read(move |c| surveys::get(c, survey_id)).await
    }

    async fn get_survey_by_key(&self, key: &str) -> StoreResult<Survey> {
        let key = key.to_string();
        self.read(move |c| surveys::get_by_key(c, &key)).await
    }

    async fn list_surveys(
        &self,
        q: &ListQuery,
        service_id: Option<i64>,
    ) -> StoreResult<Page<Survey>> {
        let q = q.clone();
        self.read(move |c| surveys::list_surveys(c, &q, service_id))
            .await
    }

    async fn survey_version(&self, survey_id: i64, version: i32) -> StoreResult<SurveyVersion> {
        self.read(move |c| surveys::load_version(c, survey_id, Some(version)))
            .await
    }

    async fn current_survey_version(&self, survey_id: i64) -> StoreResult<SurveyVersion> {
        match self.survey_state(survey_id).await {
            Ok(s) => s
                .version
                .map(|v| (*v).clone())
                .ok_or(StoreError::not_found("survey_version")),
            Err(StoreError::NotFound { .. }) => Err(StoreError::not_found("survey_version")),
            Err(e) => Err(e),
        }
    }

    async fn survey_status(&self, survey_id: i64) -> StoreResult<SurveyStatus> {
        let s = self.survey_state(survey_id).await?;
        Ok(SurveyStatus {
            archived_at: s.archived_at,
            current_version: s.version,
        })
    }

    async fn list_survey_versions(&self, survey_id: i64) -> StoreResult<Vec<SurveyVersion>> {
        self.read(move |c| surveys::versions(c, survey_id)).await
    }

    async fn create_links(
        &self,
        actor: &Actor,
        survey_id: i64,
        new: &[NewLink],
    ) -> StoreResult<Vec<SurveyLink>> {
        let (actor, new, now) = (actor.clone(), new.to_vec(), self.now());
        self.write(move |c| links::create(c, &actor, survey_id, &new, now))
            .await
    }

    async fn create_links_announced(
        &self,
        actor: &Actor,
        survey_id: i64,
        new: &[NewLink],
        announce: AnnounceLink,
    ) -> StoreResult<(Vec<SurveyLink>, usize)> {
        let (actor, new, now) = (actor.clone(), new.to_vec(), self.now());
        self.write(move |c| links::create_announced(c, &actor, survey_id, &new, &announce, now))
            .await
    }

    async fn find_link(&self, token_hash: &str) -> StoreResult<LinkTarget> {
        let hash = token_hash.to_string();
        let cache = self.surveys.clone();
        self.read_point(move |c| links::find(c, &cache, &hash))
            .await
    }

    async fn list_links(&self, survey_id: i64, q: &ListQuery) -> StoreResult<Page<SurveyLink>> {
        let q = q.clone();
        self.read(move |c| links::list(c, survey_id, &q)).await
    }

    async fn deactivate_link(&self, actor: &Actor, link_id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| links::deactivate(c, &actor, link_id, now))
            .await
    }
}

impl SqliteStore {
    /// Whether the survey is archived and its current version: from the cache while it is
    /// fresh, without a hop to the reader pool.
    async fn survey_state(&self, survey_id: i64) -> StoreResult<SurveyState> {
        if let Some(s) = self.surveys.get(&survey_id) {
            return Ok(s);
        }
        let cache = self.surveys.clone();
        self.read_point(move |c| {
            let generation = cache.generation();
            surveys::state(c, &cache, generation, survey_id)
        })
        .await
    }

    /// Resolve the (survey, version) pairs of a batch: from the cache of published versions
    /// (they never change), else with one read for all the pairs not seen before.
    async fn targets(&self, batch: &[NewResponse]) -> StoreResult<HashMap<(i64, i64), Target>> {
        let mut targets = HashMap::new();
        let mut missing = Vec::new();
        {
            let cache = self.versions.lock().unwrap_or_else(|e| e.into_inner());
            let mut last = None;
            for r in batch {
                let key = (r.survey_id, r.survey_version_id);
                if last == Some(key) || targets.contains_key(&key) || missing.contains(&key) {
                    continue;
                }
                last = Some(key);
                match cache.get(&r.survey_version_id) {
                    Some(info) if info.survey_id == r.survey_id => {
                        targets.insert(key, Target::Ok(info.clone()));
                    }
                    _ => missing.push(key),
                }
            }
        }
        if missing.is_empty() {
            return Ok(targets);
        }
        let found = self
            .read(move |c| {
                missing
                    .into_iter()
                    .map(|(s, v)| Ok(((s, v), submit::target(c, s, v)?)))
                    .collect::<StoreResult<Vec<_>>>()
            })
            .await?;
        let mut cache = self.versions.lock().unwrap_or_else(|e| e.into_inner());
        for (key, t) in found {
            if let Target::Ok(info) = &t {
                cache.insert(key.1, info.clone());
            }
            targets.insert(key, t);
        }
        Ok(targets)
    }

    /// Prepare `batch` here (encoding, roll-up sums) and write it in one writer job.
    async fn submit(&self, batch: &[NewResponse]) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
        let targets = self.targets(batch).await?;
        let prepared = submit::prepare(batch, &targets)?;
        let now = self.now();
        self.write(move |c| submit::write(c, prepared, now)).await
    }
}

#[async_trait]
impl ResponseStore for SqliteStore {
    async fn submit_response(&self, response: &NewResponse) -> StoreResult<SubmitOutcome> {
        self.submit(std::slice::from_ref(response))
            .await?
            .pop()
            .unwrap_or_else(|| Err(StoreError::Backend("no outcome for the response".into())))
    }

    async fn submit_responses(
        &self,
        batch: &[NewResponse],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(batch).await
    }

    async fn get_response(&self, response_id: i64) -> StoreResult<ResponseRecord> {
        self.read(move |c| responses::get(c, response_id)).await
    }

    async fn list_responses(
        &self,
        survey_id: i64,
        q: &ListQuery,
    ) -> StoreResult<Page<ResponseRecord>> {
        let q = q.clone();
        self.read(move |c| responses::list(c, survey_id, &q)).await
    }

    async fn responses_after(
        &self,
        survey_id: i64,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<ResponseRecord>> {
        self.read(move |c| responses::after(c, survey_id, after_id, limit))
            .await
    }

    async fn rollups(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
        let q = q.clone();
        self.read(move |c| rollup_reads::query(c, &q)).await
    }

    async fn rollup_totals(&self, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
        let q = q.clone();
        self.read(move |c| rollup_reads::totals(c, &q)).await
    }

    async fn rebuild_rollups(&self, actor: &Actor, survey_id: i64) -> StoreResult<RollupRebuild> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| crate::rebuild::rebuild(c, &actor, survey_id, now))
            .await
    }
}

#[async_trait]
impl EvidenceStore for SqliteStore {
    async fn checklist_items(&self, service_id: i64) -> StoreResult<BTreeMap<String, Vec<String>>> {
        self.read(move |c| evidence::checklist_items(c, service_id))
            .await
    }

    async fn set_checklist_items(
        &self,
        actor: &Actor,
        service_id: i64,
        moment_key: &str,
        items: &[String],
    ) -> StoreResult<()> {
        let (actor, key, items, now) = (
            actor.clone(),
            moment_key.to_string(),
            items.to_vec(),
            self.now(),
        );
        self.write(move |c| evidence::set_checklist_items(c, &actor, service_id, &key, &items, now))
            .await
    }

    async fn record_visit(
        &self,
        actor: &Actor,
        service_id: i64,
        cycle_version_id: i64,
        visit: &ValidVisit,
    ) -> StoreResult<AuditVisit> {
        let (actor, visit, now) = (actor.clone(), visit.clone(), self.now());
        self.write(move |c| {
            evidence::record_visit(c, &actor, service_id, cycle_version_id, &visit, now)
        })
        .await
    }

    async fn get_visit(&self, visit_id: i64) -> StoreResult<AuditVisit> {
        self.read(move |c| evidence::get_visit(c, visit_id)).await
    }

    async fn list_visits(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<AuditVisit>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| evidence::list_visits(c, &f, &q)).await
    }

    async fn record_measurements(
        &self,
        actor: &Actor,
        items: &[NewMeasurement],
    ) -> StoreResult<Vec<SubmitOutcome>> {
        let (actor, items, now) = (actor.clone(), items.to_vec(), self.now());
        self.write(move |c| measurements::record_measurements(c, &actor, &items, now))
            .await
    }

    async fn list_measurements(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Measurement>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| measurements::list_measurements(c, &f, &q))
            .await
    }

    async fn measurement_compliance(&self, f: &EvidenceFilter) -> StoreResult<(i64, i64)> {
        let f = f.clone();
        self.read(move |c| measurements::measurement_compliance(c, &f))
            .await
    }

    async fn record_compliment(
        &self,
        actor: &Actor,
        service_id: Option<i64>,
        c: &ValidCompliment,
    ) -> StoreResult<Compliment> {
        let (actor, compliment, now) = (actor.clone(), c.clone(), self.now());
        self.write(move |conn| {
            measurements::record_compliment(conn, &actor, service_id, &compliment, now)
        })
        .await
    }

    async fn list_compliments(
        &self,
        f: &EvidenceFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Compliment>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| measurements::list_compliments(c, &f, &q))
            .await
    }
}
