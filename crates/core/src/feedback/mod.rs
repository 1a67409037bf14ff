//! Feedback: every kind of evidence about the moments of truth — survey answers (typed in on
//! the answering page, posted by an integration or imported in bulk), mystery-shopper visits,
//! measurements of standards and compliments — with the rules each must follow, and the
//! statistics that summarise them.
//!
//! Pure domain, no I/O: callers (server, CLI, stores) load the context — a cycle version, the
//! quality dimensions, a published survey — and hand it in. Each piece of evidence is anchored
//! to a moment by its stable `key`, and resolved to the moment's row id in the version it was
//! checked against, so redesigning a cycle never rewrites the history of what was heard.

pub mod answer;
mod answer_de;
pub mod audit_visit;
pub mod compliment;
pub mod localized;
pub mod measurement;
pub mod question;
pub mod records;
pub mod servqual_items;
pub mod stats;
pub mod store;
pub mod survey;
pub mod survey_file;
pub mod templates;
pub mod timestamp;
pub mod wide_csv;

#[cfg(test)]
pub(crate) mod fixtures;

pub use answer::{
    AnswerIssue, AnswerProblem, AnswerValue, ValidAnswer, ValidAnswers, check_answers,
    validate_answers,
};
pub use audit_visit::{Checklist, ItemResult, ValidVisit, VisitDraft, VisitMark};
pub use compliment::{ComplimentDraft, ValidCompliment};
pub use localized::Localized;
pub use measurement::{JudgedMeasurement, Judgement, MeasurementDraft};
pub use question::{ChoiceOption, QuestionDraft, QuestionKind, Scale, ValidQuestion};
pub use stats::{Estimate, Histogram, Moments};
pub use survey::{Audience, SurveyContext, SurveyDraft, ValidSurvey};
pub use survey_file::{SurveyDocument, SurveyFileError};
pub use timestamp::{format_timestamp, parse_timestamp};
pub use wide_csv::{CellError, ParsedRow, WideHeader};
