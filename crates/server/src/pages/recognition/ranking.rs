//! `/recognition`: the month's ranking per site with every figure, its n and its points, and
//! the formula with the settings in force; `/recognition.csv` for spreadsheets.
use super::{
    texts::{RecognitionTexts, recognition_texts},
    view::{self, Cell, dec, percent},
};
use crate::{
    auth::PageUser,
    error::AppError,
    pages::{
        chrome::Chrome,
        render::{PageError, PageResult, render},
    },
    recognition::csv_out::to_csv,
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, State},
    http::header,
    response::IntoResponse,
};
use touchpoint_core::{recognition::ComponentKind, user::Permission};

pub struct Row {
    pub rank: Option<u32>,
    pub name: String,
    pub role: String,
    pub score: String,
    pub cells: Vec<Cell>,
    pub why: String,
    pub basis: Option<&'static str>,
    pub winner: bool,
}

pub struct SiteBlock {
    pub name: String,
    pub rows: Vec<Row>,
}

pub struct RuleRow {
    pub label: &'static str,
    pub unit: &'static str,
    pub weight: String,
    pub min_sample: u32,
}

#[derive(Template)]
#[template(path = "recognition/ranking.html")]
struct RankingPage {
    c: Chrome,
    r: &'static RecognitionTexts,
    month: String,
    month_name: String,
    /// (id, name, selected)
    sites: Vec<(i64, String, bool)>,
    problem: Option<String>,
    headers: Vec<&'static str>,
    blocks: Vec<SiteBlock>,
    how: String,
    rules: Vec<RuleRow>,
    csv_href: String,
    certificate_href: String,
    /// Admins and managers get the link to the settings form.
    can_configure: bool,
}

fn site_query(site: Option<i64>) -> String {
    site.map(|s| format!("&site={s}")).unwrap_or_default()
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "recognition", &uri.to_string());
    let t = recognition_texts(c.lang);
    let saved = uri.query().is_some_and(|q| q.contains("flash=settings"));
    let c = c.with_flash(saved.then(|| t.settings_saved.to_string()));
    let mut q = view::query(uri.query(), state.clock.now(), t);
    let (rec, sites) = view::load(&state, &c, &mut q).await?;
    let lang = c.lang;
    let blocks = rec
        .sites
        .iter()
        .map(|s| {
            let winners: Vec<i64> = s.winners().iter().map(|w| w.staff_id).collect();
            SiteBlock {
                name: view::site_name(t, s),
                rows: s
                    .staff
                    .iter()
                    .map(|p| Row {
                        rank: p.rank,
                        name: p.name.clone(),
                        role: p.role.clone(),
                        score: p.score.map(|x| dec(lang, x, 1)).unwrap_or_default(),
                        cells: p
                            .components
                            .iter()
                            .map(|k| view::cell(lang, t, k))
                            .collect(),
                        why: if p.rank.is_some() {
                            view::why(lang, t, p)
                        } else {
                            t.not_enough
                                .replace("{coverage}", &percent(lang, p.coverage))
                        },
                        basis: t.basis(p.audit_basis),
                        winner: winners.contains(&p.staff_id),
                    })
                    .collect(),
            }
        })
        .collect();
    let settings = &rec.settings;
    let total = settings.total_weight();
    let rules = ComponentKind::ALL
        .iter()
        .map(|&k| {
            let rule = settings.rule(k);
            RuleRow {
                label: t.component(k),
                unit: t.unit(k),
                weight: percent(
                    lang,
                    if total > 0.0 {
                        rule.weight / total
                    } else {
                        0.0
                    },
                ),
                min_sample: rule.min_sample,
            }
        })
        .collect();
    let how = t
        .how_text
        .replace("{full}", &settings.compliments_for_full_marks.to_string())
        .replace("{coverage}", &percent(lang, settings.min_coverage));
    let sq = site_query(q.site);
    Ok(render(&RankingPage {
        r: t,
        month: q.month.to_string(),
        month_name: t.month_name(q.month),
        sites: sites
            .into_iter()
            .map(|s| (s.id, s.name, q.site == Some(s.id)))
            .collect(),
        problem: q.problem,
        headers: ComponentKind::ALL.iter().map(|&k| t.component(k)).collect(),
        blocks,
        how,
        rules,
        csv_href: format!("/recognition.csv?month={}{sq}", q.month),
        certificate_href: format!("/recognition/certificate?month={}{sq}", q.month),
        can_configure: pu.user.role.allows(Permission::ManageCatalog),
        c,
    }))
}

/// The page's CSV (the API's needs a token).
pub async fn csv_download(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "recognition", &uri.to_string());
    let t = recognition_texts(c.lang);
    let mut q = view::query(uri.query(), state.clock.now(), t);
    let (rec, _) = view::load(&state, &c, &mut q).await?;
    let body = to_csv(&rec).map_err(|e: AppError| {
        PageError::store(&c, touchpoint_core::StoreError::Backend(e.to_string()))
    })?;
    let disposition = format!("attachment; filename=\"recognition.{}.csv\"", q.month);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
