//! A plan's before/after in the reader's words: a table per moment and one plain sentence per
//! figure saying what changed and whether chance could explain it.
use super::texts::ImprovementTexts;
use touchpoint_core::{
    feedback::Estimate,
    improvement::{BeforeAfter, FigureKind, FigureVerdict, Verdict},
};

pub struct FigureRow {
    pub figure: &'static str,
    pub before: String,
    pub after: String,
    pub difference: String,
    pub test: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub reading: String,
}

pub struct MomentView {
    pub name: String,
    pub critical: bool,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub rows: Vec<FigureRow>,
}

pub struct BeforeAfterView {
    pub windows: String,
    pub method: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub verdict_sentence: &'static str,
    pub moments: Vec<MomentView>,
}

pub fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Improved => "verdict-improved",
        Verdict::NoDetectableChange => "verdict-same",
        Verdict::Worse => "verdict-worse",
        Verdict::NotEnoughData => "verdict-unknown",
    }
}

/// A figure with its unit: percentages for CSAT and compliance, points for NPS, the 1–5 scale
/// for the mean rating.
fn value(t: &ImprovementTexts, kind: FigureKind, x: f64) -> String {
    match kind {
        FigureKind::RatingMean => t.num(x, 2),
        FigureKind::Nps => t.num(x, 1),
        FigureKind::Csat | FigureKind::Compliance => t.percent(x, 1),
    }
}

fn with_n(t: &ImprovementTexts, kind: FigureKind, e: Option<Estimate>) -> String {
    e.map_or(t.none.to_string(), |e| {
        format!("{} (n = {})", value(t, kind, e.value), e.n)
    })
}

/// "p < 0.001" or "p = 0.010": tiny p-values are not worth their digits.
fn p_value(t: &ImprovementTexts, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", t.num(0.001, 3))
    } else {
        format!("p = {}", t.num(p, 3))
    }
}

/// A difference with its unit: points on the 1–5 scale, percentage points otherwise.
fn difference(t: &ImprovementTexts, kind: FigureKind, d: f64) -> String {
    let sign = if d > 0.0 { "+" } else { "" };
    match kind {
        FigureKind::RatingMean => format!("{sign}{}", t.num(d, 2)),
        _ => format!("{sign}{}{}", t.num(d, 1), t.points),
    }
}

fn reading(t: &ImprovementTexts, f: &FigureVerdict, min: u64) -> String {
    let name = t.figure(f.figure);
    let (Some(b), Some(a)) = (f.before, f.after) else {
        return if f.before.is_none() && f.after.is_none() {
            format!("{name}: {}", t.no_data)
        } else {
            t.reading_none.replace("{figure}", name)
        };
    };
    let template = match (f.verdict, f.test, f.p_value) {
        (Verdict::NotEnoughData, _, _) | (_, None, _) | (_, _, None) => {
            return t
                .reading_few
                .replace("{figure}", name)
                .replace("{nb}", &b.n.to_string())
                .replace("{na}", &a.n.to_string())
                .replace("{min}", &min.to_string());
        }
        (Verdict::Improved, _, _) => t.reading_improved,
        (Verdict::Worse, _, _) => t.reading_worse,
        (Verdict::NoDetectableChange, _, _) => t.reading_same,
    };
    template
        .replace("{figure}", name)
        .replace("{before}", &value(t, f.figure, b.value))
        .replace("{after}", &value(t, f.figure, a.value))
        .replace("{test}", f.test.map_or("", |x| t.test(x)))
        .replace("{p}", &f.p_value.map_or(String::new(), |p| p_value(t, p)))
}

pub fn view(t: &ImprovementTexts, b: &BeforeAfter) -> Option<BeforeAfterView> {
    let w = b.windows?;
    let moments = b
        .moments
        .iter()
        .map(|m| MomentView {
            name: m.name.clone(),
            critical: m.critical,
            verdict: t.verdict(m.verdict),
            verdict_class: verdict_class(m.verdict),
            rows: m
                .figures
                .iter()
                .map(|f| FigureRow {
                    figure: t.figure(f.figure),
                    before: with_n(t, f.figure, f.before),
                    after: with_n(t, f.figure, f.after),
                    difference: f
                        .difference
                        .map_or(t.none.to_string(), |d| difference(t, f.figure, d)),
                    test: match (f.test, f.p_value) {
                        (Some(test), Some(p)) => format!("{}, {}", t.test(test), p_value(t, p)),
                        _ => t.none.to_string(),
                    },
                    verdict: t.verdict(f.verdict),
                    verdict_class: verdict_class(f.verdict),
                    reading: reading(t, f, b.min_sample),
                })
                .collect(),
        })
        .collect();
    Some(BeforeAfterView {
        windows: t
            .windows
            .replace("{bfrom}", &w.before.from.to_string())
            .replace("{bto}", &w.before.to.to_string())
            .replace("{afrom}", &w.after.from.to_string())
            .replace("{ato}", &w.after.to.to_string())
            .replace("{n}", &w.after.days().to_string()),
        method: t.method.replace("{min}", &b.min_sample.to_string()),
        verdict: t.verdict(b.verdict),
        verdict_class: verdict_class(b.verdict),
        verdict_sentence: t.verdict_sentence(b.verdict),
        moments,
    })
}
