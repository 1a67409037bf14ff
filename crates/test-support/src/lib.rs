//! Helpers shared by the tests of every Touchpoint crate, and the store conformance suite.
//!
//! * [`conformance`]: behaviour every [`Store`](touchpoint_core::store::Store) backend must
//!   show, run against a backend with [`conformance_tests!`]; the feedback half
//!   ([`conformance::feedback`]) runs with [`feedback_conformance_tests!`] on the same store,
//!   the complaints half ([`conformance::complaints`]) with [`complaints_conformance_tests!`].
//! * Small builders ([`sample_cycle`], [`sample_service_fields`], [`sample_user_fields`], …)
//!   and a [`fixed_clock`] for deterministic tests.
//!
//! This crate depends only on `touchpoint-core` (never on a store or the server), so any crate
//! can use it as a dev-dependency without a cycle.

pub mod conformance;
mod macros;
mod samples;

pub use samples::*;

#[doc(hidden)]
pub use touchpoint_core::store::Store as __Store;
/// The suite functions take `Arc<dyn Store>`.
pub(crate) use touchpoint_core::store::Store;

#[doc(hidden)]
pub use touchpoint_core as __core;

/// Run a future to completion on a fresh multi-threaded runtime (two workers).
///
/// Used by [`conformance_tests!`] so the calling crate needs no `tokio` macros of its own.
pub fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("build tokio runtime")
        .block_on(fut)
}
