//! Mystery-shopper audits through the pages: a visit recorded as an auditor (scores, critical
//! failures), validation that writes nothing, and the checklist editor.
mod pages_evidence_support;
mod pages_support;
mod support;

use pages_evidence_support::{MARKS, mark_fields, seed_bank, send, visit_form};
use pages_support::Browser;
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    audit::Actor,
    feedback::{ItemResult, VisitMark},
    user::Role,
};

#[tokio::test]
async fn an_auditor_records_a_visit_with_a_critical_failure() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, auditor) = Browser::signed_in(&app, Role::Auditor, "eva@bank.test").await;

    // Start: choose the service and the site.
    let start = b
        .get(&format!("/audits/new?service={}", bank.service))
        .await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.has("name=\"site\""));
    assert!(
        !start.has("name=\"r."),
        "no checklist before the site is chosen"
    );

    let form = b
        .get(&format!(
            "/audits/new?service={}&site={}",
            bank.service, bank.centro
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    // One section per moment in cycle order, critical ones marked.
    let text = form.text();
    let order: Vec<usize> = [
        "Call the branch",
        "Told to take a number",
        "Paid the exact amount",
        "Goodbye and leave",
    ]
    .iter()
    .map(|n| text.find(n).unwrap_or_else(|| panic!("{n} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(form.body.matches("audit-moment moment-critical").count(), 2);
    // Items from the standards and the free checklist items, each a three-way choice.
    assert_eq!(
        mark_fields(&form.body),
        [
            "r.call.standard-1",
            "r.call.item-1",
            "r.take-number.standard-1",
            "r.paid.item-1",
            "r.paid.item-2"
        ]
    );
    assert!(form.shows("Greets with the branch name"));
    assert!(form.shows("rings <= 3 rings"));
    for value in ["met", "not_met", "na"] {
        assert_eq!(
            form.body.matches(&format!("value=\"{value}\"")).count(),
            5,
            "{value}"
        );
    }
    assert!(form.has("<label for=\"r-call-item-1-not_met\""));
    // Only the staff of the chosen site.
    assert!(form.shows("Ana Pérez") && form.shows("Luis Gómez"));
    assert!(!form.shows("Marta Ruiz"));
    assert!(form.has("name=\"csrf\""));

    let mut fields = visit_form(bank.service, bank.centro, &[bank.ana], &MARKS);
    fields.push((
        "note.take-number".into(),
        "Guard answered without looking up".into(),
    ));
    let saved = send(&b, "/audits", fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.location();
    assert!(location.starts_with("/audits/"), "{location}");

    let visits = app
        .store
        .list_visits(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(visits.total, 1);
    let v = &visits.items[0];
    assert_eq!(v.auditor_user_id, Some(auditor.id));
    assert_eq!(v.visit.staff_ids, [bank.ana]);
    assert_eq!(v.visit.critical_failures, ["take-number"]);
    assert_eq!(v.visit.overall, Some(50.0));
    let scores: Vec<Option<f64>> = v.visit.moments.iter().map(|m| m.score).collect();
    assert_eq!(scores, [Some(50.0), Some(0.0), Some(100.0), None]);
    assert_eq!(
        v.visit.moments[2].marks[1],
        VisitMark {
            code: "item-2".into(),
            result: ItemResult::NotApplicable,
            label: "Offers an envelope".into(),
        }
    );

    let detail = b.get(&location).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.shows("Audit saved."));
    assert!(detail.shows("Audit of Cash a cheque at Centro"));
    assert!(detail.shows("Critical failures (1)"));
    assert!(detail.shows("2. Told to take a number"));
    assert!(detail.has("class=\"big-score score-fair\">50%"));
    for s in ["score-fair\">50%", "score-poor\">0%", "score-good\">100%"] {
        assert!(detail.has(s), "{s}");
    }
    assert!(detail.shows("Not observed"));
    assert!(detail.shows("Guard answered without looking up"));
    assert!(detail.shows("Ana Pérez"));
    assert!(detail.has("width=\"50.0\""), "a bar half full");
    assert!(detail.shows("Offers an envelope"));
    assert!(detail.shows("Greets with the branch name"));

    // Editing the free items later does not rewrite what this visit checked.
    let edited = ["Offers a receipt".to_string()];
    app.store
        .set_checklist_items(&Actor::system("test"), bank.service, "paid", &edited)
        .await
        .unwrap();
    let detail = b.get(&location).await;
    assert!(detail.shows("Counts the notes in front of the customer"));
    assert!(detail.shows("Offers an envelope"));
    assert!(!detail.shows("Offers a receipt"));

    let list = b.get("/audits").await;
    assert!(list.shows("Centro") && list.shows("50%"));
    assert!(list.shows("Told to take a number"));
    let visit_path = location.split('?').next().unwrap();
    assert!(list.has(&format!("href=\"{visit_path}\"")));
    let other_site = b.get(&format!("/audits?site={}", bank.norte)).await;
    assert!(other_site.shows("No audits to show"));
}

#[tokio::test]
async fn an_unmarked_item_is_shown_by_its_moment_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Auditor, "eva@bank.test").await;
    let marks: Vec<(&str, &str)> = MARKS
        .iter()
        .copied()
        .filter(|(k, _)| *k != "r.take-number.standard-1")
        .collect();
    let mut fields = visit_form(bank.service, bank.centro, &[bank.luis], &marks);
    fields.push(("note.call".into(), "Kept note".into()));
    let page = send(&b, "/audits", fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("class=\"error-summary\""));
    assert!(page.shows("2. Told to take a number: 1 item(s) not marked yet"));
    assert!(page.has("href=\"#r-take-number-standard-1-met\""));
    assert!(page.has("id=\"r-take-number-standard-1-err\""));
    assert!(page.shows("mark this item met, not met or not applicable"));
    // What was entered is kept.
    assert!(
        page.has("id=\"r-call-item-1-not_met\" name=\"r.call.item-1\" value=\"not_met\" checked")
    );
    assert!(page.shows("Kept note"));
    assert!(page.has(&format!(
        "id=\"staff-{}\" name=\"staff\" value=\"{}\" checked",
        bank.luis, bank.luis
    )));
    let visits = app
        .store
        .list_visits(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(visits.total, 0);

    // A bad time and a visit in the future are refused too.
    let mut bad = visit_form(bank.service, bank.centro, &[], &MARKS);
    bad[2].1 = "tomorrow".into();
    let page = send(&b, "/audits", bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("id=\"visited-at-err\""));
    let mut future = visit_form(bank.service, bank.centro, &[], &MARKS);
    future[2].1 = "2999-01-01T10:00".into();
    let page = send(&b, "/audits", future).await;
    assert!(page.shows("a visit cannot be dated in the future"));
    let visits = app
        .store
        .list_visits(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(visits.total, 0);
}

#[tokio::test]
async fn the_checklist_editor_adds_free_items_per_moment() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Auditor, "eva@bank.test").await;
    let path = format!("/services/{}/checklist", bank.service);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Offers an envelope"));
    assert!(page.shows("courtesy_score >= 4 pts"));
    let dup = b
        .submit(
            &path,
            &[
                ("items.goodbye", "Says goodbye\nSays goodbye"),
                ("items.call", "Greets with the branch name"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.shows("line 2: 'Says goodbye' is already on this checklist"));
    let saved = b
        .submit(
            &path,
            &[
                ("items.goodbye", " Says goodbye \n\n"),
                ("items.call", "Greets with the branch name"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let items = app.store.checklist_items(bank.service).await.unwrap();
    assert_eq!(items["goodbye"], ["Says goodbye"]);
    assert_eq!(items["call"], ["Greets with the branch name"]);
    assert!(!items.contains_key("paid"), "emptied");
    let form = b
        .get(&format!(
            "/audits/new?service={}&site={}",
            bank.service, bank.centro
        ))
        .await;
    assert!(mark_fields(&form.body).contains(&"r.goodbye.item-1".to_string()));
}
