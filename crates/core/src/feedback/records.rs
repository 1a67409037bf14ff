//! Feedback as stored: surveys and their frozen versions, links and invitations, responses
//! with their answers, roll-ups, audit visits, measurements and compliments.
use super::{
    answer::AnswerValue,
    audit_visit::ValidVisit,
    compliment::ValidCompliment,
    measurement::JudgedMeasurement,
    question::QuestionKind,
    survey::{Audience, ValidSurvey},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, sync::Arc};

/// A survey: an editable definition (`draft`) plus the versions frozen by publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Survey {
    pub id: i64,
    pub key: String,
    pub service_id: Option<i64>,
    pub audience: Audience,
    /// The definition being edited; publishing freezes it into the next version.
    pub draft: ValidSurvey,
    /// Whether the draft differs from the latest published version (or none was published).
    pub has_unpublished_changes: bool,
    /// Number of the latest published version; `None` until the first publish.
    pub current_version: Option<i32>,
    pub response_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// One frozen, answerable version of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyVersion {
    pub id: i64,
    pub survey_id: i64,
    pub version: i32,
    pub definition: ValidSurvey,
    /// The cycle version whose moments the questions' `moment_key`s were resolved against.
    pub cycle_version_id: Option<i64>,
    /// Question code → moment row id (in `cycle_version_id`), for questions about a moment.
    pub moment_ids: BTreeMap<String, i64>,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Anyone with the link may answer, any number of times.
    Open,
    /// One customer, one answer.
    Personal,
}

/// A way into a survey: an anonymous open link or a personal invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyLink {
    pub id: i64,
    pub survey_id: i64,
    pub kind: LinkKind,
    /// The URL token, kept only for open links (they are public by nature). Personal
    /// invitation tokens are stored as a hash and shown once, when created.
    pub token: Option<String>,
    pub customer: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub visit_date: Option<NaiveDate>,
    /// Reference of the complaint this invitation follows up, when any.
    pub complaint_ref: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Personal invitations only: when it was answered, and by which response.
    pub answered_at: Option<DateTime<Utc>>,
    pub response_id: Option<i64>,
    pub active: bool,
}

/// A link to create. `token_hash` is the SHA-256 (hex) of the URL token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLink {
    pub kind: LinkKind,
    pub token_hash: String,
    /// Only for open links.
    pub token: Option<String>,
    pub customer: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub visit_date: Option<NaiveDate>,
    pub complaint_ref: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// What a submission needs to know about a survey: whether it is archived and the version
/// to answer (`None` if it was never published).
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyStatus {
    pub archived_at: Option<DateTime<Utc>>,
    /// Shared, not copied: a submission reads it on every request.
    pub current_version: Option<Arc<SurveyVersion>>,
}

/// What a token opens: the link, what the answering page needs of its survey, and the
/// version to answer.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTarget {
    pub link: SurveyLink,
    pub survey: LinkSurvey,
    /// The current published version; `None` if the survey was never published. Shared, not
    /// copied: the answering page reads it on every request.
    pub version: Option<Arc<SurveyVersion>>,
}

impl LinkTarget {
    /// The text a respondent sees: the published version's, else the never-published draft's.
    pub fn definition(&self) -> Option<&ValidSurvey> {
        self.version
            .as_deref()
            .map(|v| &v.definition)
            .or(self.survey.unpublished_draft.as_ref())
    }
}

/// The part of a survey the answering page reads on every request — not the whole record
/// (its draft's text is large and is only needed while nothing was published).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSurvey {
    pub id: i64,
    /// The service whose cycle names the questions' moments (`None` for employee surveys).
    pub service_id: Option<i64>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The draft, only while the survey has never been published: a closed page shows its
    /// title in its languages.
    pub unpublished_draft: Option<ValidSurvey>,
}

impl LinkSurvey {
    /// From the full record (`version_published`: whether the survey has a current version).
    pub fn of(survey: Survey, version_published: bool) -> Self {
        Self {
            id: survey.id,
            service_id: survey.service_id,
            archived_at: survey.archived_at,
            unpublished_draft: (!version_published).then_some(survey.draft),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseSource {
    /// The answering page `/s/{token}`.
    Web,
    /// `POST /api/v1/surveys/{id}/responses`.
    Api,
    /// `touchpoint import responses`.
    Import,
}

impl ResponseSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseSource::Web => "web",
            ResponseSource::Api => "api",
            ResponseSource::Import => "import",
        }
    }
}

/// One answer as stored, denormalised so roll-ups and exports need no survey definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "StoredAnswerWire")]
pub struct StoredAnswer {
    pub question_code: String,
    pub kind: QuestionKind,
    pub moment_id: Option<i64>,
    pub dimension: Option<String>,
    pub value: AnswerValue,
}

/// `AnswerValue` is untagged, so a bare string could be a `Text` or a `Choice`; the
/// question's kind settles it when a stored answer is read back.
#[derive(Deserialize)]
struct StoredAnswerWire {
    question_code: String,
    kind: QuestionKind,
    moment_id: Option<i64>,
    dimension: Option<String>,
    value: AnswerValue,
}

impl TryFrom<StoredAnswerWire> for StoredAnswer {
    type Error = String;
    fn try_from(w: StoredAnswerWire) -> Result<Self, String> {
        let value = match (w.kind, w.value) {
            (QuestionKind::Text, AnswerValue::Choice(s)) => AnswerValue::Text(s),
            (QuestionKind::SingleChoice, AnswerValue::Text(s)) => AnswerValue::Choice(s),
            (_, v) => v,
        };
        Ok(StoredAnswer {
            question_code: w.question_code,
            kind: w.kind,
            moment_id: w.moment_id,
            dimension: w.dimension,
            value,
        })
    }
}

impl SurveyVersion {
    /// Accepted answers as stored: each with its question's kind, moment row and dimension.
    pub fn stored_answers(&self, answers: &super::answer::ValidAnswers) -> Vec<StoredAnswer> {
        answers
            .with_questions(&self.definition)
            .map(|(q, value)| StoredAnswer {
                question_code: q.code.clone(),
                kind: q.kind,
                moment_id: self.moment_ids.get(&q.code).copied(),
                dimension: q.dimension.clone(),
                value: value.clone(),
            })
            .collect()
    }
}

/// A response to write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewResponse {
    pub survey_id: i64,
    pub survey_version_id: i64,
    pub source: ResponseSource,
    /// The survey tool's id (`response_id` column of an import); unique per survey.
    pub external_id: Option<String>,
    /// The `Idempotency-Key` of an API submission; unique per survey.
    pub idempotency_key: Option<String>,
    /// The link it came through; a personal invitation accepts one response only.
    pub link_id: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub customer: Option<String>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub language: String,
    pub answers: Vec<StoredAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResponseRecord {
    pub id: i64,
    pub survey_id: i64,
    pub survey_version: i32,
    pub source: ResponseSource,
    pub external_id: Option<String>,
    pub link_id: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub customer: Option<String>,
    pub site_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub language: String,
    pub answers: Vec<StoredAnswer>,
}

/// The result of a submission. A retry (same idempotency key or external id) returns the
/// response that already exists instead of counting it twice.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    Created(i64),
    AlreadyExists(i64),
}

impl SubmitOutcome {
    pub fn id(&self) -> i64 {
        match self {
            SubmitOutcome::Created(id) | SubmitOutcome::AlreadyExists(id) => *id,
        }
    }
}

/// Which half of an answer a roll-up row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RollupPart {
    /// The score of a rating, NPS or effort question.
    Score,
    /// The expectation of a servqual pair.
    Expectation,
    /// The perception of a servqual pair.
    Perception,
}

/// Scores of one question at one moment and site on one day: count, sum, sum of squares and a
/// histogram over 0..=10 — enough for exact CSAT, NPS, means and medians without raw rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RollupRow {
    pub survey_id: i64,
    pub question_code: String,
    pub part: RollupPart,
    pub moment_id: Option<i64>,
    pub site_id: Option<i64>,
    pub day: NaiveDate,
    pub count: i64,
    pub sum: i64,
    pub sum_sq: i64,
    /// `histogram[s]` = number of answers with score `s` (0..=10).
    pub histogram: [i64; 11],
}

/// What a roll-up rebuild did: responses read and roll-up rows written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupRebuild {
    pub responses: u64,
    /// Rows of the per-site roll-ups.
    pub rows: u64,
    /// Rows of the per-staff roll-ups (only responses that name a staff member).
    #[serde(default)]
    pub staff_rows: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RollupQuery {
    pub survey_id: Option<i64>,
    pub question_code: Option<String>,
    pub moment_id: Option<i64>,
    pub site_id: Option<i64>,
    /// Only responses that name this staff member (read from the per-staff roll-ups).
    pub staff_id: Option<i64>,
    /// Inclusive.
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
}

/// A recorded mystery-shopper visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditVisit {
    pub id: i64,
    pub service_id: i64,
    pub cycle_version_id: i64,
    pub auditor_user_id: Option<i64>,
    pub auditor: String,
    pub visit: ValidVisit,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Measurement {
    pub id: i64,
    pub service_id: i64,
    pub site_id: i64,
    pub external_id: Option<String>,
    pub judged: JudgedMeasurement,
    pub met: bool,
    pub recorded_at: DateTime<Utc>,
}

/// A measurement to write; `external_id` makes re-imports idempotent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMeasurement {
    pub service_id: i64,
    pub site_id: i64,
    pub external_id: Option<String>,
    pub judged: JudgedMeasurement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Compliment {
    pub id: i64,
    pub service_id: Option<i64>,
    pub compliment: ValidCompliment,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Filters shared by the evidence lists (each optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFilter {
    pub service_id: Option<i64>,
    pub site_id: Option<i64>,
    pub moment_key: Option<String>,
    pub staff_id: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_and_choice_answers_survive_json() {
        for (kind, value) in [
            (QuestionKind::Text, AnswerValue::Text("slow".into())),
            (QuestionKind::SingleChoice, AnswerValue::Choice("a".into())),
            (
                QuestionKind::MultiChoice,
                AnswerValue::Choices(vec!["a".into()]),
            ),
            (QuestionKind::Nps, AnswerValue::Score(9)),
        ] {
            let a = StoredAnswer {
                question_code: "q".into(),
                kind,
                moment_id: Some(3),
                dimension: None,
                value,
            };
            let back: StoredAnswer =
                serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
            assert_eq!(back, a);
        }
    }
}
