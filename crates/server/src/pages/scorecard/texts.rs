//! The scorecard's strings on the journey page, in English and Spanish. As in the other
//! catalogs, each language is one `const` of the same struct, so a missing key does not
//! compile; `{name}` placeholders are filled with `str::replace`.
use crate::i18n::Lang;
use touchpoint_core::analytics::{Status, TrendTest};

pub fn scorecard_texts(lang: Lang) -> &'static ScorecardTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

#[derive(Debug)]
pub struct ScorecardTexts {
    pub heading: &'static str,
    pub period_form: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub show: &'static str,
    pub site: &'static str,
    pub all_sites: &'static str,
    pub staff: &'static str,
    pub all_staff: &'static str,
    /// Shown when the scorecard counts one staff member's evidence; `{name}` is theirs.
    pub staff_scope: &'static str,
    pub period_invalid: &'static str,
    pub period: &'static str,
    pub targets: &'static str,
    pub colour_legend: &'static str,
    pub good: &'static str,
    pub watch: &'static str,
    pub poor: &'static str,
    pub unrated: &'static str,
    pub blind_spot: &'static str,
    pub good_explained: &'static str,
    pub watch_explained: &'static str,
    pub poor_explained: &'static str,
    pub unrated_explained: &'static str,
    pub blind_spot_explained: &'static str,
    pub blind_spot_text: &'static str,
    pub status: &'static str,
    pub answers: &'static str,
    pub rating_mean: &'static str,
    pub effort_mean: &'static str,
    pub csat: &'static str,
    pub nps: &'static str,
    pub compliance: &'static str,
    pub audit_score: &'static str,
    pub compliments_per_1000: &'static str,
    pub complaints: &'static str,
    pub complaints_per_1000: &'static str,
    pub estimate: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    pub no_change: &'static str,
    pub two_proportion_z: &'static str,
    pub welch_t: &'static str,
    pub nps_difference_z: &'static str,
    /// The decimal separator of the language.
    pub decimal: char,
}

impl ScorecardTexts {
    pub fn status(&self, s: Status) -> &'static str {
        match s {
            Status::Good => self.good,
            Status::Watch => self.watch,
            Status::Poor => self.poor,
            Status::Unrated => self.unrated,
            Status::BlindSpot => self.blind_spot,
        }
    }

    pub fn test(&self, t: TrendTest) -> &'static str {
        match t {
            TrendTest::TwoProportionZ => self.two_proportion_z,
            TrendTest::WelchT => self.welch_t,
            TrendTest::NpsDifferenceZ => self.nps_difference_z,
        }
    }

    /// `x` with `decimals` digits and the language's decimal separator.
    pub fn num(&self, x: f64, decimals: usize) -> String {
        format!("{x:.decimals$}").replace('.', &self.decimal.to_string())
    }
}

pub const EN: ScorecardTexts = ScorecardTexts {
    heading: "Scorecard",
    period_form: "Period of the scorecard",
    from: "From",
    to: "To",
    show: "Show",
    site: "Site",
    all_sites: "All sites",
    staff: "Staff member",
    all_staff: "Everyone",
    staff_scope: "Only the evidence about {name}: answers from the customers they served, the mystery-shopper visits that observed them and the compliments about them. Standards compliance and complaints are left out, because measurements and complaints do not say who served.",
    period_invalid: "Enter both dates as YYYY-MM-DD, the first on or before the second and at most ten years apart. Showing the last 90 days instead.",
    period: "From {from} to {to} (UTC days), compared with {prev_from} to {prev_to}.",
    targets: "Targets: CSAT {csat}%, standards compliance {compliance}%. A moment takes the colour of the worse of the two.",
    colour_legend: "Colours of the moments",
    good: "On target",
    watch: "Watch",
    poor: "Below target",
    unrated: "No target figure",
    blind_spot: "Blind spot",
    good_explained: "at or above target",
    watch_explained: "below target, but not significantly",
    poor_explained: "the whole 95% interval is below target",
    unrated_explained: "evidence, but no CSAT or compliance to judge",
    blind_spot_explained: "no evidence at all — never read as good",
    blind_spot_text: "Blind spot: no answers, measurements, audits, compliments or complaints in this period. Silence is not satisfaction.",
    status: "Status",
    answers: "Answers",
    rating_mean: "Mean rating (1–5)",
    effort_mean: "Mean effort (CES, 1–7, lower is better)",
    csat: "CSAT",
    nps: "NPS",
    compliance: "Standards compliance",
    audit_score: "Mystery-shopper score",
    compliments_per_1000: "Compliments per 1,000 answers",
    complaints: "Complaints",
    complaints_per_1000: "Complaints per 1,000 answers",
    estimate: "{value} (95% interval {low} to {high}, n = {n})",
    up: "significant rise against the previous period ({test}, {p})",
    down: "significant fall against the previous period ({test}, {p})",
    no_change: "no significant change ({test}, {p})",
    two_proportion_z: "two-proportion z-test",
    welch_t: "Welch's t-test",
    nps_difference_z: "z-test on the NPS difference",
    decimal: '.',
};

pub const ES: ScorecardTexts = ScorecardTexts {
    heading: "Cuadro de mando",
    period_form: "Periodo del cuadro de mando",
    from: "Desde",
    to: "Hasta",
    show: "Mostrar",
    site: "Sucursal",
    all_sites: "Todas las sucursales",
    staff: "Colaborador",
    all_staff: "Todos",
    staff_scope: "Solo la evidencia sobre {name}: las respuestas de los clientes que atendió, las visitas de cliente incógnito en que fue observado y los elogios que recibió. No se muestran el cumplimiento de estándares ni los reclamos, porque las mediciones y los reclamos no registran quién atendió.",
    period_invalid: "Escriba ambas fechas como AAAA-MM-DD, la primera igual o anterior a la segunda y con no más de diez años entre ellas. Se muestran los últimos 90 días.",
    period: "Del {from} al {to} (días UTC), comparado con el periodo del {prev_from} al {prev_to}.",
    targets: "Metas: CSAT {csat} %, cumplimiento de estándares {compliance} %. Cada momento toma el color del peor de los dos.",
    colour_legend: "Colores de los momentos",
    good: "En la meta",
    watch: "En observación",
    poor: "Bajo la meta",
    unrated: "Sin cifra para la meta",
    blind_spot: "Punto ciego",
    good_explained: "en la meta o por encima",
    watch_explained: "bajo la meta, pero sin diferencia significativa",
    poor_explained: "todo el intervalo del 95 % queda bajo la meta",
    unrated_explained: "hay evidencia, pero ni CSAT ni cumplimiento para juzgar",
    blind_spot_explained: "ninguna evidencia; nunca se lee como algo bueno",
    blind_spot_text: "Punto ciego: ni respuestas, ni mediciones, ni auditorías, ni felicitaciones, ni reclamos en este periodo. El silencio no es satisfacción.",
    status: "Estado",
    answers: "Respuestas",
    rating_mean: "Valoración media (1–5)",
    effort_mean: "Esfuerzo medio (CES, 1–7; cuanto menor, mejor)",
    csat: "CSAT",
    nps: "NPS",
    compliance: "Cumplimiento de estándares",
    audit_score: "Puntuación del cliente incógnito",
    compliments_per_1000: "Felicitaciones por cada 1000 respuestas",
    complaints: "Reclamos",
    complaints_per_1000: "Reclamos por cada 1000 respuestas",
    estimate: "{value} (intervalo del 95 %: de {low} a {high}; n = {n})",
    up: "subida significativa frente al periodo anterior ({test}, {p})",
    down: "bajada significativa frente al periodo anterior ({test}, {p})",
    no_change: "sin cambio significativo ({test}, {p})",
    two_proportion_z: "prueba z de dos proporciones",
    welch_t: "prueba t de Welch",
    nps_difference_z: "prueba z de la diferencia de NPS",
    decimal: ',',
};

#[cfg(test)]
mod tests {
    use super::*;

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
            (EN.period, ES.period),
            (EN.targets, ES.targets),
            (EN.estimate, ES.estimate),
            (EN.up, ES.up),
            (EN.down, ES.down),
            (EN.no_change, ES.no_change),
        ] {
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
        assert_eq!(ES.num(82.456, 1), "82,5");
        assert_eq!(EN.num(82.456, 1), "82.5");
    }
}
