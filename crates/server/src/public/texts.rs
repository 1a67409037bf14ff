//! Every string of the answering site, in English and Spanish (usted, for Latin America).
//! One `const` per language of the same struct, so a key missing in either fails to compile.
//! Placeholders (`{n}`, `{total}`) are filled with `str::replace`.
use crate::i18n::Lang;

#[derive(Debug)]
pub struct PublicTexts {
    pub skip_to_questions: &'static str,
    pub language: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub required_note: &'static str,
    pub question_n_of: &'static str,
    pub part_n_of: &'static str,
    pub questions_count: &'static str,
    pub general_section: &'static str,
    pub very_dissatisfied: &'static str,
    pub very_satisfied: &'static str,
    pub not_likely: &'static str,
    pub extremely_likely: &'static str,
    pub very_easy: &'static str,
    pub very_difficult: &'static str,
    pub strongly_disagree: &'static str,
    pub strongly_agree: &'static str,
    pub expectation: &'static str,
    pub expectation_help: &'static str,
    pub perception: &'static str,
    pub perception_help: &'static str,
    pub choose_one: &'static str,
    pub choose_all: &'static str,
    pub text_help: &'static str,
    pub submit: &'static str,
    pub fix_errors: &'static str,
    pub thanks_title: &'static str,
    pub thanks_text: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub expired_title: &'static str,
    pub expired_text: &'static str,
    pub answered_title: &'static str,
    pub answered_text: &'static str,
    pub not_open_title: &'static str,
    pub not_open_text: &'static str,
    pub too_many_title: &'static str,
    pub too_many_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub close_hint: &'static str,
}

pub fn public_texts(lang: Lang) -> &'static PublicTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

pub const EN: PublicTexts = PublicTexts {
    skip_to_questions: "Skip to the questions",
    language: "Language",
    required: "Required",
    optional: "Optional",
    required_note: "Questions marked “Required” need an answer; you may skip the others.",
    question_n_of: "Question {n} of {total}",
    part_n_of: "Part {n} of {total}",
    questions_count: "{total} questions",
    general_section: "Overall",
    very_dissatisfied: "Very dissatisfied",
    very_satisfied: "Very satisfied",
    not_likely: "Not at all likely",
    extremely_likely: "Extremely likely",
    very_easy: "Very easy",
    very_difficult: "Very difficult",
    strongly_disagree: "Strongly disagree",
    strongly_agree: "Strongly agree",
    expectation: "What you expect",
    expectation_help: "from an excellent organization of this kind",
    perception: "What you got",
    perception_help: "from us, this time",
    choose_one: "Choose one.",
    choose_all: "Choose all that apply.",
    text_help: "In your own words (up to 2,000 characters).",
    submit: "Send my answers",
    fix_errors: "Some answers need your attention",
    thanks_title: "Thank you!",
    thanks_text: "Your answers were received. We read every one and use them to improve.",
    not_found_title: "We could not find this page",
    not_found_text: "The link may be incomplete or no longer in use. Please check that you copied all of it, or ask whoever sent it for a new one.",
    expired_title: "This link has expired",
    expired_text: "This survey link is no longer accepting answers. Thank you for your interest.",
    answered_title: "Already answered — thank you",
    answered_text: "This invitation has already been answered, and each invitation counts once. Your opinion is recorded.",
    not_open_title: "This survey is not open yet",
    not_open_text: "The survey is still being prepared. Please try the same link again later.",
    too_many_title: "Too many requests",
    too_many_text: "We received many requests from your connection in a short time. Please wait a minute and try again; your answers were not saved.",
    error_title: "Something went wrong",
    error_text: "Your answers could not be saved right now. Please go back and send them again in a moment.",
    close_hint: "You can close this page now.",
};

pub const ES: PublicTexts = PublicTexts {
    skip_to_questions: "Ir a las preguntas",
    language: "Idioma",
    required: "Obligatoria",
    optional: "Opcional",
    required_note: "Las preguntas marcadas como «Obligatoria» necesitan respuesta; puede omitir las demás.",
    question_n_of: "Pregunta {n} de {total}",
    part_n_of: "Parte {n} de {total}",
    questions_count: "{total} preguntas",
    general_section: "En general",
    very_dissatisfied: "Muy insatisfecho",
    very_satisfied: "Muy satisfecho",
    not_likely: "Nada probable",
    extremely_likely: "Extremadamente probable",
    very_easy: "Muy fácil",
    very_difficult: "Muy difícil",
    strongly_disagree: "Totalmente en desacuerdo",
    strongly_agree: "Totalmente de acuerdo",
    expectation: "Lo que espera",
    expectation_help: "de una organización excelente de este tipo",
    perception: "Lo que recibió",
    perception_help: "de nosotros, esta vez",
    choose_one: "Elija una opción.",
    choose_all: "Elija todas las que correspondan.",
    text_help: "Con sus propias palabras (hasta 2.000 caracteres).",
    submit: "Enviar mis respuestas",
    fix_errors: "Algunas respuestas necesitan su atención",
    thanks_title: "¡Gracias!",
    thanks_text: "Recibimos sus respuestas. Leemos cada una y las usamos para mejorar.",
    not_found_title: "No encontramos esta página",
    not_found_text: "Puede que el enlace esté incompleto o ya no se use. Revise que lo haya copiado completo o pida uno nuevo a quien se lo envió.",
    expired_title: "Este enlace venció",
    expired_text: "Este enlace de la encuesta ya no recibe respuestas. Gracias por su interés.",
    answered_title: "Ya respondió — gracias",
    answered_text: "Esta invitación ya fue respondida y cada invitación cuenta una sola vez. Su opinión quedó registrada.",
    not_open_title: "Esta encuesta aún no está abierta",
    not_open_text: "La encuesta todavía se está preparando. Intente de nuevo con el mismo enlace más tarde.",
    too_many_title: "Demasiadas solicitudes",
    too_many_text: "Recibimos muchas solicitudes desde su conexión en poco tiempo. Espere un minuto e inténtelo de nuevo; sus respuestas no se guardaron.",
    error_title: "Algo salió mal",
    error_text: "No pudimos guardar sus respuestas en este momento. Vuelva atrás y envíelas de nuevo en un momento.",
    close_hint: "Ya puede cerrar esta página.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_between_languages() {
        for (en, es) in [
            (EN.question_n_of, ES.question_n_of),
            (EN.part_n_of, ES.part_n_of),
            (EN.questions_count, ES.questions_count),
        ] {
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(holes(en), holes(es), "{en} / {es}");
            assert!(es.contains("{total}") && en.contains("{total}"));
        }
        assert_eq!(ES.very_dissatisfied, "Muy insatisfecho");
        assert_eq!(EN.not_likely, "Not at all likely");
    }
}
