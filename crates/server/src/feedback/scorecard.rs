//! Gathering a service's scorecard from the stores (shared by the API and the journey page).
//!
//! Only existing store reads are used: roll-ups per survey (one query spanning both periods,
//! split by day), measurement compliance and compliment counts per moment key and period
//! (aggregates, no rows read), the visits of both periods page by page, and the service's
//! complaints of each period (`complaint_facts`, counted per moment key). The roll-ups have
//! no staff dimension, so a staff filter is refused by the callers rather than answered with
//! figures that would silently ignore it.
use crate::error::AppError;
use chrono::{DateTime, Days, NaiveDate, Utc};
use touchpoint_core::{
    StoreError, ValidationErrors,
    analytics::{
        Period, PeriodEvidence, Scorecard, Targets,
        evidence::{moment_keys, question_kinds},
        scorecard,
    },
    cycle::CycleVersion,
    feedback::records::{EvidenceFilter, RollupQuery},
    improvement::ComplaintFactQuery,
    listing::ListQuery,
    store::Store,
};

/// Longest period a scorecard may cover (and so compare with the one before).
pub const MAX_PERIOD_DAYS: u64 = 3660;
/// Default length: the last 90 days, today included.
pub const DEFAULT_PERIOD_DAYS: u64 = 90;

/// The period asked for: `to` defaults to `today`, `from` to 90 days ending at `to`. Problems
/// name the query field (`to` before `from`, or a period too long to compare).
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Period, AppError> {
    let to = to.unwrap_or(today);
    let from = match from {
        Some(f) => f,
        None => to
            .checked_sub_days(Days::new(DEFAULT_PERIOD_DAYS - 1))
            .ok_or_else(|| AppError::invalid("to", "is too far in the past"))?,
    };
    if to < from {
        return Err(AppError::invalid("to", "must not be before `from`"));
    }
    let p = Period { from, to };
    if p.days() > MAX_PERIOD_DAYS {
        return Err(AppError::invalid(
            "from",
            format!("a scorecard covers at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    if p.from.checked_sub_days(Days::new(p.days())).is_none() {
        return Err(AppError::invalid("from", "is too far in the past"));
    }
    Ok(p)
}

/// [`period`] for a query checked as a whole: its problem joins `errors`, so every bad
/// parameter is named in one answer; `None` then.
pub fn period_or_problem(
    errors: &mut ValidationErrors,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Period> {
    match period(from, to, today) {
        Ok(p) => Some(p),
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        // `period` refuses only with field problems; anything else is named on `from`.
        Err(e) => {
            errors.push("from", e.to_string());
            None
        }
    }
}

/// Why the analyses refuse a staff filter: they compare sites and staff themselves, from the
/// respondents' answers; the scorecard is the per-person view.
pub const STAFF_FILTER_REFUSED: &str =
    "the analyses are not filtered by staff member; the scorecard is (`staff=` on /scorecard)";

/// Whose evidence a scorecard counts: all, one site's, one staff member's, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub site_id: Option<i64>,
    /// Answers naming this staff member (per-staff roll-ups), visits observing them and
    /// compliments about them. Measurements and complaints name no staff member, so with
    /// this set the scorecard leaves compliance and complaints out rather than show the
    /// whole site's as the person's.
    pub staff_id: Option<i64>,
}

pub(crate) fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The evidence filter of one period: UTC days, `until` exclusive.
fn filter(service_id: i64, scope: Scope, p: Period) -> EvidenceFilter {
    EvidenceFilter {
        service_id: Some(service_id),
        site_id: scope.site_id,
        staff_id: scope.staff_id,
        since: Some(start_of(p.from)),
        until: p.to.succ_opt().map(start_of),
        ..EvidenceFilter::default()
    }
}

/// Every version of the service's cycle (moments of all of them, for matching by key).
pub(crate) async fn all_cycle_versions(
    store: &dyn Store,
    current: &CycleVersion,
) -> Result<Vec<CycleVersion>, AppError> {
    let mut out = vec![current.clone()];
    for summary in store.list_cycle_versions(current.service_id).await? {
        if summary.version != current.version {
            out.push(
                store
                    .cycle_version(current.service_id, summary.version)
                    .await?,
            );
        }
    }
    Ok(out)
}

/// The ids of every survey of the service, archived ones included (their answers stay).
pub(crate) async fn survey_ids(store: &dyn Store, service_id: i64) -> Result<Vec<i64>, AppError> {
    let mut q = ListQuery::all();
    let mut ids = Vec::new();
    loop {
        let page = store.list_surveys(&q, Some(service_id)).await?;
        let got = page.items.len() as u32;
        ids.extend(page.items.iter().map(|s| s.id));
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(ids);
        }
    }
}

/// The scorecard of the service's current cycle; `Ok(None)` when no cycle was published.
pub async fn load_scorecard(
    store: &dyn Store,
    service_id: i64,
    period: Period,
    site_id: Option<i64>,
) -> Result<Option<Scorecard>, AppError> {
    let scope = Scope {
        site_id,
        staff_id: None,
    };
    load_scorecard_for(store, service_id, period, scope).await
}

/// [`load_scorecard`] of the evidence in `scope`.
pub async fn load_scorecard_for(
    store: &dyn Store,
    service_id: i64,
    period: Period,
    scope: Scope,
) -> Result<Option<Scorecard>, AppError> {
    let Scope { site_id, staff_id } = scope;
    let cycle = match store.current_cycle(service_id).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let previous = period.previous();
    let keys = moment_keys(&all_cycle_versions(store, &cycle).await?);
    let (mut now, mut before) = (PeriodEvidence::default(), PeriodEvidence::default());

    for survey_id in survey_ids(store, service_id).await? {
        let versions = store.list_survey_versions(survey_id).await?;
        let kinds = question_kinds(&versions);
        // Each period's roll-ups as the store keeps them coarsest (whole months in one row
        // on SQLite, summed in SQL on PostgreSQL): a year is not read one day at a time.
        for (evidence, p) in [(&mut now, period), (&mut before, previous)] {
            let rows = store
                .rollup_totals(&RollupQuery {
                    survey_id: Some(survey_id),
                    site_id,
                    staff_id,
                    from: Some(p.from),
                    to: Some(p.to),
                    ..RollupQuery::default()
                })
                .await?;
            evidence.add_rollups(&rows, &keys, &kinds);
        }
    }

    let service_key = store.get_service(service_id).await?.key;
    for (evidence, p) in [(&mut now, period), (&mut before, previous)] {
        if staff_id.is_none() {
            let facts = store
                .complaint_facts(&ComplaintFactQuery {
                    service_key: service_key.clone(),
                    since: start_of(p.from),
                    until: p.to.succ_opt().map(start_of),
                    site_id,
                })
                .await?;
            for m in &cycle.moments {
                let count = facts
                    .iter()
                    .filter(|f| f.moment_key.as_deref() == Some(m.key.as_str()))
                    .count();
                evidence.set_complaints(&m.key, count as u64);
            }
        }
        let mut q = ListQuery::all();
        loop {
            let page = store.list_visits(&filter(service_id, scope, p), &q).await?;
            let got = page.items.len() as u32;
            page.items.iter().for_each(|v| evidence.add_visit(&v.visit));
            q.offset += got;
            if got == 0 || i64::from(q.offset) >= page.total {
                break;
            }
        }
        for m in &cycle.moments {
            let f = EvidenceFilter {
                moment_key: Some(m.key.clone()),
                ..filter(service_id, scope, p)
            };
            if staff_id.is_none() {
                let (met, total) = store.measurement_compliance(&f).await?;
                evidence.set_compliance(&m.key, met.max(0) as u64, total.max(0) as u64);
            }
            let one = ListQuery {
                limit: 1,
                ..ListQuery::all()
            };
            let compliments = store.list_compliments(&f, &one).await?.total;
            evidence.set_compliments(&m.key, compliments.max(0) as u64);
        }
    }
    let mut card = scorecard::scorecard(&cycle, period, site_id, &now, &before, Targets::default());
    card.staff_id = staff_id;
    if staff_id.is_some() {
        for m in &mut card.moments {
            m.complaints = None;
            m.complaints_per_1000 = None;
        }
    }
    Ok(Some(card))
}
