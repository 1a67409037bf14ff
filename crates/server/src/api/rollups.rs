//! Roll-ups: exact daily aggregates of the scores, with CSAT, NPS and means computed from them.
use super::{
    extract::{ApiQuery, Caller, Read},
    json::ApiJson,
};
use crate::{
    error::{AppError, Problem},
    state::AppState,
};
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use touchpoint_core::{
    StoreError,
    feedback::{
        Estimate, Histogram, QuestionKind, Scale,
        records::{RollupPart, RollupQuery, RollupRow},
        stats,
    },
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupParams {
    pub survey_id: Option<i64>,
    pub question_code: Option<String>,
    /// A moment's row id (in a cycle version).
    pub moment_id: Option<i64>,
    pub site_id: Option<i64>,
    /// Only the answers of responses that name this staff member.
    pub staff_id: Option<i64>,
    /// First day, inclusive (`YYYY-MM-DD`).
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
}

/// The figures of one question (or one half of a servqual item) over every matching row.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollupSummary {
    pub survey_id: i64,
    pub question_code: String,
    pub part: RollupPart,
    /// The question's kind in the survey's current version, when it still has the question.
    pub kind: Option<QuestionKind>,
    pub histogram: Histogram,
    /// Share of 4–5 answers, in % (rating questions).
    pub csat: Option<Estimate>,
    /// % promoters − % detractors (NPS questions).
    pub nps: Option<Estimate>,
    /// Mean score on the question's scale.
    pub mean: Option<Estimate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollupReport {
    /// Ordered by day, question, part, moment and site.
    pub rows: Vec<RollupRow>,
    /// One per survey, question and part, merged over days, moments and sites; each estimate
    /// comes with its sample size and 95% interval.
    pub summaries: Vec<RollupSummary>,
}

/// Roll-ups of survey scores, with their summaries.
///
/// Every filter is optional; narrow them for large organizations.
#[utoipa::path(
    get, path = "/rollups", tag = "responses",
    params(RollupParams),
    responses(
        (status = 200, description = "Matching roll-up rows and their summaries", body = RollupReport),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is before `from`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_rollups(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<RollupParams>,
) -> Result<ApiJson<RollupReport>, AppError> {
    if let (Some(from), Some(to)) = (params.from, params.to)
        && to < from
    {
        return Err(AppError::invalid("to", "must not be before `from`"));
    }
    let query = RollupQuery {
        survey_id: params.survey_id,
        question_code: params
            .question_code
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        moment_id: params.moment_id,
        site_id: params.site_id,
        staff_id: params.staff_id,
        from: params.from,
        to: params.to,
    };
    let rows = state.store.rollups(&query).await?;
    let kinds = question_kinds(&state, &rows).await?;
    let summaries = summarise(&rows, &kinds);
    Ok(ApiJson(RollupReport { rows, summaries }))
}

type Kinds = HashMap<(i64, String), QuestionKind>;

/// The kind of every question of the surveys the rows come from (current version, else draft).
async fn question_kinds(state: &AppState, rows: &[RollupRow]) -> Result<Kinds, AppError> {
    let mut surveys: Vec<i64> = rows.iter().map(|r| r.survey_id).collect();
    surveys.sort_unstable();
    surveys.dedup();
    let mut kinds = Kinds::new();
    for id in surveys {
        let definition = match state.store.current_survey_version(id).await {
            Ok(v) => v.definition,
            Err(StoreError::NotFound { .. }) => match state.store.get_survey(id).await {
                Ok(s) => s.draft,
                Err(StoreError::NotFound { .. }) => continue,
                Err(e) => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        };
        kinds.extend(
            definition
                .questions
                .into_iter()
                .map(|q| ((id, q.code), q.kind)),
        );
    }
    Ok(kinds)
}

/// A question part's merged scores: its part, histogram and kind.
type Group = (RollupPart, Histogram, Option<QuestionKind>);

fn summarise(rows: &[RollupRow], kinds: &Kinds) -> Vec<RollupSummary> {
    let mut groups: BTreeMap<(i64, &str, u8), Group> = BTreeMap::new();
    for r in rows {
        let kind = kinds.get(&(r.survey_id, r.question_code.clone())).copied();
        let key = (r.survey_id, r.question_code.as_str(), part_order(r.part));
        let (_, histogram, _) = groups
            .entry(key)
            .or_insert_with(|| (r.part, Histogram::for_scale(scale_of(kind)), kind));
        histogram.merge(&Histogram {
            min: 0,
            counts: r.histogram.iter().map(|c| (*c).max(0) as u64).collect(),
        });
    }
    groups
        .into_iter()
        .map(|((survey_id, code, _), (part, histogram, kind))| {
            let scale = scale_of(kind);
            RollupSummary {
                survey_id,
                question_code: code.to_string(),
                part,
                kind,
                csat: (kind == Some(QuestionKind::Rating))
                    .then(|| stats::csat(&histogram))
                    .flatten(),
                nps: (kind == Some(QuestionKind::Nps))
                    .then(|| stats::nps(&histogram))
                    .flatten(),
                mean: stats::mean(&histogram.moments(), scale),
                histogram,
            }
        })
        .collect()
}

/// The question's scale; 0–10 (every bin a roll-up has) when the kind is unknown.
fn scale_of(kind: Option<QuestionKind>) -> Scale {
    kind.and_then(QuestionKind::scale)
        .unwrap_or(Scale { min: 0, max: 10 })
}

fn part_order(part: RollupPart) -> u8 {
    match part {
        RollupPart::Score => 0,
        RollupPart::Expectation => 1,
        RollupPart::Perception => 2,
    }
}
