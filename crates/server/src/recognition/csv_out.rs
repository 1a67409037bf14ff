//! The recognition as CSV: one row per staff member, every component's figures in columns, at
//! full precision, so a spreadsheet can redo the formula.
use super::Recognition;
use crate::error::AppError;
use touchpoint_core::recognition::ComponentKind;

const COMPONENT_COLUMNS: [&str; 7] = [
    "value",
    "n",
    "min_sample",
    "qualifies",
    "weight",
    "effective_weight",
    "points",
];

/// Cells a spreadsheet would run as a formula get a leading `'` (names are user text).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

pub fn to_csv(r: &Recognition) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::Internal(format!("recognition csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "month",
        "site_id",
        "site",
        "rank",
        "staff_id",
        "name",
        "role",
        "score",
        "coverage",
        "audit_basis",
    ]
    .map(String::from)
    .to_vec();
    for kind in ComponentKind::ALL {
        header.extend(
            COMPONENT_COLUMNS
                .iter()
                .map(|c| format!("{}_{c}", kind.as_str())),
        );
    }
    w.write_record(&header).map_err(fail)?;
    for site in &r.sites {
        for s in &site.staff {
            let basis = serde_json::to_value(s.audit_basis)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let mut row = vec![
                r.month.to_string(),
                site.site_id.map(|i| i.to_string()).unwrap_or_default(),
                cell(&site.site_name),
                s.rank.map(|i| i.to_string()).unwrap_or_default(),
                s.staff_id.to_string(),
                cell(&s.name),
                cell(&s.role),
                opt(s.score),
                s.coverage.to_string(),
                basis,
            ];
            for c in &s.components {
                row.extend([
                    opt(c.value),
                    c.n.to_string(),
                    c.min_sample.to_string(),
                    c.qualifies.to_string(),
                    c.weight.to_string(),
                    c.effective_weight.to_string(),
                    c.points.to_string(),
                ]);
            }
            w.write_record(&row).map_err(fail)?;
        }
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("recognition csv: {e}")))
}
