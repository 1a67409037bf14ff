//! Tests of complaint, resolution and update validation.
use super::*;
use crate::{cycle::Moment, dimension::default_dimensions};
use chrono::TimeZone;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
}

fn cycle() -> CycleVersion {
    CycleVersion {
        id: 7,
        service_id: 1,
        version: 1,
        note: String::new(),
        published_at: at(1, 0),
        published_by: "test".into(),
        moments: vec![Moment {
            id: 42,
            key: "wait-turn".into(),
            position: 1,
            name: "Wait for the turn".into(),
            description: String::new(),
            channel: Channel::InPerson,
            role: String::new(),
            critical: true,
            standards: vec![],
        }],
    }
}

fn input() -> ComplaintInput {
    ComplaintInput {
        customer_ref: " Marta Gómez ".into(),
        channel: "phone".into(),
        site_id: Some(3),
        service_key: Some("cash-a-cheque".into()),
        moment_key: Some("wait-turn".into()),
        dimension_key: Some("responsiveness".into()),
        description: "Waited 40 minutes <script>alert(1)</script>".into(),
        remedy_requested: "An apology".into(),
        severity: "High".into(),
        assignee_id: None,
        received_at: at(2, 10),
    }
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn a_full_complaint_is_accepted_and_text_kept_as_written() {
    let c = input()
        .validate(Some(&cycle()), &default_dimensions(), at(3, 0))
        .unwrap();
    assert_eq!(c.customer_ref, "Marta Gómez");
    assert_eq!(c.moment_id, Some(42));
    assert_eq!(c.severity, Severity::High);
    assert_eq!(c.description, "Waited 40 minutes <script>alert(1)</script>");
}

#[test]
fn every_problem_is_reported_by_field() {
    let mut i = input();
    i.customer_ref = " ".into();
    i.channel = "pigeon".into();
    i.site_id = Some(0);
    i.moment_key = Some("lunch".into());
    i.dimension_key = Some("magic".into());
    i.description = "x".repeat(MAX_LONG_TEXT + 1);
    i.severity = "apocalyptic".into();
    i.received_at = at(9, 0);
    let e = i
        .validate(Some(&cycle()), &default_dimensions(), at(3, 0))
        .unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "customer_ref",
            "channel",
            "site_id",
            "moment_key",
            "dimension_key",
            "description",
            "severity",
            "received_at"
        ]
    );
    assert!(e.0[6].message.contains("critical"));
}

#[test]
fn a_moment_needs_its_service() {
    let mut i = input();
    i.service_key = None;
    let e = i.validate(None, &[], at(3, 0)).unwrap_err();
    assert_eq!(fields(&e), ["service_key", "dimension_key"]);
}

#[test]
fn resolutions_need_cause_and_explanation() {
    let e = ResolutionInput::default().validate(None).unwrap_err();
    assert_eq!(fields(&e), ["root_cause", "explanation"]);
    let r = ResolutionInput {
        root_cause: "Only one teller at lunch".into(),
        root_cause_moment_key: Some("wait-turn".into()),
        explanation: "We had a staffing gap".into(),
        ..ResolutionInput::default()
    };
    assert!(r.validate(Some(&cycle())).is_ok());
    let mut bad = r.clone();
    bad.root_cause_moment_key = Some("nope".into());
    assert_eq!(
        fields(&bad.validate(Some(&cycle())).unwrap_err()),
        ["root_cause_moment_key"]
    );
}

#[test]
fn updates_need_a_visibility_and_text() {
    let u = UpdateInput {
        visibility: "internal".into(),
        text: " Called back ".into(),
    };
    assert_eq!(u.validate().unwrap().text, "Called back");
    let e = UpdateInput {
        visibility: "public".into(),
        text: "".into(),
    }
    .validate()
    .unwrap_err();
    assert_eq!(fields(&e), ["visibility", "text"]);
}

#[test]
fn filters_deserialize_from_partial_queries() {
    let f: ComplaintFilter =
        serde_json::from_str(r#"{"status":"investigating","order":"severity"}"#).unwrap();
    assert_eq!(f.status, Some(ComplaintStatus::Investigating));
    assert_eq!(f.order, ComplaintOrder::Severity);
    let empty: ComplaintFilter = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, ComplaintFilter::default());
}

#[test]
fn severity_ranks_sort_by_badness() {
    assert!(Severity::Low.rank() < Severity::Critical.rank());
    assert_eq!(Severity::Critical.rank(), 4);
}
