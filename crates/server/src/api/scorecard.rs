//! The cycle scorecard of a service: per moment of its current cycle, the figures of a period
//! with their 95% intervals and their trend against the previous period of equal length.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, Read},
    json::ApiJson,
};
use crate::{
    error::{AppError, Problem},
    feedback::{
        known_site, known_staff,
        scorecard::{Scope, load_scorecard_for, period_or_problem},
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use serde::Deserialize;
use touchpoint_core::{
    ValidationErrors,
    analytics::{Figure, Scorecard},
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScorecardFormat {
    #[default]
    Json,
    Csv,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScorecardParams {
    /// First day, inclusive (`YYYY-MM-DD`, UTC); default: 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: today.
    pub to: Option<NaiveDate>,
    /// Only evidence from this site (id).
    pub site: Option<i64>,
    /// Only evidence about this staff member (id): the answers of responses that name them,
    /// the visits that observed them and the compliments about them. Measurements and
    /// complaints name no staff member, so compliance and complaints are left out.
    pub staff: Option<i64>,
    /// `json` (default) or `csv` (one row per moment, for spreadsheets).
    pub format: Option<ScorecardFormat>,
}

/// The cycle scorecard of a service.
///
/// For every moment of the current cycle version (answers given under earlier versions count
/// for the moment with the same key): answers, mean rating and effort with t intervals, CSAT
/// and standards compliance with Wilson intervals, NPS with its trinomial interval, the
/// mystery-shopper score, compliments and complaints per 1,000 answers, and a status against the targets. A moment with no evidence is
/// a `blind_spot`, never good. Each figure's `trend` compares it with the previous period of
/// equal length and names its test (`two_proportion_z`, `welch_t`, `nps_difference_z`); a
/// difference is a change only when p < 0.05. `?format=csv` answers the same as CSV.
#[utoipa::path(
    get, path = "/services/{id}/scorecard", tag = "services",
    params(("id" = i64, Path, description = "Service id"), ScorecardParams),
    responses(
        (status = 200, description = "The scorecard (JSON, or CSV with `format=csv`)",
            content((Scorecard = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` before `from`, an unknown `site` or `staff`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_scorecard(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<ScorecardParams>,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let service = store.get_service(p.id).await?;
    // Every problem of the query at once, each named by its parameter.
    let mut errors = ValidationErrors::new();
    let period = period_or_problem(
        &mut errors,
        params.from,
        params.to,
        state.clock.now().date_naive(),
    );
    if let Some(staff) = params.staff {
        known_staff(store, &mut errors, "staff", staff).await?;
    }
    if let Some(site) = params.site {
        known_site(store, &mut errors, "site", site).await?;
    }
    errors.into_result(())?;
    let period = period.ok_or_else(|| AppError::Internal("scorecard period".into()))?;
    let scope = Scope {
        site_id: params.site,
        staff_id: params.staff,
    };
    let card = load_scorecard_for(store, service.id, period, scope)
        .await?
        .ok_or_else(|| AppError::NotFound("cycle".into()))?;
    Ok(match params.format.unwrap_or_default() {
        ScorecardFormat::Json => ApiJson(card).into_response(),
        ScorecardFormat::Csv => {
            let disposition = format!(
                "attachment; filename=\"{}.scorecard.{}.{}.csv\"",
                service.key, period.from, period.to
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                to_csv(&card)?,
            )
                .into_response()
        }
    })
}

const FIGURES: [&str; 6] = [
    "rating_mean",
    "effort_mean",
    "csat",
    "nps",
    "compliance",
    "audit_score",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// A figure's eight cells: value, interval, n, previous value, change, p-value, test.
fn figure_cells(f: Option<&Figure>) -> [String; 8] {
    let c = f.map(|f| f.current);
    let t = f.and_then(|f| f.trend);
    [
        opt(c.map(|e| e.value)),
        opt(c.map(|e| e.low)),
        opt(c.map(|e| e.high)),
        opt(c.map(|e| e.n)),
        opt(t.map(|t| t.previous.value)),
        opt(t.map(|t| t.direction.as_str())),
        opt(t.map(|t| t.p_value)),
        opt(t.map(|t| t.test.as_str())),
    ]
}

/// One row per moment; numbers at full precision so the file can be re-checked exactly.
pub fn to_csv(card: &Scorecard) -> Result<Vec<u8>, AppError> {
    let mut header: Vec<String> = [
        "position",
        "key",
        "name",
        "critical",
        "status",
        "blind_spot",
        "answers",
    ]
    .map(String::from)
    .to_vec();
    for f in FIGURES {
        for suffix in [
            "",
            "_low",
            "_high",
            "_n",
            "_previous",
            "_change",
            "_p_value",
            "_test",
        ] {
            header.push(format!("{f}{suffix}"));
        }
    }
    header.extend(
        [
            "compliments",
            "compliments_per_1000",
            "complaints",
            "complaints_per_1000",
        ]
        .map(String::from),
    );
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("scorecard csv: {e}"));
    w.write_record(&header).map_err(fail)?;
    for m in &card.moments {
        let mut row = vec![
            m.position.to_string(),
            m.key.clone(),
            m.name.clone(),
            m.critical.to_string(),
            m.status.as_str().to_string(),
            m.blind_spot.to_string(),
            m.answers.to_string(),
        ];
        for f in [
            &m.rating_mean,
            &m.effort_mean,
            &m.csat,
            &m.nps,
            &m.compliance,
            &m.audit_score,
        ] {
            row.extend(figure_cells(f.as_ref()));
        }
        row.extend([
            m.compliments.to_string(),
            opt(m.compliments_per_1000),
            opt(m.complaints),
            opt(m.complaints_per_1000),
        ]);
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("scorecard csv: {e}")))
}
