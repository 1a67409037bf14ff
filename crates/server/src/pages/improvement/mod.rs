//! The improvement pages: a service's complaint analysis (Pareto of causes, counts, promises
//! kept, estimates with their assumptions) and the action plans with each plan's before/after
//! and requirements. They read through the same loaders as the API; CSV downloads sit beside
//! them so a signed-in reader needs no API token.
mod assumptions;
pub(crate) mod complaints_view;
pub mod moment_work;
pub mod pareto_svg;
mod plan_form;
pub(crate) mod plan_view;
mod requirement_form;
pub mod texts;

pub use texts::{ImprovementTexts, improvement_texts};

use super::{
    chrome::Chrome,
    forms::{PAGE_SIZE, Pager, Params},
    render::{ErrorKind, PageError, PageResult, parse_id, render},
    scorecard::{requested_period, scorecard_texts},
};
use crate::{
    auth::PageUser,
    i18n::Lang,
    improvement::{csv, current_cycle, load_before_after, load_complaint_analysis},
    state::AppState,
};
use askama::Template;
use axum::{
    Router,
    extract::{OriginalUri, Path, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use complaints_view::{ComplaintsView, Names};
use plan_view::BeforeAfterView;
use std::collections::HashMap;
use touchpoint_core::{
    StoreError,
    improvement::{ActionPlan, ActionPlanFilter, PlanStatus, Requirement, RequirementFilter},
    listing::{ListQuery, Page},
    service::Service,
    store::Store,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services/{id}/complaint-analysis", get(complaint_analysis))
        .route(
            "/services/{id}/complaint-analysis.csv",
            get(complaint_analysis_csv),
        )
        .route(
            "/services/{id}/complaint-assumptions",
            axum::routing::post(assumptions::save),
        )
        .route("/requirements/new", get(requirement_form::new))
        .route(
            "/requirements",
            axum::routing::post(requirement_form::create),
        )
        .route(
            "/requirements/{id}",
            axum::routing::post(requirement_form::update),
        )
        .route("/requirements/{id}/edit", get(requirement_form::edit))
        .route("/action-plans", get(plans).post(plan_form::create))
        .route("/action-plans/new", get(plan_form::new))
        .route("/action-plans/{id}", get(plan).post(plan_form::update))
        .route("/action-plans/{id}/edit", get(plan_form::edit))
        .route("/action-plans/{id}/before-after.csv", get(before_after_csv))
}

fn internal(c: &Chrome, e: impl std::fmt::Display) -> PageError {
    tracing::error!(error = %e, "improvement page");
    PageError::new(c, ErrorKind::Internal)
}

fn store_error(c: &Chrome) -> impl Fn(StoreError) -> PageError + '_ {
    move |e| PageError::store(c, e)
}

/// The site filter: a known site id, or all sites.
fn requested_site(p: &Params, sites: &[(i64, String)]) -> Option<i64> {
    p.number::<i64>("site")
        .filter(|id| sites.iter().any(|(s, _)| s == id))
}

async fn site_names(store: &dyn Store, c: &Chrome) -> Result<Vec<(i64, String)>, PageError> {
    Ok(store
        .list_sites(&ListQuery::all())
        .await
        .map_err(store_error(c))?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

/// Moment key → name in the service's current cycle.
async fn moment_names(
    store: &dyn Store,
    c: &Chrome,
    service_id: i64,
) -> Result<HashMap<String, String>, PageError> {
    Ok(current_cycle(store, service_id)
        .await
        .map_err(|e| internal(c, e))?
        .map(|cy| cy.moments.into_iter().map(|m| (m.key, m.name)).collect())
        .unwrap_or_default())
}

#[derive(Template)]
#[template(path = "improvement/complaints.html")]
struct ComplaintsPage {
    c: Chrome,
    t: &'static ImprovementTexts,
    service: Service,
    from: String,
    to: String,
    period_error: Option<&'static str>,
    sites: Vec<(i64, String, bool)>,
    csv_href: String,
    empty: bool,
    svg: String,
    v: ComplaintsView,
    /// (name, label, value, invalid) of the assumptions form; shown to those who may change it.
    assumption_fields: Vec<(&'static str, &'static str, String, bool)>,
    assumptions_notice: Option<String>,
    assumptions_error: Option<String>,
}

pub async fn complaint_analysis(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let store = state.store.as_ref();
    let p = Params::query(uri.query());
    let today = state.clock.now().date_naive();
    let (period, period_error) =
        requested_period(scorecard_texts(c.lang), p.opt("from"), p.opt("to"), today);
    let sites = site_names(store, &c).await?;
    let site = requested_site(&p, &sites);
    let report = load_complaint_analysis(store, id, period, site)
        .await
        .map_err(|e| match e {
            crate::AppError::NotFound(_) => PageError::new(&c, ErrorKind::NotFound),
            e => internal(&c, e),
        })?;
    let t = improvement_texts(c.lang);
    let dimensions = store.list_dimensions().await.map_err(store_error(&c))?;
    let mut staff = HashMap::new();
    for r in &report.analysis.promises_by_assignee {
        if let Some(Ok(uid)) = r.key.as_deref().map(str::parse::<i64>)
            && let Ok(u) = store.get_user(uid).await
        {
            staff.insert(uid.to_string(), u.name);
        }
    }
    let names = Names {
        moments: moment_names(store, &c, id).await?,
        dimensions: dimensions
            .into_iter()
            .map(|d| {
                let name = if c.lang == Lang::Es {
                    d.name_es
                } else {
                    d.name_en
                };
                (d.key, name)
            })
            .collect(),
        sites: sites
            .iter()
            .map(|(i, n)| (i.to_string(), n.clone()))
            .collect(),
        staff,
    };
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let title = t.pareto_title.replace("{name}", &report.service.name);
    let percent = |x: f64| t.percent(x, 0);
    let svg = pareto_svg::render(
        &report.analysis.pareto,
        &pareto_svg::ParetoLabels {
            title: &title,
            complaints_axis: t.complaints_axis,
            cumulative_axis: t.cumulative_axis,
            others: t.other_causes,
            percent: &percent,
        },
    );
    let mut csv_href = format!("/services/{id}/complaint-analysis.csv?from={from}&to={to}");
    if let Some(s) = site {
        csv_href.push_str(&format!("&site={s}"));
    }
    let a = report.analysis.estimates.assumptions;
    let invalid = assumptions::invalid_fields(&p);
    let labels = [
        t.assumption_silent,
        t.assumption_told_bad,
        t.assumption_told_good,
    ];
    let values = [
        a.silent_per_complaint,
        a.told_by_dissatisfied,
        a.told_by_satisfied,
    ];
    let assumption_fields = assumptions::FIELDS
        .iter()
        .zip(labels)
        .zip(values)
        .map(|((name, label), value)| (*name, label, value.to_string(), invalid.contains(name)))
        .collect();
    let assumptions_error = (!invalid.is_empty()).then(|| {
        let named: Vec<&str> = assumptions::FIELDS
            .iter()
            .zip(labels)
            .filter(|(f, _)| invalid.contains(f))
            .map(|(_, l)| l)
            .collect();
        t.assumptions_invalid.replace("{fields}", &named.join("; "))
    });
    let assumptions_notice =
        (p.get("assumptions") == "saved").then(|| t.assumptions_saved.to_string());
    Ok(render(&ComplaintsPage {
        assumption_fields,
        assumptions_notice,
        assumptions_error,
        v: complaints_view::view(t, &report.analysis, &names, (&from, &to)),
        empty: report.analysis.complaints == 0,
        c,
        t,
        service: report.service,
        from,
        to,
        period_error,
        sites: sites
            .into_iter()
            .map(|(i, n)| (i, n, Some(i) == site))
            .collect(),
        csv_href,
        svg,
    }))
}

fn csv_download(name: String, body: Vec<u8>) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn complaint_analysis_csv(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let store = state.store.as_ref();
    let p = Params::query(uri.query());
    let today = state.clock.now().date_naive();
    let (period, _) = requested_period(scorecard_texts(c.lang), p.opt("from"), p.opt("to"), today);
    let sites = site_names(store, &c).await?;
    let site = requested_site(&p, &sites);
    let report = load_complaint_analysis(store, id, period, site)
        .await
        .map_err(|e| match e {
            crate::AppError::NotFound(_) => PageError::new(&c, ErrorKind::NotFound),
            e => internal(&c, e),
        })?;
    let body = csv::analysis(&report.analysis).map_err(|e| internal(&c, e))?;
    Ok(csv_download(
        format!(
            "{}.complaints.{}.{}.csv",
            report.service.key, period.from, period.to
        ),
        body,
    ))
}

/// One row of the plans list.
struct PlanRow {
    id: i64,
    title: String,
    service: String,
    moments: String,
    owner: String,
    start: String,
    due: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "improvement/plans.html")]
struct PlansPage {
    c: Chrome,
    t: &'static ImprovementTexts,
    statuses: Vec<(&'static str, &'static str, bool)>,
    rows: Vec<PlanRow>,
    pager: Pager,
}

/// Service id → (name, moment key → name), loaded once per service on the page.
async fn services_of(
    store: &dyn Store,
    c: &Chrome,
    plans: &[ActionPlan],
) -> Result<HashMap<i64, (String, HashMap<String, String>)>, PageError> {
    let mut out = HashMap::new();
    for p in plans {
        if let std::collections::hash_map::Entry::Vacant(e) = out.entry(p.service_id) {
            let s = store
                .get_service(p.service_id)
                .await
                .map_err(store_error(c))?;
            e.insert((s.name, moment_names(store, c, p.service_id).await?));
        }
    }
    Ok(out)
}

fn moment_list(keys: &[String], names: &HashMap<String, String>) -> String {
    keys.iter()
        .map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pager(c: &Chrome, status: Option<PlanStatus>, page: u32, p: &Page<ActionPlan>) -> Pager {
    let href = |n: u32| {
        let mut h = format!("/action-plans?page={n}");
        if let Some(s) = status {
            h.push_str(&format!("&status={}", s.as_str()));
        }
        h
    };
    let first = if p.items.is_empty() {
        0
    } else {
        i64::from(p.offset) + 1
    };
    Pager {
        summary: c
            .t
            .showing
            .replace("{first}", &first.to_string())
            .replace(
                "{last}",
                &(i64::from(p.offset) + p.items.len() as i64).to_string(),
            )
            .replace("{total}", &p.total.to_string()),
        prev: p.has_previous().then(|| href(page - 1)),
        next: p.has_next().then(|| href(page + 1)),
    }
}

pub async fn plans(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    let t = improvement_texts(c.lang);
    let p = Params::query(uri.query());
    let status = p.get("status").parse::<PlanStatus>().ok();
    let page_no = p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000);
    let store = state.store.as_ref();
    let page = store
        .list_action_plans(
            &ActionPlanFilter {
                status,
                ..ActionPlanFilter::default()
            },
            &ListQuery {
                limit: PAGE_SIZE,
                offset: (page_no - 1) * PAGE_SIZE,
                ..ListQuery::default()
            },
        )
        .await
        .map_err(store_error(&c))?;
    let services = services_of(store, &c, &page.items).await?;
    let rows = page
        .items
        .iter()
        .map(|pl| {
            let (service, moments) = match services.get(&pl.service_id) {
                Some((name, moments)) => (name.clone(), moment_list(&pl.moment_keys, moments)),
                None => (String::new(), pl.moment_keys.join(", ")),
            };
            PlanRow {
                id: pl.id,
                title: pl.title.clone(),
                service,
                moments,
                owner: pl.owner.clone(),
                start: pl.start_date.to_string(),
                due: pl.due_date.to_string(),
                status: t.plan_status(pl.status),
            }
        })
        .collect();
    let pager = pager(&c, status, page_no, &page);
    Ok(render(&PlansPage {
        statuses: PlanStatus::ALL
            .iter()
            .map(|s| (s.as_str(), t.plan_status(*s), Some(*s) == status))
            .collect(),
        rows,
        pager,
        c,
        t,
    }))
}

struct RequirementRow {
    text: String,
    moment: String,
    site: String,
    status: &'static str,
    source: &'static str,
    recorded: String,
}

#[derive(Template)]
#[template(path = "improvement/plan.html")]
struct PlanPage {
    c: Chrome,
    t: &'static ImprovementTexts,
    plan: ActionPlan,
    service: Service,
    moments: String,
    status: &'static str,
    not_started: Option<String>,
    ba: Option<BeforeAfterView>,
    /// Those the plan answers, then the others recorded for its moments.
    requirements: Vec<(&'static str, Vec<RequirementRow>)>,
}

fn requirement_row(
    t: &ImprovementTexts,
    r: &Requirement,
    moments: &HashMap<String, String>,
    sites: &HashMap<i64, String>,
) -> RequirementRow {
    RequirementRow {
        text: r.text.clone(),
        moment: moments
            .get(&r.moment_key)
            .cloned()
            .unwrap_or_else(|| r.moment_key.clone()),
        site: r
            .site_id
            .and_then(|s| sites.get(&s).cloned())
            .unwrap_or_else(|| t.all_sites.to_string()),
        status: t.requirement_status(r.status),
        source: t.requirement_source(r.source),
        recorded: t
            .recorded
            .replace("{who}", &r.recorded_by)
            .replace("{date}", &r.created_at.date_naive().to_string()),
    }
}

pub async fn plan(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let t = improvement_texts(c.lang);
    let store = state.store.as_ref();
    let plan = store.get_action_plan(id).await.map_err(store_error(&c))?;
    let service = store
        .get_service(plan.service_id)
        .await
        .map_err(store_error(&c))?;
    let names = moment_names(store, &c, plan.service_id).await?;
    let today = state.clock.now().date_naive();
    let before_after = load_before_after(store, &plan, today)
        .await
        .map_err(|e| internal(&c, e))?;
    let sites: HashMap<i64, String> = site_names(store, &c).await?.into_iter().collect();

    let mut answered = Vec::new();
    for rid in &plan.requirement_ids {
        let r = store.get_requirement(*rid).await.map_err(store_error(&c))?;
        answered.push(requirement_row(t, &r, &names, &sites));
    }
    let mut others = Vec::new();
    for key in &plan.moment_keys {
        let f = RequirementFilter {
            service_id: Some(plan.service_id),
            moment_key: Some(key.clone()),
            ..RequirementFilter::default()
        };
        let page = store
            .list_requirements(
                &f,
                &ListQuery {
                    limit: 50,
                    ..ListQuery::default()
                },
            )
            .await
            .map_err(store_error(&c))?;
        others.extend(
            page.items
                .iter()
                .filter(|r| !plan.requirement_ids.contains(&r.id))
                .map(|r| requirement_row(t, r, &names, &sites)),
        );
    }
    Ok(render(&PlanPage {
        moments: moment_list(&plan.moment_keys, &names),
        status: t.plan_status(plan.status),
        not_started: before_after.windows.is_none().then(|| {
            t.not_started
                .replace("{date}", &plan.start_date.to_string())
        }),
        ba: plan_view::view(t, &before_after),
        requirements: vec![
            (t.requirements_answered, answered),
            (t.requirements_other, others),
        ],
        c,
        t,
        plan,
        service,
    }))
}

pub async fn before_after_csv(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let store = state.store.as_ref();
    let plan = store.get_action_plan(id).await.map_err(store_error(&c))?;
    let today = state.clock.now().date_naive();
    let before_after = load_before_after(store, &plan, today)
        .await
        .map_err(|e| internal(&c, e))?;
    let body = csv::before_after(&before_after).map_err(|e| internal(&c, e))?;
    Ok(csv_download(
        format!("action-plan-{}.before-after.csv", plan.id),
        body,
    ))
}

/// The main navigation's label for the plans list.
pub fn nav_label(lang: &Lang) -> &'static str {
    improvement_texts(*lang).plans
}

/// The journey page's link to the complaint analysis.
pub fn complaint_analysis_label(lang: &Lang) -> &'static str {
    improvement_texts(*lang).complaint_analysis
}
