//! [`ImprovementStore`] for [`SqliteStore`]: changes on the writer, reads on the reader pool.
use crate::{SqliteStore, action_plans, complaint_facts, requirements};
use async_trait::async_trait;
use touchpoint_core::{
    StoreResult,
    audit::Actor,
    improvement::{
        ActionPlan, ActionPlanFilter, Assumptions, ComplaintFact, ComplaintFactQuery,
        ImprovementStore, Requirement, RequirementFilter, ValidActionPlan, ValidRequirement,
    },
    listing::{ListQuery, Page},
};

#[async_trait]
impl ImprovementStore for SqliteStore {
    async fn complaint_facts(&self, q: &ComplaintFactQuery) -> StoreResult<Vec<ComplaintFact>> {
        let q = q.clone();
        self.read(move |c| complaint_facts::facts(c, &q)).await
    }

    async fn complaint_assumptions(&self) -> StoreResult<Assumptions> {
        self.read(complaint_facts::assumptions).await
    }

    async fn set_complaint_assumptions(&self, actor: &Actor, a: &Assumptions) -> StoreResult<()> {
        let (actor, a, now) = (actor.clone(), *a, self.now());
        self.write(move |c| complaint_facts::set_assumptions(c, &actor, &a, now))
            .await
    }

    async fn create_requirement(
        &self,
        actor: &Actor,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement> {
        let (actor, r, now) = (actor.clone(), r.clone(), self.now());
        self.write(move |c| requirements::create(c, &actor, &r, now))
            .await
    }

    async fn get_requirement(&self, id: i64) -> StoreResult<Requirement> {
        self.read(move |c| requirements::get(c, id)).await
    }

    async fn update_requirement(
        &self,
        actor: &Actor,
        id: i64,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement> {
        let (actor, r, now) = (actor.clone(), r.clone(), self.now());
        self.write(move |c| requirements::update(c, &actor, id, &r, now))
            .await
    }

    async fn delete_requirement(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| requirements::delete(c, &actor, id, now))
            .await
    }

    async fn list_requirements(
        &self,
        f: &RequirementFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Requirement>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| requirements::list(c, &f, &q)).await
    }

    async fn create_action_plan(
        &self,
        actor: &Actor,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan> {
        let (actor, p, now) = (actor.clone(), p.clone(), self.now());
        self.write(move |c| action_plans::create(c, &actor, &p, now))
            .await
    }

    async fn get_action_plan(&self, id: i64) -> StoreResult<ActionPlan> {
        self.read(move |c| action_plans::get(c, id)).await
    }

    async fn update_action_plan(
        &self,
        actor: &Actor,
        id: i64,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan> {
        let (actor, p, now) = (actor.clone(), p.clone(), self.now());
        self.write(move |c| action_plans::update(c, &actor, id, &p, now))
            .await
    }

    async fn delete_action_plan(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| action_plans::delete(c, &actor, id, now))
            .await
    }

    async fn list_action_plans(
        &self,
        f: &ActionPlanFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<ActionPlan>> {
        let (f, q) = (f.clone(), q.clone());
        self.read(move |c| action_plans::list(c, &f, &q)).await
    }
}
