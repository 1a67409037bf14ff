//! The cycle report: every analysis of one service's current cycle for one period and site,
//! gathered once, so the printable page (`/services/{id}/report`) and `touchpoint report
//! cycle` (text, JSON, CSV, HTML) show the same figures.
//!
//! Nothing is computed here that another surface does not compute too: the scorecard, the
//! analyses, the complaint analysis and each plan's before/after come from their own loaders
//! (`feedback::scorecard`, `feedback::analysis`, `improvement`). What this module adds is the
//! choice of action plans and the names the analyses refer to by id or key, so a report can be
//! rendered without another store read.
pub mod csv;

use crate::{
    error::AppError,
    feedback::{
        analysis::{Parts, load_analysis},
        scorecard::load_scorecard,
    },
    improvement::{load_before_after, load_complaint_analysis},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;
use touchpoint_core::{
    StoreError,
    analytics::{
        Consistency, GapReport, Ipa, Period, Priorities, PriorityConfig, PriorityWeights, Scorecard,
    },
    cycle::CycleVersion,
    dimension::QualityDimension,
    improvement::{ActionPlan, ActionPlanFilter, BeforeAfter, ComplaintAnalysis, PlanStatus},
    listing::ListQuery,
    org::Site,
    service::Service,
    store::Store,
};

/// Plans whose before/after is computed (two scorecards each); later ones are listed without
/// a verdict so a service with years of plans still gets its report quickly.
pub const MAX_PLAN_VERDICTS: usize = 25;

/// What a report covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportScope {
    pub service_id: i64,
    /// Already checked by the caller (`feedback::scorecard::period`).
    pub period: Period,
    /// A site's id; `None` for every site.
    pub site_id: Option<i64>,
    /// How the priorities weigh their factors (already validated by the caller).
    pub weights: PriorityWeights,
}

/// An action plan touching the cycle, with its before/after when it was computed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanOutcome {
    pub plan: ActionPlan,
    /// The day the before/after is judged on: the period's last day, or today when the period
    /// runs into the future. A report of a past quarter keeps the verdicts it had then.
    pub judged_on: NaiveDate,
    /// `None` beyond [`MAX_PLAN_VERDICTS`]; `windows` is `None` when the plan had not started.
    pub before_after: Option<BeforeAfter>,
}

/// A user who handled complaints, named in the promises-kept table.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// Everything a cycle report shows. Figures keep full precision; renderers round them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CycleReport {
    /// The organisation's name from the configuration (`organisation`), when set.
    pub organisation: Option<String>,
    pub generated_at: DateTime<Utc>,
    pub service: Service,
    /// The current cycle; `None` until one is published (every section is then empty).
    pub cycle: Option<CycleVersion>,
    pub period: Period,
    /// The period of equal length just before, which the scorecard's trends compare against.
    pub previous_period: Period,
    /// The site filter; `None` for every site.
    pub site: Option<Site>,
    pub scorecard: Option<Scorecard>,
    pub priorities: Option<Priorities>,
    pub ipa: Option<Ipa>,
    pub consistency: Option<Consistency>,
    pub gaps: Option<GapReport>,
    pub complaints: ComplaintAnalysis,
    /// Plans of the service covering a moment of the cycle, not cancelled, and under way at
    /// some time in the period (started by its end, and due after its start or still open).
    pub action_plans: Vec<PlanOutcome>,
    /// Every site, active or not: the analyses name sites by id.
    pub sites: Vec<Site>,
    /// The quality dimensions: complaints name them by key.
    pub dimensions: Vec<QualityDimension>,
    /// The users complaints were assigned to: promises kept are counted per assignee id.
    pub assignees: Vec<Person>,
}

impl CycleReport {
    /// A site's name, or `#id` for one no longer known.
    pub fn site_name(&self, id: i64) -> String {
        self.sites
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| format!("#{id}"), |s| s.name.clone())
    }

    /// A site's key, or its id as text for one no longer known.
    pub fn site_key(&self, id: i64) -> String {
        self.sites
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.key.clone())
    }
}

async fn all_sites(store: &dyn Store) -> Result<Vec<Site>, AppError> {
    let mut q = ListQuery::all();
    let mut out = Vec::new();
    loop {
        let page = store.list_sites(&q).await?;
        let got = page.items.len() as u32;
        out.extend(page.items);
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(out);
        }
    }
}

fn under_way(plan: &ActionPlan, period: Period) -> bool {
    let open = matches!(plan.status, PlanStatus::Planned | PlanStatus::InProgress);
    plan.status != PlanStatus::Cancelled
        && plan.start_date <= period.to
        && (plan.due_date >= period.from || open)
}

/// The service's plans that touch `cycle` and were under way in the period, by due date.
async fn plans(
    store: &dyn Store,
    cycle: &CycleVersion,
    period: Period,
) -> Result<Vec<ActionPlan>, AppError> {
    let keys: BTreeSet<&str> = cycle.moments.iter().map(|m| m.key.as_str()).collect();
    let filter = ActionPlanFilter {
        service_id: Some(cycle.service_id),
        ..ActionPlanFilter::default()
    };
    let mut q = ListQuery::all();
    let mut out = Vec::new();
    loop {
        let page = store.list_action_plans(&filter, &q).await?;
        let got = page.items.len() as u32;
        out.extend(page.items.into_iter().filter(|p| {
            under_way(p, period) && p.moment_keys.iter().any(|k| keys.contains(k.as_str()))
        }));
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(out);
        }
    }
}

/// Gather the report. An unknown service is `NotFound`; an unknown site is a problem on
/// field `site`.
pub async fn load_cycle_report(
    store: &dyn Store,
    now: DateTime<Utc>,
    scope: ReportScope,
    organisation: Option<String>,
) -> Result<CycleReport, AppError> {
    let ReportScope {
        service_id,
        period,
        site_id,
        weights,
    } = scope;
    let service = store.get_service(service_id).await?;
    let sites = all_sites(store).await?;
    let site = match site_id {
        None => None,
        Some(id) => Some(
            sites
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .ok_or_else(|| AppError::invalid("site", format!("there is no site {id}")))?,
        ),
    };
    let cycle = match store.current_cycle(service_id).await {
        Ok(c) => Some(c),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };

    let scorecard = load_scorecard(store, service_id, period, site_id).await?;
    let analysis = load_analysis(
        store,
        service_id,
        period,
        site_id,
        PriorityConfig {
            weights,
            ..PriorityConfig::default()
        },
        Parts::All,
    )
    .await?;
    let complaints = load_complaint_analysis(store, service_id, period, site_id)
        .await?
        .analysis;

    let judged_on = period.to.min(now.date_naive());
    let mut action_plans = Vec::new();
    if let Some(cycle) = &cycle {
        for (i, plan) in plans(store, cycle, period).await?.into_iter().enumerate() {
            let before_after = if i < MAX_PLAN_VERDICTS {
                Some(load_before_after(store, &plan, judged_on).await?)
            } else {
                None
            };
            action_plans.push(PlanOutcome {
                plan,
                judged_on,
                before_after,
            });
        }
    }

    let mut assignees = Vec::new();
    for r in &complaints.promises_by_assignee {
        if let Some(Ok(id)) = r.key.as_deref().map(str::parse::<i64>) {
            match store.get_user(id).await {
                Ok(u) => assignees.push(Person { id, name: u.name }),
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    let (priorities, ipa, consistency, gaps) = match analysis {
        Some(a) => (
            Some(a.priorities),
            Some(a.ipa),
            Some(a.consistency),
            Some(a.gaps),
        ),
        None => (None, None, None, None),
    };
    Ok(CycleReport {
        organisation: organisation
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty()),
        generated_at: now,
        previous_period: period.previous(),
        service,
        cycle,
        period,
        site,
        scorecard,
        priorities,
        ipa,
        consistency,
        gaps,
        complaints,
        action_plans,
        dimensions: store.list_dimensions().await?,
        sites,
        assignees,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn plan(status: PlanStatus, start: &str, due: &str) -> ActionPlan {
        ActionPlan {
            id: 1,
            service_id: 1,
            title: "Second counter".into(),
            moment_keys: vec!["wait".into()],
            owner: "Ana".into(),
            start_date: start.parse().unwrap(),
            due_date: due.parse().unwrap(),
            status,
            expected_effect: String::new(),
            requirement_ids: Vec::new(),
            created_by: "test".into(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_plan_belongs_to_the_periods_it_was_under_way_in() {
        let q2 = Period {
            from: "2026-04-01".parse().unwrap(),
            to: "2026-06-30".parse().unwrap(),
        };
        let done = PlanStatus::Done;
        assert!(under_way(&plan(done, "2026-03-01", "2026-04-15"), q2));
        assert!(under_way(&plan(done, "2026-06-30", "2026-09-01"), q2));
        assert!(!under_way(&plan(done, "2026-01-01", "2026-03-31"), q2));
        assert!(!under_way(&plan(done, "2026-07-01", "2026-08-01"), q2));
        // Still open though overdue: it is still being worked on, so it is reported.
        let open = PlanStatus::InProgress;
        assert!(under_way(&plan(open, "2026-01-01", "2026-02-01"), q2));
        let cancelled = PlanStatus::Cancelled;
        assert!(!under_way(&plan(cancelled, "2026-04-01", "2026-05-01"), q2));
    }
}
