use super::*;
use std::collections::HashMap;

const CFPB: &str = include_str!("../../../tests/fixtures/cfpb/mapping.yaml");

fn mapping(text: &str) -> Mapping {
    let m: Mapping = serde_yaml::from_str(text).unwrap();
    m.check().unwrap();
    m
}

fn row(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn read(m: &Mapping, cells: &HashMap<String, String>) -> Result<MappedRow, Vec<Problem>> {
    m.read(|c| cells.get(c).map(String::as_str).unwrap_or(""))
}

fn cfpb_row() -> HashMap<String, String> {
    row(&[
        ("Complaint ID", "3556830"),
        ("Date received", "2020-03-06"),
        ("Issue", "Attempts to collect debt not owed"),
        ("Sub-issue", "Debt is not yours"),
        ("Consumer complaint narrative", ""),
        ("Submitted via", "Referral"),
        ("Product", "Debt collection"),
        ("Tags", ""),
        ("Company response to consumer", "Closed with explanation"),
    ])
}

#[test]
fn the_cfpb_mapping_reads_a_row() {
    let m = mapping(CFPB);
    let r = read(&m, &cfpb_row()).unwrap();
    assert_eq!(r.external_id, "cfpb-3556830");
    assert_eq!(r.input.customer_ref, "cfpb-consumer-3556830");
    assert_eq!(r.input.channel, "mail");
    assert_eq!(r.input.severity, "medium");
    assert_eq!(r.status, ComplaintStatus::Closed);
    assert_eq!(r.input.service_key.as_deref(), Some("consumer-finance"));
    assert_eq!(r.input.moment_key.as_deref(), Some("debt-collection"));
    assert_eq!(
        r.input.description,
        "Attempts to collect debt not owed\n\nDebt is not yours"
    );
    assert_eq!(
        r.input.received_at.to_rfc3339(),
        "2020-03-06T00:00:00+00:00"
    );
    assert_eq!(r.site_key, None);
}

#[test]
fn the_most_specific_moment_key_wins() {
    let m = mapping(CFPB);
    let mut cells = cfpb_row();
    let product = "Credit reporting, credit repair services, or other personal consumer reports";
    cells.insert("Product".into(), product.into());
    cells.insert("Issue".into(), "Improper use of your report".into());
    assert_eq!(
        read(&m, &cells).unwrap().input.moment_key.as_deref(),
        Some("credit-report")
    );
    let dispute =
        "Problem with a credit reporting company's investigation into an existing problem";
    cells.insert("Issue".into(), dispute.into());
    assert_eq!(
        read(&m, &cells).unwrap().input.moment_key.as_deref(),
        Some("report-dispute")
    );
}

#[test]
fn unmapped_values_and_bad_dates_are_reported_on_their_columns() {
    let m = mapping(CFPB);
    let mut cells = cfpb_row();
    cells.insert("Submitted via".into(), "Carrier pigeon".into());
    cells.insert("Date received".into(), "2020-02-30".into());
    cells.insert("Product".into(), "Crypto".into());
    cells.insert("Tags".into(), "Student".into());
    let problems = read(&m, &cells).unwrap_err();
    let columns: Vec<&str> = problems.iter().map(|p| p.0.as_deref().unwrap()).collect();
    assert_eq!(
        columns,
        ["Date received", "Submitted via", "Tags", "Product"]
    );
    assert!(
        problems[0].1.contains("'2020-02-30' is not a date"),
        "{problems:?}"
    );
    assert!(
        problems[1]
            .1
            .starts_with("channel: 'Carrier pigeon' is not in the mapping's values"),
        "{problems:?}"
    );
}

#[test]
fn defaults_catch_alls_and_plain_values() {
    let m = mapping(
        r#"
external_id: {column: id}
received_at: {column: when}
description: {columns: [what], separator: " - "}
customer_ref: {default: walk-in}
channel: {column: via, values: {counter: in_person, "*": phone}}
site: {column: branch}
severity: {default: low}
status: {column: state, default: received}
remedy_requested: {column: wants}
"#,
    );
    let cells = row(&[
        ("id", "7"),
        ("when", "2026-01-02 10:30:00"),
        ("what", "Queue too long"),
        ("via", "carrier pigeon"),
        ("branch", "norte"),
        ("state", ""),
        ("wants", "An apology"),
    ]);
    let r = read(&m, &cells).unwrap();
    assert_eq!(r.input.customer_ref, "walk-in");
    assert_eq!(r.input.channel, "phone", "the catch-all");
    assert_eq!(
        r.site_key.as_deref(),
        Some("norte"),
        "no value map: as written"
    );
    assert_eq!(r.input.severity, "low");
    assert_eq!(r.status, ComplaintStatus::Received);
    assert_eq!(r.input.remedy_requested, "An apology");
    assert_eq!(
        m.columns(),
        ["id", "when", "what", "via", "branch", "state", "wants"]
    );
}

#[test]
fn mapping_mistakes_are_found_before_any_row() {
    let text = r#"
external_id: {prefix: x}
received_at: {column: when, format: "%Q"}
description: {columns: []}
customer_ref: {}
channel: {values: {a: web}}
status: {column: s, values: {Done: finished}}
"#;
    let m: Mapping = serde_yaml::from_str(text).unwrap();
    let e = m.check().unwrap_err().to_string();
    for part in [
        "external_id needs a column",
        "customer_ref needs a column or a default",
        "description needs at least one column",
        "channel needs a column or a default",
        "status value 'Done'",
        "received_at format '%Q'",
    ] {
        assert!(e.contains(part), "{part} missing from {e}");
    }
    let unknown: Result<Mapping, _> = serde_yaml::from_str("colour: red");
    assert!(unknown.is_err());
}
