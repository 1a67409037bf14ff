//! Shared test data: the bank cycle of the sources and a survey with every question kind.
use super::{
    localized::Localized,
    question::{ChoiceOption, QuestionDraft, QuestionKind},
    survey::{Audience, SurveyContext, SurveyDraft, ValidSurvey},
};
use crate::{
    channel::Channel,
    cycle::{CycleVersion, Moment},
    standard::ServiceStandard,
};
use chrono::{DateTime, TimeZone, Utc};

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn moment(id: i64, key: &str, name: &str, critical: bool, standards: &[&str]) -> Moment {
    Moment {
        id,
        key: key.into(),
        position: id as i32,
        name: name.into(),
        description: String::new(),
        channel: Channel::InPerson,
        role: String::new(),
        critical,
        standards: standards.iter().map(|s| s.parse().unwrap()).collect(),
    }
}

/// A shortened cheque-cashing cycle: two critical moments, standards on three.
pub fn bank_cycle() -> CycleVersion {
    let mut phone = moment(1, "call-branch", "Call the branch", false, &["rings <= 3"]);
    phone.channel = Channel::Phone;
    phone.standards.push(ServiceStandard {
        description: "Never on hold more than 17 seconds".into(),
        ..("hold_seconds <= 17 s".parse().unwrap())
    });
    CycleVersion {
        id: 7,
        service_id: 3,
        version: 2,
        note: String::new(),
        published_at: at(2026, 1, 5, 9, 0),
        published_by: "test".into(),
        moments: vec![
            phone,
            moment(2, "take-number", "Take a number", true, &[]),
            moment(
                3,
                "wait-turn",
                "Wait for your turn",
                true,
                &["wait_minutes <= 10 min"],
            ),
            moment(4, "paid", "Get paid", true, &["count_errors = 0"]),
        ],
    }
}

pub fn ctx() -> SurveyContext {
    SurveyContext::with_default_dimensions(Some(&bank_cycle()))
}

fn q(code: &str, kind: QuestionKind, required: bool) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind,
        text: Localized::en_es(format!("Question {code}?"), format!("¿Pregunta {code}?")),
        moment_key: None,
        dimension: None,
        required,
        options: Vec::new(),
    }
}

pub fn option(code: &str) -> ChoiceOption {
    ChoiceOption {
        code: code.into(),
        label: Localized::en_es(code.to_uppercase(), format!("{code} (es)")),
    }
}

/// One question of every kind: `wait` rating (required, moment), `nps` (required),
/// `effort`, `courtesy` servqual, `visit` single choice, `channels` multi choice, `comment`.
pub fn all_kinds_draft() -> SurveyDraft {
    let mut wait = q("wait", QuestionKind::Rating, true);
    wait.moment_key = Some("wait-turn".into());
    let mut courtesy = q("courtesy", QuestionKind::Servqual, false);
    courtesy.dimension = Some("courtesy".into());
    let mut visit = q("visit", QuestionKind::SingleChoice, false);
    visit.options = vec![option("first"), option("repeat")];
    let mut channels = q("channels", QuestionKind::MultiChoice, false);
    channels.options = vec![option("phone"), option("web"), option("branch")];
    SurveyDraft {
        key: "bank-all".into(),
        service_key: Some("cash-a-cheque".into()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es("Your visit", "Su visita"),
        intro: Localized::new(),
        thank_you: Localized::en_es("Thank you!", "¡Gracias!"),
        questions: vec![
            wait,
            q("nps", QuestionKind::Nps, true),
            q("effort", QuestionKind::Effort, false),
            courtesy,
            visit,
            channels,
            q("comment", QuestionKind::Text, false),
        ],
    }
}

pub fn all_kinds() -> ValidSurvey {
    all_kinds_draft().validate(&ctx()).unwrap()
}
