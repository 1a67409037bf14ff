//! A bank branch to audit, measure and compliment: one service whose cycle has a phone
//! moment with a ring standard, two critical moments and one without anything to check; two
//! sites with their staff; and free checklist items. Shared by the evidence page tests.
#![allow(dead_code)]

use crate::support::TestApp;
use std::collections::BTreeSet;
use touchpoint_core::{
    audit::Actor,
    cycle::{CycleDraft, MomentDraft},
    org::{SiteFields, StaffFields},
    service::NewService,
};

pub struct Bank {
    pub service: i64,
    pub centro: i64,
    pub norte: i64,
    pub ana: i64,
    pub luis: i64,
    pub marta: i64,
}

fn moment(key: &str, name: &str, channel: &str, critical: bool, standards: &[&str]) -> MomentDraft {
    MomentDraft {
        key: key.into(),
        name: name.into(),
        description: String::new(),
        channel: channel.into(),
        role: String::new(),
        critical,
        standards: standards.iter().map(|s| s.parse().unwrap()).collect(),
    }
}

pub async fn seed_bank(app: &TestApp) -> Bank {
    let actor = Actor::system("test");
    let fields = NewService {
        key: Some("cash-a-cheque".into()),
        name: "Cash a cheque".into(),
        description: String::new(),
    }
    .validate()
    .unwrap();
    let service = app.store.create_service(&actor, &fields).await.unwrap();
    let draft = CycleDraft {
        moments: vec![
            moment(
                "call",
                "Call the branch",
                "phone",
                false,
                &["rings <= 3 rings"],
            ),
            moment(
                "take-number",
                "Told to take a number",
                "in_person",
                true,
                &["courtesy_score >= 4 pts"],
            ),
            moment("paid", "Paid the exact amount", "in_person", true, &[]),
            moment("goodbye", "Goodbye and leave", "in_person", false, &[]),
        ],
        note: "First mapping".into(),
    };
    app.store
        .publish_cycle(&actor, service.id, &draft.validate().unwrap())
        .await
        .unwrap();
    let site = |key: &str, name: &str| SiteFields {
        key: key.into(),
        name: name.into(),
        city: "Bogotá".into(),
        timezone: "America/Bogota".into(),
        manager_email: None,
        active: true,
    };
    let centro = app
        .store
        .create_site(&actor, &site("centro", "Centro"))
        .await
        .unwrap();
    let norte = app
        .store
        .create_site(&actor, &site("norte", "Norte"))
        .await
        .unwrap();
    let mut staff_ids = Vec::new();
    for (name, role, site) in [
        ("Ana Pérez", "Cashier", centro.id),
        ("Luis Gómez", "Greeter", centro.id),
        ("Marta Ruiz", "Cashier", norte.id),
    ] {
        let s = app
            .store
            .create_staff(
                &actor,
                &StaffFields {
                    name: name.into(),
                    role: role.into(),
                    site_id: Some(site),
                    email: String::new(),
                    active: true,
                },
            )
            .await
            .unwrap();
        staff_ids.push(s.id);
    }
    for (key, items) in [
        ("call", vec!["Greets with the branch name"]),
        (
            "paid",
            vec![
                "Counts the notes in front of the customer",
                "Offers an envelope",
            ],
        ),
    ] {
        let items: Vec<String> = items.into_iter().map(String::from).collect();
        app.store
            .set_checklist_items(&actor, service.id, key, &items)
            .await
            .unwrap();
    }
    Bank {
        service: service.id,
        centro: centro.id,
        norte: norte.id,
        ana: staff_ids[0],
        luis: staff_ids[1],
        marta: staff_ids[2],
    }
}

/// The radio groups (`r.moment.item`) of the audit form, in page order.
pub fn mark_fields(html: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for part in html.split("name=\"r.").skip(1) {
        let name = format!("r.{}", part.split('"').next().unwrap_or_default());
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

/// A `datetime-local` value an hour ago.
pub fn an_hour_ago() -> String {
    (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The form of a visit to `site` with every mark given (`r.` names) and the staff ticked.
pub fn visit_form(
    service: i64,
    site: i64,
    staff: &[i64],
    marks: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("service".to_string(), service.to_string()),
        ("site".to_string(), site.to_string()),
        ("visited_at".to_string(), an_hour_ago()),
        ("notes".to_string(), "Busy Monday morning".to_string()),
    ];
    for s in staff {
        f.push(("staff".into(), s.to_string()));
    }
    for (k, v) in marks {
        f.push((k.to_string(), v.to_string()));
    }
    f
}

/// Every mark of the bank's checklist: one not met at `call` (not critical), one not met at
/// the critical `take-number`, and `paid` met with one item not applicable.
pub const MARKS: [(&str, &str); 5] = [
    ("r.call.standard-1", "met"),
    ("r.call.item-1", "not_met"),
    ("r.take-number.standard-1", "not_met"),
    ("r.paid.item-1", "met"),
    ("r.paid.item-2", "na"),
];

/// POST `form` with the signed-in session's CSRF token.
pub async fn send(
    b: &crate::pages_support::Browser,
    path: &str,
    mut form: Vec<(String, String)>,
) -> crate::pages_support::Page {
    let csrf = b.get("/services").await.csrf();
    form.push(("csrf".into(), csrf));
    b.post(path, &form).await
}
