//! The decision pages of a service: priorities (ranked moments, each factor's contribution as
//! a bar and in words) and importance–performance with consistency and SERVQUAL gaps. Both
//! take the journey page's `from`/`to` period and read through the same loader as the API.
pub mod filters;
pub mod ipa_svg;
pub mod texts;
pub(crate) mod views;

pub use texts::{AnalysisTexts, analysis_texts};

use super::{
    chrome::Chrome,
    forms::Params,
    render::{PageError, PageResult, parse_id, render},
    scorecard::{requested_period, scorecard_texts},
};
use crate::{
    auth::PageUser,
    feedback::analysis::{Analysis, Parts, load_analysis},
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use filters::{PeriodView, requested_site, requested_weights, weight_fields};
use touchpoint_core::{
    analytics::{Period, PriorityConfig, PriorityWeights},
    listing::ListQuery,
    service::Service,
};
use views::{
    ConsistencyRow, GapsView, IpaRow, PriorityRow, SiteNames, consistency_rows, gaps_view,
    ipa_rows, priority_rows,
};

struct Loaded {
    c: Chrome,
    t: &'static AnalysisTexts,
    service: Service,
    period: PeriodView,
    analysis: Option<Analysis>,
    sites: SiteNames,
}

/// Everything both pages load; `ranks` adds the weight fields of the priorities page.
async fn load(
    state: &AppState,
    pu: &PageUser,
    raw: &str,
    uri: &str,
    ranks: bool,
) -> Result<Loaded, PageError> {
    let p = Params::query(uri.split_once('?').map(|(_, q)| q));
    let c = Chrome::for_user(pu, "services", uri);
    let id = parse_id(&c, raw)?;
    let store = state.store.as_ref();
    let service = store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let t = analysis_texts(c.lang);
    let today = state.clock.now().date_naive();
    let (period, error): (Period, _) =
        requested_period(scorecard_texts(c.lang), p.opt("from"), p.opt("to"), today);
    let all_sites: Vec<(i64, String)> = store
        .list_sites(&ListQuery::all())
        .await
        .map_err(|e| PageError::store(&c, e))?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let site = requested_site(&p, &all_sites);
    let (weights, weights_error) = requested_weights(t, &p);
    let config = PriorityConfig {
        weights,
        ..PriorityConfig::default()
    };
    let analysis = load_analysis(store, id, period, site, config, Parts::All)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, service = id, "analysis page");
            PageError::new(&c, super::render::ErrorKind::Internal)
        })?;
    let period = PeriodView {
        from: period.from.to_string(),
        to: period.to.to_string(),
        error,
        text: t
            .period
            .replace("{from}", &period.from.to_string())
            .replace("{to}", &period.to.to_string()),
        sites: all_sites
            .iter()
            .map(|(id, name)| (*id, name.clone(), Some(*id) == site))
            .collect(),
        weights: if ranks {
            weight_fields(t, &weights)
        } else {
            Vec::new()
        },
        weights_error: weights_error.filter(|_| ranks),
        custom_weights: ranks && weights != PriorityWeights::default(),
    };
    Ok(Loaded {
        c,
        t,
        service,
        period,
        analysis,
        sites: all_sites.into_iter().collect(),
    })
}

#[derive(Template)]
#[template(path = "analysis/priorities.html")]
struct PrioritiesPage {
    c: Chrome,
    t: &'static AnalysisTexts,
    service: Service,
    period: PeriodView,
    weights: String,
    rows: Vec<PriorityRow>,
}

pub async fn priorities(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let l = load(&state, &pu, &raw, &uri.to_string(), true).await?;
    let t = l.t;
    let (weights, rows) = match &l.analysis {
        Some(a) => {
            let cfg = a.priorities.config;
            let w = |x: f64| t.num(x, 2);
            (
                t.weights
                    .replace("{criticality}", &w(cfg.weights.criticality))
                    .replace("{gap}", &w(cfg.weights.gap))
                    .replace("{importance}", &w(cfg.weights.importance))
                    .replace("{inconsistency}", &w(cfg.weights.inconsistency))
                    .replace("{complaints}", &w(cfg.weights.complaints))
                    .replace("{target}", &t.num(cfg.target, 0)),
                priority_rows(t, &a.priorities, &l.sites),
            )
        }
        None => (String::new(), Vec::new()),
    };
    Ok(render(&PrioritiesPage {
        c: l.c,
        t,
        service: l.service,
        period: l.period,
        weights,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "analysis/ipa.html")]
struct IpaPage {
    c: Chrome,
    t: &'static AnalysisTexts,
    service: Service,
    period: PeriodView,
    has_cycle: bool,
    svg: String,
    not_plotted: Option<String>,
    rows: Vec<IpaRow>,
    consistency: Vec<ConsistencyRow>,
    gaps: Option<GapsView>,
}

pub async fn ipa(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let l = load(&state, &pu, &raw, &uri.to_string(), false).await?;
    let t = l.t;
    let page = match &l.analysis {
        Some(a) => {
            let title = t.ipa_chart_title.replace("{name}", &l.service.name);
            let missing: Vec<String> = a
                .ipa
                .points
                .iter()
                .filter(|p| p.quadrant.is_none())
                .map(|p| format!("{}. {}", p.position, p.name))
                .collect();
            IpaPage {
                svg: ipa_svg::render(t, &title, &a.ipa),
                not_plotted: (!missing.is_empty())
                    .then(|| t.ipa_not_plotted.replace("{names}", &missing.join(", "))),
                rows: ipa_rows(t, &a.ipa),
                consistency: consistency_rows(t, &a.consistency, &l.sites),
                gaps: gaps_view(t, &a.gaps, &l.sites),
                has_cycle: true,
                c: l.c,
                t,
                service: l.service,
                period: l.period,
            }
        }
        None => IpaPage {
            c: l.c,
            t,
            service: l.service,
            period: l.period,
            has_cycle: false,
            svg: String::new(),
            not_plotted: None,
            rows: Vec::new(),
            consistency: Vec::new(),
            gaps: None,
        },
    };
    Ok(render(&page))
}
