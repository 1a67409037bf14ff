//! The report's scorecard table: one row per moment, each figure in its own cell with its
//! interval and n, and the significant trends named — a blind spot says so instead.
use super::texts::ReportTexts;
use crate::pages::scorecard::{self, ScorecardTexts};
use touchpoint_core::analytics::{Direction, Figure, MomentScore};

/// One figure: the value on the first line, its interval and n below.
pub struct Cell {
    pub value: String,
    pub details: Vec<String>,
}

pub struct ScoreRow {
    pub position: i32,
    pub name: String,
    pub critical: bool,
    pub status: &'static str,
    pub class: &'static str,
    pub blind_spot: bool,
    pub answers: String,
    /// CSAT, mean rating (with effort below when asked), NPS, compliance, mystery shopper.
    pub cells: Vec<Cell>,
    pub complaints: Cell,
    pub trends: Vec<String>,
    /// The journey page's sentences for the moment, for the text report.
    pub lines: Vec<String>,
}

fn percent_unit(st: &ScorecardTexts) -> &'static str {
    if st.decimal == ',' { " %" } else { "%" }
}

fn cell(
    st: &ScorecardTexts,
    rt: &ReportTexts,
    f: Option<&Figure>,
    decimals: usize,
    unit: &str,
) -> Cell {
    let Some(f) = f else {
        return Cell {
            value: "–".into(),
            details: Vec::new(),
        };
    };
    let e = f.current;
    let n = |x: f64| format!("{}{unit}", st.num(x, decimals));
    Cell {
        value: n(e.value),
        details: vec![
            rt.interval
                .replace("{low}", &n(e.low))
                .replace("{high}", &n(e.high)),
            rt.n.replace("{n}", &e.n.to_string()),
        ],
    }
}

/// NPS is read as "value ± margin" while the interval is symmetric (it is, unless clipped
/// at ±100).
fn nps_cell(st: &ScorecardTexts, rt: &ReportTexts, f: Option<&Figure>) -> Cell {
    let mut c = cell(st, rt, f, 1, "");
    if let Some(e) = f.map(|f| f.current) {
        let (below, above) = (e.value - e.low, e.high - e.value);
        if (below - above).abs() < 1e-9 {
            c.value = format!("{} ± {}", st.num(e.value, 1), st.num(above, 1));
        }
    }
    c
}

fn p_text(st: &ScorecardTexts, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", st.num(0.001, 3))
    } else {
        format!("p = {}", st.num(p, 3))
    }
}

fn trends(st: &ScorecardTexts, rt: &ReportTexts, m: &MomentScore) -> Vec<String> {
    let figures = [
        (st.csat, &m.csat),
        (rt.mean, &m.rating_mean),
        (st.nps, &m.nps),
        (rt.effort, &m.effort_mean),
        (st.compliance, &m.compliance),
        (rt.audit, &m.audit_score),
    ];
    let tested: Vec<_> = figures
        .iter()
        .filter_map(|(label, f)| Some((*label, f.as_ref()?.trend?)))
        .collect();
    let moved: Vec<String> = tested
        .iter()
        .filter_map(|(label, t)| {
            let words = match t.direction {
                Direction::Up => rt.rose,
                Direction::Down => rt.fell,
                Direction::NoChange => return None,
            };
            Some(
                words
                    .replace("{figure}", label)
                    .replace("{p}", &p_text(st, t.p_value)),
            )
        })
        .collect();
    match (moved.is_empty(), tested.is_empty()) {
        (false, _) => moved,
        (true, false) => vec![rt.no_change.to_string()],
        (true, true) => Vec::new(),
    }
}

pub fn score_row(st: &ScorecardTexts, rt: &ReportTexts, m: &MomentScore) -> ScoreRow {
    let unit = percent_unit(st);
    let mut mean = cell(st, rt, m.rating_mean.as_ref(), 2, "");
    if let Some(effort) = &m.effort_mean {
        let e = cell(st, rt, Some(effort), 2, "");
        mean.details.push(format!(
            "{}: {} ({})",
            rt.effort,
            e.value,
            e.details.join(", ")
        ));
    }
    // The rate needs answers; the count is shown either way (complaints are not silence).
    let complaints = Cell {
        value: m.complaints_per_1000.map_or("–".into(), |r| st.num(r, 1)),
        details: m
            .complaints
            .map(|n| vec![format!("{}: {n}", st.complaints)])
            .unwrap_or_default(),
    };
    let figures = scorecard::moment_figures(st, m);
    ScoreRow {
        position: m.position,
        name: m.name.clone(),
        critical: m.critical,
        status: figures.status,
        class: figures.class,
        blind_spot: m.blind_spot,
        answers: m.answers.to_string(),
        cells: vec![
            cell(st, rt, m.csat.as_ref(), 1, unit),
            mean,
            nps_cell(st, rt, m.nps.as_ref()),
            cell(st, rt, m.compliance.as_ref(), 1, unit),
            cell(st, rt, m.audit_score.as_ref(), 1, ""),
        ],
        complaints,
        trends: trends(st, rt, m),
        lines: figures.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{i18n::Lang, pages::report::report_texts, pages::scorecard::scorecard_texts};
    use touchpoint_core::{
        analytics::{Status, Trend, TrendTest},
        feedback::Estimate,
    };

    fn figure(value: f64, low: f64, high: f64, trend: Option<(Direction, f64)>) -> Figure {
        let current = Estimate {
            value,
            low,
            high,
            n: 120,
        };
        Figure {
            current,
            trend: trend.map(|(direction, p_value)| Trend {
                test: TrendTest::TwoProportionZ,
                previous: current,
                difference: 0.0,
                statistic: Some(1.0),
                degrees_of_freedom: None,
                p_value,
                significant: p_value < 0.05,
                direction,
            }),
        }
    }

    fn moment() -> MomentScore {
        MomentScore {
            moment_id: 1,
            key: "wait".into(),
            position: 3,
            name: "Wait".into(),
            critical: true,
            answers: 120,
            rating_mean: Some(figure(3.5, 3.3, 3.7, Some((Direction::NoChange, 0.4)))),
            effort_mean: None,
            csat: Some(figure(50.0, 41.2, 58.8, Some((Direction::Down, 0.0004)))),
            nps: Some(figure(-8.95, -13.34, -4.56, None)),
            compliance: None,
            audit_score: None,
            compliments: 0,
            compliments_per_1000: Some(0.0),
            complaints: Some(5),
            complaints_per_1000: Some(41.666),
            blind_spot: false,
            status: Status::Poor,
            status_basis: None,
        }
    }

    #[test]
    fn cells_carry_interval_and_n_and_only_significant_trends_are_named() {
        let (st, rt) = (scorecard_texts(Lang::En), report_texts(Lang::En));
        let r = score_row(st, rt, &moment());
        assert_eq!(r.cells[0].value, "50.0%");
        assert_eq!(r.cells[0].details, ["41.2% to 58.8%", "n = 120"]);
        assert_eq!(
            r.cells[2].value, "-8.9 ± 4.4",
            "a symmetric NPS interval reads ±"
        );
        assert_eq!(r.cells[3].value, "–", "no compliance measured");
        assert_eq!(r.complaints.value, "41.7");
        assert_eq!(r.complaints.details, ["Complaints: 5"]);
        assert_eq!(r.trends, ["CSAT fell (p < 0.001)"]);
        assert_eq!(r.status, "Below target");

        let mut calm = moment();
        calm.csat = Some(figure(50.0, 41.2, 58.8, Some((Direction::NoChange, 0.3))));
        assert_eq!(score_row(st, rt, &calm).trends, ["no significant change"]);
        calm.csat = None;
        calm.rating_mean = None;
        assert!(score_row(st, rt, &calm).trends.is_empty());

        let es = score_row(scorecard_texts(Lang::Es), report_texts(Lang::Es), &moment());
        assert_eq!(es.cells[0].details, ["de 41,2 % a 58,8 %", "n = 120"]);
        assert_eq!(es.trends, ["CSAT bajó (p < 0,001)"]);
    }
}
