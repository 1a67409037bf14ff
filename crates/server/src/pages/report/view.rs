//! The cycle report in the reader's words: every section as text and SVG, in one language.
//! Built once from a [`CycleReport`]; the HTML template and the plain-text report both read
//! it, so they cannot say different things.
use super::{
    plans::{PlanRow, plan_rows},
    score_rows::{ScoreRow, score_row},
    texts::{ReportTexts, report_texts},
};
use crate::{
    i18n::Lang,
    pages::{
        analysis::{
            AnalysisTexts, analysis_texts, ipa_svg,
            views::{
                ConsistencyRow, GapsView, IpaRow, PriorityRow, SiteNames, consistency_rows,
                gaps_view, ipa_rows, priority_rows,
            },
        },
        improvement::{
            ImprovementTexts,
            complaints_view::{self, ComplaintsView, Names},
            improvement_texts, pareto_svg,
        },
        journey::fmt_time,
        journey_svg::{self, Node},
        scorecard::{self, LegendItem, ScorecardTexts, scorecard_texts},
        texts::{Texts, texts},
    },
    report::{CycleReport, MAX_PLAN_VERDICTS},
};
use std::collections::HashMap;
use touchpoint_core::analytics::{PriorityWeights, Status};

pub struct ScorecardSection {
    pub rows: Vec<ScoreRow>,
    pub all_blind: bool,
    pub targets: String,
    pub legend: Vec<LegendItem>,
}

pub struct PrioritiesSection {
    pub weights: String,
    /// Whether those are the default weights or ones chosen for this report.
    pub weights_note: &'static str,
    pub rows: Vec<PriorityRow>,
    /// No answers and no complaints anywhere: a ranking would rest on criticality alone.
    pub empty: bool,
}

pub struct IpaSection {
    pub svg: String,
    pub rows: Vec<IpaRow>,
    pub not_plotted: Option<String>,
}

pub struct ComplaintsSection {
    pub empty: bool,
    pub svg: String,
    pub v: ComplaintsView,
}

pub struct ReportView {
    pub code: &'static str,
    pub service_id: i64,
    pub title: String,
    /// (label, value) of the heading.
    pub facts: Vec<(&'static str, String)>,
    pub has_cycle: bool,
    pub scorecard: Option<ScorecardSection>,
    pub map_svg: String,
    pub priorities: Option<PrioritiesSection>,
    pub ipa: Option<IpaSection>,
    pub consistency: Vec<ConsistencyRow>,
    pub gaps: Option<GapsView>,
    pub complaints: ComplaintsSection,
    pub plans: Vec<PlanRow>,
    pub plans_intro: String,
    pub plans_capped: Option<String>,
    pub t: &'static Texts,
    pub rt: &'static ReportTexts,
    pub st: &'static ScorecardTexts,
    pub at: &'static AnalysisTexts,
    pub it: &'static ImprovementTexts,
}

fn legend(st: &ScorecardTexts) -> Vec<LegendItem> {
    [
        (Status::Good, st.good_explained),
        (Status::Watch, st.watch_explained),
        (Status::Poor, st.poor_explained),
        (Status::Unrated, st.unrated_explained),
        (Status::BlindSpot, st.blind_spot_explained),
    ]
    .into_iter()
    .map(|(s, explained)| LegendItem {
        class: scorecard::status_class(s),
        label: st.status(s),
        explained,
    })
    .collect()
}

fn facts(r: &CycleReport, rt: &ReportTexts) -> Vec<(&'static str, String)> {
    let period = |p: touchpoint_core::analytics::Period| {
        rt.period_text
            .replace("{from}", &p.from.to_string())
            .replace("{to}", &p.to.to_string())
    };
    let mut out = Vec::new();
    if let Some(o) = &r.organisation {
        out.push((rt.organisation, o.clone()));
    }
    out.push((
        rt.service,
        format!("{} ({})", r.service.name, r.service.key),
    ));
    if let Some(c) = &r.cycle {
        out.push((
            rt.cycle_version,
            rt.version_text
                .replace("{n}", &c.version.to_string())
                .replace("{date}", &fmt_time(&c.published_at)),
        ));
    }
    out.push((rt.period, period(r.period)));
    out.push((rt.compared_with, period(r.previous_period)));
    out.push((
        rt.site,
        r.site
            .as_ref()
            .map_or(rt.all_sites.to_string(), |s| s.name.clone()),
    ));
    out.push((rt.generated, fmt_time(&r.generated_at)));
    out
}

fn complaints(r: &CycleReport, lang: Lang, it: &ImprovementTexts) -> ComplaintsSection {
    let names = Names {
        moments: r
            .cycle
            .iter()
            .flat_map(|c| c.moments.iter())
            .map(|m| (m.key.clone(), m.name.clone()))
            .collect(),
        dimensions: r
            .dimensions
            .iter()
            .map(|d| {
                let name = match lang {
                    Lang::En => &d.name_en,
                    Lang::Es => &d.name_es,
                };
                (d.key.clone(), name.clone())
            })
            .collect(),
        sites: r
            .sites
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        staff: r
            .assignees
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
    };
    let a = &r.complaints;
    let title = it.pareto_title.replace("{name}", &r.service.name);
    let percent = |x: f64| it.percent(x, 0);
    let svg = if a.pareto.is_empty() {
        String::new()
    } else {
        pareto_svg::render(
            &a.pareto,
            &pareto_svg::ParetoLabels {
                title: &title,
                complaints_axis: it.complaints_axis,
                cumulative_axis: it.cumulative_axis,
                others: it.other_causes,
                percent: &percent,
            },
        )
    };
    let (from, to) = (r.period.from.to_string(), r.period.to.to_string());
    ComplaintsSection {
        empty: a.complaints == 0,
        svg,
        v: complaints_view::view(it, a, &names, (&from, &to)),
    }
}

pub fn build(r: &CycleReport, lang: Lang) -> ReportView {
    let (t, rt, st, at, it) = (
        texts(lang),
        report_texts(lang),
        scorecard_texts(lang),
        analysis_texts(lang),
        improvement_texts(lang),
    );
    let sites: SiteNames = r.sites.iter().map(|s| (s.id, s.name.clone())).collect();
    let moment_names: HashMap<String, String> = r
        .cycle
        .iter()
        .flat_map(|c| c.moments.iter())
        .map(|m| (m.key.clone(), m.name.clone()))
        .collect();

    let scorecard = r.scorecard.as_ref().map(|card| ScorecardSection {
        rows: card.moments.iter().map(|m| score_row(st, rt, m)).collect(),
        all_blind: card.moments.iter().all(|m| m.blind_spot),
        targets: st
            .targets
            .replace("{csat}", &st.num(card.targets.csat, 0))
            .replace("{compliance}", &st.num(card.targets.compliance, 0)),
        legend: legend(st),
    });

    let map_svg = match &r.cycle {
        None => String::new(),
        Some(c) => {
            let status = |position: i32| {
                r.scorecard
                    .as_ref()?
                    .moments
                    .iter()
                    .find(|s| s.position == position)
                    .map(|s| (s.status, st.status(s.status)))
            };
            let nodes: Vec<Node<'_>> = c
                .moments
                .iter()
                .map(|m| Node {
                    position: m.position,
                    name: &m.name,
                    channel: m.channel,
                    critical: m.critical,
                    status: status(m.position),
                })
                .collect();
            let title = t.map_title.replace("{name}", &r.service.name);
            journey_svg::render(t, &title, &nodes, 7, "rm")
        }
    };

    let priorities = r.priorities.as_ref().map(|p| {
        let w = p.config.weights;
        let n = |x: f64| at.num(x, 2);
        PrioritiesSection {
            weights: at
                .weights
                .replace("{criticality}", &n(w.criticality))
                .replace("{gap}", &n(w.gap))
                .replace("{importance}", &n(w.importance))
                .replace("{inconsistency}", &n(w.inconsistency))
                .replace("{complaints}", &n(w.complaints))
                .replace("{target}", &at.num(p.config.target, 0)),
            weights_note: if w == PriorityWeights::default() {
                rt.default_weights
            } else {
                rt.chosen_weights
            },
            rows: priority_rows(at, p, &sites),
            empty: p.moments.iter().all(|m| m.blind_spot && m.complaints == 0),
        }
    });

    let ipa = r.ipa.as_ref().and_then(|ipa| {
        let plotted = ipa.points.iter().any(|p| p.quadrant.is_some());
        let missing: Vec<String> = ipa
            .points
            .iter()
            .filter(|p| p.quadrant.is_none())
            .map(|p| format!("{}. {}", p.position, p.name))
            .collect();
        plotted.then(|| IpaSection {
            svg: ipa_svg::render(
                at,
                &at.ipa_chart_title.replace("{name}", &r.service.name),
                ipa,
            ),
            rows: ipa_rows(at, ipa),
            not_plotted: (!missing.is_empty())
                .then(|| at.ipa_not_plotted.replace("{names}", &missing.join(", "))),
        })
    });

    let consistency = match &r.consistency {
        Some(c) if c.moments.iter().any(|m| m.mean.is_some()) => consistency_rows(at, c, &sites),
        _ => Vec::new(),
    };

    let judged_on = r.period.to.min(r.generated_at.date_naive());
    ReportView {
        code: lang.code(),
        service_id: r.service.id,
        title: rt.title_of.replace("{name}", &r.service.name),
        facts: facts(r, rt),
        has_cycle: r.cycle.is_some(),
        scorecard,
        map_svg,
        priorities,
        ipa,
        consistency,
        gaps: r.gaps.as_ref().and_then(|g| gaps_view(at, g, &sites)),
        complaints: complaints(r, lang, it),
        plans: plan_rows(it, rt, &r.action_plans, &moment_names),
        plans_intro: rt.plans_intro.replace("{date}", &judged_on.to_string()),
        plans_capped: (r.action_plans.len() > MAX_PLAN_VERDICTS).then(|| {
            rt.plans_capped
                .replace("{n}", &MAX_PLAN_VERDICTS.to_string())
        }),
        t,
        rt,
        st,
        at,
        it,
    }
}
