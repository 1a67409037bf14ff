//! The storage contract for requirements, action plans, the complaint analysis' read and its
//! assumptions. Both backends implement it; `improvement_conformance_tests!` in
//! `touchpoint-test-support` holds them to the same behaviour.
//!
//! Rules every backend follows:
//! * Every change writes its audit record in the same transaction: `requirement.create`,
//!   `requirement.update`, `requirement.delete` (entity `requirement`), `action_plan.create`,
//!   `action_plan.update`, `action_plan.delete` (entity `action_plan`) and
//!   `complaint_assumptions.set` (entity `settings`, id `complaint_assumptions`).
//! * An unknown `service_id` or `site_id` is `Invalid` on that field; an unknown
//!   `response_id` is `Invalid` on `response_id`; a requirement id that does not exist or
//!   belongs to another service is `Invalid` on `requirement_ids`.
//! * Unknown ids are `NotFound { entity: "requirement" }` / `"action_plan"`. Deleting a
//!   requirement removes it from the plans that answered it.
use super::{
    action_plan::{ActionPlan, ActionPlanFilter, ValidActionPlan},
    complaint_analysis::{Assumptions, ComplaintFact, ComplaintFactQuery},
    requirement::{Requirement, RequirementFilter, ValidRequirement},
};
use crate::{
    audit::Actor,
    error::StoreResult,
    listing::{ListQuery, Page},
};
use async_trait::async_trait;

#[async_trait]
pub trait ImprovementStore: Send + Sync {
    /// The complaints of `q.service_key` received in `[since, until)` (at `site_id` when
    /// given), each with its root cause and the number of its promises kept and broken; by id.
    async fn complaint_facts(&self, q: &ComplaintFactQuery) -> StoreResult<Vec<ComplaintFact>>;
    /// The organisation's assumptions, or [`Assumptions::default`] until they are set.
    async fn complaint_assumptions(&self) -> StoreResult<Assumptions>;
    /// Replace the assumptions (validated by the caller).
    async fn set_complaint_assumptions(&self, actor: &Actor, a: &Assumptions) -> StoreResult<()>;

    async fn create_requirement(
        &self,
        actor: &Actor,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement>;
    async fn get_requirement(&self, id: i64) -> StoreResult<Requirement>;
    /// Replace every field but who recorded it and when.
    async fn update_requirement(
        &self,
        actor: &Actor,
        id: i64,
        r: &ValidRequirement,
    ) -> StoreResult<Requirement>;
    async fn delete_requirement(&self, actor: &Actor, id: i64) -> StoreResult<()>;
    /// Newest first (`created_at`, then id). `ListQuery.search` is a case-insensitive
    /// substring of the text; `sort`, `descending` and `include_inactive` are ignored.
    async fn list_requirements(
        &self,
        f: &RequirementFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<Requirement>>;

    async fn create_action_plan(
        &self,
        actor: &Actor,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan>;
    async fn get_action_plan(&self, id: i64) -> StoreResult<ActionPlan>;
    /// Replace every field but who created it and when.
    async fn update_action_plan(
        &self,
        actor: &Actor,
        id: i64,
        p: &ValidActionPlan,
    ) -> StoreResult<ActionPlan>;
    async fn delete_action_plan(&self, actor: &Actor, id: i64) -> StoreResult<()>;
    /// By due date, then id. `ListQuery.search` is a case-insensitive substring of the title;
    /// `sort`, `descending` and `include_inactive` are ignored.
    async fn list_action_plans(
        &self,
        f: &ActionPlanFilter,
        q: &ListQuery,
    ) -> StoreResult<Page<ActionPlan>>;
}
