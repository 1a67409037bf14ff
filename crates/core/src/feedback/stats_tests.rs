use super::*;
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

fn histogram(scale: Scale, scores: &[i32]) -> Histogram {
    let mut h = Histogram::for_scale(scale);
    for s in scores {
        assert!(h.add(*s));
    }
    h
}

const CSAT: Scale = Scale { min: 1, max: 5 };
const NPS: Scale = Scale { min: 0, max: 10 };

#[test]
fn wilson_matches_the_textbook_value() {
    let e = wilson(8, 10).unwrap();
    assert!(
        close(e.value, 0.8) && close(e.low, 0.4902) && close(e.high, 0.9433),
        "{e:?}"
    );
    assert_eq!(wilson(0, 0), None);
    let none = wilson(0, 20).unwrap();
    assert_eq!(none.low, 0.0);
    assert!(
        none.high > 0.1,
        "zero successes still leave real uncertainty"
    );
}

#[test]
fn csat_is_the_share_of_fours_and_fives() {
    let h = histogram(CSAT, &[5, 4, 4, 3, 1, 5, 5, 2, 4, 5]);
    let e = csat(&h).unwrap();
    assert_eq!(e.n, 10);
    assert!(close(e.value, 70.0));
    assert!(e.low < 70.0 && e.high > 70.0 && e.high <= 100.0);
    assert_eq!(csat(&Histogram::for_scale(CSAT)), None);
}

#[test]
fn nps_counts_promoters_minus_detractors() {
    let h = histogram(NPS, &[10, 9, 9, 10, 9, 7, 8, 8, 3, 6]);
    let e = nps(&h).unwrap();
    assert!(close(e.value, 30.0), "{e:?}");
    assert!(close(e.low, -18.41) && close(e.high, 78.41), "{e:?}");
}

#[test]
fn mean_uses_the_t_table_for_small_samples() {
    let h = histogram(Scale { min: 1, max: 7 }, &[1, 2, 3, 4, 5]);
    let e = mean(&h.moments(), Scale { min: 1, max: 7 }).unwrap();
    assert!(
        close(e.value, 3.0) && close(e.low, 1.037) && close(e.high, 4.963),
        "{e:?}"
    );
    assert_eq!(t95(4), 2.776);
    assert_eq!(t95(31), 1.96);
}

#[test]
fn a_single_answer_says_nothing_about_spread() {
    let mut m = Moments::default();
    m.add(6.0);
    let e = mean(&m, Scale { min: 1, max: 7 }).unwrap();
    assert_eq!((e.value, e.low, e.high, e.n), (6.0, 1.0, 7.0, 1));
    assert_eq!(mean(&Moments::default(), GAP_SCALE), None);
}

#[test]
fn out_of_scale_scores_are_not_counted() {
    let mut h = Histogram::for_scale(CSAT);
    assert!(!h.add(0) && !h.add(6));
    assert_eq!(h.total(), 0);
    assert_eq!(h.count(9), 0);
}

fn scores(scale: Scale) -> impl Strategy<Value = Vec<i32>> {
    proptest::collection::vec(scale.min..=scale.max, 1..200)
}

proptest! {
    #[test]
    fn csat_interval_holds_the_estimate_within_0_100(s in scores(CSAT)) {
        let e = csat(&histogram(CSAT, &s)).unwrap();
        prop_assert!(0.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 100.0, "{:?}", e);
    }

    #[test]
    fn nps_interval_holds_the_estimate_within_bounds(s in scores(NPS)) {
        let e = nps(&histogram(NPS, &s)).unwrap();
        prop_assert!(-100.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 100.0, "{:?}", e);
    }

    #[test]
    fn mean_interval_holds_the_estimate_within_the_scale(s in scores(GAP_SCALE)) {
        let e = mean(&histogram(GAP_SCALE, &s).moments(), GAP_SCALE).unwrap();
        prop_assert!(-6.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 6.0, "{:?}", e);
    }

    #[test]
    fn merged_roll_ups_equal_one_big_histogram(a in scores(NPS), b in scores(NPS)) {
        let mut merged = histogram(NPS, &a);
        merged.merge(&histogram(NPS, &b));
        let all: Vec<i32> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(&merged, &histogram(NPS, &all));
        let mut m = histogram(NPS, &a).moments();
        m.merge(&histogram(NPS, &b).moments());
        prop_assert_eq!(m, merged.moments());
    }

    #[test]
    fn wilson_narrows_as_the_sample_grows(k in 1u64..50) {
        let small = wilson(k, 2 * k).unwrap();
        let large = wilson(10 * k, 20 * k).unwrap();
        prop_assert!(large.high - large.low < small.high - small.low);
    }
}
