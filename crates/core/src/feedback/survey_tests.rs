use super::*;
use crate::feedback::{
    fixtures::{all_kinds_draft, ctx, option},
    question::QuestionKind,
};

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn a_survey_with_every_kind_is_valid_and_trimmed() {
    let mut draft = all_kinds_draft();
    draft.questions[0].code = "  wait ".into();
    draft.title = Localized::en_es("  Your visit ", "Su visita");
    let s = draft.validate(&ctx()).unwrap();
    assert_eq!(s.questions.len(), 7);
    assert_eq!(s.questions[0].code, "wait");
    assert_eq!(s.title.get("en"), Some("Your visit"));
    assert_eq!(s.question("nps").map(|(i, _)| i), Some(1));
    assert!(s.intro.0.is_empty());
}

#[test]
fn duplicate_code_names_the_later_question() {
    let mut draft = all_kinds_draft();
    draft.questions[3].code = "wait".into();
    draft.questions[3].kind = QuestionKind::Rating;
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(fields(&e), ["questions[3].code"]);
    assert!(e.0[0].message.contains("duplicate"));
}

#[test]
fn missing_spanish_text_is_named() {
    let mut draft = all_kinds_draft();
    draft.questions[2].text.0.remove("es");
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(fields(&e), ["questions[2].text.es"]);
}

#[test]
fn choice_questions_need_options_and_others_must_not_have_them() {
    let mut draft = all_kinds_draft();
    draft.questions[4].options.clear();
    draft.questions[1].options = vec![option("x"), option("y")];
    draft.questions[5].options[1].code = "phone".into();
    draft.questions[5].options[2].label.0.remove("en");
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "questions[1].options",
            "questions[4].options",
            "questions[5].options[1].code",
            "questions[5].options[2].label.en"
        ]
    );
}

#[test]
fn unknown_moment_and_dimension_are_rejected_with_choices() {
    let mut draft = all_kinds_draft();
    draft.questions[0].moment_key = Some("teleport".into());
    draft.questions[2].dimension = Some("magic".into());
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["questions[0].moment_key", "questions[2].dimension"]
    );
    assert!(e.0[0].message.contains("wait-turn"), "{}", e.0[0].message);
    assert!(e.0[1].message.contains("courtesy"));
}

#[test]
fn servqual_items_need_a_dimension() {
    let mut draft = all_kinds_draft();
    draft.questions[3].dimension = Some("  ".into());
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(fields(&e), ["questions[3].dimension"]);
}

#[test]
fn customer_surveys_need_a_service_employee_surveys_do_not() {
    let mut draft = all_kinds_draft();
    draft.service_key = None;
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(fields(&e), ["service_key", "questions[0].moment_key"]);

    draft.audience = Audience::Employees;
    draft.questions[0].moment_key = None;
    let s = draft.validate(&SurveyContext::with_default_dimensions(None));
    assert!(s.is_ok(), "{s:?}");
}

#[test]
fn employee_survey_about_a_service_may_use_its_moments() {
    let mut draft = all_kinds_draft();
    draft.audience = Audience::Employees;
    assert!(draft.validate(&ctx()).is_ok());
}

#[test]
fn languages_title_and_questions_are_checked() {
    let mut draft = all_kinds_draft();
    draft.languages = vec!["en".into()];
    draft.questions.clear();
    draft.key = "Bank Survey".into();
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["key", "languages", "title.es", "thank_you.es", "questions"]
    );
}

#[test]
fn reserved_and_suffixed_codes_are_rejected() {
    let mut draft = all_kinds_draft();
    draft.questions[2].code = "site".into();
    draft.questions[6].code = "comment_p".into();
    let e = draft.validate(&ctx()).unwrap_err();
    assert_eq!(fields(&e), ["questions[2].code", "questions[6].code"]);
}

#[test]
fn to_draft_revalidates_to_the_same_survey() {
    let s = all_kinds_draft().validate(&ctx()).unwrap();
    assert_eq!(s.to_draft().validate(&ctx()).unwrap(), s);
}

#[test]
fn language_for_falls_back_to_the_first() {
    let s = all_kinds_draft().validate(&ctx()).unwrap();
    assert_eq!(s.language_for("es"), "es");
    assert_eq!(s.language_for("de"), "en");
}

#[test]
fn audience_parses_and_prints() {
    assert_eq!("employees".parse::<Audience>(), Ok(Audience::Employees));
    assert!("robots".parse::<Audience>().is_err());
    assert_eq!(Audience::Customers.to_string(), "customers");
}
