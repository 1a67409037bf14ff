use super::*;
use crate::{
    dimension::{Servqual, default_dimensions},
    feedback::{
        fixtures::{bank_cycle, ctx},
        survey::SurveyContext,
    },
};

#[test]
fn moment_csat_asks_every_moment_in_cycle_order() {
    let cycle = bank_cycle();
    let s = moment_csat_survey("cash-a-cheque", "Cash a cheque", &cycle, true)
        .validate(&ctx())
        .unwrap();
    assert_eq!(s.key, "cash-a-cheque-csat");
    let moments: Vec<_> = s
        .questions
        .iter()
        .filter_map(|q| q.moment_key.as_deref())
        .collect();
    let order: Vec<_> = cycle.moments.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(moments, order);
    assert_eq!(s.questions[2].code, "wait-turn_csat");
    assert!(
        s.questions[2]
            .text
            .get("es")
            .unwrap()
            .contains("Wait for your turn")
    );
    let last_two: Vec<_> = s.questions[4..]
        .iter()
        .map(|q| (q.code.as_str(), q.required))
        .collect();
    assert_eq!(last_two, [("overall", true), ("comment", false)]);
}

#[test]
fn moment_csat_without_comment_ends_with_overall() {
    let s = moment_csat_survey("cash-a-cheque", "Cash a cheque", &bank_cycle(), false);
    assert_eq!(s.questions.last().unwrap().code, OVERALL_CSAT_CODE);
}

#[test]
fn moment_codes_never_clash() {
    let mut cycle = bank_cycle();
    cycle.moments[0].key = "overall".into();
    cycle.moments[1].key = format!("{}a", "x".repeat(60));
    cycle.moments[2].key = format!("{}b", "x".repeat(60));
    let ctx = SurveyContext::with_default_dimensions(Some(&cycle));
    let s = moment_csat_survey(&"s".repeat(64), "S", &cycle, true).validate(&ctx);
    assert!(s.is_ok(), "{s:?}");
}

#[test]
fn nps_template_is_valid() {
    let s = nps_survey("cash-a-cheque", "Cash a cheque")
        .validate(&ctx())
        .unwrap();
    let kinds: Vec<_> = s.questions.iter().map(|q| (q.kind, q.required)).collect();
    assert_eq!(
        kinds,
        [(QuestionKind::Nps, true), (QuestionKind::Text, false)]
    );
}

#[test]
fn servqual_template_groups_items_by_the_five_dimensions() {
    let s = servqual_survey("cash-a-cheque", "Cash a cheque")
        .validate(&ctx())
        .unwrap();
    let dims = default_dimensions();
    let group = |key: &str| dims.iter().find(|d| d.key == key).unwrap().servqual;
    let groups: Vec<Servqual> = s
        .questions
        .iter()
        .map(|q| group(q.dimension.as_deref().unwrap()))
        .collect();
    let mut runs = groups.clone();
    runs.dedup();
    assert_eq!(
        runs,
        [
            Servqual::Tangibles,
            Servqual::Reliability,
            Servqual::Responsiveness,
            Servqual::Assurance,
            Servqual::Empathy
        ],
        "each group appears as one block"
    );
    assert!(
        s.questions
            .iter()
            .all(|q| q.kind == QuestionKind::Servqual && q.required)
    );
    assert_ne!(s.questions[0].text.get("en"), s.questions[0].text.get("es"));
}
