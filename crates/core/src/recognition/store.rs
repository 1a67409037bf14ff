//! The storage contract for recognition. Both backends implement it; the conformance suite in
//! `touchpoint-test-support` (`recognition_conformance_tests!`) holds them to the same answers.
//!
//! `staff_month_evidence` gathers each source with one grouped query over the period (never a
//! query per staff member):
//! * audits: visits with `visited_at` in the period, one row per observed staff member ×
//!   service × moment key with the sum and count of the moment scores;
//! * satisfaction: responses to **customer** surveys submitted in the period that name a staff
//!   member, each reduced to [`super::response_satisfaction`], summed per staff member;
//! * compliments: compliments about a staff member received in the period;
//! * resolutions: complaints whose (last) move to `resolved` happened in the period, credited
//!   to the staff member whose email is the assignee user's email (case-insensitive), with how
//!   many carry a resolution whose customer was satisfied;
//! * promises: complaint promises settled `kept` or `broken` in the period, credited the same
//!   way through the complaint's assignee.
use super::{RecognitionSettings, StaffMonthEvidence};
use crate::{audit::Actor, error::StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait RecognitionStore: Send + Sync {
    /// The saved settings, or the defaults when none were saved.
    async fn recognition_settings(&self) -> StoreResult<RecognitionSettings>;
    /// Replace the settings (validated by the caller); audited as `recognition.settings`.
    async fn save_recognition_settings(
        &self,
        actor: &Actor,
        s: &RecognitionSettings,
    ) -> StoreResult<RecognitionSettings>;
    /// The evidence of `[from, to)`, lists ordered by staff id (audits then by service id and
    /// moment key).
    async fn staff_month_evidence(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<StaffMonthEvidence>;
}
