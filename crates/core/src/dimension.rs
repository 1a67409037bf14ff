//! Quality dimensions: the ten lenses the sources name, each mapped to one of SERVQUAL's five.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Servqual {
    Tangibles,
    Reliability,
    Responsiveness,
    Assurance,
    Empathy,
}

impl Servqual {
    pub fn as_str(self) -> &'static str {
        match self {
            Servqual::Tangibles => "tangibles",
            Servqual::Reliability => "reliability",
            Servqual::Responsiveness => "responsiveness",
            Servqual::Assurance => "assurance",
            Servqual::Empathy => "empathy",
        }
    }
}

/// A configurable lens on quality; `key` is stable, names are per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QualityDimension {
    pub key: String,
    pub name_en: String,
    pub name_es: String,
    pub servqual: Servqual,
    pub position: i32,
}

/// The ten dimensions of the sources with the SERVQUAL grouping of Parasuraman et al.:
/// competence, courtesy, credibility and security became assurance; access, communication and
/// understanding the customer became empathy.
pub fn default_dimensions() -> Vec<QualityDimension> {
    const TEN: [(&str, &str, &str, Servqual); 10] = [
        (
            "tangibles",
            "Tangibles",
            "Elementos tangibles",
            Servqual::Tangibles,
        ),
        (
            "reliability",
            "Reliability",
            "Fiabilidad",
            Servqual::Reliability,
        ),
        (
            "responsiveness",
            "Responsiveness",
            "Capacidad de respuesta",
            Servqual::Responsiveness,
        ),
        (
            "professionalism",
            "Professionalism",
            "Profesionalidad",
            Servqual::Assurance,
        ),
        ("courtesy", "Courtesy", "Cortesía", Servqual::Assurance),
        (
            "credibility",
            "Credibility",
            "Credibilidad",
            Servqual::Assurance,
        ),
        ("security", "Security", "Seguridad", Servqual::Assurance),
        (
            "accessibility",
            "Accessibility",
            "Accesibilidad",
            Servqual::Empathy,
        ),
        (
            "communication",
            "Communication",
            "Comunicación",
            Servqual::Empathy,
        ),
        (
            "understanding",
            "Understanding the customer",
            "Comprensión del cliente",
            Servqual::Empathy,
        ),
    ];
    TEN.iter()
        .zip(1..)
        .map(|((key, en, es, sq), position)| QualityDimension {
            key: (*key).into(),
            name_en: (*en).into(),
            name_es: (*es).into(),
            servqual: *sq,
            position,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_defaults_cover_all_five_servqual_groups() {
        let d = default_dimensions();
        assert_eq!(d.len(), 10);
        for sq in [
            Servqual::Tangibles,
            Servqual::Reliability,
            Servqual::Responsiveness,
            Servqual::Assurance,
            Servqual::Empathy,
        ] {
            assert!(
                d.iter().any(|x| x.servqual == sq),
                "{sq:?} has no dimension"
            );
        }
    }
}
