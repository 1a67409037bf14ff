//! Ready-made surveys: a per-moment CSAT survey of a whole cycle, an NPS survey and a
//! SERVQUAL survey. Each returns a [`SurveyDraft`] the user can edit before publishing.
//!
//! Choices made here:
//! - The per-moment CSAT survey asks about the moments **in cycle order**, because people
//!   recall a visit as a sequence and rate each step more reliably that way. Per-moment
//!   questions are optional (not every customer lives every step, e.g. a phone call); the
//!   overall CSAT question is required; an optional comment closes the survey.
//! - Survey keys are derived from the service key (`<service>-csat`, `-nps`, `-servqual`).
//! - Moment names are inserted as written (moments have one name), so the question frame is
//!   translated and the name is not.
use super::{
    localized::Localized,
    question::{QuestionDraft, QuestionKind},
    servqual_items::SERVQUAL_ITEMS,
    survey::{Audience, SurveyDraft},
};
use crate::{cycle::CycleVersion, validate::MAX_KEY};
use std::collections::BTreeSet;

/// Code of the overall satisfaction question of the per-moment CSAT template.
pub const OVERALL_CSAT_CODE: &str = "overall";
/// Code of the free-text comment of the per-moment CSAT template.
pub const COMMENT_CODE: &str = "comment";

fn thank_you() -> Localized {
    Localized::en_es(
        "Thank you for your time. We read every answer and use it to improve.",
        "Gracias por su tiempo. Leemos cada respuesta y la usamos para mejorar.",
    )
}

fn survey(key: String, service_key: &str, title: Localized, intro: Localized) -> SurveyDraft {
    SurveyDraft {
        key,
        service_key: Some(service_key.to_string()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title,
        intro,
        thank_you: thank_you(),
        questions: Vec::new(),
    }
}

fn question(code: String, kind: QuestionKind, text: Localized, required: bool) -> QuestionDraft {
    QuestionDraft {
        code,
        kind,
        text,
        moment_key: None,
        dimension: None,
        required,
        options: Vec::new(),
    }
}

/// `<service>-<suffix>`, shortened so it stays a valid key.
fn survey_key(service_key: &str, suffix: &str) -> String {
    let room = MAX_KEY - suffix.len() - 1;
    let base: String = service_key.chars().take(room).collect();
    format!("{}-{suffix}", base.trim_end_matches(['-', '_']))
}

/// A question code for a moment: `<moment key>_csat`, never clashing with codes in `taken`.
fn moment_code(moment_key: &str, taken: &mut BTreeSet<String>) -> String {
    let base: String = moment_key.chars().take(MAX_KEY - 10).collect();
    let mut code = format!("{base}_csat");
    let mut n = 2;
    while !taken.insert(code.clone()) {
        code = format!("{base}_csat{n}");
        n += 1;
    }
    code
}

/// One 1–5 rating per moment (cycle order), an overall rating and optionally a comment.
pub fn moment_csat_survey(
    service_key: &str,
    service_name: &str,
    cycle: &CycleVersion,
    with_comment: bool,
) -> SurveyDraft {
    let mut draft = survey(
        survey_key(service_key, "csat"),
        service_key,
        Localized::en_es(
            format!("{service_name}: how did we do at each step?"),
            format!("{service_name}: ¿cómo lo atendimos en cada paso?"),
        ),
        Localized::en_es(
            "Think back to your last visit and rate each step from 1 (very dissatisfied) to 5 \
             (very satisfied). Skip any step you did not go through.",
            "Piense en su última visita y califique cada paso de 1 (muy insatisfecho) a 5 \
             (muy satisfecho). Omita los pasos por los que no pasó.",
        ),
    );
    let mut taken: BTreeSet<String> = [OVERALL_CSAT_CODE, COMMENT_CODE].map(String::from).into();
    for moment in &cycle.moments {
        let mut q = question(
            moment_code(&moment.key, &mut taken),
            QuestionKind::Rating,
            Localized::en_es(
                format!("How satisfied were you with this step: {}?", moment.name),
                format!("¿Qué tan satisfecho quedó con este paso: {}?", moment.name),
            ),
            false,
        );
        q.moment_key = Some(moment.key.clone());
        draft.questions.push(q);
    }
    draft.questions.push(question(
        OVERALL_CSAT_CODE.into(),
        QuestionKind::Rating,
        Localized::en_es(
            "Overall, how satisfied are you with the service as a whole?",
            "En general, ¿qué tan satisfecho está con el servicio en su conjunto?",
        ),
        true,
    ));
    if with_comment {
        draft.questions.push(question(
            COMMENT_CODE.into(),
            QuestionKind::Text,
            Localized::en_es(
                "Is there anything we could have done better?",
                "¿Hay algo que pudiéramos haber hecho mejor?",
            ),
            false,
        ));
    }
    draft
}

/// The recommendation question (0–10, required) and the reason for the score (optional).
pub fn nps_survey(service_key: &str, service_name: &str) -> SurveyDraft {
    let mut draft = survey(
        survey_key(service_key, "nps"),
        service_key,
        Localized::en_es(
            format!("{service_name}: would you recommend us?"),
            format!("{service_name}: ¿nos recomendaría?"),
        ),
        Localized::new(),
    );
    draft.questions = vec![
        question(
            "recommend".into(),
            QuestionKind::Nps,
            Localized::en_es(
                "How likely is it that you would recommend us to a friend or colleague?",
                "¿Qué tan probable es que nos recomiende a un amigo o colega?",
            ),
            true,
        ),
        question(
            "reason".into(),
            QuestionKind::Text,
            Localized::en_es(
                "What is the main reason for your score?",
                "¿Cuál es la razón principal de su calificación?",
            ),
            false,
        ),
    ];
    draft
}

/// Fifteen expectation/perception statements grouped by the five SERVQUAL groups, all required
/// (a gap per group needs every item of the group answered).
pub fn servqual_survey(service_key: &str, service_name: &str) -> SurveyDraft {
    let mut draft = survey(
        survey_key(service_key, "servqual"),
        service_key,
        Localized::en_es(
            format!("{service_name}: what you expect and what you get"),
            format!("{service_name}: lo que espera y lo que recibe"),
        ),
        Localized::en_es(
            "For each statement, first rate what an excellent organization of this kind \
             should offer (your expectation), then what we actually gave you (your \
             perception). 1 means you strongly disagree and 7 that you strongly agree.",
            "En cada afirmación, califique primero lo que debería ofrecer una organización \
             excelente de este tipo (su expectativa) y después lo que nosotros le ofrecimos \
             (su percepción). 1 significa que está totalmente en desacuerdo y 7, totalmente \
             de acuerdo.",
        ),
    );
    draft.questions = SERVQUAL_ITEMS
        .iter()
        .map(|item| {
            let mut q = question(
                item.code.into(),
                QuestionKind::Servqual,
                Localized::en_es(item.en, item.es),
                true,
            );
            q.dimension = Some(item.dimension.into());
            q
        })
        .collect();
    draft
}

#[cfg(test)]
#[path = "templates_tests.rs"]
mod tests;
