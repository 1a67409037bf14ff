use super::*;
use crate::analytics::trend::proportion_trend;

fn est(value: f64, n: u64) -> Estimate {
    Estimate {
        value,
        low: value,
        high: value,
        n,
    }
}

/// CSAT figures of both windows: `x_after` of `n_after` against `x_before` of `n_before`.
fn csat(x_before: u64, n_before: u64, x_after: u64, n_after: u64) -> (Figure, Figure) {
    let b = est(x_before as f64 * 100.0 / n_before as f64, n_before);
    let a = est(x_after as f64 * 100.0 / n_after as f64, n_after);
    let before = Figure {
        current: b,
        trend: None,
    };
    let after = Figure {
        current: a,
        trend: proportion_trend((x_after, n_after), (x_before, n_before), a, b),
    };
    (before, after)
}

fn verdict_of(x_before: u64, n_before: u64, x_after: u64, n_after: u64) -> FigureVerdict {
    let (b, a) = csat(x_before, n_before, x_after, n_after);
    figure_verdict(FigureKind::Csat, Some(&b), Some(&a))
}

#[test]
fn a_significant_rise_is_improved() {
    // 24/40 = 60% → 36/40 = 90%: pooled z ≈ 3.09, p ≈ 0.002.
    let v = verdict_of(24, 40, 36, 40);
    assert_eq!(v.verdict, Verdict::Improved);
    assert_eq!(v.test, Some(TrendTest::TwoProportionZ));
    assert!(v.p_value.unwrap() < 0.01, "{v:?}");
    assert!((v.difference.unwrap() - 30.0).abs() < 1e-9);
    assert_eq!(v.before.unwrap().n, 40);
}

#[test]
fn a_significant_fall_is_worse() {
    assert_eq!(verdict_of(36, 40, 24, 40).verdict, Verdict::Worse);
}

#[test]
fn a_small_difference_is_no_detectable_change() {
    // 28/40 = 70% → 30/40 = 75%: p ≈ 0.62.
    let v = verdict_of(28, 40, 30, 40);
    assert_eq!(v.verdict, Verdict::NoDetectableChange);
    assert!(v.p_value.unwrap() > 0.05);
}

#[test]
fn fewer_than_the_minimum_in_either_window_is_not_enough_data() {
    // A big jump, but the before window has only 29 answers.
    let v = verdict_of(10, MIN_SAMPLE - 1, 38, 40);
    assert_eq!(v.verdict, Verdict::NotEnoughData);
    assert!(v.p_value.is_some(), "the test is still shown");
    assert_eq!(
        verdict_of(10, 40, 28, MIN_SAMPLE - 1).verdict,
        Verdict::NotEnoughData
    );
    assert_eq!(
        verdict_of(15, MIN_SAMPLE, 28, MIN_SAMPLE).verdict,
        Verdict::Improved
    );
    let (b, _) = csat(10, 40, 20, 40);
    let missing = figure_verdict(FigureKind::Csat, Some(&b), None);
    assert_eq!(missing.verdict, Verdict::NotEnoughData);
    assert_eq!((missing.after, missing.p_value), (None, None));
}

#[test]
fn verdicts_combine_ignoring_figures_without_data() {
    use Verdict::*;
    assert_eq!(
        combine([NotEnoughData, Improved, NoDetectableChange]),
        Improved
    );
    assert_eq!(combine([Worse, NotEnoughData]), Worse);
    assert_eq!(combine([Improved, Worse]), NoDetectableChange, "mixed");
    assert_eq!(
        combine([NoDetectableChange, NotEnoughData]),
        NoDetectableChange
    );
    assert_eq!(combine([NotEnoughData, NotEnoughData]), NotEnoughData);
    assert_eq!(combine([]), NotEnoughData);
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn windows_have_equal_length_and_are_capped() {
    let w = windows(day("2026-03-10"), day("2026-03-19")).unwrap();
    assert_eq!(
        (w.after.from, w.after.to),
        (day("2026-03-10"), day("2026-03-19"))
    );
    assert_eq!(
        (w.before.from, w.before.to),
        (day("2026-02-28"), day("2026-03-09"))
    );
    let long = windows(day("2025-01-01"), day("2026-06-01")).unwrap();
    assert_eq!(long.after.days(), MAX_WINDOW_DAYS);
    assert_eq!(long.before.days(), MAX_WINDOW_DAYS);
    assert_eq!(long.before.to, day("2024-12-31"));
    let today = windows(day("2026-03-10"), day("2026-03-10")).unwrap();
    assert_eq!(
        (today.after.days(), today.before.from),
        (1, day("2026-03-09"))
    );
    assert!(
        windows(day("2026-03-11"), day("2026-03-10")).is_none(),
        "not started"
    );
}

fn moment(key: &str, csat_before: Option<Figure>, csat_after: Option<Figure>) -> [MomentScore; 2] {
    let base = MomentScore {
        moment_id: 1,
        key: key.into(),
        position: 1,
        name: format!("Moment {key}"),
        critical: true,
        answers: 0,
        rating_mean: None,
        effort_mean: None,
        csat: None,
        nps: None,
        compliance: None,
        audit_score: None,
        compliments: 0,
        compliments_per_1000: None,
        complaints: None,
        complaints_per_1000: None,
        blind_spot: false,
        status: crate::analytics::Status::Unrated,
        status_basis: None,
    };
    [
        MomentScore {
            csat: csat_before,
            ..base.clone()
        },
        MomentScore {
            csat: csat_after,
            ..base
        },
    ]
}

#[test]
fn a_plan_is_judged_moment_by_moment() {
    let (b, a) = csat(24, 40, 36, 40);
    let [wait_b, wait_a] = moment("wait", Some(b), Some(a));
    let [pay_b, pay_a] = moment("pay", None, None);
    let keys = vec!["wait".to_string(), "pay".to_string(), "gone".to_string()];
    let w = windows(day("2026-03-10"), day("2026-04-10"));
    let r = before_after(&keys, w, &[wait_b, pay_b], &[wait_a, pay_a]);
    let verdicts: Vec<_> = r
        .moments
        .iter()
        .map(|m| (m.name.as_str(), m.verdict))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            ("Moment wait", Verdict::Improved),
            ("Moment pay", Verdict::NotEnoughData),
            ("gone", Verdict::NotEnoughData),
        ]
    );
    assert_eq!(r.verdict, Verdict::Improved);
    assert_eq!(r.moments[0].figures.len(), 4);
    assert_eq!(r.min_sample, MIN_SAMPLE);
    let not_started = before_after(&keys, None, &[], &[]);
    assert_eq!(not_started.verdict, Verdict::NotEnoughData);
}
