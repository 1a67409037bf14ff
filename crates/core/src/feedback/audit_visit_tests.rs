use super::*;
use crate::feedback::fixtures::{at, bank_cycle};
use ItemResult::{Met, NotApplicable as Na, NotMet};
use proptest::prelude::*;

fn extras() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([
        (
            "take-number".to_string(),
            vec!["Greeted within a minute".to_string()],
        ),
        (
            "wait-turn".to_string(),
            vec![
                "Seats available".to_string(),
                "Queue display works".to_string(),
            ],
        ),
    ])
}

fn checklist() -> Checklist {
    Checklist::from_cycle(&bank_cycle(), &extras()).unwrap()
}

fn marks(
    pairs: &[(&str, &[(&str, ItemResult)])],
) -> BTreeMap<String, BTreeMap<String, ItemResult>> {
    pairs
        .iter()
        .map(|(m, items)| {
            let items = items.iter().map(|(c, r)| (c.to_string(), *r)).collect();
            (m.to_string(), items)
        })
        .collect()
}

fn visit() -> VisitDraft {
    VisitDraft {
        site_id: 1,
        visited_at: at(2026, 4, 2, 11, 0),
        staff_ids: vec![4, 9],
        results: marks(&[
            (
                "call-branch",
                &[("standard-1", Met), ("standard-2", NotMet)],
            ),
            ("take-number", &[("item-1", Met)]),
            (
                "wait-turn",
                &[("standard-1", NotMet), ("item-1", Met), ("item-2", Met)],
            ),
            ("paid", &[("standard-1", Na)]),
        ]),
        notes: "Busy Saturday".into(),
        moment_notes: BTreeMap::new(),
    }
}

#[test]
fn checklist_lists_standards_then_free_items() {
    let c = checklist();
    let wait = c.moment("wait-turn").unwrap();
    let items: Vec<_> = wait
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.label.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("standard-1", "wait_minutes <= 10 min"),
            ("item-1", "Seats available"),
            ("item-2", "Queue display works")
        ]
    );
    let phone = c.moment("call-branch").unwrap();
    assert_eq!(phone.items[1].label, "Never on hold more than 17 seconds");
    assert_eq!(c.cycle_version_id, 7);
}

#[test]
fn extra_items_for_unknown_moments_or_blank_are_refused() {
    let mut extra = extras();
    extra.insert("lunch".into(), vec!["x".into()]);
    extra.get_mut("wait-turn").unwrap().push("  ".into());
    extra
        .get_mut("wait-turn")
        .unwrap()
        .push("Seats available".into());
    let e = Checklist::from_cycle(&bank_cycle(), &extra).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "extra_items.lunch",
            "extra_items.wait-turn[2]",
            "extra_items.wait-turn[3]"
        ]
    );
}

#[test]
fn scores_follow_the_documented_rule() {
    let v = visit()
        .validate(&checklist(), at(2026, 4, 2, 12, 0))
        .unwrap();
    let scores: Vec<_> = v.score_per_moment().collect();
    assert_eq!(
        scores,
        [
            ("call-branch", Some(50.0)),
            ("take-number", Some(100.0)),
            ("wait-turn", Some(200.0 / 3.0)),
            ("paid", None)
        ]
    );
    let expected = (50.0 + 100.0 + 200.0 / 3.0) / 3.0;
    assert!((v.overall.unwrap() - expected).abs() < 1e-9);
    assert_eq!(v.critical_failures, ["wait-turn"]);
}

#[test]
fn marks_keep_the_labels_of_the_checklist_they_were_made_on() {
    let v = visit()
        .validate(&checklist(), at(2026, 4, 2, 12, 0))
        .unwrap();
    let wait: Vec<_> = v.moments[2]
        .marks
        .iter()
        .map(|k| (k.code.as_str(), k.label.as_str(), k.result))
        .collect();
    assert_eq!(
        wait,
        [
            ("standard-1", "wait_minutes <= 10 min", NotMet),
            ("item-1", "Seats available", Met),
            ("item-2", "Queue display works", Met)
        ]
    );
    assert_eq!(
        v.moments[0].marks[1].label,
        "Never on hold more than 17 seconds"
    );
    // Editing the free items later changes nothing in the validated visit.
    let mut edited = extras();
    edited.insert("wait-turn".into(), vec!["Chairs".into(), "Screen".into()]);
    let later = Checklist::from_cycle(&bank_cycle(), &edited).unwrap();
    assert_eq!(later.moment("wait-turn").unwrap().items[1].label, "Chairs");
    assert_eq!(v.moments[2].marks[1].label, "Seats available");
}

#[test]
fn stored_visits_round_trip_and_old_marks_without_labels_still_read() {
    let v = visit()
        .validate(&checklist(), at(2026, 4, 2, 12, 0))
        .unwrap();
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json["moments"][2]["marks"][1],
        serde_json::json!({"code": "item-1", "result": "met", "label": "Seats available"})
    );
    assert_eq!(serde_json::from_value::<ValidVisit>(json).unwrap(), v);
    let old: MomentVisit = serde_json::from_value(serde_json::json!({
        "moment_id": 3, "moment_key": "wait-turn", "critical": true,
        "marks": [["standard-1", "not_met"], ["item-1", "met"]],
        "note": "", "score": 50.0
    }))
    .unwrap();
    assert_eq!(
        old.marks,
        [
            VisitMark {
                code: "standard-1".into(),
                result: NotMet,
                label: String::new()
            },
            VisitMark {
                code: "item-1".into(),
                result: Met,
                label: String::new()
            }
        ]
    );
}

#[test]
fn every_item_must_be_marked_and_unknown_ones_are_named() {
    let mut draft = visit();
    let wait = draft.results.get_mut("wait-turn").unwrap();
    wait.remove("item-2");
    wait.insert("item-9".into(), Met);
    draft.results.insert("lunch".into(), BTreeMap::new());
    let e = draft
        .validate(&checklist(), at(2026, 4, 2, 12, 0))
        .unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "results.lunch",
            "results.wait-turn.item-9",
            "results.wait-turn.item-2"
        ]
    );
}

#[test]
fn site_date_and_staff_are_checked() {
    let mut draft = visit();
    draft.site_id = 0;
    draft.staff_ids = vec![4, 4, -1];
    draft.moment_notes.insert("paid".into(), "x".repeat(5000));
    let e = draft
        .validate(&checklist(), at(2026, 4, 1, 0, 0))
        .unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "site_id",
            "visited_at",
            "staff_ids[1]",
            "staff_ids[2]",
            "moment_notes.paid"
        ]
    );
}

#[test]
fn a_visit_with_nothing_applicable_has_no_overall_score() {
    assert_eq!(ItemTally::of([Na, Na]).score(), None);
    assert_eq!(overall_score([None, None]), None);
}

proptest! {
    #[test]
    fn moment_score_is_a_percentage_of_applicable_items(rs in proptest::collection::vec(0u8..3, 0..30)) {
        let results: Vec<ItemResult> = rs.iter().map(|r| [Met, NotMet, Na][*r as usize]).collect();
        let tally = ItemTally::of(results.iter().copied());
        prop_assert_eq!(tally.met + tally.not_met + tally.not_applicable, results.len() as u64);
        match tally.score() {
            Some(s) => prop_assert!((0.0..=100.0).contains(&s)),
            None => prop_assert!(results.iter().all(|r| *r == Na)),
        }
    }
}
