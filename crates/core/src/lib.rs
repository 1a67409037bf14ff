//! Touchpoint's domain: service cycles, moments of truth, standards, sites, staff, users and
//! the audit trail, with the validation rules and the store traits every backend implements.
//!
//! This crate knows nothing about HTTP, SQL or async runtimes: it is pure, fast to test, and
//! the one place where the method's rules live.

pub mod analytics;
pub mod audit;
pub mod channel;
pub mod clock;
pub mod complaints;
pub mod cycle;
pub mod cycle_file;
pub mod dimension;
pub mod error;
pub mod feedback;
pub mod improvement;
pub mod listing;
pub mod org;
pub mod portfolio;
pub mod recognition;
pub mod service;
pub mod standard;
pub mod store;
pub mod user;
mod validate;

pub use error::{FieldError, StoreError, StoreResult, ValidationErrors};
