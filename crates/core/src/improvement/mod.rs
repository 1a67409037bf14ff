//! Improvement: what the organisation says a moment needs (requirements), what it does about it
//! (action plans), whether that worked (before/after verdicts), and the complaint analysis that
//! points at where to start.
//!
//! Pure rules and validated inputs; the storage contract is [`store::ImprovementStore`].

macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            /// Loose spellings (`In Progress`, `employee-survey`) are accepted; the error names
            /// every accepted value.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == norm)
                    .ok_or_else(|| {
                        let all: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("unknown {} '{}'; expected one of {}", $what, s, all.join(", "))
                    })
            }
        }
    };
}

pub mod action_plan;
pub mod before_after;
pub mod complaint_analysis;
pub mod requirement;
pub mod store;

pub use action_plan::{ActionPlan, ActionPlanFilter, ActionPlanInput, PlanStatus, ValidActionPlan};
pub use before_after::{
    BeforeAfter, FigureKind, FigureVerdict, MIN_SAMPLE, MomentBeforeAfter, Verdict, Windows,
    before_after, windows,
};
pub use complaint_analysis::{
    Assumptions, ComplaintAnalysis, ComplaintFact, ComplaintFactQuery, Count, Estimates, ParetoBar,
    PromiseRate, analyse,
};
pub use requirement::{
    Requirement, RequirementFilter, RequirementInput, RequirementSource, RequirementStatus,
    ValidRequirement,
};
pub use store::ImprovementStore;

#[cfg(test)]
mod inputs_tests;
