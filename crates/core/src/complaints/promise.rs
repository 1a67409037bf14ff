//! Promises: anything told to a customer with a time on it. Created by staff ("we will call
//! you back by 15:00") or by a response policy (acknowledge, first response, updates,
//! resolution). Each ends kept, broken or cancelled with a reason.
//!
//! Rules:
//! * Kept only if fulfilled at or before `due_at`; fulfilled later is broken.
//! * An open promise whose due time passes is broken by the scheduler (which also escalates
//!   it). Fulfilling it afterwards stamps `fulfilled_at` but it stays broken: the customer
//!   already waited.
//! * Only an open promise can be cancelled, and only with a reason.
use super::complaint::Severity;
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

str_enum! {
    PromiseKind, "promise kind" {
        Acknowledge => "acknowledge",
        FirstResponse => "first_response",
        Update => "update",
        Resolve => "resolve",
        Callback => "callback",
        Custom => "custom",
    }
}

str_enum! {
    PromiseState, "promise state" {
        Open => "open",
        Kept => "kept",
        Broken => "broken",
        Cancelled => "cancelled",
    }
}

str_enum! {
    /// Who made the promise: a person, or a response policy at creation.
    PromiseSource, "promise source" {
        Staff => "staff",
        Policy => "policy",
    }
}

/// A promise about to be added by staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewPromise {
    pub kind: PromiseKind,
    /// What was promised, in the words told to the customer.
    pub description: String,
    pub due_at: DateTime<Utc>,
}

impl NewPromise {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<NewPromise, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let description = validate::text(&mut errors, "description", &self.description);
        if description.is_empty() && self.kind == PromiseKind::Custom {
            errors.push("description", "say what was promised");
        }
        if self.due_at <= now {
            errors.push("due_at", "a promise must be due in the future");
        }
        errors.into_result(NewPromise {
            kind: self.kind,
            description,
            due_at: self.due_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Promise {
    pub id: i64,
    pub complaint_id: i64,
    pub kind: PromiseKind,
    pub description: String,
    pub due_at: DateTime<Utc>,
    pub source: PromiseSource,
    pub state: PromiseState,
    /// When it was kept, broken or cancelled.
    pub settled_at: Option<DateTime<Utc>>,
    /// When what was promised actually happened (possibly late).
    pub fulfilled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// When the assignee was told it is about to break (at most once).
    pub notified_at: Option<DateTime<Utc>>,
    /// When the scheduler broke and escalated it, and which node did.
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalated_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromiseError {
    #[error("this promise is already {0} and cannot change")]
    AlreadySettled(PromiseState),
    #[error("give a reason for cancelling the promise")]
    ReasonRequired,
}

impl PromiseError {
    /// The error as field errors for the API (`state` or `reason`).
    pub fn into_validation(self) -> ValidationErrors {
        let field = match self {
            PromiseError::AlreadySettled(_) => "state",
            PromiseError::ReasonRequired => "reason",
        };
        ValidationErrors::single(field, self.to_string())
    }
}

/// What happens to a promise, decided by the pure rules below and applied by the stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub state: PromiseState,
    pub settled_at: DateTime<Utc>,
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// True when this settlement breaks a promise that was open: the customer's account
    /// gets a `broken_promise` withdrawal.
    pub newly_broken: bool,
}

/// Kept if met at or before the due time, broken otherwise.
pub fn outcome(due_at: DateTime<Utc>, met_at: DateTime<Utc>) -> PromiseState {
    if met_at <= due_at {
        PromiseState::Kept
    } else {
        PromiseState::Broken
    }
}

impl Promise {
    /// What was promised happened at `met_at`.
    pub fn fulfil(&self, met_at: DateTime<Utc>) -> Result<Settlement, PromiseError> {
        match (self.state, self.fulfilled_at) {
            (PromiseState::Open, _) => {
                let state = outcome(self.due_at, met_at);
                Ok(Settlement {
                    state,
                    settled_at: met_at,
                    fulfilled_at: Some(met_at),
                    newly_broken: state == PromiseState::Broken,
                })
            }
            // Broken by the scheduler, honoured late: record when, it stays broken.
            (PromiseState::Broken, None) => Ok(Settlement {
                state: PromiseState::Broken,
                settled_at: self.settled_at.unwrap_or(met_at),
                fulfilled_at: Some(met_at),
                newly_broken: false,
            }),
            (state, _) => Err(PromiseError::AlreadySettled(state)),
        }
    }

    /// Withdraw the promise; only an open one, and only with a reason.
    pub fn cancel(&self, reason: &str, at: DateTime<Utc>) -> Result<Settlement, PromiseError> {
        if self.state != PromiseState::Open {
            return Err(PromiseError::AlreadySettled(self.state));
        }
        if reason.trim().is_empty() {
            return Err(PromiseError::ReasonRequired);
        }
        Ok(Settlement {
            state: PromiseState::Cancelled,
            settled_at: at,
            fulfilled_at: None,
            newly_broken: false,
        })
    }

    /// Overdue at `now`: due before it and neither honoured nor cancelled.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.due_at < now
            && self.fulfilled_at.is_none()
            && matches!(self.state, PromiseState::Open | PromiseState::Broken)
    }
}

/// One promise the scheduler broke and escalated to the site manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Escalation {
    pub id: i64,
    pub promise: Promise,
    pub complaint_id: i64,
    pub reference: String,
    pub customer_ref: String,
    pub site_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub severity: Severity,
    pub escalated_at: DateTime<Utc>,
    pub node_id: String,
}

/// An open promise about to break, to notify the assignee about (each once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DueSoon {
    pub promise: Promise,
    pub reference: String,
    pub assignee_id: Option<i64>,
    pub site_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn due() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap()
    }

    fn open() -> Promise {
        Promise {
            id: 1,
            complaint_id: 1,
            kind: PromiseKind::Callback,
            description: "We will call you back by 15:00".into(),
            due_at: due(),
            source: PromiseSource::Staff,
            state: PromiseState::Open,
            settled_at: None,
            fulfilled_at: None,
            cancel_reason: None,
            notified_at: None,
            escalated_at: None,
            escalated_by: None,
            created_at: due() - Duration::hours(2),
            created_by: "ana".into(),
        }
    }

    #[test]
    fn kept_at_the_due_time_broken_a_second_later() {
        assert_eq!(open().fulfil(due()).unwrap().state, PromiseState::Kept);
        let late = open().fulfil(due() + Duration::seconds(1)).unwrap();
        assert_eq!(late.state, PromiseState::Broken);
        assert!(late.newly_broken);
    }

    #[test]
    fn a_promise_broken_by_the_scheduler_stays_broken_when_honoured_late() {
        let mut p = open();
        p.state = PromiseState::Broken;
        p.settled_at = Some(due() + Duration::minutes(1));
        let s = p.fulfil(due() + Duration::hours(1)).unwrap();
        assert_eq!(s.state, PromiseState::Broken);
        assert!(!s.newly_broken);
        assert_eq!(s.settled_at, due() + Duration::minutes(1));
        p.fulfilled_at = s.fulfilled_at;
        assert_eq!(
            p.fulfil(due()).unwrap_err(),
            PromiseError::AlreadySettled(PromiseState::Broken)
        );
        assert!(!p.is_overdue(due() + Duration::days(1)));
    }

    #[test]
    fn cancelling_needs_an_open_promise_and_a_reason() {
        assert_eq!(
            open().cancel("  ", due()).unwrap_err(),
            PromiseError::ReasonRequired
        );
        assert_eq!(
            open().cancel("customer asked", due()).unwrap().state,
            PromiseState::Cancelled
        );
        let mut kept = open();
        kept.state = PromiseState::Kept;
        assert!(kept.cancel("x", due()).is_err());
        assert_eq!(
            kept.cancel("x", due()).unwrap_err().into_validation().0[0].field,
            "state"
        );
    }

    #[test]
    fn new_promises_are_due_in_the_future() {
        let p = NewPromise {
            kind: PromiseKind::Custom,
            description: " ".into(),
            due_at: due(),
        };
        let e = p.validate(due()).unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert!(
            NewPromise {
                kind: PromiseKind::Callback,
                description: String::new(),
                due_at: due()
            }
            .validate(due() - Duration::minutes(1))
            .is_ok()
        );
    }

    proptest! {
        #[test]
        fn kept_exactly_when_met_on_time(offset in -100_000i64..100_000) {
            let met = due() + Duration::seconds(offset);
            let s = open().fulfil(met).unwrap();
            prop_assert_eq!(s.state == PromiseState::Kept, offset <= 0);
            prop_assert_eq!(open().is_overdue(met), offset > 0);
        }
    }
}
