use super::*;
use crate::feedback::{fixtures::all_kinds, survey::ValidSurvey};
use proptest::prelude::*;

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const FULL: [&str; 14] = [
    "response_id",
    "submitted_at",
    "customer",
    "site",
    "staff",
    "language",
    "wait",
    "nps",
    "effort",
    "courtesy_e",
    "courtesy_p",
    "visit",
    "channels",
    "comment",
];

fn header() -> WideHeader {
    WideHeader::parse(&strings(&FULL), &all_kinds()).unwrap()
}

fn good_row() -> Vec<&'static str> {
    vec![
        "r-1",
        "2026-04-01 10:15:00",
        "C-9",
        "centro",
        "17",
        "es",
        "4",
        "9",
        "2",
        "6",
        "5",
        "repeat",
        "web;phone",
        "Todo bien",
    ]
}

fn reasons(errors: &[CellError]) -> Vec<(u64, usize, &str)> {
    errors
        .iter()
        .map(|e| (e.line, e.column, e.column_name.as_str()))
        .collect()
}

#[test]
fn export_header_lists_fixed_columns_then_questions() {
    assert_eq!(WideHeader::header_for(&all_kinds()), strings(&FULL));
    assert_eq!(
        WideHeader::for_survey(&all_kinds()),
        header(),
        "the export layout is what parsing its own header gives"
    );
}

#[test]
fn a_good_row_is_read_in_question_order() {
    let row = header().parse_row(2, &good_row()).unwrap();
    assert_eq!(row.response_id, "r-1");
    assert_eq!(row.site.as_deref(), Some("centro"));
    assert_eq!(row.language.as_deref(), Some("es"));
    assert_eq!(row.answers.0.len(), 7);
    assert_eq!(
        row.answers.0[3].value,
        AnswerValue::Servqual {
            expectation: 6,
            perception: 5
        }
    );
    assert_eq!(
        row.answers.0[5].value,
        AnswerValue::Choices(vec!["phone".into(), "web".into()])
    );
}

#[test]
fn export_then_import_gives_the_same_row() {
    let h = header();
    let row = h.parse_row(2, &good_row()).unwrap();
    let cells = h.format_row(&row);
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    assert_eq!(h.parse_row(2, &refs).unwrap(), row);
    assert_eq!(cells[1], "2026-04-01T10:15:00Z");
}

#[test]
fn columns_may_come_in_any_order_and_optional_ones_may_be_left_out() {
    let names = strings(&["nps", "submitted_at", "wait", "response_id"]);
    let h = WideHeader::parse(&names, &all_kinds()).unwrap();
    let row = h
        .parse_row(2, &["10", "2026-04-01T10:15:00+02:00", "5", "x"])
        .unwrap();
    assert_eq!(row.submitted_at.to_rfc3339(), "2026-04-01T08:15:00+00:00");
    assert_eq!(row.answers.0.len(), 2);
    assert_eq!(row.customer, None);
}

#[test]
fn bad_header_columns_are_each_named() {
    let names = strings(&[
        "\u{feff}response_id",
        "submitted_at",
        "wait",
        "wait",
        "courtesy",
        "nps_e",
        "colour",
        "",
    ]);
    let e = WideHeader::parse(&names, &all_kinds()).unwrap_err();
    assert_eq!(
        reasons(&e),
        [
            (1, 4, "wait"),
            (1, 5, "courtesy"),
            (1, 6, "nps_e"),
            (1, 7, "colour"),
            (1, 8, ""),
            (1, 0, "nps"),
        ]
    );
    assert!(e[1].reason.contains("courtesy_e"), "{}", e[1].reason);
    assert!(e[2].reason.contains("not a servqual"), "{}", e[2].reason);
    assert!(e[3].reason.contains("unknown column 'colour'"));
    assert!(e[5].to_string().starts_with("line 1: the column 'nps'"));
}

#[test]
fn missing_fixed_columns_and_half_servqual_pairs_are_reported() {
    let names = strings(&["wait", "nps", "courtesy_p"]);
    let e = WideHeader::parse(&names, &all_kinds()).unwrap_err();
    let named: Vec<_> = e.iter().map(|e| e.column_name.as_str()).collect();
    assert_eq!(named, ["response_id", "submitted_at", "courtesy_e"]);
}

#[test]
fn every_bad_cell_of_a_row_is_reported_in_column_order() {
    let mut cells = good_row();
    cells[1] = "01/04/2026";
    cells[5] = "fr";
    cells[6] = "6";
    cells[7] = "";
    cells[10] = "";
    cells[12] = "web;fax";
    let e = header().parse_row(7, &cells).unwrap_err();
    assert_eq!(
        reasons(&e),
        [
            (7, 2, "submitted_at"),
            (7, 6, "language"),
            (7, 7, "wait"),
            (7, 8, "nps"),
            (7, 11, "courtesy_p"),
            (7, 13, "channels"),
        ]
    );
    assert_eq!(
        e[2].reason,
        "'6' is out of range: choose a score from 1 to 5"
    );
    assert_eq!(e[3].reason, "required question 'nps' has no answer");
    assert!(e[4].reason.contains("perception score is missing"));
    assert_eq!(
        e[2].to_string(),
        "line 7, column 7 (wait): '6' is out of range: choose a score from 1 to 5"
    );
}

#[test]
fn a_row_of_the_wrong_width_is_one_error() {
    let e = header()
        .parse_row(3, &["r-1", "2026-04-01 10:15:00"])
        .unwrap_err();
    assert_eq!(reasons(&e), [(3, 3, "customer")]);
    assert!(e[0].reason.contains("2 cells"));
}

#[test]
fn empty_response_id_and_non_numbers_are_refused() {
    let mut cells = good_row();
    cells[0] = " ";
    cells[8] = "two";
    let e = header().parse_row(4, &cells).unwrap_err();
    assert_eq!(reasons(&e), [(4, 1, "response_id"), (4, 9, "effort")]);
    assert_eq!(e[1].reason, "'two' is not a whole number");
}

#[test]
fn only_the_bad_lines_of_a_file_are_reported() {
    let h = header();
    let mut bad_lines = Vec::new();
    let mut good = 0;
    for line in 2..=20u64 {
        let mut cells = good_row();
        let id = format!("r-{line}");
        cells[0] = &id;
        if line == 7 {
            cells[1] = "2026-13-01 10:00:00";
        }
        if line == 12 {
            cells[7] = "11";
        }
        match h.parse_row(line, &cells) {
            Ok(_) => good += 1,
            Err(e) => bad_lines.extend(e.iter().map(|e| e.line)),
        }
    }
    assert_eq!(bad_lines, [7, 12]);
    assert_eq!(good, 17);
}

fn arb_row(survey: ValidSurvey) -> impl Strategy<Value = ParsedRow> {
    let answer_sets = (
        1..=5i32,
        0..=10i32,
        proptest::option::of(1..=7i32),
        proptest::option::of((1..=7i32, 1..=7i32)),
        proptest::option::of(0..2usize),
        proptest::collection::vec(any::<bool>(), 3),
        proptest::option::of("[A-Za-z0-9;,\"' ]{0,30}[a-z]"),
    );
    (
        "[A-Za-z0-9_-]{1,20}",
        0i64..4_000_000_000,
        proptest::option::of("[a-z0-9]{1,8}"),
        proptest::option::of(prop_oneof![Just("en"), Just("es")]),
        answer_sets,
    )
        .prop_map(move |(id, secs, site, lang, (w, n, ef, sq, v, ch, text))| {
            let q = |code: &str| survey.question(code).unwrap();
            let mut answers = vec![(0, AnswerValue::Score(w)), (1, AnswerValue::Score(n))];
            answers.extend(ef.map(|e| (2, AnswerValue::Score(e))));
            answers.extend(sq.map(|(e, p)| {
                (
                    3,
                    AnswerValue::Servqual {
                        expectation: e,
                        perception: p,
                    },
                )
            }));
            answers
                .extend(v.map(|i| (4, AnswerValue::Choice(q("visit").1.options[i].code.clone()))));
            let ticked: Vec<String> = q("channels")
                .1
                .options
                .iter()
                .zip(&ch)
                .filter(|(_, t)| **t)
                .map(|(o, _)| o.code.clone())
                .collect();
            if !ticked.is_empty() {
                answers.push((5, AnswerValue::Choices(ticked)));
            }
            answers.extend(text.map(|t| (6, AnswerValue::Text(t.trim().to_string()))));
            ParsedRow {
                line: 9,
                response_id: id,
                submitted_at: chrono::TimeZone::timestamp_opt(&Utc, secs, 0).unwrap(),
                customer: None,
                site,
                staff: None,
                language: lang.map(str::to_string),
                answers: ValidAnswers(
                    answers
                        .into_iter()
                        .map(|(question, value)| ValidAnswer { question, value })
                        .collect(),
                ),
            }
        })
}

proptest! {
    #[test]
    fn any_valid_row_survives_export_and_import(row in arb_row(all_kinds())) {
        let h = WideHeader::for_survey(&all_kinds());
        let cells = h.format_row(&row);
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        prop_assert_eq!(h.parse_row(9, &refs), Ok(row));
    }
}
