//! A service's journey map (current or an older version), its version history, and the
//! cycle exported as YAML. The current version's map is coloured by the scorecard of the
//! last 90 days, with each moment's figures written out beside it.
use super::{
    analysis::{AnalysisTexts, analysis_texts},
    chrome::Chrome,
    forms::{Params, flash},
    journey_svg::{self, Node},
    render::{ErrorKind, PageError, PageResult, parse_id, render},
    scorecard::{self, MomentFigures, ScorecardTexts, ScorecardView, scorecard_texts},
};
use crate::{
    auth::PageUser,
    feedback::scorecard::{Scope, load_scorecard_for, period},
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, Path, State},
    http::header,
    response::IntoResponse,
};
use chrono::{DateTime, Utc};
use touchpoint_core::{
    StoreError,
    cycle::CycleVersion,
    cycle_file::{CycleDocument, Format},
    listing::ListQuery,
    service::Service,
};

pub fn fmt_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub struct MomentView {
    pub position: i32,
    pub name: String,
    pub description: String,
    pub channel: &'static str,
    pub role: String,
    pub critical: bool,
    pub standards: Vec<String>,
    /// The scorecard's figures, on the current version only.
    pub figures: Option<MomentFigures>,
    /// Requirements and action plans for the moment, on the current version only.
    pub work: Option<crate::pages::improvement::moment_work::MomentWork>,
}

pub struct VersionInfo {
    pub number: i32,
    pub published_at: String,
    pub by: String,
    pub note: String,
    pub counts: String,
}

#[derive(Template)]
#[template(path = "journey.html")]
struct JourneyPage {
    c: Chrome,
    service: Service,
    version: Option<VersionInfo>,
    /// Set when an older version is shown.
    old_banner: Option<String>,
    svg_wide: String,
    svg_mid: String,
    svg_narrow: String,
    moments: Vec<MomentView>,
    scorecard: Option<ScorecardView>,
    st: &'static ScorecardTexts,
    at: &'static AnalysisTexts,
}

fn counts(c: &Chrome, moments: usize, critical: usize) -> String {
    c.t.counts
        .replace("{m}", &moments.to_string())
        .replace("{c}", &critical.to_string())
}

async fn load(
    state: &AppState,
    c: &Chrome,
    id: i64,
    version: Option<i32>,
) -> Result<(Service, Option<CycleVersion>), PageError> {
    let service = state
        .store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(c, e))?;
    let cycle = match version {
        Some(v) => state.store.cycle_version(id, v).await.map(Some),
        None => match state.store.current_cycle(id).await {
            Err(StoreError::NotFound { .. }) => Ok(None),
            other => other.map(Some),
        },
    }
    .map_err(|e| PageError::store(c, e))?;
    Ok((service, cycle))
}

fn version_param(c: &Chrome, p: &Params) -> Result<Option<i32>, PageError> {
    match p.opt("version") {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| PageError::new(c, ErrorKind::NotFound)),
    }
}

type Choices = Vec<(i64, String)>;

/// The sites and staff members the scorecard can be narrowed to (active ones, by name).
async fn filter_choices(state: &AppState, c: &Chrome) -> Result<(Choices, Choices), PageError> {
    let store = state.store.as_ref();
    let sites = store
        .list_sites(&ListQuery::all())
        .await
        .map_err(|e| PageError::store(c, e))?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let staff = store
        .list_staff(&ListQuery::all(), None)
        .await
        .map_err(|e| PageError::store(c, e))?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok((sites, staff))
}

/// The id asked for in `field`, when it is one of `choices`; anything else means "all".
fn chosen(p: &Params, field: &str, choices: &[(i64, String)]) -> Option<i64> {
    p.opt(field)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|id| choices.iter().any(|(c, _)| c == id))
}

fn mark(choices: &[(i64, String)], selected: Option<i64>) -> Vec<(i64, String, bool)> {
    choices
        .iter()
        .map(|(id, name)| (*id, name.clone(), Some(*id) == selected))
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let p = Params::query(uri.query());
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let c = c.clone().with_flash(flash(c.t, &p));
    let id = parse_id(&c, &raw)?;
    let (service, cycle) = load(&state, &c, id, version_param(&c, &p)?).await?;
    let t = c.t;
    let st = scorecard_texts(c.lang);
    let is_current = matches!(
        (&cycle, service.current_version),
        (Some(cv), Some(cur)) if cv.version == cur
    );
    let today = state.clock.now().date_naive();
    let (asked, period_error) = match (p.opt("from"), p.opt("to")) {
        (None, None) => (period(None, None, today).ok(), None),
        (from, to) => {
            let (asked, error) = scorecard::requested_period(st, from, to, today);
            (Some(asked), error)
        }
    };
    let (sites, staff) = if is_current {
        filter_choices(&state, &c).await?
    } else {
        Default::default()
    };
    let scope = Scope {
        site_id: chosen(&p, "site", &sites),
        staff_id: chosen(&p, "staff", &staff),
    };
    // A scorecard that cannot be computed is logged and left out: the map itself still helps.
    let card = match asked {
        Some(asked) if is_current => load_scorecard_for(state.store.as_ref(), id, asked, scope)
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, service = id, "journey scorecard");
                None
            }),
        _ => None,
    };
    // Requirements and plans under each moment; like the scorecard, a failure only hides them.
    let mut work = if is_current {
        crate::pages::improvement::moment_work::by_moment(state.store.as_ref(), id, c.lang)
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, service = id, "journey requirements and plans");
                Default::default()
            })
    } else {
        Default::default()
    };
    let score_of = |position: i32| {
        card.as_ref()
            .and_then(|k| k.moments.iter().find(|s| s.position == position))
    };
    let (nodes, moments): (Vec<Node<'_>>, Vec<MomentView>) = match &cycle {
        None => (Vec::new(), Vec::new()),
        Some(cv) => cv
            .moments
            .iter()
            .map(|m| {
                let score = score_of(m.position);
                (
                    Node {
                        position: m.position,
                        name: &m.name,
                        channel: m.channel,
                        critical: m.critical,
                        status: score.map(|s| (s.status, st.status(s.status))),
                    },
                    MomentView {
                        position: m.position,
                        name: m.name.clone(),
                        description: m.description.clone(),
                        channel: t.channel(m.channel),
                        role: m.role.clone(),
                        critical: m.critical,
                        standards: m.standards.iter().map(ToString::to_string).collect(),
                        figures: score.map(|s| scorecard::moment_figures(st, s)),
                        work: work.remove(&m.key),
                    },
                )
            })
            .unzip(),
    };
    let title = t.map_title.replace("{name}", &service.name);
    let svg = |cols, prefix| {
        if nodes.is_empty() {
            String::new()
        } else {
            journey_svg::render(t, &title, &nodes, cols, prefix)
        }
    };
    let old_banner = match (&cycle, service.current_version) {
        (Some(cv), Some(cur)) if cv.version != cur => Some(
            t.old_version
                .replace("{n}", &cv.version.to_string())
                .replace("{cur}", &cur.to_string()),
        ),
        _ => None,
    };
    let version = cycle.as_ref().map(|cv| VersionInfo {
        number: cv.version,
        published_at: fmt_time(&cv.published_at),
        by: cv.published_by.clone(),
        note: cv.note.clone(),
        counts: counts(&c, cv.moments.len(), cv.critical_count()),
    });
    let page = JourneyPage {
        svg_wide: svg(7, "jw"),
        svg_mid: svg(4, "jm"),
        svg_narrow: svg(2, "jn"),
        service,
        version,
        old_banner,
        moments,
        scorecard: card.as_ref().map(|k| {
            let mut view = scorecard::view(st, k, period_error);
            view.sites = mark(&sites, scope.site_id);
            view.staff = mark(&staff, scope.staff_id);
            view.staff_scope = staff
                .iter()
                .find(|(s, _)| Some(*s) == scope.staff_id)
                .map(|(_, name)| st.staff_scope.replace("{name}", name));
            view
        }),
        st,
        at: analysis_texts(c.lang),
        c,
    };
    Ok(render(&page))
}

pub async fn export_yaml(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let p = Params::query(uri.query());
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let (service, cycle) = load(&state, &c, id, version_param(&c, &p)?).await?;
    let cycle = cycle.ok_or_else(|| PageError::new(&c, ErrorKind::NotFound))?;
    let text = CycleDocument::from_version(&service, &cycle).to_text(Format::Yaml);
    let disposition = format!(
        "attachment; filename=\"{}-v{}.yaml\"",
        service.key, cycle.version
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/yaml; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

pub struct VersionRow {
    pub number: i32,
    pub published_at: String,
    pub by: String,
    pub note: String,
    pub moments: i64,
    pub critical: i64,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    c: Chrome,
    service: Service,
    rows: Vec<VersionRow>,
}

pub async fn versions(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let service = state
        .store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let list = state
        .store
        .list_cycle_versions(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let rows = list
        .into_iter()
        .map(|v| VersionRow {
            current: Some(v.version) == service.current_version,
            number: v.version,
            published_at: fmt_time(&v.published_at),
            by: v.published_by,
            note: v.note,
            moments: v.moment_count,
            critical: v.critical_count,
        })
        .collect();
    Ok(render(&VersionsPage { c, service, rows }))
}
