//! Feedback plumbing shared by the JSON API and the pages: link tokens and invitations, turning
//! submitted answers into a [`NewResponse`], and the store look-ups both need (survey
//! contexts, checklists, sites by key). No HTTP here, so the answering page `/s/{token}`, the
//! survey pages and the API all apply exactly the same rules.
//!
//! ```ignore
//! // The answering page, after reading the form:
//! let meta = ResponseMeta::from_link(&target.link, ResponseSource::Web);
//! match check_response(&version, &answers, meta, now) {
//!     Ok(new) => state.store.submit_response(&new).await?,
//!     Err(issues) => /* show issue.problem.message(lang) next to issue.code */,
//! }
//! ```
pub mod analysis;
pub mod invitation_mail;
mod links;
mod lookups;
pub mod scorecard;

pub use links::{InvitationDraft, LinkRefusal, link_refusal, link_url, new_link_token, open_link};
pub use lookups::{
    checklist, current_cycle, items_for_cycle, known_site, known_staff, service_by_id_field,
    site_ids_by_key, survey_context,
};

use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use touchpoint_core::{
    ValidationErrors,
    feedback::{
        AnswerIssue, AnswerValue, ValidAnswers,
        answer::issues_to_errors,
        check_answers,
        records::{NewResponse, ResponseSource, SurveyLink, SurveyVersion},
        wide_csv::MAX_REF,
    },
};

/// Clock skew tolerated on a client-supplied `submitted_at`.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;
/// Longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Everything about a response except its answers.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    pub source: ResponseSource,
    /// When the customer answered; `None` means now.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The API's `Idempotency-Key` (unique per survey; a retry returns the first response).
    pub idempotency_key: Option<String>,
    /// An import's `response_id` (unique per survey).
    pub external_id: Option<String>,
    /// The open link or personal invitation the answer came through.
    pub link_id: Option<i64>,
    pub customer: Option<String>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// The respondent's language; `None` means the survey's first language.
    pub language: Option<String>,
}

impl ResponseMeta {
    /// Nothing known but where it came from.
    pub fn new(source: ResponseSource) -> Self {
        Self {
            source,
            submitted_at: None,
            idempotency_key: None,
            external_id: None,
            link_id: None,
            customer: None,
            site_id: None,
            staff_id: None,
            language: None,
        }
    }

    /// What a link already says: its id, and for an invitation the customer, site, staff
    /// member and language it was made for.
    pub fn from_link(link: &SurveyLink, source: ResponseSource) -> Self {
        Self {
            link_id: Some(link.id),
            customer: link.customer.clone(),
            site_id: link.site_id,
            staff_id: link.staff_id,
            language: link.language.clone(),
            ..Self::new(source)
        }
    }
}

/// Check `answers` against a published version and build the response to submit.
///
/// Strict, for the API: an unknown `language`, a `submitted_at` in the future, an over-long
/// `customer` or a non-positive id is an error naming that field; answer problems are named
/// `answers.<code>` with English messages.
pub fn build_response(
    version: &SurveyVersion,
    answers: &BTreeMap<String, AnswerValue>,
    meta: ResponseMeta,
    now: DateTime<Utc>,
) -> Result<NewResponse, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let languages = &version.definition.languages;
    let language = match non_blank(meta.language.as_deref()) {
        Some(l) if languages.iter().any(|x| x == l) => l.to_string(),
        Some(l) => {
            errors.push(
                "language",
                format!(
                    "'{l}' is not a language of this survey ({})",
                    languages.join(", ")
                ),
            );
            String::new()
        }
        None => version.definition.language_for("").to_string(),
    };
    if let Some(c) = non_blank(meta.customer.as_deref())
        && c.chars().count() > MAX_REF
    {
        errors.push("customer", format!("must be at most {MAX_REF} characters"));
    }
    if meta
        .submitted_at
        .is_some_and(|t| t > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES))
    {
        errors.push("submitted_at", "a response cannot be dated in the future");
    }
    for (field, id) in [("site_id", meta.site_id), ("staff_id", meta.staff_id)] {
        if id.is_some_and(|id| id <= 0) {
            errors.push(field, "not a valid id");
        }
    }
    let accepted = match check_answers(&version.definition, answers) {
        Ok(a) => a,
        Err(issues) => {
            errors.extend(issues_to_errors(&issues, "en"));
            ValidAnswers::default()
        }
    };
    errors.into_result(())?;
    Ok(assemble(version, &accepted, meta, language, now))
}

/// Lenient, for the answering page: the language falls back to the survey's default and only
/// answer problems are reported, as [`AnswerIssue`]s the page words in the respondent's
/// language. Customer, site and staff come from the link and are trusted.
pub fn check_response(
    version: &SurveyVersion,
    answers: &BTreeMap<String, AnswerValue>,
    meta: ResponseMeta,
    now: DateTime<Utc>,
) -> Result<NewResponse, Vec<AnswerIssue>> {
    let accepted = check_answers(&version.definition, answers)?;
    let wanted = meta.language.as_deref().unwrap_or_default();
    let language = version.definition.language_for(wanted).to_string();
    Ok(assemble(version, &accepted, meta, language, now))
}

fn assemble(
    version: &SurveyVersion,
    accepted: &ValidAnswers,
    meta: ResponseMeta,
    language: String,
    now: DateTime<Utc>,
) -> NewResponse {
    let owned = |v: Option<String>| non_blank(v.as_deref()).map(str::to_string);
    NewResponse {
        survey_id: version.survey_id,
        survey_version_id: version.id,
        source: meta.source,
        external_id: owned(meta.external_id),
        idempotency_key: owned(meta.idempotency_key),
        link_id: meta.link_id,
        submitted_at: meta.submitted_at.unwrap_or(now),
        customer: owned(meta.customer),
        site_id: meta.site_id,
        staff_id: meta.staff_id,
        language,
        answers: version.stored_answers(accepted),
    }
}

fn non_blank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
