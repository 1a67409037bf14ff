//! The report's action plans: what each plan is, and its verdict in the plan page's words.
use super::texts::ReportTexts;
use crate::pages::improvement::{ImprovementTexts, plan_view::verdict_class};
use crate::report::PlanOutcome;
use std::collections::HashMap;

pub struct PlanRow {
    pub id: i64,
    pub title: String,
    pub moments: String,
    pub owner: String,
    pub dates: String,
    pub status: &'static str,
    pub expected_effect: String,
    /// The plan's verdict, or why there is none.
    pub verdict: String,
    pub verdict_class: &'static str,
    /// The verdict in a sentence, and the windows compared.
    pub explanation: Vec<String>,
    /// (moment, its verdict) when the plan covers several moments.
    pub moments_verdicts: Vec<(String, &'static str)>,
}

pub fn plan_rows(
    it: &ImprovementTexts,
    rt: &ReportTexts,
    plans: &[PlanOutcome],
    moment_names: &HashMap<String, String>,
) -> Vec<PlanRow> {
    plans
        .iter()
        .map(|o| {
            let p = &o.plan;
            let name = |k: &String| moment_names.get(k).cloned().unwrap_or_else(|| k.clone());
            let mut row = PlanRow {
                id: p.id,
                title: p.title.clone(),
                moments: p
                    .moment_keys
                    .iter()
                    .map(name)
                    .collect::<Vec<_>>()
                    .join(", "),
                owner: p.owner.clone(),
                dates: format!("{} → {}", p.start_date, p.due_date),
                status: it.plan_status(p.status),
                expected_effect: p.expected_effect.clone(),
                verdict: rt.verdict_not_computed.to_string(),
                verdict_class: "verdict-unknown",
                explanation: Vec::new(),
                moments_verdicts: Vec::new(),
            };
            let Some(ba) = &o.before_after else {
                return row;
            };
            match ba.windows {
                None => {
                    row.verdict = it.none.to_string();
                    row.explanation =
                        vec![it.not_started.replace("{date}", &p.start_date.to_string())];
                }
                Some(w) => {
                    row.verdict = it.verdict(ba.verdict).to_string();
                    row.verdict_class = verdict_class(ba.verdict);
                    row.explanation = vec![
                        it.verdict_sentence(ba.verdict).to_string(),
                        rt.plan_windows
                            .replace("{bfrom}", &w.before.from.to_string())
                            .replace("{bto}", &w.before.to.to_string())
                            .replace("{afrom}", &w.after.from.to_string())
                            .replace("{ato}", &w.after.to.to_string())
                            .replace("{n}", &w.after.days().to_string()),
                    ];
                    if ba.moments.len() > 1 {
                        row.moments_verdicts = ba
                            .moments
                            .iter()
                            .map(|m| (m.name.clone(), it.verdict(m.verdict)))
                            .collect();
                    }
                }
            }
            row
        })
        .collect()
}
