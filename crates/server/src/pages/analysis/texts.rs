//! The analysis pages' strings. One `const` per language of the same struct, so a missing
//! translation does not compile; `{name}` placeholders are filled with `str::replace`.
use crate::i18n::Lang;
use touchpoint_core::analytics::{Factor, ImportanceMethod, Quadrant};

#[path = "texts_en.rs"]
mod en;
#[path = "texts_es.rs"]
mod es;

pub fn analysis_texts(lang: Lang) -> &'static AnalysisTexts {
    match lang {
        Lang::En => &en::EN,
        Lang::Es => &es::ES,
    }
}

#[derive(Debug)]
pub struct AnalysisTexts {
    pub priorities: &'static str,
    pub ipa: &'static str,
    pub ipa_short: &'static str,
    pub priorities_intro: &'static str,
    pub weights: &'static str,
    pub period: &'static str,
    pub period_form: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub show: &'static str,
    pub site: &'static str,
    pub all_sites: &'static str,
    pub weights_form: &'static str,
    pub weights_invalid: &'static str,
    pub lang: Lang,
    pub rank: &'static str,
    pub moment: &'static str,
    pub score: &'static str,
    pub why: &'static str,
    pub points: &'static str,
    pub criticality: &'static str,
    pub gap: &'static str,
    pub importance: &'static str,
    pub inconsistency: &'static str,
    pub complaints: &'static str,
    /// Ordinal phrases for ranks 1–10, then `rank_n` with `{n}`.
    pub ordinals: [&'static str; 10],
    pub rank_n: &'static str,
    pub because: &'static str,
    pub nothing_weighs: &'static str,
    pub and: &'static str,
    pub why_critical: &'static str,
    pub why_gap_site: &'static str,
    pub why_gap: &'static str,
    pub why_importance_csat: &'static str,
    pub why_importance_nps: &'static str,
    pub why_inconsistency: &'static str,
    pub why_inconsistency_some: &'static str,
    pub why_complaint_one: &'static str,
    pub why_complaints: &'static str,
    pub blind_spot: &'static str,
    pub no_cycle: &'static str,
    pub ipa_intro: &'static str,
    pub ipa_chart_title: &'static str,
    pub ipa_axis_performance: &'static str,
    pub ipa_axis_importance: &'static str,
    pub ipa_not_plotted: &'static str,
    pub concentrate_here: &'static str,
    pub keep_up_the_good_work: &'static str,
    pub low_priority: &'static str,
    pub possible_overkill: &'static str,
    pub performance: &'static str,
    pub quadrant: &'static str,
    pub method_csat: &'static str,
    pub method_nps: &'static str,
    pub not_computable: &'static str,
    pub critical: &'static str,
    pub consistency: &'static str,
    pub consistency_intro: &'static str,
    pub mean: &'static str,
    pub sites_meeting: &'static str,
    pub site_sd: &'static str,
    pub week_sd: &'static str,
    pub staff_sd: &'static str,
    pub lowest_site: &'static str,
    pub inconsistent_flag: &'static str,
    pub gaps: &'static str,
    pub gaps_intro: &'static str,
    pub dimension: &'static str,
    pub expectation: &'static str,
    pub perception: &'static str,
    pub gap_col: &'static str,
    pub stated_importance: &'static str,
    pub gaps_overall: &'static str,
    pub gaps_weighted: &'static str,
    pub gaps_by_site: &'static str,
    pub items: &'static str,
    pub no_gaps: &'static str,
    pub tangibles: &'static str,
    pub reliability: &'static str,
    pub responsiveness: &'static str,
    pub assurance: &'static str,
    pub empathy: &'static str,
    pub interval: &'static str,
    pub decimal: char,
}

impl AnalysisTexts {
    pub fn factor(&self, f: Factor) -> &'static str {
        match f {
            Factor::Criticality => self.criticality,
            Factor::Gap => self.gap,
            Factor::Importance => self.importance,
            Factor::Inconsistency => self.inconsistency,
            Factor::Complaints => self.complaints,
        }
    }

    pub fn quadrant(&self, q: Quadrant) -> &'static str {
        match q {
            Quadrant::ConcentrateHere => self.concentrate_here,
            Quadrant::KeepUpTheGoodWork => self.keep_up_the_good_work,
            Quadrant::LowPriority => self.low_priority,
            Quadrant::PossibleOverkill => self.possible_overkill,
        }
    }

    pub fn method(&self, m: ImportanceMethod) -> &'static str {
        match m {
            ImportanceMethod::PearsonOverallCsat => self.method_csat,
            ImportanceMethod::PearsonNps => self.method_nps,
        }
    }

    pub fn servqual(&self, s: touchpoint_core::dimension::Servqual) -> &'static str {
        use touchpoint_core::dimension::Servqual as S;
        match s {
            S::Tangibles => self.tangibles,
            S::Reliability => self.reliability,
            S::Responsiveness => self.responsiveness,
            S::Assurance => self.assurance,
            S::Empathy => self.empathy,
        }
    }

    pub fn ordinal(&self, rank: u32) -> String {
        match rank {
            1..=10 => self.ordinals[rank as usize - 1].to_string(),
            n => self.rank_n.replace("{n}", &n.to_string()),
        }
    }

    /// `x` with `decimals` digits and the language's decimal separator.
    pub fn num(&self, x: f64, decimals: usize) -> String {
        format!("{x:.decimals$}").replace('.', &self.decimal.to_string())
    }

    /// "a, b and c" in the language.
    pub fn list(&self, parts: &[String]) -> String {
        match parts {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.and),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{en::EN, es::ES};

    #[test]
    fn placeholders_match_between_languages() {
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
                .collect();
            v.sort();
            v
        };
        for (en, es) in [
            (EN.weights, ES.weights),
            (EN.period, ES.period),
            (EN.because, ES.because),
            (EN.nothing_weighs, ES.nothing_weighs),
            (EN.why_critical, ES.why_critical),
            (EN.why_gap_site, ES.why_gap_site),
            (EN.why_gap, ES.why_gap),
            (EN.why_importance_csat, ES.why_importance_csat),
            (EN.why_importance_nps, ES.why_importance_nps),
            (EN.why_inconsistency, ES.why_inconsistency),
            (EN.why_complaints, ES.why_complaints),
            (EN.why_inconsistency_some, ES.why_inconsistency_some),
            (EN.why_complaint_one, ES.why_complaint_one),
            (EN.rank_n, ES.rank_n),
            (EN.lowest_site, ES.lowest_site),
            (EN.gaps_overall, ES.gaps_overall),
            (EN.gaps_weighted, ES.gaps_weighted),
            (EN.interval, ES.interval),
        ] {
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
        assert_eq!(EN.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(ES.list(&["a".into(), "b".into()]), "a y b");
    }
}
