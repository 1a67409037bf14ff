use super::*;
use crate::feedback::fixtures::all_kinds;
use proptest::prelude::*;

fn answers(pairs: &[(&str, AnswerValue)]) -> BTreeMap<String, AnswerValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn minimal() -> BTreeMap<String, AnswerValue> {
    answers(&[
        ("wait", AnswerValue::Score(4)),
        ("nps", AnswerValue::Score(9)),
    ])
}

#[test]
fn required_questions_are_enough() {
    let s = all_kinds();
    let ok = validate_answers(&s, &minimal()).unwrap();
    assert_eq!(ok.0.len(), 2);
    assert_eq!(ok.0[1].code(&s), "nps");
}

#[test]
fn missing_required_answer_gets_a_friendly_message() {
    let s = all_kinds();
    let mut a = minimal();
    a.remove("wait");
    let e = validate_answers(&s, &a).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "answers.wait");
    assert_eq!(e.0[0].message, "please answer this question");
    let issues = check_answers(&s, &a).unwrap_err();
    assert_eq!(
        issues_to_errors(&issues, "es").0[0].message,
        "por favor, responda esta pregunta"
    );
}

#[test]
fn every_kind_is_range_checked() {
    let s = all_kinds();
    let mut a = minimal();
    a.insert("wait".into(), AnswerValue::Score(6));
    a.insert("nps".into(), AnswerValue::Score(-1));
    a.insert("effort".into(), AnswerValue::Score(8));
    a.insert(
        "courtesy".into(),
        AnswerValue::Servqual {
            expectation: 7,
            perception: 0,
        },
    );
    a.insert("visit".into(), AnswerValue::Choice("never".into()));
    a.insert(
        "channels".into(),
        AnswerValue::Choices(vec!["web".into(), "fax".into()]),
    );
    a.insert("comment".into(), AnswerValue::Text("x".repeat(2001)));
    a.insert("bogus".into(), AnswerValue::Score(1));
    let e = validate_answers(&s, &a).unwrap_err();
    let got: Vec<(&str, &str)> =
        e.0.iter()
            .map(|f| (f.field.as_str(), f.message.as_str()))
            .collect();
    assert_eq!(
        got,
        [
            ("answers.wait", "choose a score from 1 to 5"),
            ("answers.nps", "choose a score from 0 to 10"),
            ("answers.effort", "choose a score from 1 to 7"),
            (
                "answers.courtesy",
                "the perception score must be from 1 to 7"
            ),
            ("answers.visit", "'never' is not one of the options"),
            ("answers.channels", "'fax' is not one of the options"),
            (
                "answers.comment",
                "please keep your answer within 2000 characters"
            ),
            ("answers.bogus", "this survey has no such question"),
        ]
    );
}

#[test]
fn wrong_shapes_say_what_is_expected() {
    let s = all_kinds();
    let mut a = minimal();
    a.insert("courtesy".into(), AnswerValue::Score(3));
    a.insert("comment".into(), AnswerValue::Score(3));
    a.insert("visit".into(), AnswerValue::Choices(vec!["first".into()]));
    let e = validate_answers(&s, &a).unwrap_err();
    let msgs: Vec<_> = e.0.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "expects an expectation and a perception score",
            "expects one of the options",
            "expects text"
        ]
    );
}

#[test]
fn strings_are_read_by_question_kind() {
    let s = all_kinds();
    let json = r#"{"wait":"4","nps":10,"courtesy":{"expectation":6,"perception":5},
        "visit":"repeat","channels":["branch","phone","branch"],"comment":"  Quick and kind  "}"#;
    let a: BTreeMap<String, AnswerValue> = serde_json::from_str(json).unwrap();
    let ok = validate_answers(&s, &a).unwrap();
    let values: Vec<_> = ok.with_questions(&s).map(|(_, v)| v.clone()).collect();
    assert_eq!(
        values,
        [
            AnswerValue::Score(4),
            AnswerValue::Score(10),
            AnswerValue::Servqual {
                expectation: 6,
                perception: 5
            },
            AnswerValue::Choice("repeat".into()),
            AnswerValue::Choices(vec!["phone".into(), "branch".into()]),
            AnswerValue::Text("Quick and kind".into()),
        ]
    );
}

#[test]
fn blank_answers_count_as_unanswered() {
    let s = all_kinds();
    let mut a = minimal();
    a.insert("comment".into(), AnswerValue::Text("   ".into()));
    a.insert("channels".into(), AnswerValue::Choices(vec![]));
    assert_eq!(validate_answers(&s, &a).unwrap().0.len(), 2);
    a.insert("nps".into(), AnswerValue::Choice(" ".into()));
    let e = validate_answers(&s, &a).unwrap_err();
    assert_eq!(e.0[0].message, "please answer this question");
}

#[test]
fn non_numeric_score_is_named() {
    let s = all_kinds();
    let mut a = minimal();
    a.insert("wait".into(), AnswerValue::Choice("four".into()));
    let issues = check_answers(&s, &a).unwrap_err();
    assert_eq!(issues[0].problem, AnswerProblem::NotANumber("four".into()));
    assert_eq!(
        issues[0].problem.message("es"),
        "'four' no es un número entero"
    );
}

#[test]
fn spanish_messages_exist_for_every_problem() {
    let problems = [
        AnswerProblem::UnknownQuestion,
        AnswerProblem::WrongType(Expected::Pair),
        AnswerProblem::OutOfRange {
            part: Some(ServqualPart::Expectation),
            min: 1,
            max: 7,
        },
        AnswerProblem::TooLong { max: 5 },
        AnswerProblem::HalfServqual {
            missing: ServqualPart::Perception,
        },
    ];
    for p in problems {
        assert_ne!(p.message("en"), p.message("es"), "{p:?}");
    }
}

proptest! {
    #[test]
    fn a_score_is_accepted_exactly_when_in_scale(v in -20i32..20) {
        let s = all_kinds();
        for code in ["wait", "nps"] {
            let (_, q) = s.question(code).unwrap();
            let inside = q.kind.scale().unwrap().contains(v);
            prop_assert_eq!(check_value(q, &AnswerValue::Score(v)).is_ok(), inside);
        }
    }

    #[test]
    fn ticked_options_come_back_once_in_survey_order(picks in proptest::collection::vec(0usize..3, 0..8)) {
        let s = all_kinds();
        let (_, q) = s.question("channels").unwrap();
        let codes: Vec<String> = picks.iter().map(|i| q.options[*i].code.clone()).collect();
        let got = check_value(q, &AnswerValue::Choices(codes)).unwrap();
        let expected: Vec<String> = q.options.iter().enumerate()
            .filter(|(i, _)| picks.contains(i)).map(|(_, o)| o.code.clone()).collect();
        prop_assert_eq!(got, (!expected.is_empty()).then_some(AnswerValue::Choices(expected)));
    }
}
