//! Staff recognition ("worker of the month"): per staff member and calendar month, the
//! evidence about the service they gave — mystery-shopper scores at the moments they serve,
//! compliments, the satisfaction of the customers they served, complaints they resolved and the
//! promises kept on them — each with its sample size, combined by a transparent, configurable
//! formula into a score that ranks them per site.
//!
//! Pure like the rest of core: the stores gather [`StaffMonthEvidence`] with grouped queries
//! and [`rank`] does the rest. The formula is documented on [`rank`] and in
//! `docs/ARCHITECTURE.md` ("Staff recognition").
pub mod evidence;
pub mod month;
pub mod ranking;
pub mod settings;
pub mod store;

pub use evidence::{
    AuditMomentTally, CountTally, MomentRoles, PromiseTally, ResolutionTally, ScoreTally,
    StaffMonthEvidence, response_satisfaction,
};
pub use month::Month;
pub use ranking::{AuditBasis, Component, SiteRanking, StaffRank, rank};
pub use settings::{ComponentKind, ComponentRule, RecognitionSettings};
pub use store::RecognitionStore;

#[cfg(test)]
mod tests;
