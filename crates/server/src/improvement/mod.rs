//! Gathering what the improvement surfaces show (shared by the API and the pages): a service's
//! complaint analysis for a period, and an action plan's before/after.
pub mod csv;

use crate::{
    error::AppError,
    feedback::scorecard::{load_scorecard, start_of},
};
use chrono::NaiveDate;
use touchpoint_core::{
    StoreError,
    analytics::Period,
    cycle::CycleVersion,
    improvement::{
        ActionPlan, BeforeAfter, ComplaintAnalysis, ComplaintFactQuery, analyse, before_after,
        windows,
    },
    service::Service,
    store::Store,
};

/// A service's complaint analysis for a period and optionally a site.
#[derive(Debug, Clone)]
pub struct ComplaintReport {
    pub service: Service,
    pub period: Period,
    pub site_id: Option<i64>,
    pub analysis: ComplaintAnalysis,
}

/// Complaints of the service received in the period's UTC days (at the site, when given),
/// analysed with the organisation's assumptions.
pub async fn load_complaint_analysis(
    store: &dyn Store,
    service_id: i64,
    period: Period,
    site_id: Option<i64>,
) -> Result<ComplaintReport, AppError> {
    let service = store.get_service(service_id).await?;
    let facts = store
        .complaint_facts(&ComplaintFactQuery {
            service_key: service.key.clone(),
            since: start_of(period.from),
            until: period.to.succ_opt().map(start_of),
            site_id,
        })
        .await?;
    let assumptions = store.complaint_assumptions().await?;
    Ok(ComplaintReport {
        service,
        period,
        site_id,
        analysis: analyse(&facts, assumptions),
    })
}

/// The current cycle of a service, `None` when it has none yet.
pub async fn current_cycle(
    store: &dyn Store,
    service_id: i64,
) -> Result<Option<CycleVersion>, AppError> {
    match store.current_cycle(service_id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The plan's moments before and after its start date, judged on `today` (all sites).
pub async fn load_before_after(
    store: &dyn Store,
    plan: &ActionPlan,
    today: NaiveDate,
) -> Result<BeforeAfter, AppError> {
    let w = windows(plan.start_date, today);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    if let Some(w) = w {
        // The after window's scorecard compares with the window just before it, which is the
        // before window: its trends are the tests. The before window's own scorecard gives
        // the before figures even when the after window has none.
        if let Some(card) = load_scorecard(store, plan.service_id, w.after, None).await? {
            after = card.moments;
        }
        if let Some(card) = load_scorecard(store, plan.service_id, w.before, None).await? {
            before = card.moments;
        }
    }
    Ok(before_after(&plan.moment_keys, w, &before, &after))
}
