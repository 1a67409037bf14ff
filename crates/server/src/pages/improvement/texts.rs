//! The improvement pages' strings. One `const` per language of the same struct, so a missing
//! translation does not compile; `{name}` placeholders are filled with `str::replace`.
use crate::i18n::Lang;
use touchpoint_core::{
    analytics::TrendTest,
    improvement::{FigureKind, PlanStatus, RequirementSource, RequirementStatus, Verdict},
};

#[path = "texts_en.rs"]
mod en;
#[path = "texts_es.rs"]
mod es;

pub fn improvement_texts(lang: Lang) -> &'static ImprovementTexts {
    match lang {
        Lang::En => &en::EN,
        Lang::Es => &es::ES,
    }
}

#[derive(Debug)]
pub struct ImprovementTexts {
    pub lang: Lang,
    pub decimal: char,
    pub percent_sign: &'static str,
    // Complaint analysis.
    pub complaint_analysis: &'static str,
    pub complaint_intro: &'static str,
    pub download_csv: &'static str,
    pub new_plan: &'static str,
    pub edit_plan: &'static str,
    pub points: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub total: &'static str,
    pub no_complaints: &'static str,
    pub pareto: &'static str,
    pub pareto_intro: &'static str,
    pub pareto_title: &'static str,
    pub complaints_axis: &'static str,
    pub cumulative_axis: &'static str,
    pub other_causes: &'static str,
    pub no_causes: &'static str,
    pub cause_unknown: &'static str,
    pub cause: &'static str,
    pub count: &'static str,
    pub share: &'static str,
    pub cumulative: &'static str,
    pub vital_few: &'static str,
    pub yes: &'static str,
    pub by_moment: &'static str,
    pub by_dimension: &'static str,
    pub by_site: &'static str,
    pub moment: &'static str,
    pub dimension: &'static str,
    pub site: &'static str,
    pub not_recorded: &'static str,
    pub promises: &'static str,
    pub promises_intro: &'static str,
    pub promises_overall: &'static str,
    pub promises_none: &'static str,
    pub by_staff: &'static str,
    pub staff: &'static str,
    pub kept: &'static str,
    pub broken: &'static str,
    pub kept_rate: &'static str,
    pub interval: &'static str,
    pub estimates: &'static str,
    pub estimates_warning: &'static str,
    pub estimate_silent: &'static str,
    pub estimate_dissatisfied: &'static str,
    pub estimate_told_bad: &'static str,
    pub estimate_told_good: &'static str,
    pub assumptions: &'static str,
    pub assumption_silent: &'static str,
    pub assumption_told_bad: &'static str,
    pub assumption_told_good: &'static str,
    pub assumptions_how: &'static str,
    pub assumptions_form: &'static str,
    pub save_assumptions: &'static str,
    pub assumptions_saved: &'static str,
    pub assumptions_invalid: &'static str,
    // Plans.
    pub plans: &'static str,
    pub plans_intro: &'static str,
    pub no_plans: &'static str,
    pub title: &'static str,
    pub service: &'static str,
    pub moments: &'static str,
    pub owner: &'static str,
    pub start: &'static str,
    pub due: &'static str,
    pub status: &'static str,
    pub all_statuses: &'static str,
    pub show: &'static str,
    pub expected_effect: &'static str,
    pub none: &'static str,
    pub before_after: &'static str,
    pub windows: &'static str,
    pub not_started: &'static str,
    pub method: &'static str,
    pub plan_verdict: &'static str,
    pub figure: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub difference: &'static str,
    pub test: &'static str,
    pub verdict: &'static str,
    pub no_data: &'static str,
    pub reading_improved: &'static str,
    pub reading_worse: &'static str,
    pub reading_same: &'static str,
    pub reading_few: &'static str,
    pub reading_none: &'static str,
    pub requirements: &'static str,
    pub requirements_answered: &'static str,
    pub requirements_other: &'static str,
    pub no_requirements: &'static str,
    pub source: &'static str,
    pub recorded: &'static str,
    pub all_sites: &'static str,
    pub critical: &'static str,
}

impl ImprovementTexts {
    /// `x` with `decimals` digits and the language's decimal separator.
    pub fn num(&self, x: f64, decimals: usize) -> String {
        format!("{x:.decimals$}").replace('.', &self.decimal.to_string())
    }

    pub fn percent(&self, x: f64, decimals: usize) -> String {
        format!("{}{}", self.num(x, decimals), self.percent_sign)
    }

    pub fn verdict(&self, v: Verdict) -> &'static str {
        match (self.lang, v) {
            (Lang::En, Verdict::Improved) => "Improved",
            (Lang::En, Verdict::NoDetectableChange) => "No detectable change",
            (Lang::En, Verdict::Worse) => "Worse",
            (Lang::En, Verdict::NotEnoughData) => "Not enough data",
            (Lang::Es, Verdict::Improved) => "Mejoró",
            (Lang::Es, Verdict::NoDetectableChange) => "Sin cambio detectable",
            (Lang::Es, Verdict::Worse) => "Empeoró",
            (Lang::Es, Verdict::NotEnoughData) => "Datos insuficientes",
        }
    }

    /// The plan's verdict as a sentence.
    pub fn verdict_sentence(&self, v: Verdict) -> &'static str {
        match (self.lang, v) {
            (Lang::En, Verdict::Improved) => {
                "At least one figure rose by more than chance explains, and none fell."
            }
            (Lang::En, Verdict::NoDetectableChange) => {
                "The differences are within what chance alone produces (or they point both ways)."
            }
            (Lang::En, Verdict::Worse) => {
                "At least one figure fell by more than chance explains, and none rose."
            }
            (Lang::En, Verdict::NotEnoughData) => {
                "No figure has enough answers or measurements in both windows to judge."
            }
            (Lang::Es, Verdict::Improved) => {
                "Al menos una cifra subió más de lo que explica el azar y ninguna bajó."
            }
            (Lang::Es, Verdict::NoDetectableChange) => {
                "Las diferencias caben en lo que produce el azar (o van en sentidos opuestos)."
            }
            (Lang::Es, Verdict::Worse) => {
                "Al menos una cifra bajó más de lo que explica el azar y ninguna subió."
            }
            (Lang::Es, Verdict::NotEnoughData) => {
                "Ninguna cifra tiene suficientes respuestas o mediciones en ambas ventanas para juzgar."
            }
        }
    }

    pub fn figure(&self, f: FigureKind) -> &'static str {
        match (self.lang, f) {
            (Lang::En, FigureKind::RatingMean) => "Mean rating (1–5)",
            (Lang::Es, FigureKind::RatingMean) => "Valoración media (1–5)",
            (_, FigureKind::Csat) => "CSAT",
            (_, FigureKind::Nps) => "NPS",
            (Lang::En, FigureKind::Compliance) => "Standards compliance",
            (Lang::Es, FigureKind::Compliance) => "Cumplimiento de estándares",
        }
    }

    pub fn test(&self, t: TrendTest) -> &'static str {
        match (self.lang, t) {
            (Lang::En, TrendTest::TwoProportionZ) => "two-proportion z-test",
            (Lang::En, TrendTest::WelchT) => "Welch's t-test",
            (Lang::En, TrendTest::NpsDifferenceZ) => "z-test on the NPS difference",
            (Lang::Es, TrendTest::TwoProportionZ) => "prueba z de dos proporciones",
            (Lang::Es, TrendTest::WelchT) => "prueba t de Welch",
            (Lang::Es, TrendTest::NpsDifferenceZ) => "prueba z de la diferencia de NPS",
        }
    }

    pub fn plan_status(&self, s: PlanStatus) -> &'static str {
        match (self.lang, s) {
            (Lang::En, PlanStatus::Planned) => "Planned",
            (Lang::En, PlanStatus::InProgress) => "In progress",
            (Lang::En, PlanStatus::Done) => "Done",
            (Lang::En, PlanStatus::Cancelled) => "Cancelled",
            (Lang::Es, PlanStatus::Planned) => "Planificado",
            (Lang::Es, PlanStatus::InProgress) => "En curso",
            (Lang::Es, PlanStatus::Done) => "Terminado",
            (Lang::Es, PlanStatus::Cancelled) => "Cancelado",
        }
    }

    pub fn requirement_status(&self, s: RequirementStatus) -> &'static str {
        match (self.lang, s) {
            (Lang::En, RequirementStatus::Open) => "Open",
            (Lang::En, RequirementStatus::Planned) => "Planned",
            (Lang::En, RequirementStatus::Done) => "Done",
            (Lang::En, RequirementStatus::Declined) => "Declined",
            (Lang::Es, RequirementStatus::Open) => "Abierto",
            (Lang::Es, RequirementStatus::Planned) => "Planificado",
            (Lang::Es, RequirementStatus::Done) => "Atendido",
            (Lang::Es, RequirementStatus::Declined) => "Descartado",
        }
    }

    pub fn requirement_source(&self, s: RequirementSource) -> &'static str {
        match (self.lang, s) {
            (Lang::En, RequirementSource::Entered) => "Entered by hand",
            (Lang::En, RequirementSource::EmployeeSurvey) => "Employee survey",
            (Lang::Es, RequirementSource::Entered) => "Registrado a mano",
            (Lang::Es, RequirementSource::EmployeeSurvey) => "Encuesta al personal",
        }
    }
}
