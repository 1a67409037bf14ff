//! Complaints brought in from another system (`touchpoint import complaints`): the case as it
//! was there, with the other system's id so a second import of the same file adds nothing.
//!
//! Rules every backend follows (`ComplaintStore::import_complaint`):
//! * `external_id` is unique among complaints; a row whose id is already stored is
//!   `AlreadyPresent` and changes nothing.
//! * The case starts in its historical `status` (one transition row from nothing to it, noted
//!   as an import), its reference takes the year it was received, and the customer's account
//!   gets the `complaint` withdrawal dated when it was received.
//! * Response policies never reach into the past: a resolved or closed case gets no promises,
//!   and an open one gets only the promises for steps still ahead of it, counted from the
//!   import ([`import_promises`]). So importing years of history never fires an escalation for
//!   a deadline that passed long before Touchpoint knew about the case.
use super::{
    calendar::BusinessCalendar,
    complaint::ValidComplaint,
    policy::{PlannedPromise, ValidPolicy, promises_for},
    promise::PromiseKind,
    status::ComplaintStatus,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest external id (other systems' ids are short; a row with an essay here is a mapping
/// mistake).
pub const MAX_EXTERNAL_ID: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedComplaint {
    /// The case's id in the system it comes from.
    pub external_id: String,
    pub complaint: ValidComplaint,
    /// Where the case stood there.
    pub status: ComplaintStatus,
    /// SHA-256 of a status-page token nobody is shown: imported customers were never given a
    /// link, but every case has one so the column stays unique and required.
    pub status_token_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    Created(i64),
    AlreadyPresent(i64),
}

/// `Err(message)` when `id` cannot identify a case.
pub fn check_external_id(id: &str) -> Result<String, String> {
    let id = id.trim();
    if id.is_empty() {
        return Err("the external id is empty; every imported complaint needs one".into());
    }
    if id.chars().count() > MAX_EXTERNAL_ID {
        return Err(format!("must be at most {MAX_EXTERNAL_ID} characters"));
    }
    if id.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(id.to_string())
}

/// Whether a case in `status` still owes the customer the step a `kind` promise is about.
fn still_ahead(kind: PromiseKind, status: ComplaintStatus) -> bool {
    use ComplaintStatus::*;
    if !status.is_open() {
        return false;
    }
    match kind {
        PromiseKind::Acknowledge => status == Received,
        PromiseKind::FirstResponse => {
            matches!(status, Received | Acknowledged | Assessed | Investigating)
        }
        PromiseKind::Update | PromiseKind::Resolve => true,
        PromiseKind::Callback | PromiseKind::Custom => false,
    }
}

/// The promises `policy` makes for a case imported at `now` in `status`: none for a case that
/// is resolved or closed, and for an open one only the steps it has not taken yet, with their
/// clocks starting at the import rather than when the case was first received.
pub fn import_promises(
    policy: &ValidPolicy,
    status: ComplaintStatus,
    now: DateTime<Utc>,
    calendar: Option<&BusinessCalendar>,
) -> Vec<PlannedPromise> {
    promises_for(policy, now, calendar)
        .into_iter()
        .filter(|p| still_ahead(p.kind, status))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{channel::Channel, complaints::complaint::Severity};
    use chrono::TimeZone;

    fn policy() -> ValidPolicy {
        ValidPolicy {
            severity: Severity::Medium,
            channel: Some(Channel::Web),
            acknowledge_minutes: Some(60),
            first_response_minutes: Some(24 * 60),
            update_minutes: Some(3 * 24 * 60),
            resolve_minutes: Some(10 * 24 * 60),
            business_time: false,
            resolution_survey_key: None,
        }
    }

    fn kinds(status: ComplaintStatus) -> Vec<PromiseKind> {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        import_promises(&policy(), status, now, None)
            .into_iter()
            .map(|p| p.kind)
            .collect()
    }

    #[test]
    fn closed_and_resolved_cases_get_no_promises() {
        assert!(kinds(ComplaintStatus::Closed).is_empty());
        assert!(kinds(ComplaintStatus::Resolved).is_empty());
    }

    #[test]
    fn open_cases_get_only_the_steps_ahead_counted_from_the_import() {
        use PromiseKind::*;
        assert_eq!(
            kinds(ComplaintStatus::Received),
            [Acknowledge, FirstResponse, Update, Resolve]
        );
        assert_eq!(
            kinds(ComplaintStatus::Investigating),
            [FirstResponse, Update, Resolve]
        );
        assert_eq!(kinds(ComplaintStatus::Responded), [Update, Resolve]);
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let first = &import_promises(&policy(), ComplaintStatus::Received, now, None)[0];
        assert_eq!(first.due_at, now + chrono::Duration::minutes(60));
    }

    #[test]
    fn external_ids_are_checked() {
        assert_eq!(check_external_id(" 3556830 ").unwrap(), "3556830");
        assert!(check_external_id("  ").unwrap_err().contains("empty"));
        assert!(check_external_id(&"9".repeat(201)).is_err());
    }
}
