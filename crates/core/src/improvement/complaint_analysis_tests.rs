use super::*;

fn fact(id: i64, moment: Option<&str>, site: Option<i64>, cause: Option<&str>) -> ComplaintFact {
    ComplaintFact {
        id,
        moment_key: moment.map(str::to_string),
        dimension_key: None,
        site_id: site,
        assignee_id: None,
        root_cause: cause.map(str::to_string),
        customer_satisfied: None,
        promises_kept: 0,
        promises_broken: 0,
    }
}

#[test]
fn counts_put_the_largest_first_and_not_recorded_last() {
    let facts = vec![
        fact(1, Some("wait"), Some(2), None),
        fact(2, None, Some(2), None),
        fact(3, Some("wait"), Some(1), None),
        fact(4, Some("greet"), None, None),
    ];
    let a = analyse(&facts, Assumptions::default());
    let moments: Vec<_> = a
        .by_moment
        .iter()
        .map(|c| (c.key.as_deref(), c.count, c.share))
        .collect();
    assert_eq!(
        moments,
        vec![
            (Some("wait"), 2, 50.0),
            (Some("greet"), 1, 25.0),
            (None, 1, 25.0)
        ]
    );
    let sites: Vec<_> = a.by_site.iter().map(|c| (c.site_id, c.count)).collect();
    assert_eq!(sites, vec![(Some(2), 2), (Some(1), 1), (None, 1)]);
    assert_eq!(a.complaints, 4);
    assert_eq!(a.cause_unknown, 4);
}

#[test]
fn pareto_groups_spellings_accumulates_and_marks_the_vital_few() {
    let causes = [
        "Too few cashiers",
        "too few  cashiers",
        "Too few cashiers",
        "Too few cashiers",
        "Too few cashiers",
        "Printer jam",
        "Printer jam",
        "Printer jam",
        "Rude answer",
        "Wrong notes",
    ];
    let mut facts: Vec<_> = causes
        .iter()
        .enumerate()
        .map(|(i, c)| fact(i as i64, Some("wait"), None, Some(c)))
        .collect();
    facts.push(fact(99, Some("wait"), None, None));
    let bars = pareto(&facts);
    let shown: Vec<_> = bars
        .iter()
        .map(|b| {
            (
                b.cause.as_str(),
                b.count,
                b.share,
                b.cumulative_share,
                b.vital_few,
            )
        })
        .collect();
    // 10 known causes: 5, 3, 1, 1 → 50%, 80%, 90%, 100%. Ties sort by the cause's text.
    assert_eq!(
        shown,
        vec![
            ("Too few cashiers", 5, 50.0, 50.0, true),
            ("Printer jam", 3, 30.0, 80.0, true),
            ("Rude answer", 1, 10.0, 90.0, false),
            ("Wrong notes", 1, 10.0, 100.0, false),
        ]
    );
    assert_eq!(analyse(&facts, Assumptions::default()).cause_unknown, 1);
    assert!(pareto(&[]).is_empty());
}

#[test]
fn estimates_follow_the_assumptions() {
    let mut facts: Vec<_> = (0..4).map(|i| fact(i, None, None, None)).collect();
    facts[0].customer_satisfied = Some(true);
    facts[1].customer_satisfied = Some(false);
    let e = estimates(&facts, Assumptions::default());
    // 4 complaints × 25 = 100 silent; + 3 complainants not known satisfied = 103.
    assert_eq!(e.silent_dissatisfied, 100.0);
    assert_eq!(e.dissatisfied, 103.0);
    assert_eq!(e.told_by_dissatisfied, 103.0 * 11.0);
    assert_eq!((e.satisfied_complainants, e.told_by_satisfied), (1, 3.0));
    let custom = Assumptions {
        silent_per_complaint: 10.0,
        told_by_dissatisfied: 5.0,
        told_by_satisfied: 2.0,
    };
    let e = estimates(&facts, custom);
    assert_eq!((e.silent_dissatisfied, e.dissatisfied), (40.0, 43.0));
    assert_eq!((e.told_by_dissatisfied, e.told_by_satisfied), (215.0, 2.0));
    assert_eq!(e.assumptions, custom);
    let none = estimates(&[], Assumptions::default());
    assert_eq!((none.dissatisfied, none.told_by_dissatisfied), (0.0, 0.0));
}

#[test]
fn assumptions_are_validated_per_field() {
    assert!(Assumptions::default().validate().is_ok());
    let bad = Assumptions {
        silent_per_complaint: -1.0,
        told_by_dissatisfied: f64::NAN,
        told_by_satisfied: 1001.0,
    };
    let errors = bad.validate().unwrap_err();
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "silent_per_complaint",
            "told_by_dissatisfied",
            "told_by_satisfied"
        ]
    );
}

#[test]
fn promise_rates_count_kept_over_judged_with_wilson_intervals() {
    let mut facts = vec![
        fact(1, Some("wait"), Some(1), None),
        fact(2, Some("wait"), Some(2), None),
        fact(3, Some("pay"), Some(1), None),
        fact(4, Some("greet"), Some(1), None),
    ];
    (facts[0].promises_kept, facts[0].promises_broken) = (3, 1);
    (facts[1].promises_kept, facts[1].promises_broken) = (1, 3);
    (facts[2].promises_kept, facts[2].promises_broken) = (2, 0);
    facts[0].assignee_id = Some(7);
    let a = analyse(&facts, Assumptions::default());
    assert_eq!((a.promises.kept, a.promises.broken), (6, 4));
    let overall = a.promises.kept_percent.unwrap();
    assert_eq!((overall.value, overall.n), (60.0, 10));
    // Wilson 95% for 6/10: 31.27% to 83.18%.
    assert!((overall.low - 31.267).abs() < 0.01 && (overall.high - 83.182).abs() < 0.01);
    let by_moment: Vec<_> = a
        .promises_by_moment
        .iter()
        .map(|r| {
            (
                r.key.as_deref(),
                r.kept,
                r.broken,
                r.kept_percent.map(|e| e.value),
            )
        })
        .collect();
    // `greet` has no judged promise and is left out.
    assert_eq!(
        by_moment,
        vec![
            (Some("wait"), 4, 4, Some(50.0)),
            (Some("pay"), 2, 0, Some(100.0))
        ]
    );
    let by_assignee: Vec<_> = a
        .promises_by_assignee
        .iter()
        .map(|r| (r.key.as_deref(), r.kept, r.broken))
        .collect();
    assert_eq!(by_assignee, vec![(Some("7"), 3, 1), (None, 3, 3)]);
    let by_site: Vec<_> = a
        .promises_by_site
        .iter()
        .map(|r| (r.key.as_deref(), r.kept + r.broken))
        .collect();
    assert_eq!(by_site, vec![(Some("1"), 6), (Some("2"), 4)]);
}
