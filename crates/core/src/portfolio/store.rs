//! The storage contract for customers, sales and the portfolio. Both backends implement it;
//! the conformance suite in `touchpoint-test-support` holds them to the same figures.
//!
//! Rules every backend follows:
//! * A customer's `ref` is unique (`Conflict { field: "ref" }`). Every change of status,
//!   including the first one at creation, appends to the status history in the same
//!   transaction.
//! * Customer changes are audited in the same transaction (`customer.create`,
//!   `customer.update`, `customer.status`, `customer.erase`, `lost_reason.save`; entity
//!   `customer` / `lost_reason`). Sales are business records, not staff changes: each call of
//!   `record_sales` writes one `sales.record` event with its counts.
//! * `sale_id` is unique: recording it again returns `AlreadyExists` and changes nothing.
//! * Erasure replaces the customer's identity (ref, name, email, phone, notes) in the
//!   customer row, its status history, survey responses and invitations that name its ref,
//!   and the before/after of its earlier audit records; sales, statuses and counts stay, so
//!   every aggregate is unchanged. It is irreversible and audited without the identity.
use super::{
    customer::{Customer, CustomerFields, CustomerStatus, LostReason, StatusChange, StatusFields},
    ranking::{CustomerIdentity, CustomerTotal},
    sale::{Sale, ValidSale},
};
use crate::{
    audit::Actor,
    error::StoreResult,
    feedback::records::SubmitOutcome,
    listing::{ListQuery, Page},
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Narrows a customer list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFilter {
    pub status: Option<CustomerStatus>,
    pub segment: Option<String>,
    pub site_id: Option<i64>,
}

/// What saving one customer by ref did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SaveOutcome {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

impl SaveOutcome {
    pub fn id(self) -> i64 {
        match self {
            SaveOutcome::Created(id) | SaveOutcome::Updated(id) | SaveOutcome::Unchanged(id) => id,
        }
    }
}

/// Lost customers in a period, by reason and by moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LostCount {
    pub lost_reason: Option<String>,
    pub lost_moment_key: Option<String>,
    pub customers: i64,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Sorted by `ListQuery.sort` (name, key = ref, created_at); search matches name and ref.
    /// Erased customers are listed only with `include_inactive`.
    async fn list_customers(
        &self,
        q: &ListQuery,
        f: &CustomerFilter,
    ) -> StoreResult<Page<Customer>>;
    async fn get_customer(&self, id: i64) -> StoreResult<Customer>;
    async fn get_customer_by_ref(&self, reference: &str) -> StoreResult<Customer>;
    /// `status` defaults to `unknown`. `Invalid` on `site_id` / `lost_reason` when they name
    /// nothing that exists.
    async fn create_customer(&self, actor: &Actor, f: &CustomerFields) -> StoreResult<Customer>;
    /// `status: None` keeps the status; a new status is appended to the history.
    async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        f: &CustomerFields,
    ) -> StoreResult<Customer>;
    /// Create or update each customer by ref (imports). Outcomes are in input order; a bad
    /// site or reason fails only its own slot.
    async fn save_customers(
        &self,
        actor: &Actor,
        items: &[CustomerFields],
    ) -> StoreResult<Vec<StoreResult<SaveOutcome>>>;
    async fn set_customer_status(
        &self,
        actor: &Actor,
        id: i64,
        s: &StatusFields,
    ) -> StoreResult<Customer>;
    /// Oldest first.
    async fn status_history(&self, customer_id: i64) -> StoreResult<Vec<StatusChange>>;
    /// How many customers had each status at `at` (their latest change at or before it).
    async fn status_counts_at(
        &self,
        at: DateTime<Utc>,
    ) -> StoreResult<BTreeMap<CustomerStatus, i64>>;
    /// Customers who became lost between `from` and `to` (inclusive days), by reason and moment.
    async fn lost_counts(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<LostCount>>;
    /// Remove the customer's identity everywhere (see the module rules).
    async fn erase_customer(&self, actor: &Actor, id: i64) -> StoreResult<()>;

    /// Ordered by key.
    async fn lost_reasons(&self) -> StoreResult<Vec<LostReason>>;
    /// Create or replace by key.
    async fn save_lost_reason(&self, actor: &Actor, r: &LostReason) -> StoreResult<LostReason>;

    /// Outcomes in input order; an unknown customer ref is `Invalid` on `customer`, an
    /// unknown service key `Invalid` on `service`, in that item's slot only.
    async fn record_sales(
        &self,
        actor: &Actor,
        items: &[ValidSale],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>>;
    /// Newest first.
    async fn list_sales(&self, customer_id: i64, q: &ListQuery) -> StoreResult<Page<Sale>>;
    /// Every customer (erased ones included, under their erased ref) with the sum of their
    /// sales in `currency` dated `from..=to` (zero for those without any) and the position
    /// of their reference among all customers' references in byte order.
    async fn customer_totals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
    ) -> StoreResult<Vec<CustomerTotal>>;
    /// Who the customers with these ids are (erased ones under their erased ref), in any
    /// order; ids with no customer are left out.
    async fn customer_identities(&self, ids: &[i64]) -> StoreResult<Vec<CustomerIdentity>>;
    /// The currencies of sales dated `from..=to`, alphabetically.
    async fn sales_currencies(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<String>>;
    /// A number that changes whenever customers or sales change (in the same transaction as
    /// the change): whatever was computed from them at revision N is still exact while the
    /// revision reads N.
    async fn portfolio_revision(&self) -> StoreResult<i64>;
}
