//! The complaints conformance suite, written only against [`Store`]. Run it with
//! [`complaints_conformance_tests!`](crate::complaints_conformance_tests); each function gets
//! a fresh, empty, migrated store whose clock stands still at [`t0`] (Thursday
//! 2026-01-15 09:00 UTC), so changes happen "now" at `t0` and complaints received earlier
//! have promises that are already due.
//!
//! # Contract pinned down here (beyond the trait docs in `touchpoint_core::complaints::store`)
//!
//! * References are `C-<year of t0>-<6 digits>` from 1, in creation order.
//! * Creating a complaint writes one transition (`from: None`, `to: received`), one
//!   `complaint.create` audit record, one `promise.create` per policy promise, and a
//!   `complaint` withdrawal dated `received_at`.
//! * An invalid transition is `Invalid` on `status`, and changes and records nothing.
//! * `claim_due_promises` breaks open promises due strictly before `now`; at exactly the due
//!   time a promise is still on time.
//! * Lists: `total` counts every match; paging echoes the clamped limit and offset.

mod claims;
mod closing;
mod imports;
mod ledger;
mod lifecycle;
mod listing;
mod outbox;
mod promises;

pub use claims::*;
pub use closing::*;
pub use imports::*;
pub use ledger::*;
pub use lifecycle::*;
pub use listing::*;
pub use outbox::*;
pub use promises::*;

use crate::{Store, actor, sample_site_fields, t0};
use chrono::{DateTime, Duration, Utc};
use touchpoint_core::{
    StoreError,
    complaints::{
        Complaint, ComplaintInput, ComplaintStatus, PolicyInput, ValidComplaint, ValidPolicy,
    },
    org::Site,
};

/// A valid complaint from `customer` received `ago` before [`t0`].
pub fn complaint(customer: &str, severity: &str, channel: &str, ago: Duration) -> ValidComplaint {
    ComplaintInput {
        customer_ref: customer.into(),
        channel: channel.into(),
        description: format!("{customer} waited far too long"),
        remedy_requested: "An apology".into(),
        severity: severity.into(),
        received_at: t0() - ago,
        ..ComplaintInput::default()
    }
    .validate(None, &[], t0())
    .expect("valid complaint")
}

/// The status-page token hash used for the `n`-th complaint of a test.
pub fn status_hash(n: u32) -> String {
    format!("{n:064x}")
}

/// Create `c` with token hash `n`.
pub async fn create(store: &dyn Store, c: &ValidComplaint, n: u32) -> Complaint {
    store
        .create_complaint(&actor(), c, &status_hash(n))
        .await
        .expect("create complaint")
}

/// A policy with the given limits in minutes (acknowledge, first response, update, resolve),
/// counted in wall-clock time.
pub fn policy(severity: &str, channel: Option<&str>, limits: [Option<i64>; 4]) -> ValidPolicy {
    PolicyInput {
        severity: severity.into(),
        channel: channel.map(str::to_string),
        acknowledge_minutes: limits[0],
        first_response_minutes: limits[1],
        update_minutes: limits[2],
        resolve_minutes: limits[3],
        business_time: false,
        resolution_survey_key: None,
    }
    .validate()
    .expect("valid policy")
}

/// Every limit set: acknowledge 1 h, first response 8 h, update 48 h, resolve 3 days.
pub fn full_policy(severity: &str, channel: Option<&str>) -> ValidPolicy {
    policy(
        severity,
        channel,
        [Some(60), Some(8 * 60), Some(48 * 60), Some(3 * 24 * 60)],
    )
}

pub async fn site(store: &dyn Store, key: &str) -> Site {
    store
        .create_site(&actor(), &sample_site_fields(key))
        .await
        .expect("create site")
}

/// Walk `c` along `path` (each an allowed step), returning the last state.
pub async fn walk(store: &dyn Store, id: i64, path: &[ComplaintStatus]) -> Complaint {
    let mut last = None;
    for s in path {
        last = Some(
            store
                .transition_complaint(&actor(), id, *s, "")
                .await
                .unwrap_or_else(|e| panic!("transition to {s}: {e}")),
        );
    }
    last.expect("a non-empty path")
}

pub fn assert_invalid(r: Result<impl std::fmt::Debug, StoreError>, field: &str) -> String {
    match r {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.first_field(), Some(field), "{e}");
            e.to_string()
        }
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
}

pub fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

/// [`t0`] moved by `m` minutes.
pub fn at(m: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(m)
}
