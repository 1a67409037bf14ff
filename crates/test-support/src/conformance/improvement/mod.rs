//! The improvement conformance suite (complaint analysis read and assumptions, requirements,
//! action plans), written only against [`Store`]. Run it with
//! [`improvement_conformance_tests!`](crate::improvement_conformance_tests); each function gets
//! a fresh, empty, migrated store whose clock stands still at [`t0`].
//!
//! # Contract pinned down here (beyond the trait docs in `touchpoint_core::improvement::store`)
//!
//! * `complaint_facts` counts only promises that ended `kept` or `broken`; a resolution's blank
//!   root cause reads as `None`.
//! * Requirements list newest first; ties (same clock) by id descending. Plans list by due
//!   date, then id. Both echo the clamped limit and offset and count every match in `total`.
mod facts;
mod plans;
mod requirements;

pub use facts::*;
pub use plans::*;
pub use requirements::*;

use crate::{Store, actor, sample_cycle, sample_service_fields, sample_site_fields};
use touchpoint_core::{
    StoreError, cycle::CycleVersion, improvement::RequirementInput, org::Site, service::Service,
};

/// A service `key` with a published cycle of moments `m1`…`m4` (`m2` critical).
pub async fn service_with_cycle(store: &dyn Store, key: &str) -> (Service, CycleVersion) {
    let s = store
        .create_service(&actor(), &sample_service_fields(key))
        .await
        .expect("create service");
    let c = store
        .publish_cycle(&actor(), s.id, &sample_cycle(4, &[2]))
        .await
        .expect("publish cycle");
    (s, c)
}

pub async fn site(store: &dyn Store, key: &str) -> Site {
    store
        .create_site(&actor(), &sample_site_fields(key))
        .await
        .expect("create site")
}

/// An entered requirement for `moment` of the service.
pub fn entered(service_id: i64, moment: &str, text: &str) -> RequirementInput {
    RequirementInput {
        service_id,
        moment_key: moment.into(),
        text: text.into(),
        ..RequirementInput::default()
    }
}

pub fn assert_invalid<T: std::fmt::Debug>(r: Result<T, StoreError>, field: &str) {
    match r {
        Err(StoreError::Invalid(e)) => assert_eq!(e.first_field(), Some(field), "{e}"),
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
}
