//! The portfolio page: the period's totals, concentration risk, the Pareto chart and the
//! ranking (paged), statuses now and month by month, losses, and tier movements.
use super::{
    charts::{self, MonthBar},
    texts::{PortfolioTexts, portfolio_texts},
};
use crate::{
    auth::PageUser,
    error::AppError,
    pages::{
        chrome::{Chrome, url_encode},
        forms::Params,
        render::{PageError, PageResult, render},
    },
    portfolio::{self, Period, ranking::full_ranking},
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, State};
use touchpoint_core::portfolio::{
    RankedCustomer, Tier, identify, money::format_percent, ranking::ConcentrationWarning,
    risk::RiskReason,
};

const PAGE: usize = 50;

pub struct RankRow {
    pub id: i64,
    pub rank: u64,
    pub reference: String,
    pub name: String,
    pub sales: String,
    pub cumulative: String,
    pub share: String,
    pub cumulative_pct: String,
    pub tier: &'static str,
    pub tier_class: &'static str,
}

pub struct Count {
    pub label: String,
    pub value: String,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "portfolio/overview.html")]
struct OverviewPage {
    c: Chrome,
    p: &'static PortfolioTexts,
    from: String,
    to: String,
    currency: String,
    currencies: Vec<String>,
    problem: Option<String>,
    total: String,
    customers: u64,
    buying: u64,
    top_customer: String,
    top_five_label: String,
    top_five: String,
    warnings: Vec<String>,
    tiers_explained: String,
    tier_counts: Vec<Count>,
    pareto_svg: String,
    rows: Vec<RankRow>,
    page_summary: String,
    prev: Option<String>,
    next: Option<String>,
    csv_href: String,
    statuses_now: Vec<Count>,
    statuses_svg: String,
    lost_by_reason: Vec<Count>,
    lost_by_moment: Vec<Count>,
    moves: Vec<(String, String, u64)>,
    at_risk: Vec<RiskRow>,
}

pub struct RiskRow {
    pub id: i64,
    pub rank: u64,
    pub reference: String,
    pub name: String,
    pub sales: String,
    pub balance: i64,
    pub why: String,
}

fn why(p: &PortfolioTexts, reasons: &[RiskReason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            RiskReason::BrokenPromises { count } => {
                p.reason_broken.replace("{n}", &count.to_string())
            }
            RiskReason::OpenComplaints { count } => {
                p.reason_open.replace("{n}", &count.to_string())
            }
            RiskReason::NegativeBalance { balance } => {
                p.reason_negative.replace("{n}", &balance.to_string())
            }
            RiskReason::FallingBalance { change } => {
                p.reason_falling.replace("{n}", &change.abs().to_string())
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn tier_class(t: Tier) -> &'static str {
    match t {
        Tier::Important => "tier-important",
        Tier::Medium => "tier-medium",
        Tier::Small => "tier-small",
    }
}

fn row(p: &PortfolioTexts, r: &RankedCustomer) -> RankRow {
    RankRow {
        id: r.customer_id,
        rank: r.rank,
        reference: r.reference.clone(),
        name: if r.name.is_empty() {
            p.erased_customer.to_string()
        } else {
            r.name.clone()
        },
        sales: r.sales.to_string(),
        cumulative: r.cumulative.to_string(),
        share: r.share_percent(),
        cumulative_pct: r.cumulative_percent(),
        tier: p.tier(r.tier),
        tier_class: tier_class(r.tier),
    }
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "portfolio", &uri.to_string());
    let t = portfolio_texts(c.lang);
    let q = Params::query(uri.query());
    let today = state.clock.now().date_naive();
    let date = |name: &str| q.get(name).parse().ok();
    let asked_currency = q.opt("currency");
    let mut problem = None;
    let period = match Period::resolve(date("from"), date("to"), today) {
        Ok(p) => p,
        Err(e) => {
            problem = Some(t.period_problem.replace("{message}", &message(&e)));
            Period::resolve(None, None, today).map_err(|e| PageError::store(&c, internal(e)))?
        }
    };
    let settings = state.config.ranking;
    let store = state.store.as_ref();
    let cache = state.rankings.as_ref();
    let (ranking, currency, currencies) =
        match full_ranking(store, cache, period, asked_currency.as_deref(), &settings).await {
            Ok(r) => r,
            Err(e) => {
                problem = Some(t.period_problem.replace("{message}", &message(&e)));
                let first = store
                    .sales_currencies(period.from, period.to)
                    .await
                    .map_err(|e| PageError::store(&c, e))?;
                full_ranking(
                    store,
                    cache,
                    period,
                    first.first().map(String::as_str),
                    &settings,
                )
                .await
                .map_err(|e| PageError::store(&c, internal(e)))?
            }
        };
    let summary = portfolio::summary(
        store,
        cache,
        period,
        Some(currency.as_str()).filter(|c| !c.is_empty()),
        &settings,
    )
    .await
    .map_err(|e| PageError::store(&c, internal(e)))?;
    let page_no: usize = q.number("page").unwrap_or(1usize).max(1);
    let start = (page_no - 1) * PAGE;
    // Names are read for the rows shown and the chart's named bars only.
    let shown = ranking.rows.iter().skip(start).take(PAGE).copied();
    let named = ranking.rows.iter().take(charts::MAX_BARS).copied();
    let identified = identify(store, &shown.chain(named).collect::<Vec<_>>())
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let (page_rows, top) =
        identified.split_at(identified.len() - ranking.rows.len().min(charts::MAX_BARS));
    let rows: Vec<RankRow> = page_rows.iter().map(|r| row(t, r)).collect();
    let link = |n: usize| {
        format!(
            "/portfolio?from={}&to={}&currency={}&page={n}#ranking",
            period.from,
            period.to,
            url_encode(&currency)
        )
    };
    let conc = &ranking.concentration;
    let warnings = conc
        .warnings
        .iter()
        .map(|w| match w {
            ConcentrationWarning::TopCustomer => t
                .warn_top_customer
                .replace("{limit}", &format_percent(settings.warn_top_customer)),
            ConcentrationWarning::TopFivePercent => t
                .warn_top_five
                .replace("{limit}", &format_percent(settings.warn_top_five_percent)),
        })
        .collect();
    let es = c.code == "es";
    let reasons = store
        .lost_reasons()
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let reason_label = |k: &Option<String>| {
        k.as_deref()
            .map(|k| {
                reasons
                    .iter()
                    .find(|r| r.key == k)
                    .map(|r| {
                        if es {
                            r.label_es.clone()
                        } else {
                            r.label_en.clone()
                        }
                    })
                    .unwrap_or_else(|| k.to_string())
            })
            .unwrap_or_else(|| t.unknown_moment.to_string())
    };
    let moments = moment_names(&state).await;
    let mut by_reason: Vec<(String, i64)> = Vec::new();
    let mut by_moment: Vec<(String, i64)> = Vec::new();
    for l in &summary.lost {
        add(&mut by_reason, reason_label(&l.lost_reason), l.customers);
        let moment = match &l.lost_moment_key {
            Some(k) => moments.get(k).cloned().unwrap_or_else(|| k.clone()),
            None => t.unknown_moment.into(),
        };
        add(&mut by_moment, moment, l.customers);
    }
    let counts = |v: Vec<(String, i64)>| {
        v.into_iter()
            .map(|(label, n)| Count {
                label,
                value: n.to_string(),
                class: "",
            })
            .collect()
    };
    let months: Vec<MonthBar> = summary
        .monthly
        .iter()
        .map(|m| MonthBar {
            label: m.at.format("%Y-%m").to_string(),
            shares: m
                .statuses
                .iter()
                .map(|s| (s.status, s.share_hundredths))
                .collect(),
        })
        .collect();
    let at_risk = portfolio::at_risk(
        store,
        cache,
        period,
        Some(currency.as_str()).filter(|c| !c.is_empty()),
        &settings,
    )
    .await
    .map_err(|e| PageError::store(&c, internal(e)))?
    .into_iter()
    .map(|a| RiskRow {
        id: a.customer_id,
        rank: a.rank,
        name: if a.name.is_empty() {
            t.erased_customer.to_string()
        } else {
            a.name.clone()
        },
        reference: a.reference,
        sales: a.sales.to_string(),
        balance: a.balance,
        why: why(t, &a.reasons),
    })
    .collect();
    let total_rows = ranking.rows.len();
    let last = (start + rows.len()).min(total_rows);
    Ok(render(&OverviewPage {
        from: period.from.to_string(),
        to: period.to.to_string(),
        csv_href: format!(
            "/portfolio/ranking.csv?from={}&to={}&currency={}",
            period.from,
            period.to,
            url_encode(&currency)
        ),
        currencies,
        problem,
        total: ranking.total.to_string(),
        customers: total_rows as u64,
        buying: conc.buying_customers,
        top_customer: format_percent(conc.top_customer_hundredths),
        top_five_label: t
            .top_five_share
            .replace("{count}", &conc.top_five_percent_count.to_string()),
        top_five: format_percent(conc.top_five_percent_hundredths),
        warnings,
        tiers_explained: t
            .tiers_explained
            .replace("{important}", &format_percent(settings.important_until))
            .replace("{medium}", &format_percent(settings.medium_until)),
        tier_counts: ranking
            .tier_counts
            .iter()
            .map(|(tier, n)| Count {
                label: t.tier(*tier).into(),
                value: n.to_string(),
                class: tier_class(*tier),
            })
            .collect(),
        pareto_svg: charts::pareto(
            top,
            &ranking.rows,
            settings.important_until,
            t.pareto_chart,
            t.others,
        ),
        page_summary: c
            .t
            .showing
            .replace(
                "{first}",
                &if rows.is_empty() { 0 } else { start + 1 }.to_string(),
            )
            .replace("{last}", &last.to_string())
            .replace("{total}", &total_rows.to_string()),
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (last < total_rows).then(|| link(page_no + 1)),
        rows,
        statuses_now: summary
            .now
            .statuses
            .iter()
            .map(|s| Count {
                label: t.status(s.status).into(),
                value: format!("{} ({}%)", s.customers, format_percent(s.share_hundredths)),
                class: charts::status_class(s.status),
            })
            .collect(),
        statuses_svg: charts::statuses(&months, t.statuses_over_time, |s| t.status(s)),
        lost_by_reason: counts(by_reason),
        lost_by_moment: counts(by_moment),
        moves: summary
            .tier_moves
            .iter()
            .filter(|m| m.from != m.to)
            .map(|m| {
                (
                    t.tier(m.from).to_string(),
                    t.tier(m.to).to_string(),
                    m.customers,
                )
            })
            .collect(),
        at_risk,
        currency,
        p: t,
        c,
    }))
}

/// Moment names by key across the current cycles ("Wait for the turn" for `wait-turn`); a
/// key used by two services shows the first one's name.
async fn moment_names(state: &AppState) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    let Ok(services) = state
        .store
        .list_services(&touchpoint_core::listing::ListQuery::all())
        .await
    else {
        return out;
    };
    for s in services.items {
        if let Ok(cycle) = state.store.current_cycle(s.id).await {
            for m in cycle.moments {
                out.entry(m.key).or_insert(m.name);
            }
        }
    }
    out
}

fn add(v: &mut Vec<(String, i64)>, label: String, n: i64) {
    match v.iter_mut().find(|(l, _)| *l == label) {
        Some((_, total)) => *total += n,
        None => v.push((label, n)),
    }
}

/// What a bad period or currency says, for the notice above the page.
fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid(v) => {
            v.0.iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        }
        other => other.to_string(),
    }
}

fn internal(e: AppError) -> touchpoint_core::StoreError {
    touchpoint_core::StoreError::Backend(e.to_string())
}

/// `/portfolio/ranking.csv` for signed-in staff (the API's CSV needs a token).
pub async fn ranking_csv(
    State(state): State<AppState>,
    _pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> Result<axum::response::Response, AppError> {
    let q = Params::query(uri.query());
    let date = |name: &str| q.get(name).parse().ok();
    let period = Period::resolve(date("from"), date("to"), state.clock.now().date_naive())?;
    crate::portfolio::ranking::csv_download(
        state.store.as_ref(),
        &state.rankings,
        period,
        q.opt("currency").as_deref(),
        &state.config.ranking,
    )
    .await
}
