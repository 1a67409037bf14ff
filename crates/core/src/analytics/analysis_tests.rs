//! The decision analyses against hand computations: gaps, consistency, IPA and priorities.
use super::{
    consistency::consistency,
    gaps::{GapQuestion, GapQuestions, gaps},
    ipa::{Quadrant, ipa},
    priorities::{Factor, PriorityConfig, PriorityWeights, priorities},
    samples::{ImportanceMethod, Samples, ScoredResponse},
};
use crate::{
    dimension::Servqual,
    feedback::{
        fixtures::bank_cycle,
        records::{RollupPart, RollupRow},
    },
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

fn rollup(code: &str, part: RollupPart, site: i64, scores: &[i64]) -> RollupRow {
    let mut histogram = [0i64; 11];
    scores.iter().for_each(|s| histogram[*s as usize] += 1);
    RollupRow {
        survey_id: 1,
        question_code: code.into(),
        part,
        moment_id: None,
        site_id: Some(site),
        day: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        count: scores.len() as i64,
        sum: scores.iter().sum(),
        sum_sq: scores.iter().map(|s| s * s).sum(),
        histogram,
    }
}

fn questions() -> GapQuestions {
    let item = |d: &str| GapQuestion::Item {
        dimension: Some(d.into()),
    };
    [
        ((1, "premises".to_string()), item("tangibles")),
        ((1, "courtesy".to_string()), item("courtesy")),
        ((1, "feel_safe".to_string()), item("security")),
        (
            (1, "imp_courtesy".to_string()),
            GapQuestion::Importance {
                dimension: "courtesy".into(),
            },
        ),
        (
            (1, "imp_tangibles".to_string()),
            GapQuestion::Importance {
                dimension: "tangibles".into(),
            },
        ),
    ]
    .into()
}

#[test]
fn servqual_gaps_per_item_dimension_and_site_with_conservative_intervals() {
    use RollupPart::{Expectation as E, Perception as P, Score};
    let rows = vec![
        rollup("premises", E, 1, &[6, 7, 7]),
        rollup("premises", P, 1, &[5, 5, 6]),
        rollup("courtesy", E, 1, &[7, 7, 6]),
        rollup("courtesy", P, 1, &[4, 5, 3]),
        rollup("feel_safe", E, 2, &[6, 6]),
        rollup("feel_safe", P, 2, &[6, 7]),
        rollup("imp_courtesy", Score, 1, &[5, 5, 4]),
        rollup("imp_tangibles", Score, 1, &[2, 2, 2]),
    ];
    let r = gaps(&rows, &questions());
    let courtesy = r.items.iter().find(|i| i.code == "courtesy").unwrap();
    // E mean 20/3, P mean 4: gap −8/3; s_E = s_P … (1/√3 and 1): se = (0.57735 + 1)/√3.
    assert!((courtesy.gap.value + 8.0 / 3.0).abs() < 1e-12);
    let se = (1.0 / 3f64.sqrt() + 1.0) / 3f64.sqrt();
    assert!((courtesy.gap.high.unwrap() - (-8.0 / 3.0 + 4.303 * se)).abs() < 1e-9);
    assert_eq!(courtesy.gap.low, Some(-6.0), "clipped to the gap scale");
    assert_eq!(courtesy.servqual, Some(Servqual::Assurance));
    // Assurance = mean of courtesy (−8/3) and feel_safe (+0.5).
    let assurance = r
        .dimensions
        .iter()
        .find(|d| d.servqual == Servqual::Assurance)
        .unwrap();
    assert_eq!(assurance.items, 2);
    assert!((assurance.gap.value - (-8.0 / 3.0 + 0.5) / 2.0).abs() < 1e-12);
    assert!((assurance.importance.unwrap().value - 14.0 / 3.0).abs() < 1e-12);
    let tangibles = r.dimensions[0].gap.value;
    assert!((tangibles + 4.0 / 3.0).abs() < 1e-12);
    let unweighted = (tangibles + assurance.gap.value) / 2.0;
    assert!((r.unweighted.unwrap() - unweighted).abs() < 1e-12);
    let weighted = (2.0 * tangibles + 14.0 / 3.0 * assurance.gap.value) / (2.0 + 14.0 / 3.0);
    assert!((r.weighted.unwrap() - weighted).abs() < 1e-12);
    // Per site: site 2 only answered feel_safe, so its assurance gap is +0.5, unweighted.
    assert_eq!(r.by_site.len(), 2);
    assert!((r.by_site[1].dimensions[0].gap.value - 0.5).abs() < 1e-12);
    assert_eq!(r.by_site[1].weighted, None);
}

/// Site 1 and 2 are good at every moment; site 3 is bad at `wait-turn` only. Each response's
/// overall score follows its wait score, so the wait is also the most important moment.
fn bank_samples() -> Samples {
    let mut s = Samples::default();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2);
    for site in 1..=3i64 {
        for i in 0..40 {
            let wobble = f64::from(i % 5) * 5.0;
            let wait = if site == 3 {
                20.0 + wobble
            } else {
                80.0 + wobble
            };
            let scores = vec![
                ("call-branch".to_string(), 70.0 + f64::from(i % 3) * 10.0),
                ("take-number".to_string(), 85.0 + f64::from(i % 2) * 10.0),
                ("wait-turn".to_string(), wait),
                ("paid".to_string(), 90.0 + f64::from(i % 4) * 2.0),
            ];
            s.add(&ScoredResponse {
                day,
                site_id: Some(site),
                staff_id: Some(site * 10 + i64::from(i % 2)),
                scores,
                overall: Some((ImportanceMethod::PearsonOverallCsat, wait * 0.8 + 10.0)),
            });
        }
    }
    s
}

#[test]
fn consistency_flags_good_averages_hiding_a_bad_site() {
    let mut s = bank_samples();
    // Take-number: good overall (≥ 75) but site 3 below target.
    let take = s.moments.get_mut("take-number").unwrap();
    let site3 = take.by_site.get_mut(&3).unwrap();
    *site3 = crate::feedback::Moments::default();
    (0..20).for_each(|_| site3.add(60.0));
    let c = consistency(&bank_cycle(), &s, 75.0);
    let take = &c.moments[1];
    assert_eq!(take.key, "take-number");
    assert!(take.good_but_inconsistent);
    assert_eq!(take.sites[0].site_id, 3, "lowest mean first");
    assert!((take.share_sites_meeting_target.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    let paid = &c.moments[3];
    assert!(!paid.good_but_inconsistent);
    assert_eq!(paid.share_sites_meeting_target, Some(1.0));
    assert_eq!(paid.week_spread.groups, 1);
    assert_eq!(paid.week_spread.sd, None, "one week has no spread");
    assert_eq!(paid.staff_spread.groups, 6);
    let wait = &c.moments[2];
    // Site means 30, 90, 90: SD = √((2·20² + 40²)/2) = √1200.
    assert!((wait.site_spread.sd.unwrap() - 1200f64.sqrt()).abs() < 1e-9);
    assert!(!wait.good_but_inconsistent, "not good on average");
}

#[test]
fn ipa_splits_at_the_means_and_names_the_method() {
    let r = ipa(&bank_cycle(), &bank_samples());
    let wait = r.points.iter().find(|p| p.key == "wait-turn").unwrap();
    let imp = wait.importance.unwrap();
    assert!(
        (imp.value - 1.0).abs() < 1e-9,
        "overall follows the wait exactly"
    );
    assert_eq!(imp.method, ImportanceMethod::PearsonOverallCsat);
    assert_eq!(imp.n, 120);
    assert!(imp.low.unwrap() <= imp.value && imp.high.unwrap() >= imp.value);
    assert_eq!(wait.quadrant, Some(Quadrant::ConcentrateHere));
    let paid = r.points.iter().find(|p| p.key == "paid").unwrap();
    assert!(paid.performance.unwrap().value > r.performance_split.unwrap());
    let split = r.importance_split.unwrap();
    let plotted: Vec<_> = r.points.iter().filter(|p| p.quadrant.is_some()).collect();
    let mean = plotted
        .iter()
        .map(|p| p.importance.unwrap().value)
        .sum::<f64>()
        / plotted.len() as f64;
    assert!((split - mean).abs() < 1e-12);
    assert_eq!(Quadrant::of(false, true), Quadrant::PossibleOverkill);
    assert_eq!(Quadrant::of(false, false), Quadrant::LowPriority);
    assert_eq!(Quadrant::of(true, true), Quadrant::KeepUpTheGoodWork);
}

#[test]
fn the_weak_critical_moment_at_one_site_ranks_first_with_its_reasons() {
    let complaints: BTreeMap<String, u64> = [("wait-turn".to_string(), 3)].into();
    let p = priorities(
        &bank_cycle(),
        &bank_samples(),
        &complaints,
        PriorityConfig::default(),
    );
    let first = &p.moments[0];
    assert_eq!((first.rank, first.key.as_str()), (1, "wait-turn"));
    let site = first.worst_site.unwrap();
    assert_eq!(site.site_id, 3);
    let gap = first.contributions[1];
    assert_eq!(gap.factor, Factor::Gap);
    assert!(
        (gap.raw.unwrap() - (75.0 - 30.0)).abs() < 1e-9,
        "measured at site 3"
    );
    assert!((gap.normalised - 45.0 / 75.0).abs() < 1e-9);
    let sum: f64 = first.contributions.iter().map(|c| c.points).sum();
    assert!((first.score - sum).abs() < 1e-9);
    assert!((first.contributions[0].points - 30.0).abs() < 1e-9);
    // 3 complaints over 120 answers = 25 per 1,000: above the 20 that counts fully.
    assert_eq!(first.contributions[4].normalised, 1.0);
    let ranks: Vec<u32> = p.moments.iter().map(|m| m.rank).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);

    // Only criticality weighs: the three critical moments tie and the tie breaks by lower
    // performance, so the wait still comes first; the non-critical moment is last.
    let only_critical = PriorityConfig {
        weights: PriorityWeights {
            criticality: 1.0,
            gap: 0.0,
            importance: 0.0,
            inconsistency: 0.0,
            complaints: 0.0,
        },
        ..PriorityConfig::default()
    };
    let q = priorities(&bank_cycle(), &bank_samples(), &complaints, only_critical);
    let keys: Vec<&str> = q.moments.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["wait-turn", "take-number", "paid", "call-branch"]);
    assert!((q.moments[0].score - 100.0).abs() < 1e-9);
}

#[test]
fn weights_must_be_usable() {
    assert!(PriorityWeights::default().validate().is_ok());
    let bad = PriorityWeights {
        gap: -1.0,
        importance: f64::NAN,
        ..PriorityWeights::default()
    };
    let e = bad.validate().unwrap_err();
    assert_eq!(e.first_field(), Some("w_gap"));
    let zero = PriorityWeights {
        criticality: 0.0,
        gap: 0.0,
        importance: 0.0,
        inconsistency: 0.0,
        complaints: 0.0,
    };
    assert!(zero.validate().is_err());
}

#[test]
fn an_empty_moment_is_a_blind_spot_with_no_gap() {
    let p = priorities(
        &bank_cycle(),
        &Samples::default(),
        &BTreeMap::new(),
        PriorityConfig::default(),
    );
    assert!(
        p.moments
            .iter()
            .all(|m| m.blind_spot && m.performance.is_none())
    );
    // Only criticality is known: critical moments first, in cycle order.
    let keys: Vec<&str> = p.moments.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["take-number", "wait-turn", "paid", "call-branch"]);
}
