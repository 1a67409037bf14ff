//! What the analysis pages show, as text in the reader's language: each priority with its
//! factors as bars and in words, IPA rows, consistency rows and SERVQUAL gaps.
use super::texts::AnalysisTexts;
use crate::i18n::Lang;
use std::collections::HashMap;
use touchpoint_core::analytics::{
    Consistency, Factor, Gap, GapReport, Ipa, Priorities, Priority, consistency::INCONSISTENT_SD,
};
use touchpoint_core::feedback::servqual_items::SERVQUAL_ITEMS;

/// Site id → name, for the sentences.
pub type SiteNames = HashMap<i64, String>;

pub struct Bar {
    pub label: &'static str,
    /// Width in the 100-unit-wide bar: the factor's points against the largest possible.
    pub width: String,
    pub text: String,
}

pub struct PriorityRow {
    pub rank: u32,
    pub position: i32,
    pub name: String,
    pub critical: bool,
    pub score: String,
    pub bars: Vec<Bar>,
    pub why: String,
    pub blind_spot: bool,
}

fn site_name(sites: &SiteNames, id: i64) -> String {
    sites.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
}

/// One factor's clause of the "why" sentence, or `None` when it adds nothing.
fn reason(t: &AnalysisTexts, p: &Priority, f: Factor, sites: &SiteNames) -> Option<String> {
    let c = p.contributions.iter().find(|c| c.factor == f)?;
    // Factors adding less than a point are shown by their bar only: naming them would
    // bury the reasons that decide the rank.
    if c.points < 1.0 {
        return None;
    }
    let raw = c.raw.unwrap_or(0.0);
    Some(match f {
        Factor::Criticality => t.why_critical.to_string(),
        Factor::Gap => match p.worst_site {
            Some(s) => t
                .why_gap_site
                .replace("{points}", &t.num(raw, 0))
                .replace("{site}", &site_name(sites, s.site_id)),
            None => t.why_gap.replace("{points}", &t.num(raw, 0)),
        },
        Factor::Importance => {
            let text = match p.importance.map(|i| i.method) {
                Some(touchpoint_core::analytics::ImportanceMethod::PearsonNps) => {
                    t.why_importance_nps
                }
                _ => t.why_importance_csat,
            };
            text.replace("{r}", &t.num(raw, 2))
        }
        Factor::Inconsistency if raw >= INCONSISTENT_SD => {
            t.why_inconsistency.replace("{sd}", &t.num(raw, 1))
        }
        Factor::Inconsistency => t.why_inconsistency_some.replace("{sd}", &t.num(raw, 1)),
        Factor::Complaints => if p.complaints == 1 {
            t.why_complaint_one
        } else {
            t.why_complaints
        }
        .replace("{n}", &p.complaints.to_string())
        .replace(
            "{rate}",
            &p.complaints_per_1000.map_or("–".into(), |r| t.num(r, 1)),
        ),
    })
}

/// "Ranks first because it is critical, it is 45 points below target at Norte and …": the
/// clauses in the order of the points they add.
pub fn why(t: &AnalysisTexts, p: &Priority, sites: &SiteNames) -> String {
    let mut factors: Vec<_> = p.contributions.iter().collect();
    factors.sort_by(|a, b| b.points.total_cmp(&a.points));
    let reasons: Vec<String> = factors
        .iter()
        .filter_map(|c| reason(t, p, c.factor, sites))
        .collect();
    let ordinal = t.ordinal(p.rank);
    if reasons.is_empty() {
        return t.nothing_weighs.replace("{ordinal}", &ordinal);
    }
    let sentence = t
        .because
        .replace("{ordinal}", &ordinal)
        .replace("{reasons}", &t.list(&reasons));
    let mut chars = sentence.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn priority_rows(t: &AnalysisTexts, p: &Priorities, sites: &SiteNames) -> Vec<PriorityRow> {
    // Bars are drawn against the most points any one factor can add (its weight's share), so
    // a full bar means "this factor at its maximum" and bars stay comparable across factors.
    let w = p.config.weights;
    let total: f64 = Factor::ALL.iter().map(|f| w.get(*f)).sum();
    let full = Factor::ALL
        .iter()
        .map(|f| w.get(*f) / total.max(1e-9) * 100.0)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    p.moments
        .iter()
        .map(|m| PriorityRow {
            rank: m.rank,
            position: m.position,
            name: m.name.clone(),
            critical: m.critical,
            score: t.num(m.score, 1),
            bars: m
                .contributions
                .iter()
                .map(|c| Bar {
                    label: t.factor(c.factor),
                    width: format!("{:.2}", (c.points / full * 100.0).clamp(0.0, 100.0)),
                    text: format!("{} {}", t.num(c.points, 1), t.points),
                })
                .collect(),
            why: why(t, m, sites),
            blind_spot: m.blind_spot,
        })
        .collect()
}

pub struct IpaRow {
    pub position: i32,
    pub name: String,
    pub critical: bool,
    pub performance: String,
    pub importance: String,
    pub quadrant: String,
}

pub fn ipa_rows(t: &AnalysisTexts, ipa: &Ipa) -> Vec<IpaRow> {
    ipa.points
        .iter()
        .map(|p| IpaRow {
            position: p.position,
            name: p.name.clone(),
            critical: p.critical,
            performance: p.performance.map_or(t.not_computable.into(), |e| {
                interval(t, e.value, Some(e.low), Some(e.high), e.n, 1)
            }),
            importance: p.importance.map_or(t.not_computable.into(), |i| {
                format!(
                    "{} — {}",
                    interval(t, i.value, i.low, i.high, i.n, 2),
                    t.method(i.method)
                )
            }),
            quadrant: p.quadrant.map_or("–".into(), |q| t.quadrant(q).into()),
        })
        .collect()
}

fn interval(
    t: &AnalysisTexts,
    v: f64,
    lo: Option<f64>,
    hi: Option<f64>,
    n: u64,
    d: usize,
) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => t
            .interval
            .replace("{value}", &t.num(v, d))
            .replace("{low}", &t.num(lo, d))
            .replace("{high}", &t.num(hi, d))
            .replace("{n}", &n.to_string()),
        _ => format!("{} (n = {n})", t.num(v, d)),
    }
}

pub struct ConsistencyRow {
    pub position: i32,
    pub name: String,
    pub mean: String,
    pub sites_meeting: String,
    pub site_sd: String,
    pub week_sd: String,
    pub staff_sd: String,
    pub lowest: String,
    pub flagged: bool,
}

pub fn consistency_rows(
    t: &AnalysisTexts,
    c: &Consistency,
    sites: &SiteNames,
) -> Vec<ConsistencyRow> {
    let num = |x: Option<f64>| x.map_or("–".into(), |v| t.num(v, 1));
    c.moments
        .iter()
        .map(|m| ConsistencyRow {
            position: m.position,
            name: m.name.clone(),
            mean: m
                .mean
                .map_or("–".into(), |v| format!("{} (n = {})", t.num(v, 1), m.n)),
            sites_meeting: m.share_sites_meeting_target.map_or("–".into(), |s| {
                let met = m.sites.iter().filter(|x| x.meets_target).count();
                format!("{met}/{} ({} %)", m.sites.len(), t.num(s * 100.0, 0))
            }),
            site_sd: num(m.site_spread.sd),
            week_sd: num(m.week_spread.sd),
            staff_sd: num(m.staff_spread.sd),
            // Only a site below target is worth naming: "lowest" alone says nothing.
            lowest: m
                .sites
                .first()
                .filter(|s| !s.meets_target)
                .map_or(String::new(), |s| {
                    t.lowest_site
                        .replace("{site}", &site_name(sites, s.site_id))
                        .replace("{mean}", &t.num(s.mean, 1))
                }),
            flagged: m.good_but_inconsistent,
        })
        .collect()
}

pub struct GapRow {
    pub label: String,
    pub expectation: String,
    pub perception: String,
    pub gap: String,
    pub importance: String,
    pub negative: bool,
}

fn gap_row(t: &AnalysisTexts, label: String, g: &Gap, importance: Option<f64>) -> GapRow {
    GapRow {
        label,
        expectation: t.num(g.expectation, 2),
        perception: t.num(g.perception, 2),
        gap: interval(t, g.value, g.low, g.high, g.n, 2),
        importance: importance.map_or("–".into(), |v| t.num(v, 2)),
        negative: g.value < 0.0,
    }
}

pub struct GapsView {
    pub dimensions: Vec<GapRow>,
    pub items: Vec<GapRow>,
    pub overall: String,
    pub weighted: Option<String>,
    /// (site name, its dimension rows, its summary line).
    pub sites: Vec<(String, Vec<GapRow>, String)>,
}

pub fn gaps_view(t: &AnalysisTexts, r: &GapReport, sites: &SiteNames) -> Option<GapsView> {
    if r.dimensions.is_empty() && r.items.is_empty() {
        return None;
    }
    let dims = |d: &[touchpoint_core::analytics::DimensionGap]| -> Vec<GapRow> {
        d.iter()
            .map(|d| {
                gap_row(
                    t,
                    t.servqual(d.servqual).into(),
                    &d.gap,
                    d.importance.map(|e| e.value),
                )
            })
            .collect()
    };
    let summary = |u: Option<f64>, w: Option<f64>| {
        let mut s = u.map_or(String::new(), |g| {
            t.gaps_overall.replace("{gap}", &t.num(g, 2))
        });
        if let Some(w) = w {
            s.push(' ');
            s.push_str(&t.gaps_weighted.replace("{gap}", &t.num(w, 2)));
        }
        s
    };
    Some(GapsView {
        dimensions: dims(&r.dimensions),
        items: r
            .items
            .iter()
            .map(|i| {
                // The template's statements are written out; other items go by their code.
                let statement =
                    SERVQUAL_ITEMS
                        .iter()
                        .find(|s| s.code == i.code)
                        .map(|s| match t.lang {
                            Lang::En => s.en,
                            Lang::Es => s.es,
                        });
                let name = statement.map_or(i.code.clone(), str::to_string);
                let label = match i.servqual {
                    Some(s) => format!("{name} ({})", t.servqual(s)),
                    None => name,
                };
                gap_row(t, label, &i.gap, None)
            })
            .collect(),
        overall: summary(r.unweighted, None),
        weighted: r
            .weighted
            .map(|w| t.gaps_weighted.replace("{gap}", &t.num(w, 2))),
        sites: r
            .by_site
            .iter()
            .map(|s| {
                (
                    site_name(sites, s.site_id),
                    dims(&s.dimensions),
                    summary(s.unweighted, s.weighted),
                )
            })
            .collect(),
    })
}
