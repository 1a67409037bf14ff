//! Gathering the decision analyses of a service (gaps, IPA, consistency, priorities) from the
//! stores; shared by the API and the pages.
//!
//! * SERVQUAL gaps come from the roll-ups of the servqual parts (one query per survey).
//! * IPA, consistency and priorities need per-respondent answers (a correlation with the
//!   overall item, the spread over staff members, which roll-ups do not keep), so the loader
//!   reads each survey's responses with `responses_after` keyset pages and keeps only those
//!   of the period and site. This is a full scan of the service's responses: acceptable for
//!   an analysis page, not for a hot path.
//! * Complaints count per moment key: the service's complaints received in the period (site
//!   filter applied), from the one `complaint_facts` query the complaint analysis uses.
use super::scorecard::{all_cycle_versions, start_of, survey_ids};
use crate::error::AppError;
use touchpoint_core::{
    StoreError,
    analytics::{
        Consistency, GapReport, Ipa, Period, Priorities, PriorityConfig, Samples, ScoredResponse,
        consistency,
        evidence::{MomentKeys, moment_keys},
        gap_questions, gaps, ipa, normalised, priorities,
        samples::ImportanceMethod,
    },
    cycle::CycleVersion,
    feedback::{
        AnswerValue, QuestionKind,
        records::{ResponseRecord, RollupQuery},
        templates::OVERALL_CSAT_CODE,
    },
    improvement::ComplaintFactQuery,
    store::Store,
};

/// Responses read per keyset page.
const PAGE: u32 = 1000;

/// Everything the analysis pages and endpoints show, for one period and site.
pub struct Analysis {
    pub cycle: CycleVersion,
    pub period: Period,
    pub site_id: Option<i64>,
    pub gaps: GapReport,
    pub ipa: Ipa,
    pub consistency: Consistency,
    pub priorities: Priorities,
}

/// Which parts to compute: the response scan is skipped when only gaps are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    Gaps,
    All,
}

/// The respondent's overall answer: the overall CSAT question (a rating with no moment or
/// dimension, `overall` preferred), else an NPS question with no moment.
fn overall(r: &ResponseRecord) -> Option<(ImportanceMethod, f64)> {
    let unanchored = |kind: QuestionKind| {
        r.answers
            .iter()
            .filter(move |a| a.kind == kind && a.moment_id.is_none() && a.dimension.is_none())
            .filter_map(|a| match a.value {
                AnswerValue::Score(s) => Some((a.question_code.as_str(), s)),
                _ => None,
            })
    };
    let mut ratings: Vec<(&str, i32)> = unanchored(QuestionKind::Rating).collect();
    ratings.sort_by_key(|(code, _)| *code != OVERALL_CSAT_CODE);
    if let Some((_, s)) = ratings.first() {
        return Some((
            ImportanceMethod::PearsonOverallCsat,
            normalised(QuestionKind::Rating, *s)?,
        ));
    }
    let (_, s) = unanchored(QuestionKind::Nps).next()?;
    Some((
        ImportanceMethod::PearsonNps,
        normalised(QuestionKind::Nps, s)?,
    ))
}

fn scored(r: &ResponseRecord, keys: &MomentKeys) -> ScoredResponse {
    let scores = r
        .answers
        .iter()
        .filter_map(|a| {
            let key = keys.get(&a.moment_id?)?;
            match a.value {
                AnswerValue::Score(s) => Some((key.clone(), normalised(a.kind, s)?)),
                _ => None,
            }
        })
        .collect();
    ScoredResponse {
        day: Some(r.submitted_at.date_naive()),
        site_id: r.site_id,
        staff_id: r.staff_id,
        scores,
        overall: overall(r),
    }
}

async fn samples(
    store: &dyn Store,
    surveys: &[i64],
    keys: &MomentKeys,
    period: Period,
    site_id: Option<i64>,
) -> Result<Samples, AppError> {
    let mut out = Samples::default();
    for survey_id in surveys {
        let mut after = 0;
        loop {
            let page = store.responses_after(*survey_id, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for r in &page {
                let day = r.submitted_at.date_naive();
                let in_site = site_id.is_none() || r.site_id == site_id;
                if in_site && day >= period.from && day <= period.to {
                    out.add(&scored(r, keys));
                }
            }
            if page.len() < PAGE as usize {
                break;
            }
        }
    }
    Ok(out)
}

async fn complaint_counts(
    store: &dyn Store,
    service_key: &str,
    period: Period,
    site_id: Option<i64>,
) -> Result<std::collections::BTreeMap<String, u64>, AppError> {
    let facts = store
        .complaint_facts(&ComplaintFactQuery {
            service_key: service_key.to_string(),
            since: start_of(period.from),
            until: period.to.succ_opt().map(start_of),
            site_id,
        })
        .await?;
    let mut counts = std::collections::BTreeMap::new();
    for key in facts.iter().filter_map(|f| f.moment_key.as_ref()) {
        *counts.entry(key.clone()).or_insert(0) += 1;
    }
    Ok(counts)
}

/// The analyses of the service's current cycle; `Ok(None)` when no cycle was published.
pub async fn load_analysis(
    store: &dyn Store,
    service_id: i64,
    period: Period,
    site_id: Option<i64>,
    config: PriorityConfig,
    parts: Parts,
) -> Result<Option<Analysis>, AppError> {
    let service = store.get_service(service_id).await?;
    let cycle = match store.current_cycle(service_id).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let keys = moment_keys(&all_cycle_versions(store, &cycle).await?);
    let surveys = survey_ids(store, service_id).await?;

    let mut rows = Vec::new();
    let mut versions = Vec::new();
    for survey_id in &surveys {
        versions.extend(store.list_survey_versions(*survey_id).await?);
        rows.extend(
            store
                .rollup_totals(&RollupQuery {
                    survey_id: Some(*survey_id),
                    site_id,
                    from: Some(period.from),
                    to: Some(period.to),
                    ..RollupQuery::default()
                })
                .await?,
        );
    }
    let gap_report = gaps(&rows, &gap_questions(&versions));

    let (samples, complaints) = match parts {
        Parts::Gaps => (Samples::default(), Default::default()),
        Parts::All => (
            samples(store, &surveys, &keys, period, site_id).await?,
            complaint_counts(store, &service.key, period, site_id).await?,
        ),
    };
    Ok(Some(Analysis {
        ipa: ipa(&cycle, &samples),
        consistency: consistency(&cycle, &samples, config.target),
        priorities: priorities(&cycle, &samples, &complaints, config),
        cycle,
        period,
        site_id,
        gaps: gap_report,
    }))
}
