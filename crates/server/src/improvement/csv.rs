//! The complaint analysis and a plan's before/after as CSV; numbers at full precision so a
//! spreadsheet can re-check them.
use crate::error::AppError;
use touchpoint_core::{
    feedback::Estimate,
    improvement::{BeforeAfter, ComplaintAnalysis, PromiseRate},
};

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// Free text (causes, keys, names) that a spreadsheet would run as a formula gets a leading
/// `'` (CSV injection); numbers are written by the program and never start with one of these
/// but a minus sign, so they are left alone.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::Internal(format!("improvement csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("improvement csv: {e}")))
}

const ANALYSIS_HEADER: &[&str] = &[
    "section",
    "key",
    "count",
    "share_percent",
    "cumulative_percent",
    "vital_few",
    "kept",
    "broken",
    "kept_percent",
    "kept_low",
    "kept_high",
    "value",
];

fn count_row(section: &str, key: String, count: u64, share: f64) -> Vec<String> {
    let mut row = vec![section.into(), key, count.to_string(), share.to_string()];
    row.resize(ANALYSIS_HEADER.len(), String::new());
    row
}

fn rate_row(section: &str, r: &PromiseRate) -> Vec<String> {
    let e: Option<&Estimate> = r.kept_percent.as_ref();
    vec![
        section.into(),
        text(&opt(r.key.clone())),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        r.kept.to_string(),
        r.broken.to_string(),
        opt(e.map(|e| e.value)),
        opt(e.map(|e| e.low)),
        opt(e.map(|e| e.high)),
        String::new(),
    ]
}

fn value_row(section: &str, key: &str, value: f64) -> Vec<String> {
    let mut row = vec![section.into(), key.into()];
    row.resize(ANALYSIS_HEADER.len() - 1, String::new());
    row.push(value.to_string());
    row
}

/// One row per count, Pareto bar, promise rate, estimate and assumption, named by `section`.
pub fn analysis(a: &ComplaintAnalysis) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::new();
    for c in &a.by_moment {
        rows.push(count_row(
            "moment",
            text(&opt(c.key.clone())),
            c.count,
            c.share,
        ));
    }
    for c in &a.by_dimension {
        rows.push(count_row(
            "dimension",
            text(&opt(c.key.clone())),
            c.count,
            c.share,
        ));
    }
    for c in &a.by_site {
        rows.push(count_row("site", opt(c.site_id), c.count, c.share));
    }
    for b in &a.pareto {
        let mut row = count_row("root_cause", text(&b.cause), b.count, b.share);
        row[4] = b.cumulative_share.to_string();
        row[5] = b.vital_few.to_string();
        rows.push(row);
    }
    rows.push(value_row("cause_unknown", "", a.cause_unknown as f64));
    rows.push(rate_row("promises", &a.promises));
    for (section, rates) in [
        ("promises_by_moment", &a.promises_by_moment),
        ("promises_by_site", &a.promises_by_site),
        ("promises_by_assignee", &a.promises_by_assignee),
    ] {
        rows.extend(rates.iter().map(|r| rate_row(section, r)));
    }
    let e = &a.estimates;
    for (key, v) in [
        ("complaints", e.complaints as f64),
        ("satisfied_complainants", e.satisfied_complainants as f64),
        ("silent_dissatisfied", e.silent_dissatisfied),
        ("dissatisfied", e.dissatisfied),
        ("told_by_dissatisfied", e.told_by_dissatisfied),
        ("told_by_satisfied", e.told_by_satisfied),
    ] {
        rows.push(value_row("estimate", key, v));
    }
    let s = &e.assumptions;
    for (key, v) in [
        ("silent_per_complaint", s.silent_per_complaint),
        ("told_by_dissatisfied", s.told_by_dissatisfied),
        ("told_by_satisfied", s.told_by_satisfied),
    ] {
        rows.push(value_row("assumption", key, v));
    }
    write(ANALYSIS_HEADER, rows)
}

/// One row per moment and figure.
pub fn before_after(b: &BeforeAfter) -> Result<Vec<u8>, AppError> {
    let est = |e: Option<Estimate>| {
        [
            opt(e.map(|e| e.value)),
            opt(e.map(|e| e.low)),
            opt(e.map(|e| e.high)),
            opt(e.map(|e| e.n)),
        ]
    };
    let mut rows = Vec::new();
    for m in &b.moments {
        for f in &m.figures {
            let mut row = vec![
                m.moment_key.clone(),
                m.name.clone(),
                f.figure.as_str().into(),
            ];
            row.extend(est(f.before));
            row.extend(est(f.after));
            row.extend([
                opt(f.difference),
                opt(f.test.map(|t| t.as_str())),
                opt(f.statistic),
                opt(f.p_value),
                f.verdict.as_str().into(),
                m.verdict.as_str().into(),
            ]);
            rows.push(row);
        }
    }
    write(
        &[
            "moment_key",
            "moment",
            "figure",
            "before",
            "before_low",
            "before_high",
            "before_n",
            "after",
            "after_low",
            "after_high",
            "after_n",
            "difference",
            "test",
            "statistic",
            "p_value",
            "verdict",
            "moment_verdict",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchpoint_core::improvement::{Assumptions, ComplaintFact, analyse};

    #[test]
    fn causes_that_look_like_formulas_are_defused() {
        let fact = ComplaintFact {
            id: 1,
            moment_key: Some("wait".into()),
            dimension_key: None,
            site_id: None,
            assignee_id: None,
            root_cause: Some("=HYPERLINK(\"http://x\")".into()),
            customer_satisfied: None,
            promises_kept: 0,
            promises_broken: 0,
        };
        let bytes = analysis(&analyse(&[fact], Assumptions::default())).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("root_cause,\"'=HYPERLINK("), "{text}");
        assert!(text.contains("moment,wait,1,100,"), "{text}");
    }
}
