//! [`ImprovementStore`] for [`PgStore`]: each change in one transaction, each read on one
//! pooled connection.
use crate::{
    PgStore, errors::Db, improvement_plans as plans, improvement_reads as reads,
    improvement_requirements as requirements,
};
use async_trait::async_trait;
use sqlx::PgConnection;
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
impl ImprovementStore for PgStore {
    async fn complaint_facts(&self, q: &ComplaintFactQuery) -> StoreResult<Vec<ComplaintFact>> {
        read!(self, c => reads::facts(c, q))
    }

    async fn complaint_assumptions(&self) -> StoreResult<Assumptions> {
        read!(self, c => reads::assumptions(c))
    }

    async fn set_complaint_assumptions(&self, actor: &Actor, a: &Assumptions) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => reads::set_assumptions(c, actor, a, now))
    }

    async fn create_requirement(
        &self,
        actor: &Actor,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement> {
        let now = self.now();
        in_tx!(self, c => requirements::create(c, actor, r, now))
    }

    async fn get_requirement(&self, id: i64) -> StoreResult<Requirement> {
        read!(self, c => requirements::get(c, id))
    }

    async fn update_requirement(
        &self,
        actor: &Actor,
        id: i64,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement> {
        let now = self.now();
        in_tx!(self, c => requirements::update(c, actor, id, r, now))
    }

    async fn delete_requirement(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => requirements::delete(c, actor, id, now))
    }

    async fn list_requirements(
        &self,
        f: &RequirementFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Requirement>> {
        read!(self, c => requirements::list(c, f, q))
    }

    async fn create_action_plan(
        &self,
        actor: &Actor,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan> {
        let now = self.now();
        in_tx!(self, c => plans::create(c, actor, p, now))
    }

    async fn get_action_plan(&self, id: i64) -> StoreResult<ActionPlan> {
        read!(self, c => plans::get(c, id))
    }

    async fn update_action_plan(
        &self,
        actor: &Actor,
        id: i64,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan> {
        let now = self.now();
        in_tx!(self, c => plans::update(c, actor, id, p, now))
    }

    async fn delete_action_plan(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let now = self.now();
        in_tx!(self, c => plans::delete(c, actor, id, now))
    }

    async fn list_action_plans(
        &self,
        f: &ActionPlanFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<ActionPlan>> {
        read!(self, c => plans::list(c, f, q))
    }
}
