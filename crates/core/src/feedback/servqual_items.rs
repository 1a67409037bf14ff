//! The statements of the SERVQUAL template, written for Touchpoint in English and Spanish.
//!
//! Three per SERVQUAL group, in the group order tangibles, reliability, responsiveness,
//! assurance, empathy. Each names one of the ten quality dimensions; the dimension's SERVQUAL
//! group (see [`crate::dimension`]) is what the gap is averaged over.

/// One expectation/perception statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServqualItem {
    pub code: &'static str,
    /// Key of one of the ten default quality dimensions.
    pub dimension: &'static str,
    pub en: &'static str,
    pub es: &'static str,
}

const fn item(
    code: &'static str,
    dimension: &'static str,
    en: &'static str,
    es: &'static str,
) -> ServqualItem {
    ServqualItem {
        code,
        dimension,
        en,
        es,
    }
}

pub const SERVQUAL_ITEMS: [ServqualItem; 15] = [
    item(
        "premises",
        "tangibles",
        "The premises are clean, comfortable and easy to find your way around.",
        "Las instalaciones están limpias, son cómodas y es fácil orientarse en ellas.",
    ),
    item(
        "equipment",
        "tangibles",
        "The equipment used to serve you looks up to date and works properly.",
        "Los equipos con los que lo atienden se ven actualizados y funcionan bien.",
    ),
    item(
        "materials",
        "tangibles",
        "Forms, signs and documents are clear and easy to follow.",
        "Los formularios, avisos y documentos son claros y fáciles de seguir.",
    ),
    item(
        "as_promised",
        "reliability",
        "What you are told will be done is done, and on the day promised.",
        "Lo que le dicen que se hará se cumple, y en la fecha prometida.",
    ),
    item(
        "right_first_time",
        "reliability",
        "The service is done right the first time, without having to come back.",
        "El servicio se presta bien desde la primera vez, sin tener que volver.",
    ),
    item(
        "error_free",
        "reliability",
        "Amounts, records and paperwork are free of mistakes.",
        "Los importes, registros y trámites no tienen errores.",
    ),
    item(
        "prompt_service",
        "responsiveness",
        "You are served promptly, without needless waiting.",
        "Lo atienden con prontitud, sin esperas innecesarias.",
    ),
    item(
        "willing_to_help",
        "responsiveness",
        "Staff are willing to help you even when they are busy.",
        "El personal está dispuesto a ayudarle incluso cuando tiene mucho trabajo.",
    ),
    item(
        "clear_timing",
        "responsiveness",
        "You are told exactly when each thing will happen.",
        "Le informan con exactitud cuándo ocurrirá cada cosa.",
    ),
    item(
        "knowledge",
        "professionalism",
        "Staff know enough to answer your questions properly.",
        "El personal sabe lo suficiente para responder bien a sus preguntas.",
    ),
    item(
        "courtesy",
        "courtesy",
        "Staff treat you with courtesy and respect.",
        "El personal lo trata con cortesía y respeto.",
    ),
    item(
        "feel_safe",
        "security",
        "You feel safe and confident when dealing with the organization.",
        "Usted se siente seguro y con confianza al hacer sus gestiones con la organización.",
    ),
    item(
        "convenient_access",
        "accessibility",
        "Opening hours and ways of getting in touch suit you.",
        "Los horarios y las formas de contacto se ajustan a lo que usted necesita.",
    ),
    item(
        "personal_attention",
        "understanding",
        "Staff understand your particular needs and give you personal attention.",
        "El personal entiende sus necesidades particulares y le brinda una atención personal.",
    ),
    item(
        "plain_language",
        "communication",
        "Things are explained to you in plain words you can understand.",
        "Le explican las cosas con palabras sencillas que usted entiende.",
    ),
];
