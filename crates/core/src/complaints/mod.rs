//! Complaint handling (ISO 10002 style): the case lifecycle, promises with due times, response
//! policies per severity × channel, business calendars per site, complaint references, and the
//! relationship ledger per customer.
//!
//! Pure domain, no I/O: the stores load what these rules need (policies, the site's calendar,
//! ledger weights) and call them inside the change's transaction, so the HTTP layer, the CLI
//! and the background scheduler all get the same behaviour.

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
            /// Loose spellings (`In Progress`, `first-response`) are accepted; the error names
            /// every accepted value so the user can fix the input.
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

pub mod calendar;
pub mod complaint;
pub mod import;
pub mod ledger;
pub mod outbox;
pub mod policy;
pub mod promise;
pub mod reference;
pub mod status;
pub mod store;

pub use calendar::{BusinessCalendar, BusinessHours};
pub use complaint::{
    Complaint, ComplaintFilter, ComplaintInput, ComplaintOrder, ComplaintUpdate, Resolution,
    ResolutionInput, Severity, Transition, UpdateInput, ValidComplaint, ValidUpdate, Visibility,
};
pub use import::{ImportOutcome, ImportedComplaint, import_promises};
pub use ledger::{LedgerEntry, LedgerKind, LedgerSummary, LedgerWeights, NewLedgerEntry};
pub use outbox::{
    AnnounceClose, AnnounceLink, Closed, ClosingInvitation, MAX_OUTBOX_ATTEMPTS, Notification,
    OutboxEntry, OutboxItem,
};
pub use policy::{
    PlannedPromise, PolicyInput, ResponsePolicy, ValidPolicy, policy_for, promises_for,
};
pub use promise::{
    DueSoon, Escalation, NewPromise, Promise, PromiseError, PromiseKind, PromiseSource,
    PromiseState,
};
pub use reference::{format_reference, normalize_reference, parse_reference};
pub use status::{ComplaintStatus, InvalidTransition};
