//! The analyses as CSV, one row per item, moment or dimension; numbers at full precision so a
//! spreadsheet can re-check them.
use crate::error::AppError;
use touchpoint_core::analytics::{Consistency, Factor, Gap, GapReport, Ipa, Priorities, Spread};

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::Internal(format!("analysis csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("analysis csv: {e}")))
}

fn gap_cells(g: &Gap) -> [String; 6] {
    [
        g.value.to_string(),
        opt(g.low),
        opt(g.high),
        g.n.to_string(),
        g.expectation.to_string(),
        g.perception.to_string(),
    ]
}

pub fn gaps(r: &GapReport) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::new();
    for i in &r.items {
        let mut row = vec![
            String::new(),
            "item".into(),
            i.code.clone(),
            opt(i.dimension.clone()),
            opt(i.servqual.map(|s| s.as_str())),
        ];
        row.extend(gap_cells(&i.gap));
        row.push(String::new());
        rows.push(row);
    }
    let scopes = std::iter::once((None, &r.dimensions))
        .chain(r.by_site.iter().map(|s| (Some(s.site_id), &s.dimensions)));
    for (site, dims) in scopes {
        for d in dims {
            let mut row = vec![
                opt(site),
                "dimension".into(),
                String::new(),
                String::new(),
                d.servqual.as_str().into(),
            ];
            row.extend(gap_cells(&d.gap));
            row.push(opt(d.importance.map(|e| e.value)));
            rows.push(row);
        }
    }
    write(
        &[
            "site",
            "level",
            "code",
            "dimension",
            "servqual",
            "gap",
            "gap_low",
            "gap_high",
            "n",
            "expectation",
            "perception",
            "importance",
        ],
        rows,
    )
}

pub fn ipa(r: &Ipa) -> Result<Vec<u8>, AppError> {
    let rows = r
        .points
        .iter()
        .map(|p| {
            let (perf, imp) = (p.performance, p.importance);
            vec![
                p.position.to_string(),
                p.key.clone(),
                p.name.clone(),
                p.critical.to_string(),
                opt(perf.map(|e| e.value)),
                opt(perf.map(|e| e.low)),
                opt(perf.map(|e| e.high)),
                opt(perf.map(|e| e.n)),
                opt(imp.map(|i| i.value)),
                opt(imp.and_then(|i| i.low)),
                opt(imp.and_then(|i| i.high)),
                opt(imp.map(|i| i.n)),
                opt(imp.map(|i| i.method.as_str())),
                opt(p.quadrant.map(|q| q.as_str())),
            ]
        })
        .collect();
    write(
        &[
            "position",
            "key",
            "name",
            "critical",
            "performance",
            "performance_low",
            "performance_high",
            "performance_n",
            "importance",
            "importance_low",
            "importance_high",
            "importance_n",
            "importance_method",
            "quadrant",
        ],
        rows,
    )
}

fn spread_cells(s: &Spread) -> [String; 2] {
    [s.groups.to_string(), opt(s.sd)]
}

pub fn consistency(c: &Consistency) -> Result<Vec<u8>, AppError> {
    let rows = c
        .moments
        .iter()
        .map(|m| {
            let mut row = vec![
                m.position.to_string(),
                m.key.clone(),
                m.name.clone(),
                m.critical.to_string(),
                opt(m.mean),
                m.n.to_string(),
            ];
            row.extend(spread_cells(&m.site_spread));
            row.push(opt(m.share_sites_meeting_target));
            row.extend(spread_cells(&m.week_spread));
            row.extend(spread_cells(&m.staff_spread));
            row.push(m.good_but_inconsistent.to_string());
            row
        })
        .collect();
    write(
        &[
            "position",
            "key",
            "name",
            "critical",
            "mean",
            "n",
            "sites",
            "site_sd",
            "share_sites_meeting_target",
            "weeks",
            "week_sd",
            "staff",
            "staff_sd",
            "good_but_inconsistent",
        ],
        rows,
    )
}

pub fn priorities(p: &Priorities) -> Result<Vec<u8>, AppError> {
    let mut header: Vec<String> = [
        "rank",
        "position",
        "key",
        "name",
        "critical",
        "score",
        "performance",
        "answers",
        "worst_site",
        "worst_site_mean",
        "complaints",
    ]
    .map(String::from)
    .to_vec();
    for f in Factor::ALL {
        for suffix in ["raw", "normalised", "weight", "points"] {
            header.push(format!("{}_{suffix}", f.as_str()));
        }
    }
    let rows = p
        .moments
        .iter()
        .map(|m| {
            let mut row = vec![
                m.rank.to_string(),
                m.position.to_string(),
                m.key.clone(),
                m.name.clone(),
                m.critical.to_string(),
                m.score.to_string(),
                opt(m.performance),
                m.answers.to_string(),
                opt(m.worst_site.map(|s| s.site_id)),
                opt(m.worst_site.map(|s| s.mean)),
                m.complaints.to_string(),
            ];
            for c in &m.contributions {
                row.extend([
                    opt(c.raw),
                    c.normalised.to_string(),
                    c.weight.to_string(),
                    c.points.to_string(),
                ]);
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write(&header, rows)
}
