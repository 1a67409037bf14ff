//! The complaint analysis in the reader's words: names instead of keys and ids, numbers in the
//! language's format, and the estimates as sentences that carry their assumptions.
use super::texts::ImprovementTexts;
use std::collections::HashMap;
use touchpoint_core::{
    feedback::Estimate,
    improvement::{ComplaintAnalysis, PromiseRate},
};

pub struct CountRow {
    pub label: String,
    pub count: u64,
    pub share: String,
}

pub struct ParetoRow {
    pub rank: usize,
    pub cause: String,
    pub count: u64,
    pub share: String,
    pub cumulative: String,
    pub vital: bool,
}

pub struct RateRow {
    pub label: String,
    pub kept: u64,
    pub broken: u64,
    pub rate: String,
    pub interval: String,
}

/// A titled table: (heading, first column's label, rows).
pub type Table<R> = (&'static str, &'static str, Vec<R>);

pub struct ComplaintsView {
    pub total: String,
    pub cause_unknown: Option<String>,
    /// By moment, dimension and site.
    pub counts: Vec<Table<CountRow>>,
    pub pareto: Vec<ParetoRow>,
    pub promises_overall: Option<String>,
    /// By moment, site and staff member.
    pub promises: Vec<Table<RateRow>>,
    pub estimates: Vec<String>,
    pub assumptions: Vec<(&'static str, String)>,
}

/// Names for the keys and ids the analysis reports.
pub struct Names {
    pub moments: HashMap<String, String>,
    pub dimensions: HashMap<String, String>,
    pub sites: HashMap<String, String>,
    pub staff: HashMap<String, String>,
}

fn named(t: &ImprovementTexts, names: &HashMap<String, String>, key: &Option<String>) -> String {
    match key {
        None => t.not_recorded.to_string(),
        Some(k) => names.get(k).cloned().unwrap_or_else(|| k.clone()),
    }
}

fn interval(t: &ImprovementTexts, e: &Estimate) -> String {
    format!("{}–{}", t.num(e.low, 1), t.percent(e.high, 1))
}

fn rate_rows(
    t: &ImprovementTexts,
    rates: &[PromiseRate],
    names: &HashMap<String, String>,
) -> Vec<RateRow> {
    rates
        .iter()
        .map(|r| RateRow {
            label: named(t, names, &r.key),
            kept: r.kept,
            broken: r.broken,
            rate: r
                .kept_percent
                .map_or(t.none.to_string(), |e| t.percent(e.value, 1)),
            interval: r
                .kept_percent
                .map_or(t.none.to_string(), |e| interval(t, &e)),
        })
        .collect()
}

/// Round an estimate to a whole number of people: decimals would claim a precision the
/// assumptions do not have.
fn people(t: &ImprovementTexts, x: f64) -> String {
    let n = x.round() as i64;
    let digits = n.abs().to_string();
    let sep = if t.decimal == ',' { '.' } else { ',' };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn view(
    t: &ImprovementTexts,
    a: &ComplaintAnalysis,
    names: &Names,
    (from, to): (&str, &str),
) -> ComplaintsView {
    let counts = |rows: Vec<(Option<String>, u64, f64)>, names: &HashMap<String, String>| {
        rows.into_iter()
            .map(|(key, count, share)| CountRow {
                label: named(t, names, &key),
                count,
                share: t.percent(share, 1),
            })
            .collect()
    };
    let e = &a.estimates;
    let s = &e.assumptions;
    ComplaintsView {
        total: t
            .total
            .replace("{n}", &a.complaints.to_string())
            .replace("{from}", from)
            .replace("{to}", to),
        cause_unknown: (a.cause_unknown > 0 && !a.pareto.is_empty())
            .then(|| t.cause_unknown.replace("{n}", &a.cause_unknown.to_string())),
        counts: vec![
            (
                t.by_moment,
                t.moment,
                counts(
                    a.by_moment
                        .iter()
                        .map(|c| (c.key.clone(), c.count, c.share))
                        .collect(),
                    &names.moments,
                ),
            ),
            (
                t.by_dimension,
                t.dimension,
                counts(
                    a.by_dimension
                        .iter()
                        .map(|c| (c.key.clone(), c.count, c.share))
                        .collect(),
                    &names.dimensions,
                ),
            ),
            (
                t.by_site,
                t.site,
                counts(
                    a.by_site
                        .iter()
                        .map(|c| (c.site_id.map(|i| i.to_string()), c.count, c.share))
                        .collect(),
                    &names.sites,
                ),
            ),
        ],
        pareto: a
            .pareto
            .iter()
            .enumerate()
            .map(|(i, b)| ParetoRow {
                rank: i + 1,
                cause: b.cause.clone(),
                count: b.count,
                share: t.percent(b.share, 1),
                cumulative: t.percent(b.cumulative_share, 1),
                vital: b.vital_few,
            })
            .collect(),
        promises_overall: a.promises.kept_percent.map(|k| {
            t.promises_overall
                .replace("{rate}", &t.percent(k.value, 1))
                .replace("{n}", &k.n.to_string())
                .replace("{interval}", &interval(t, &k))
        }),
        promises: vec![
            (
                t.by_moment,
                t.moment,
                rate_rows(t, &a.promises_by_moment, &names.moments),
            ),
            (
                t.by_site,
                t.site,
                rate_rows(t, &a.promises_by_site, &names.sites),
            ),
            (
                t.by_staff,
                t.staff,
                rate_rows(t, &a.promises_by_assignee, &names.staff),
            ),
        ],
        estimates: vec![
            t.estimate_silent
                .replace("{n}", &people(t, e.silent_dissatisfied)),
            t.estimate_dissatisfied
                .replace("{n}", &people(t, e.dissatisfied)),
            t.estimate_told_bad
                .replace("{n}", &people(t, e.told_by_dissatisfied)),
            t.estimate_told_good
                .replace("{k}", &e.satisfied_complainants.to_string())
                .replace("{n}", &people(t, e.told_by_satisfied)),
        ],
        assumptions: vec![
            (t.assumption_silent, t.num(s.silent_per_complaint, 1)),
            (t.assumption_told_bad, t.num(s.told_by_dissatisfied, 1)),
            (t.assumption_told_good, t.num(s.told_by_satisfied, 1)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::pages::improvement::texts::improvement_texts;

    #[test]
    fn people_are_whole_and_grouped_in_the_language() {
        assert_eq!(people(improvement_texts(Lang::En), 2277.4), "2,277");
        assert_eq!(
            people(improvement_texts(Lang::Es), 1_234_567.0),
            "1.234.567"
        );
        assert_eq!(people(improvement_texts(Lang::En), 3.0), "3");
    }
}
