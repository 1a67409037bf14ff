//! The cycle report as plain text for a terminal (`touchpoint report cycle`): the same
//! sections and sentences as the printable page, moments in cycle order with their status,
//! figures with intervals and n, then priorities with their reasons and the complaint Pareto.
use super::view::{ReportView, build};
use crate::{i18n::Lang, report::CycleReport};
use std::fmt::Write;

fn heading(out: &mut String, title: &str, underline: char) {
    let width = title.chars().count();
    let _ = write!(out, "\n{title}\n{}\n", underline.to_string().repeat(width));
}

fn line(out: &mut String, indent: usize, text: &str) {
    let _ = writeln!(out, "{}{text}", " ".repeat(indent));
}

fn scorecard(out: &mut String, v: &ReportView) {
    let (rt, st) = (v.rt, v.st);
    heading(out, st.heading, '-');
    let Some(sc) = &v.scorecard else {
        line(out, 0, rt.no_evidence);
        return;
    };
    line(out, 0, &format!("{} {}", rt.scorecard_intro, sc.targets));
    line(out, 0, rt.trend_note);
    if sc.all_blind {
        line(out, 0, rt.all_blind);
    }
    for r in &sc.rows {
        let critical = if r.critical {
            format!(" [{}]", v.t.critical)
        } else {
            String::new()
        };
        line(
            out,
            0,
            &format!("{:>2}. {}{critical} — {}", r.position, r.name, r.status),
        );
        for l in &r.lines {
            line(out, 4, l);
        }
    }
}

fn priorities(out: &mut String, v: &ReportView) {
    let (rt, at) = (v.rt, v.at);
    heading(out, at.priorities, '-');
    let Some(p) = v.priorities.as_ref().filter(|p| !p.empty) else {
        line(out, 0, rt.no_evidence);
        return;
    };
    line(out, 0, &format!("{} {}", p.weights, p.weights_note));
    for r in &p.rows {
        let critical = if r.critical {
            format!(" [{}]", at.critical)
        } else {
            String::new()
        };
        line(
            out,
            0,
            &format!(
                "{:>2}. {}. {}{critical} — {} {}",
                r.rank, r.position, r.name, at.score, r.score
            ),
        );
        line(out, 4, &r.why);
        if r.blind_spot {
            line(out, 4, at.blind_spot);
        }
        let bars: Vec<String> = r
            .bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.text))
            .collect();
        line(out, 4, &bars.join("; "));
    }
}

fn ipa(out: &mut String, v: &ReportView) {
    let at = v.at;
    heading(out, at.ipa_short, '-');
    let Some(ipa) = &v.ipa else {
        line(out, 0, v.rt.no_evidence);
        return;
    };
    for r in &ipa.rows {
        line(out, 0, &format!("{:>2}. {}", r.position, r.name));
        line(out, 4, &format!("{}: {}", at.performance, r.performance));
        line(out, 4, &format!("{}: {}", at.importance, r.importance));
        line(out, 4, &format!("{}: {}", at.quadrant, r.quadrant));
    }
    if let Some(n) = &ipa.not_plotted {
        line(out, 0, n);
    }
}

fn consistency(out: &mut String, v: &ReportView) {
    let at = v.at;
    heading(out, at.consistency, '-');
    if v.consistency.is_empty() {
        line(out, 0, v.rt.no_evidence);
        return;
    }
    for r in &v.consistency {
        let flag = if r.flagged {
            format!(" [{}]", at.inconsistent_flag)
        } else {
            String::new()
        };
        line(out, 0, &format!("{:>2}. {}{flag}", r.position, r.name));
        line(
            out,
            4,
            &format!(
                "{}: {}; {}: {}; {}: {}; {}: {}; {}: {}",
                at.mean,
                r.mean,
                at.sites_meeting,
                r.sites_meeting,
                at.site_sd,
                r.site_sd,
                at.week_sd,
                r.week_sd,
                at.staff_sd,
                r.staff_sd
            ),
        );
        if !r.lowest.is_empty() {
            line(out, 4, &r.lowest);
        }
    }
}

fn gaps(out: &mut String, v: &ReportView) {
    let at = v.at;
    heading(out, at.gaps, '-');
    let Some(g) = &v.gaps else {
        line(out, 0, &format!("{} {}", v.rt.no_evidence, at.no_gaps));
        return;
    };
    let summary = match &g.weighted {
        Some(w) => format!("{} {w}", g.overall),
        None => g.overall.clone(),
    };
    line(out, 0, &summary);
    let row = |r: &crate::pages::analysis::views::GapRow| {
        format!(
            "{}: {} {}, {} {}, {} {}",
            r.label, at.expectation, r.expectation, at.perception, r.perception, at.gap_col, r.gap
        )
    };
    for r in &g.dimensions {
        line(out, 2, &row(r));
    }
    line(out, 0, &format!("{}:", at.items));
    for r in &g.items {
        line(out, 2, &row(r));
    }
    if !g.sites.is_empty() {
        line(out, 0, &format!("{}:", at.gaps_by_site));
        for (site, dims, summary) in &g.sites {
            line(out, 2, &format!("{site}: {summary}"));
            for r in dims {
                line(out, 4, &format!("{}: {}", r.label, r.gap));
            }
        }
    }
}

fn complaints(out: &mut String, v: &ReportView) {
    let it = v.it;
    heading(out, it.complaint_analysis, '-');
    let c = &v.complaints;
    line(out, 0, &c.v.total);
    if c.empty {
        line(out, 0, it.no_complaints);
        return;
    }
    line(out, 0, &format!("{}:", it.pareto));
    if c.v.pareto.is_empty() {
        line(out, 2, it.no_causes);
    }
    for r in &c.v.pareto {
        let vital = if r.vital {
            format!(" [{}]", it.vital_few)
        } else {
            String::new()
        };
        line(
            out,
            2,
            &format!(
                "{:>2}. {} — {} ({}; {} {}){vital}",
                r.rank,
                r.cause,
                r.count,
                r.share,
                it.cumulative.to_lowercase(),
                r.cumulative
            ),
        );
    }
    if let Some(u) = &c.v.cause_unknown {
        line(out, 2, u);
    }
    for (title, _, rows) in &c.v.counts {
        let parts: Vec<String> = rows
            .iter()
            .map(|r| format!("{} {} ({})", r.label, r.count, r.share))
            .collect();
        line(out, 0, &format!("{title}: {}", parts.join("; ")));
    }
    match &c.v.promises_overall {
        Some(o) => line(out, 0, &format!("{}: {o}", it.promises)),
        None => line(out, 0, &format!("{}: {}", it.promises, it.promises_none)),
    }
    line(
        out,
        0,
        &format!("{}: {}", it.estimates, it.estimates_warning),
    );
    for e in &c.v.estimates {
        line(out, 2, &format!("- {e}"));
    }
    let assumptions: Vec<String> =
        c.v.assumptions
            .iter()
            .map(|(l, v)| format!("{l}: {v}"))
            .collect();
    line(
        out,
        2,
        &format!("{}: {}", it.assumptions, assumptions.join("; ")),
    );
}

fn plans(out: &mut String, v: &ReportView) {
    let it = v.it;
    heading(out, it.plans, '-');
    if v.plans.is_empty() {
        line(out, 0, v.rt.no_plans);
        return;
    }
    line(out, 0, &v.plans_intro);
    if let Some(n) = &v.plans_capped {
        line(out, 0, n);
    }
    for p in &v.plans {
        line(
            out,
            0,
            &format!(
                "- {} ({}; {}: {}; {}; {}): {}",
                p.title, p.moments, it.owner, p.owner, p.dates, p.status, p.verdict
            ),
        );
        for e in &p.explanation {
            line(out, 4, e);
        }
        for (name, verdict) in &p.moments_verdicts {
            line(out, 4, &format!("{name}: {verdict}"));
        }
    }
}

/// The report as text, ending with a newline.
pub fn render(report: &CycleReport, lang: Lang) -> String {
    let v = build(report, lang);
    let mut out = String::new();
    let _ = writeln!(out, "{}", v.title);
    let _ = writeln!(out, "{}", "=".repeat(v.title.chars().count()));
    for (label, value) in &v.facts {
        line(&mut out, 0, &format!("{label}: {value}"));
    }
    if !v.has_cycle {
        line(&mut out, 0, "");
        line(&mut out, 0, v.rt.no_cycle);
    }
    scorecard(&mut out, &v);
    priorities(&mut out, &v);
    ipa(&mut out, &v);
    consistency(&mut out, &v);
    gaps(&mut out, &v);
    complaints(&mut out, &v);
    plans(&mut out, &v);
    out
}
