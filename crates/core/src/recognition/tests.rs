use super::*;
use crate::{
    feedback::{AnswerValue, QuestionKind, records::StoredAnswer},
    org::StaffMember,
};
use chrono::{TimeZone, Utc};

fn person(id: i64, name: &str, role: &str, site: Option<i64>) -> StaffMember {
    StaffMember {
        id,
        name: name.into(),
        role: role.into(),
        site_id: site,
        email: String::new(),
        active: true,
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    }
}

fn audit(staff_id: i64, moment: &str, score_sum: f64, scored: i64) -> AuditMomentTally {
    AuditMomentTally {
        staff_id,
        service_id: 1,
        moment_key: moment.into(),
        score_sum,
        scored,
    }
}

fn satisfaction(staff_id: i64, sum: f64, count: i64) -> ScoreTally {
    ScoreTally {
        staff_id,
        sum,
        count,
    }
}

fn roles() -> MomentRoles {
    [
        ((1, "pay".to_string()), "Cashier".to_string()),
        ((1, "greet".to_string()), "Host".to_string()),
    ]
    .into_iter()
    .collect()
}

fn component(r: &StaffRank, kind: ComponentKind) -> &Component {
    r.components.iter().find(|c| c.kind == kind).unwrap()
}

#[test]
fn three_perfect_answers_cannot_win() {
    // Ana: three perfect survey answers and nothing else. Ben: a solid, well-evidenced month.
    let staff = [
        person(1, "Ana", "Cashier", Some(7)),
        person(2, "Ben", "Cashier", Some(7)),
    ];
    let ev = StaffMonthEvidence {
        audits: vec![audit(2, "pay", 6.0 * 80.0, 6)],
        satisfaction: vec![satisfaction(1, 300.0, 3), satisfaction(2, 12.0 * 70.0, 12)],
        compliments: vec![CountTally {
            staff_id: 2,
            count: 1,
        }],
        ..Default::default()
    };
    let sites = rank(&staff, &ev, &roles(), &RecognitionSettings::default());
    let site = &sites[0];
    assert_eq!(site.staff[0].name, "Ben");
    assert_eq!(site.staff[0].rank, Some(1));
    let ana = &site.staff[1];
    assert_eq!(ana.rank, None, "Ana is listed but not ranked");
    let sat = component(ana, ComponentKind::Satisfaction);
    assert_eq!((sat.value, sat.n, sat.qualifies), (Some(100.0), 3, false));
    assert_eq!(sat.points, 0.0);
    assert_eq!(site.winners().len(), 1);
    assert_eq!(site.winners()[0].name, "Ben");
}

#[test]
fn components_below_minimum_are_left_out_and_weights_renormalised() {
    let staff = [person(2, "Ben", "Cashier", Some(7))];
    let ev = StaffMonthEvidence {
        audits: vec![audit(2, "pay", 6.0 * 80.0, 6)],
        satisfaction: vec![satisfaction(2, 12.0 * 70.0, 12)],
        compliments: vec![CountTally {
            staff_id: 2,
            count: 1,
        }],
        // Two promises only: below the minimum of 5, so no effect either way.
        promises: vec![PromiseTally {
            staff_id: 2,
            kept: 0,
            broken: 2,
        }],
        ..Default::default()
    };
    let ben = &rank(&staff, &ev, &roles(), &RecognitionSettings::default())[0].staff[0];
    // Qualifying weights 0.30 + 0.30 + 0.15 = 0.75 → effective 0.4, 0.4, 0.2.
    let a = component(ben, ComponentKind::Audit);
    assert!((a.effective_weight - 0.4).abs() < 1e-12);
    assert!((a.points - 32.0).abs() < 1e-9);
    let s = component(ben, ComponentKind::Satisfaction);
    assert!((s.points - 28.0).abs() < 1e-9);
    let c = component(ben, ComponentKind::Compliments);
    // 1 of 5 compliments for full marks = 0.2 → 0.2 × 0.2 × 100 = 4 points.
    assert!((c.points - 4.0).abs() < 1e-9);
    let p = component(ben, ComponentKind::PromisesKept);
    assert_eq!(
        (p.value, p.n, p.qualifies, p.points),
        (Some(0.0), 2, false, 0.0)
    );
    assert!((ben.score.unwrap() - 64.0).abs() < 1e-9);
    assert!((ben.coverage - 0.75).abs() < 1e-12);
    let sum: f64 = ben.components.iter().map(|c| c.points).sum();
    assert!(
        (sum - ben.score.unwrap()).abs() < 1e-9,
        "points add up to the score"
    );
}

#[test]
fn audit_counts_the_moments_of_the_persons_role() {
    let staff = [
        person(1, "Cara", "Cashier", Some(7)),
        person(2, "Dan", "Guard", Some(7)),
    ];
    let ev = StaffMonthEvidence {
        audits: vec![
            audit(1, "greet", 5.0 * 20.0, 5),
            audit(1, "pay", 5.0 * 90.0, 5),
            audit(2, "greet", 5.0 * 20.0, 5),
            audit(2, "pay", 5.0 * 90.0, 5),
        ],
        ..Default::default()
    };
    let site = &rank(&staff, &ev, &roles(), &RecognitionSettings::default())[0];
    let cara = site.staff.iter().find(|s| s.name == "Cara").unwrap();
    assert_eq!(cara.audit_basis, AuditBasis::RoleMoments);
    let a = component(cara, ComponentKind::Audit);
    assert_eq!((a.value, a.n), (Some(90.0), 5));
    // Dan's role serves no moment: every observed moment counts.
    let dan = site.staff.iter().find(|s| s.name == "Dan").unwrap();
    assert_eq!(dan.audit_basis, AuditBasis::AllObservedMoments);
    assert_eq!(component(dan, ComponentKind::Audit).value, Some(55.0));
}

#[test]
fn coverage_below_the_minimum_is_not_ranked() {
    // Audit alone (0.30 + compliments 0.15 = 0.45 of the weight) is under the default 0.5.
    let staff = [person(1, "Eva", "Cashier", Some(7))];
    let ev = StaffMonthEvidence {
        audits: vec![audit(1, "pay", 10.0 * 100.0, 10)],
        ..Default::default()
    };
    let mut settings = RecognitionSettings::default();
    let eva = &rank(&staff, &ev, &roles(), &settings)[0].staff[0];
    assert_eq!(eva.rank, None);
    assert!(eva.score.is_some(), "the score is still shown");
    settings.min_coverage = 0.4;
    assert_eq!(
        rank(&staff, &ev, &roles(), &settings)[0].staff[0].rank,
        Some(1)
    );
}

#[test]
fn ties_break_by_coverage_then_name_then_id() {
    let staff = [
        person(3, "Zoe", "Cashier", Some(7)),
        person(2, "Amy", "Cashier", Some(7)),
        person(1, "Amy", "Cashier", Some(7)),
        person(4, "Bob", "Cashier", Some(7)),
    ];
    let full = |id| satisfaction(id, 10.0 * 80.0, 10);
    let ev = StaffMonthEvidence {
        audits: [1, 2, 3, 4]
            .map(|id| audit(id, "pay", 5.0 * 80.0, 5))
            .to_vec(),
        satisfaction: [1, 2, 3, 4].map(full).to_vec(),
        compliments: [1, 2, 3, 4]
            .map(|id| CountTally {
                staff_id: id,
                count: 4,
            })
            .to_vec(),
        // Bob also has kept promises at 80 %: same score, more coverage.
        promises: vec![PromiseTally {
            staff_id: 4,
            kept: 4,
            broken: 1,
        }],
        ..Default::default()
    };
    let site = &rank(&staff, &ev, &roles(), &RecognitionSettings::default())[0];
    let order: Vec<(i64, Option<u32>)> = site.staff.iter().map(|s| (s.staff_id, s.rank)).collect();
    assert_eq!(
        order,
        vec![(4, Some(1)), (1, Some(2)), (2, Some(3)), (3, Some(4))]
    );
    assert_eq!(site.winners().len(), 4, "all four share the top score");
}

#[test]
fn ranking_is_per_site_with_siteless_staff_last() {
    let staff = [
        person(1, "Ana", "Cashier", None),
        person(2, "Ben", "Cashier", Some(9)),
        person(3, "Cy", "Cashier", Some(4)),
    ];
    let sites = rank(
        &staff,
        &StaffMonthEvidence::default(),
        &roles(),
        &RecognitionSettings::default(),
    );
    let ids: Vec<Option<i64>> = sites.iter().map(|s| s.site_id).collect();
    assert_eq!(ids, vec![Some(4), Some(9), None]);
    assert!(sites.iter().all(|s| s.winners().is_empty()));
}

#[test]
fn resolution_and_promises_are_shares_with_their_n() {
    let staff = [person(1, "Ana", "Agent", Some(7))];
    let ev = StaffMonthEvidence {
        resolutions: vec![ResolutionTally {
            staff_id: 1,
            resolved: 4,
            satisfied: 3,
        }],
        promises: vec![PromiseTally {
            staff_id: 1,
            kept: 9,
            broken: 1,
        }],
        ..Default::default()
    };
    let ana = &rank(&staff, &ev, &roles(), &RecognitionSettings::default())[0].staff[0];
    let r = component(ana, ComponentKind::Resolution);
    assert_eq!((r.value, r.n, r.qualifies), (Some(75.0), 4, true));
    let p = component(ana, ComponentKind::PromisesKept);
    assert_eq!((p.value, p.n, p.qualifies), (Some(90.0), 10, true));
}

#[test]
fn settings_validation_names_each_field() {
    let mut s = RecognitionSettings::default();
    s.audit.weight = -1.0;
    s.satisfaction.weight = f64::NAN;
    s.promises_kept.min_sample = 1_000_000;
    s.compliments_for_full_marks = 0;
    s.min_coverage = 1.5;
    let fields: Vec<String> = s
        .validate()
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.field.clone())
        .collect();
    assert_eq!(
        fields,
        [
            "audit.weight",
            "satisfaction.weight",
            "promises_kept.min_sample",
            "compliments_for_full_marks",
            "min_coverage"
        ]
    );
    let mut zero = RecognitionSettings::default();
    for k in ComponentKind::ALL {
        match k {
            ComponentKind::Audit => zero.audit.weight = 0.0,
            ComponentKind::Satisfaction => zero.satisfaction.weight = 0.0,
            ComponentKind::Compliments => zero.compliments.weight = 0.0,
            ComponentKind::Resolution => zero.resolution.weight = 0.0,
            ComponentKind::PromisesKept => zero.promises_kept.weight = 0.0,
        }
    }
    let e = zero.validate().unwrap_err();
    assert_eq!(e.first_field(), Some("audit.weight"));
    assert!(RecognitionSettings::default().validate().is_ok());
}

#[test]
fn a_response_is_scored_once_on_the_common_scale() {
    let answer = |kind, v| StoredAnswer {
        question_code: "q".into(),
        kind,
        moment_id: None,
        dimension: None,
        value: AnswerValue::Score(v),
    };
    let text = StoredAnswer {
        value: AnswerValue::Text("kind".into()),
        ..answer(QuestionKind::Text, 0)
    };
    // Rating 5 → 100, NPS 6 → 60, effort 4 → 50: mean 70.
    let answers = [
        answer(QuestionKind::Rating, 5),
        answer(QuestionKind::Nps, 6),
        answer(QuestionKind::Effort, 4),
        text.clone(),
    ];
    assert!((response_satisfaction(&answers).unwrap() - 70.0).abs() < 1e-9);
    assert_eq!(response_satisfaction(&[text]), None);
}

#[test]
fn months_parse_and_bound_their_period() {
    let m = Month::parse(" 2026-12 ").unwrap();
    assert_eq!(m.to_string(), "2026-12");
    assert_eq!(
        m.start(),
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
    );
    assert_eq!(m.end(), Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap());
    for bad in ["2026-13", "2026-1", "26-01", "2026/01", "", "2026-00"] {
        assert!(Month::parse(bad).is_err(), "{bad}");
    }
    let t = Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap();
    assert_eq!(Month::previous_complete(t).to_string(), "2025-12");
}
