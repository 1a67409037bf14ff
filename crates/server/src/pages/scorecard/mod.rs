//! The scorecard as the journey page shows it: a colour per moment for the map and the
//! figures in words next to each moment, so nothing rests on colour alone.
mod texts;

pub use texts::{ScorecardTexts, scorecard_texts};

use crate::feedback::scorecard::period;
use chrono::NaiveDate;
use touchpoint_core::analytics::{Direction, Figure, MomentScore, Period, Scorecard, Status};

/// The period asked for by the page's `from`/`to` fields, or the last 90 days with the
/// reason when they are missing a date, malformed, reversed or too long.
pub fn requested_period(
    t: &ScorecardTexts,
    from: Option<String>,
    to: Option<String>,
    today: NaiveDate,
) -> (Period, Option<&'static str>) {
    let parse = |v: Option<String>| v.map(|s| s.parse::<NaiveDate>()).transpose();
    let asked = match (parse(from), parse(to)) {
        (Ok(f), Ok(t)) => period(f, t, today).ok(),
        _ => None,
    };
    match asked {
        Some(p) => (p, None),
        None => (
            period(None, None, today).unwrap_or(Period {
                from: today,
                to: today,
            }),
            Some(t.period_invalid),
        ),
    }
}

/// The CSS class of a status (legend swatches and moment cards).
pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::Good => "status-good",
        Status::Watch => "status-watch",
        Status::Poor => "status-poor",
        Status::Unrated => "status-unrated",
        Status::BlindSpot => "status-blind",
    }
}

/// One legend line: swatch class, label, explanation.
pub struct LegendItem {
    pub class: &'static str,
    pub label: &'static str,
    pub explained: &'static str,
}

pub struct ScorecardView {
    /// The period's first and last day, for the period form.
    pub from: String,
    pub to: String,
    /// Set when the requested period was refused (and the default shown instead).
    pub period_error: Option<&'static str>,
    pub period: String,
    pub targets: String,
    pub legend: Vec<LegendItem>,
    /// (id, name, selected) of every site and staff member, for the filters; empty where
    /// the page offers no such filter.
    pub sites: Vec<(i64, String, bool)>,
    pub staff: Vec<(i64, String, bool)>,
    /// What a staff filter counts and leaves out, when one is applied.
    pub staff_scope: Option<String>,
}

/// What the moment list shows for one moment.
pub struct MomentFigures {
    pub class: &'static str,
    pub status: &'static str,
    pub blind_spot: bool,
    pub lines: Vec<String>,
}

pub fn view(
    t: &ScorecardTexts,
    card: &Scorecard,
    period_error: Option<&'static str>,
) -> ScorecardView {
    let legend = [
        (Status::Good, t.good_explained),
        (Status::Watch, t.watch_explained),
        (Status::Poor, t.poor_explained),
        (Status::Unrated, t.unrated_explained),
        (Status::BlindSpot, t.blind_spot_explained),
    ]
    .into_iter()
    .map(|(s, explained)| LegendItem {
        class: status_class(s),
        label: t.status(s),
        explained,
    })
    .collect();
    ScorecardView {
        from: card.period.from.to_string(),
        to: card.period.to.to_string(),
        period_error,
        period: t
            .period
            .replace("{from}", &card.period.from.to_string())
            .replace("{to}", &card.period.to.to_string())
            .replace("{prev_from}", &card.previous_period.from.to_string())
            .replace("{prev_to}", &card.previous_period.to.to_string()),
        targets: t
            .targets
            .replace("{csat}", &t.num(card.targets.csat, 0))
            .replace("{compliance}", &t.num(card.targets.compliance, 0)),
        legend,
        sites: Vec::new(),
        staff: Vec::new(),
        staff_scope: None,
    }
}

/// "CSAT: 82.0% (95% interval 74.1% to 88.0%, n = 120); no significant change (…)".
fn figure_line(t: &ScorecardTexts, label: &str, f: &Figure, decimals: usize, unit: &str) -> String {
    let e = f.current;
    let n = |x: f64| format!("{}{unit}", t.num(x, decimals));
    let mut line = format!(
        "{label}: {}",
        t.estimate
            .replace("{value}", &n(e.value))
            .replace("{low}", &n(e.low))
            .replace("{high}", &n(e.high))
            .replace("{n}", &e.n.to_string())
    );
    if let Some(tr) = f.trend {
        // Three decimals say enough; smaller p-values are all "certain" for a reader.
        let p = if tr.p_value < 0.001 {
            format!("p < {}", t.num(0.001, 3))
        } else {
            format!("p = {}", t.num(tr.p_value, 3))
        };
        let words = match tr.direction {
            Direction::Up => t.up,
            Direction::Down => t.down,
            Direction::NoChange => t.no_change,
        };
        line.push_str("; ");
        line.push_str(&words.replace("{test}", t.test(tr.test)).replace("{p}", &p));
    }
    line
}

pub fn moment_figures(t: &ScorecardTexts, m: &MomentScore) -> MomentFigures {
    let mut lines = Vec::new();
    if m.blind_spot {
        lines.push(t.blind_spot_text.to_string());
    } else {
        lines.push(format!("{}: {}", t.answers, m.answers));
        let percent = if t.decimal == ',' { " %" } else { "%" };
        let figures = [
            (t.csat, &m.csat, 1, percent),
            (t.rating_mean, &m.rating_mean, 2, ""),
            (t.nps, &m.nps, 1, ""),
            (t.effort_mean, &m.effort_mean, 2, ""),
            (t.compliance, &m.compliance, 1, percent),
            (t.audit_score, &m.audit_score, 1, ""),
        ];
        for (label, f, decimals, unit) in figures {
            if let Some(f) = f {
                lines.push(figure_line(t, label, f, decimals, unit));
            }
        }
        if let Some(x) = m.compliments_per_1000 {
            lines.push(format!("{}: {}", t.compliments_per_1000, t.num(x, 1)));
        }
        // A moment with complaints but no answers still shows its count: it is not silent.
        match (m.complaints, m.complaints_per_1000) {
            (Some(n), Some(x)) => lines.push(format!(
                "{}: {n} ({}: {})",
                t.complaints,
                t.complaints_per_1000,
                t.num(x, 1)
            )),
            (Some(n), None) => lines.push(format!("{}: {n}", t.complaints)),
            _ => {}
        }
    }
    MomentFigures {
        class: status_class(m.status),
        status: t.status(m.status),
        blind_spot: m.blind_spot,
        lines,
    }
}
