//! The analysis pages' filter form: period, site and (on the priorities page) the weights.
//! Unusable values never make an error page: the defaults are shown, with the reason.
use super::texts::AnalysisTexts;
use crate::pages::forms::Params;
use touchpoint_core::analytics::{Factor, PriorityWeights};

/// The filter form's values and the period sentence.
pub struct PeriodView {
    pub from: String,
    pub to: String,
    pub error: Option<&'static str>,
    pub text: String,
    /// (id, name, selected) of every site, for the site filter.
    pub sites: Vec<(i64, String, bool)>,
    /// The priority weights as form fields; empty on pages that do not rank.
    pub weights: Vec<WeightField>,
    pub weights_error: Option<&'static str>,
    /// Weights other than the defaults are in use (the report link carries them).
    pub custom_weights: bool,
}

pub struct WeightField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

fn field(f: Factor) -> &'static str {
    match f {
        Factor::Criticality => "w_criticality",
        Factor::Gap => "w_gap",
        Factor::Importance => "w_importance",
        Factor::Inconsistency => "w_inconsistency",
        Factor::Complaints => "w_complaints",
    }
}

/// The weights asked for by the `w_*` fields (a comma is read as a decimal point); the
/// defaults, with the reason, when any is not a usable number.
pub fn requested_weights(t: &AnalysisTexts, p: &Params) -> (PriorityWeights, Option<&'static str>) {
    let d = PriorityWeights::default();
    let w = |f: Factor| {
        p.opt(field(f)).map_or(d.get(f), |v| {
            v.replace(',', ".").parse::<f64>().unwrap_or(f64::NAN)
        })
    };
    let asked = PriorityWeights {
        criticality: w(Factor::Criticality),
        gap: w(Factor::Gap),
        importance: w(Factor::Importance),
        inconsistency: w(Factor::Inconsistency),
        complaints: w(Factor::Complaints),
    };
    match asked.validate() {
        Ok(()) => (asked, None),
        Err(_) => (d, Some(t.weights_invalid)),
    }
}

pub fn weight_fields(t: &AnalysisTexts, w: &PriorityWeights) -> Vec<WeightField> {
    Factor::ALL
        .iter()
        .map(|f| WeightField {
            name: field(*f),
            label: t.factor(*f),
            value: w.get(*f).to_string(),
        })
        .collect()
}

/// The site asked for, when it is one of `sites`; anything else shows every site.
pub fn requested_site(p: &Params, sites: &[(i64, String)]) -> Option<i64> {
    p.opt("site")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|id| sites.iter().any(|(s, _)| s == id))
}
