use super::*;
use crate::{
    analytics::{
        evidence::{QuestionKinds, moment_keys},
        trend::{Direction, TrendTest},
    },
    feedback::{
        Histogram, QuestionKind,
        fixtures::bank_cycle,
        records::{RollupPart, RollupRow},
        stats,
    },
};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn row(code: &str, moment_id: i64, scores: &[(usize, i64)]) -> RollupRow {
    let mut histogram = [0i64; 11];
    for (s, n) in scores {
        histogram[*s] += n;
    }
    let count = histogram.iter().sum();
    RollupRow {
        survey_id: 1,
        question_code: code.into(),
        part: RollupPart::Score,
        moment_id: Some(moment_id),
        site_id: None,
        day: day(1),
        count,
        sum: 0,
        sum_sq: 0,
        histogram,
    }
}

fn kinds() -> QuestionKinds {
    [
        ((1, "sat".to_string()), QuestionKind::Rating),
        ((1, "nps".to_string()), QuestionKind::Nps),
        ((1, "ces".to_string()), QuestionKind::Effort),
    ]
    .into_iter()
    .collect()
}

/// The same cycle published again: every moment gets a new row id (x10), keys stay.
fn cycle_v3() -> crate::cycle::CycleVersion {
    let mut v = bank_cycle();
    v.id = 8;
    v.version = 3;
    for m in &mut v.moments {
        m.id *= 10;
    }
    v
}

fn period() -> Period {
    Period {
        from: day(1),
        to: day(31),
    }
}

#[test]
fn the_acceptance_nps_is_minus_8_95_with_about_4_39() {
    let mut h = Histogram {
        min: 0,
        counts: vec![0; 11],
    };
    h.counts[10] = 291;
    h.counts[8] = 476;
    h.counts[2] = 395;
    let e = stats::nps(&h).unwrap();
    assert_eq!(e.n, 1162);
    assert!((e.value - -8.950_086_058_519_794).abs() < 1e-9, "{e:?}");
    let half = (e.high - e.low) / 2.0;
    assert!((half - 4.39).abs() < 0.005, "±{half}");
    // The same figure through the scorecard, from a roll-up row.
    let mut now = PeriodEvidence::default();
    let keys = moment_keys(&[bank_cycle()]);
    now.add_rollups(
        &[row("nps", 4, &[(10, 291), (8, 476), (2, 395)])],
        &keys,
        &kinds(),
    );
    let card = scorecard(
        &bank_cycle(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    let paid = &card.moments[3];
    assert_eq!(paid.nps.unwrap().current, e);
    assert_eq!(paid.answers, 1162);
    assert!(
        paid.nps.unwrap().trend.is_none(),
        "no previous period to compare with"
    );
}

#[test]
fn periods_have_an_equal_previous_period() {
    let p = period();
    assert_eq!(p.days(), 31);
    let prev = p.previous();
    let jan = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
    let feb = |d| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
    assert_eq!((prev.from, prev.to), (jan(29), feb(28)));
    assert_eq!(prev.days(), 31);
    let one = Period {
        from: day(5),
        to: day(5),
    };
    assert_eq!(
        one.previous(),
        Period {
            from: day(4),
            to: day(4)
        }
    );
}

#[test]
fn answers_under_an_older_version_count_for_the_same_moment_key() {
    let keys = moment_keys(&[bank_cycle(), cycle_v3()]);
    let mut now = PeriodEvidence::default();
    // Row 3 is "wait-turn" in version 2, row 30 the same moment in version 3.
    now.add_rollups(
        &[row("sat", 3, &[(5, 6), (4, 2)]), row("sat", 30, &[(2, 2)])],
        &keys,
        &kinds(),
    );
    let card = scorecard(
        &cycle_v3(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    let wait = &card.moments[2];
    assert_eq!((wait.key.as_str(), wait.moment_id), ("wait-turn", 30));
    assert_eq!(wait.answers, 10);
    let csat = wait.csat.unwrap().current;
    assert!((csat.value - 80.0).abs() < 1e-12);
    let mean = wait.rating_mean.unwrap().current;
    assert!((mean.value - 4.2).abs() < 1e-12, "{mean:?}");
}

#[test]
fn a_moment_without_evidence_is_a_blind_spot_never_good() {
    let card = scorecard(
        &bank_cycle(),
        period(),
        Some(2),
        &PeriodEvidence::default(),
        &PeriodEvidence::default(),
        Targets::default(),
    );
    for m in &card.moments {
        assert!(m.blind_spot);
        assert_eq!((m.status, m.status_basis), (Status::BlindSpot, None));
        assert!(m.csat.is_none() && m.compliance.is_none() && m.nps.is_none());
        assert_eq!(m.compliments_per_1000, None);
        assert_eq!((m.complaints, m.complaints_per_1000), (Some(0), None));
    }
    assert_eq!(card.site_id, Some(2));
    // A single compliment is evidence: no longer blind, but nothing to judge a target by.
    let mut now = PeriodEvidence::default();
    now.set_compliments("paid", 1);
    let card = scorecard(
        &bank_cycle(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    assert!(!card.moments[3].blind_spot);
    assert_eq!(card.moments[3].status, Status::Unrated);
    // So is a complaint, and it is counted per 1,000 answers once there are answers.
    let mut now = PeriodEvidence::default();
    now.set_complaints("paid", 2);
    let card = scorecard(
        &bank_cycle(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    let paid = &card.moments[3];
    assert!(!paid.blind_spot);
    assert_eq!((paid.complaints, paid.complaints_per_1000), (Some(2), None));
}

#[test]
fn complaints_are_counted_per_thousand_answers() {
    let mut now = PeriodEvidence::default();
    now.set_complaints("paid", 3);
    let keys = moment_keys(&[bank_cycle()]);
    now.add_rollups(&[row("sat", 4, &[(5, 400), (2, 200)])], &keys, &kinds());
    let card = scorecard(
        &bank_cycle(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    let paid = &card.moments[3];
    assert_eq!((paid.answers, paid.complaints), (600, Some(3)));
    assert!((paid.complaints_per_1000.unwrap() - 5.0).abs() < 1e-12);
}

#[test]
fn status_is_the_worse_of_csat_and_compliance_against_target() {
    let e = |value: f64, low: f64, high: f64| Estimate {
        value,
        low,
        high,
        n: 50,
    };
    let t = Targets::default();
    assert_eq!(
        status(Some(&e(85.0, 75.0, 92.0)), None, false, &t),
        (Status::Good, Some(StatusBasis::Csat))
    );
    assert_eq!(
        status(Some(&e(75.0, 65.0, 84.0)), None, false, &t),
        (Status::Watch, Some(StatusBasis::Csat))
    );
    assert_eq!(
        status(Some(&e(60.0, 50.0, 70.0)), None, false, &t),
        (Status::Poor, Some(StatusBasis::Csat))
    );
    assert_eq!(
        status(
            Some(&e(85.0, 75.0, 92.0)),
            Some(&e(60.0, 40.0, 80.0)),
            false,
            &t
        ),
        (Status::Poor, Some(StatusBasis::Compliance))
    );
    assert_eq!(status(None, None, false, &t), (Status::Unrated, None));
    assert_eq!(
        status(Some(&e(99.0, 98.0, 100.0)), None, true, &t),
        (Status::BlindSpot, None)
    );
}

#[test]
fn compliance_audit_compliments_and_trends_are_reported() {
    let keys = moment_keys(&[bank_cycle()]);
    let mut now = PeriodEvidence::default();
    let mut before = PeriodEvidence::default();
    now.set_compliance("call-branch", 90, 100);
    before.set_compliance("call-branch", 60, 100);
    now.add_rollups(&[row("ces", 1, &[(2, 30), (3, 10)])], &keys, &kinds());
    before.add_rollups(&[row("ces", 1, &[(2, 10), (5, 30)])], &keys, &kinds());
    now.set_compliments("call-branch", 2);
    let card = scorecard(
        &bank_cycle(),
        period(),
        None,
        &now,
        &before,
        Targets::default(),
    );
    let call = &card.moments[0];
    let compliance = call.compliance.unwrap();
    assert!((compliance.current.value - 90.0).abs() < 1e-12);
    let w = stats::wilson(90, 100).unwrap();
    assert!((compliance.current.low - w.low * 100.0).abs() < 1e-12);
    let trend = compliance.trend.unwrap();
    assert_eq!(
        (trend.test, trend.direction),
        (TrendTest::TwoProportionZ, Direction::Up)
    );
    assert!((trend.difference - 30.0).abs() < 1e-9);
    let effort = call.effort_mean.unwrap();
    assert!((effort.current.value - 2.25).abs() < 1e-12);
    let et = effort.trend.unwrap();
    assert_eq!(
        (et.test, et.direction),
        (TrendTest::WelchT, Direction::Down)
    );
    assert_eq!(call.answers, 40);
    assert_eq!(call.compliments_per_1000, Some(50.0));
    assert_eq!(
        (call.status, call.status_basis),
        (Status::Good, Some(StatusBasis::Compliance))
    );
    assert_eq!(card.previous_period, period().previous());
}

#[test]
fn audit_scores_are_averaged_per_moment_key_over_visits() {
    use crate::feedback::{ValidVisit, audit_visit::MomentVisit, fixtures::at};
    let visit = |wait: Option<f64>| ValidVisit {
        site_id: 1,
        visited_at: at(2026, 3, 2, 10, 0),
        staff_ids: vec![],
        notes: String::new(),
        moments: vec![MomentVisit {
            moment_id: 3,
            moment_key: "wait-turn".into(),
            critical: true,
            marks: vec![],
            note: String::new(),
            score: wait,
        }],
        overall: wait,
        critical_failures: vec![],
    };
    let mut now = PeriodEvidence::default();
    for score in [Some(100.0), Some(50.0), None] {
        now.add_visit(&visit(score));
    }
    let card = scorecard(
        &cycle_v3(),
        period(),
        None,
        &now,
        &Default::default(),
        Targets::default(),
    );
    let audit = card.moments[2].audit_score.unwrap().current;
    assert_eq!(
        audit.n, 2,
        "a moment with nothing applicable was not observed"
    );
    assert!((audit.value - 75.0).abs() < 1e-12);
    assert!(!card.moments[2].blind_spot);
    assert!(card.moments[0].blind_spot);
}
