//! Validation of requirement and action plan inputs.
use super::{
    action_plan::{ActionPlanInput, PlanStatus},
    requirement::{RequirementInput, RequirementSource, RequirementStatus},
};
use crate::feedback::fixtures::bank_cycle;

fn fields(e: crate::error::ValidationErrors) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

fn requirement(text: &str) -> RequirementInput {
    RequirementInput {
        service_id: 1,
        moment_key: "wait-turn".into(),
        text: text.into(),
        ..RequirementInput::default()
    }
}

#[test]
fn an_entered_requirement_defaults_to_open() {
    let r = requirement("  More seats in the hall ")
        .validate(Some(&bank_cycle()))
        .unwrap();
    assert_eq!(r.text, "More seats in the hall");
    assert_eq!(
        (r.source, r.status),
        (RequirementSource::Entered, RequirementStatus::Open)
    );
}

#[test]
fn requirement_problems_name_every_field() {
    let bad = RequirementInput {
        service_id: 0,
        moment_key: "nowhere".into(),
        site_id: Some(-1),
        source: Some("gossip".into()),
        status: Some("maybe".into()),
        ..requirement(" ")
    };
    assert_eq!(
        fields(bad.validate(Some(&bank_cycle())).unwrap_err()),
        vec![
            "service_id",
            "moment_key",
            "site_id",
            "text",
            "source",
            "status"
        ]
    );
    assert_eq!(
        fields(requirement("x").validate(None).unwrap_err()),
        vec!["moment_key"],
        "no cycle, no moments"
    );
}

#[test]
fn a_survey_requirement_names_its_response() {
    let from_survey = RequirementInput {
        source: Some("employee-survey".into()),
        ..requirement("A printer that works")
    };
    assert_eq!(
        fields(from_survey.validate(Some(&bank_cycle())).unwrap_err()),
        vec!["response_id"]
    );
    let linked = RequirementInput {
        response_id: Some(7),
        question_code: Some("needs".into()),
        ..from_survey
    };
    let r = linked.validate(Some(&bank_cycle())).unwrap();
    assert_eq!(r.source, RequirementSource::EmployeeSurvey);
    assert_eq!(
        (r.response_id, r.question_code.as_deref()),
        (Some(7), Some("needs"))
    );
    let entered_with_link = RequirementInput {
        source: Some("entered".into()),
        ..linked
    };
    assert_eq!(
        fields(entered_with_link.validate(Some(&bank_cycle())).unwrap_err()),
        vec!["source"]
    );
}

fn plan() -> ActionPlanInput {
    ActionPlanInput {
        service_id: 1,
        title: "A second cashier at lunchtime".into(),
        moment_keys: vec!["wait-turn".into()],
        owner: "Branch manager".into(),
        start_date: "2026-03-01".parse().unwrap(),
        due_date: "2026-04-30".parse().unwrap(),
        status: None,
        expected_effect: String::new(),
        requirement_ids: vec![3, 1, 3],
    }
}

#[test]
fn a_plan_defaults_to_planned_and_keeps_each_requirement_once() {
    let p = plan().validate(Some(&bank_cycle())).unwrap();
    assert_eq!(p.status, PlanStatus::Planned);
    assert_eq!(p.requirement_ids, vec![1, 3]);
    let started = ActionPlanInput {
        status: Some("In Progress".into()),
        ..plan()
    };
    assert_eq!(
        started.validate(Some(&bank_cycle())).unwrap().status,
        PlanStatus::InProgress
    );
}

#[test]
fn plan_problems_name_every_field() {
    let bad = ActionPlanInput {
        service_id: -3,
        title: String::new(),
        owner: " ".into(),
        moment_keys: vec!["wait-turn".into(), "nowhere".into(), "wait-turn".into()],
        due_date: "2026-02-01".parse().unwrap(),
        status: Some("someday".into()),
        requirement_ids: vec![0],
        ..plan()
    };
    assert_eq!(
        fields(bad.validate(Some(&bank_cycle())).unwrap_err()),
        vec![
            "service_id",
            "title",
            "owner",
            "moment_keys[1]",
            "moment_keys[2]",
            "due_date",
            "status",
            "requirement_ids"
        ]
    );
    let none = ActionPlanInput {
        moment_keys: Vec::new(),
        ..plan()
    };
    assert_eq!(
        fields(none.validate(Some(&bank_cycle())).unwrap_err()),
        vec!["moment_keys"]
    );
}
