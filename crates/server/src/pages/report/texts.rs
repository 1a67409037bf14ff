//! The cycle report's own strings; the figures' labels come from the scorecard, analysis and
//! improvement catalogs so the report words things exactly as those pages do. One `const`
//! per language of the same struct, so a missing translation does not compile.
use crate::i18n::Lang;

#[path = "texts_en.rs"]
mod en;
#[path = "texts_es.rs"]
mod es;

pub fn report_texts(lang: Lang) -> &'static ReportTexts {
    match lang {
        Lang::En => &en::EN,
        Lang::Es => &es::ES,
    }
}

#[derive(Debug)]
pub struct ReportTexts {
    pub title: &'static str,
    pub title_of: &'static str,
    pub printable: &'static str,
    pub contents: &'static str,
    pub organisation: &'static str,
    pub service: &'static str,
    pub cycle_version: &'static str,
    pub version_text: &'static str,
    pub period: &'static str,
    pub period_text: &'static str,
    pub compared_with: &'static str,
    pub site: &'static str,
    pub all_sites: &'static str,
    pub generated: &'static str,
    pub no_cycle: &'static str,
    pub no_evidence: &'static str,
    pub scorecard_intro: &'static str,
    pub all_blind: &'static str,
    pub moment: &'static str,
    pub mean: &'static str,
    pub effort: &'static str,
    pub audit: &'static str,
    pub complaints_per_1000: &'static str,
    pub trend: &'static str,
    pub trend_note: &'static str,
    pub no_change: &'static str,
    pub rose: &'static str,
    pub fell: &'static str,
    pub interval: &'static str,
    pub n: &'static str,
    pub map_legend: &'static str,
    pub default_weights: &'static str,
    pub chosen_weights: &'static str,
    pub plans_intro: &'static str,
    pub plans_capped: &'static str,
    pub no_plans: &'static str,
    pub plan_windows: &'static str,
    pub dates: &'static str,
    pub verdict_not_computed: &'static str,
    pub journey_link: &'static str,
    pub print_hint: &'static str,
    pub period_invalid: &'static str,
    pub filters: &'static str,
    pub footer: &'static str,
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
            (EN.title_of, ES.title_of),
            (EN.version_text, ES.version_text),
            (EN.period_text, ES.period_text),
            (EN.rose, ES.rose),
            (EN.fell, ES.fell),
            (EN.interval, ES.interval),
            (EN.n, ES.n),
            (EN.plans_intro, ES.plans_intro),
            (EN.plans_capped, ES.plans_capped),
            (EN.plan_windows, ES.plan_windows),
        ] {
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
        assert_eq!(ES.site, "Sucursal");
    }
}
