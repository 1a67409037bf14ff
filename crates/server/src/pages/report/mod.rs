//! The printable cycle report `/services/{id}/report?from=&to=&site=`: one self-contained
//! document (its stylesheet inline, allowed by hash in its Content-Security-Policy; charts as
//! inline SVG) with the heading, scorecard, journey map, priorities, importance–performance,
//! consistency, SERVQUAL gaps, complaint analysis and action plans of one period. The
//! `touchpoint report cycle --format html` output is the same document without the
//! screen-only toolbar, and `--format text` lays out the same [`view::ReportView`].
mod plans;
pub mod score_rows;
pub mod text;
pub mod texts;
pub mod view;

pub use texts::{ReportTexts, report_texts};

use super::{
    analysis::{
        analysis_texts,
        filters::{requested_weights, weight_fields},
    },
    chrome::{Chrome, url_encode},
    forms::Params,
    render::{PageError, PageResult, parse_id},
};
use crate::{
    AppError,
    auth::PageUser,
    feedback::scorecard::period,
    i18n::Lang,
    report::{CycleReport, ReportScope, load_cycle_report},
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse},
};
use base64::Engine;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use touchpoint_core::{analytics::PriorityWeights, listing::ListQuery};
use view::ReportView;

const REPORT_CSS: &str = include_str!("../../../static/report.css");

/// The page's CSP: the pages' policy, plus the hash of the one inline stylesheet (so the
/// document stays self-contained when saved or printed, and no other inline style runs).
pub fn content_security_policy() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(REPORT_CSS));
        format!(
            "default-src 'self'; style-src 'self' 'sha256-{hash}'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    })
}

/// The screen-only bar above the report: back links, languages and the period form.
pub struct Toolbar {
    pub service_id: i64,
    /// The current path and query, URL-encoded, for the language switch.
    pub here: String,
    pub from: String,
    pub to: String,
    /// (id, name, selected) of every site.
    pub sites: Vec<(i64, String, bool)>,
    pub error: Option<&'static str>,
    pub priorities_label: &'static str,
    pub from_label: &'static str,
    pub to_label: &'static str,
    pub show_label: &'static str,
    /// Priority weights asked for other than the defaults, kept as hidden fields so a new
    /// period or site keeps them.
    pub weights: Vec<(&'static str, String)>,
    pub weights_error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "report/cycle.html")]
struct ReportDocument<'a> {
    code: &'static str,
    title: String,
    css: &'static str,
    toolbar: Option<Toolbar>,
    /// `None` when the period asked for was refused: only the form and its message show.
    v: Option<&'a ReportView>,
    rt: &'static ReportTexts,
}

/// The report as a complete HTML document; `toolbar` only on the web page.
pub fn html(
    report: &CycleReport,
    lang: Lang,
    toolbar: Option<Toolbar>,
) -> Result<String, askama::Error> {
    let v = view::build(report, lang);
    ReportDocument {
        code: lang.code(),
        title: v.title.clone(),
        css: REPORT_CSS,
        toolbar,
        v: Some(&v),
        rt: report_texts(lang),
    }
    .render()
}

/// The dates asked for, or `None` when either is malformed, reversed or too far apart.
fn asked_period(
    from: Option<String>,
    to: Option<String>,
    today: NaiveDate,
) -> Option<touchpoint_core::analytics::Period> {
    let parse = |v: Option<String>| {
        v.filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<NaiveDate>())
            .transpose()
    };
    period(parse(from).ok()?, parse(to).ok()?, today).ok()
}

fn document(status: StatusCode, html: Result<String, askama::Error>) -> axum::response::Response {
    match html {
        Ok(body) => {
            let mut r = (status, Html(body)).into_response();
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(content_security_policy()),
            );
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "report template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn report(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let here = uri.to_string();
    let c = Chrome::for_user(&pu, "services", &here);
    let id = parse_id(&c, &raw)?;
    let store = state.store.as_ref();
    let service = store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let p = Params::query(uri.query());
    let sites: Vec<(i64, String)> = store
        .list_sites(&ListQuery::all())
        .await
        .map_err(|e| PageError::store(&c, e))?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    // Like the analysis pages: an unknown site shows every site, and the heading says so.
    let site = p
        .number::<i64>("site")
        .filter(|id| sites.iter().any(|(s, _)| s == id));
    let now = state.clock.now();
    let asked = asked_period(p.opt("from"), p.opt("to"), now.date_naive());
    let (rt, at) = (report_texts(c.lang), analysis_texts(c.lang));
    let (weights, weights_error) = requested_weights(at, &p);
    let chosen = if weights == PriorityWeights::default() {
        Vec::new()
    } else {
        weight_fields(at, &weights)
            .into_iter()
            .map(|f| (f.name, f.value))
            .collect()
    };
    let toolbar = Toolbar {
        service_id: id,
        here: url_encode(&here),
        // A refused period keeps what was typed, so it can be corrected.
        from: match asked {
            Some(p) => p.from.to_string(),
            None => p.get("from").to_string(),
        },
        to: match asked {
            Some(p) => p.to.to_string(),
            None => p.get("to").to_string(),
        },
        sites: sites
            .into_iter()
            .map(|(i, n)| (i, n, Some(i) == site))
            .collect(),
        error: asked.is_none().then_some(rt.period_invalid),
        priorities_label: at.priorities,
        from_label: at.from,
        to_label: at.to,
        show_label: at.show,
        weights: chosen,
        weights_error,
    };
    let Some(period) = asked else {
        // A report for dates nobody asked for would be printed as if it were the one asked
        // for: say what is wrong instead, with the form to fix it.
        let title = rt.title_of.replace("{name}", &service.name);
        let page = ReportDocument {
            code: c.lang.code(),
            title,
            css: REPORT_CSS,
            toolbar: Some(toolbar),
            v: None,
            rt,
        };
        return Ok(document(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
    };
    let scope = ReportScope {
        service_id: id,
        period,
        site_id: site,
        weights,
    };
    let report = load_cycle_report(store, now, scope, state.config.organisation.clone())
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => PageError::new(&c, super::render::ErrorKind::NotFound),
            e => {
                tracing::error!(error = %e, service = id, "cycle report page");
                PageError::new(&c, super::render::ErrorKind::Internal)
            }
        })?;
    Ok(document(
        StatusCode::OK,
        html(&report, c.lang, Some(toolbar)),
    ))
}

/// The label of the link to the report on the journey and priorities pages.
pub fn link_label(lang: &Lang) -> &'static str {
    report_texts(*lang).printable
}
