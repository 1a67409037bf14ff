//! The complaint pages in English: the queue's filters, sorting, paging and bulk assignment;
//! registering a complaint (its status link shown once); and the complaint page's lifecycle
//! buttons, updates, promise clocks and resolution.
mod complaints_support;
mod pages_evidence_support;
mod pages_support;
mod support;

use complaints_support::{NewCase, create, promise, token, update};
use pages_evidence_support::{Bank, seed_bank};
use pages_support::{Browser, Page};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    complaints::{PromiseKind, Visibility},
    user::Role,
};

async fn post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> Page {
    b.submit(path, fields).await
}

fn in_an_hour() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn three_cases(app: &TestApp, bank: &Bank) -> (i64, i64, i64, String, String, String) {
    let mut a = NewCase::new("Ana María", "Rude answer at the ticket machine", token("a"));
    a.site = Some(bank.centro);
    a.moment = Some("take-number");
    a.severity = "high";
    let a = create(app, bank, a).await;
    let mut b = NewCase::new("Bruno", "Nobody called back", token("b"));
    b.site = Some(bank.norte);
    b.severity = "low";
    let b = create(app, bank, b).await;
    let mut c = NewCase::new("Carla", "Paid 50,000 short", token("c"));
    c.site = Some(bank.centro);
    c.moment = Some("paid");
    c.severity = "critical";
    let c = create(app, bank, c).await;
    promise(app, c.id, PromiseKind::Callback, "We will call you", -1).await;
    (a.id, b.id, c.id, a.reference, b.reference, c.reference)
}

#[tokio::test]
async fn the_queue_filters_sorts_pages_and_assigns_in_bulk() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (a, b_id, _c, ra, rb, rc) = three_cases(&app, &bank).await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "manager@bank.test").await;
    let (_, agent) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;

    let all = b.get("/complaints").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.has("<h1>Complaints</h1>"));
    assert!(all.has("href=\"/complaints\" aria-current=\"page\""));
    for r in [&ra, &rb, &rc] {
        assert!(all.has(r), "{r}");
    }
    assert!(all.shows("Told to take a number"));
    assert!(all.has("href=\"/complaints/new\""));

    let check = |page: Page, shown: &[&String], hidden: &[&String]| {
        assert_eq!(page.status, StatusCode::OK);
        for r in shown {
            assert!(page.has(r), "{r} should be listed");
        }
        for r in hidden {
            assert!(!page.has(r), "{r} should be filtered out");
        }
    };
    let centro = b.get(&format!("/complaints?site={}", bank.centro)).await;
    check(centro, &[&ra, &rc], &[&rb]);
    check(
        b.get("/complaints?severity=critical").await,
        &[&rc],
        &[&ra, &rb],
    );
    check(
        b.get("/complaints?moment=take-number").await,
        &[&ra],
        &[&rb, &rc],
    );
    check(
        b.get("/complaints?status=received").await,
        &[&ra, &rb, &rc],
        &[],
    );
    check(
        b.get("/complaints?status=closed").await,
        &[],
        &[&ra, &rb, &rc],
    );
    check(b.get("/complaints?q=nobody").await, &[&rb], &[&ra, &rc]);
    let overdue = b.get("/complaints?overdue=1").await;
    assert!(overdue.has("class=\"tag tag-bad\">Overdue</span>"));
    check(overdue, &[&rc], &[&ra, &rb]);

    let by_ref = b.get("/complaints?sort=reference&dir=asc").await;
    assert!(by_ref.body.find(&ra).unwrap() < by_ref.body.find(&rc).unwrap());
    assert!(by_ref.has("aria-sort=\"ascending\""));
    let by_ref_desc = b.get("/complaints?sort=reference&dir=desc").await;
    assert!(by_ref_desc.body.find(&rc).unwrap() < by_ref_desc.body.find(&ra).unwrap());

    // Bulk assignment: one POST for the ticked rows.
    let queue = b.get("/complaints?sort=reference&dir=asc").await;
    assert!(queue.has("name=\"ids\""));
    let back = "/complaints?sort=reference&dir=asc";
    let (ia, ib, who) = (a.to_string(), b_id.to_string(), agent.id.to_string());
    let done = post(
        &b,
        "/complaints/assign",
        &[
            ("ids", &ia),
            ("ids", &ib),
            ("assignee", &who),
            ("back", back),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), format!("{back}&flash=assigned&n=2"));
    let after = b.get(&done.location()).await;
    assert!(after.shows("2 complaint(s) assigned."));
    for id in [a, b_id] {
        let x = app.store.get_complaint(id).await.unwrap();
        assert_eq!(x.assignee_id, Some(agent.id));
    }
    check(
        b.get(&format!("/complaints?assignee={}", agent.id)).await,
        &[&ra, &rb],
        &[&rc],
    );
    // Nothing ticked: back to the queue with the reason; an outside `back` is ignored.
    let none = post(
        &b,
        "/complaints/assign",
        &[("assignee", &who), ("back", "//evil.test")],
    )
    .await;
    assert_eq!(none.location(), "/complaints?flash=none_selected");
    assert!(
        b.get(&none.location())
            .await
            .shows("Tick at least one complaint")
    );
    let unassign = post(&b, "/complaints/assign", &[("ids", &ia), ("assignee", "")]).await;
    assert_eq!(unassign.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.get_complaint(a).await.unwrap().assignee_id, None);

    // 27 complaints: 25 per page, then the rest.
    for i in 0..24 {
        create(
            &app,
            &bank,
            NewCase::new(&format!("Bulk {i}"), "Slow", token(&format!("bulk{i}"))),
        )
        .await;
    }
    let first = b.get("/complaints").await;
    assert!(first.shows("1–25 of 27"));
    assert!(first.has("rel=\"next\""));
    let second = b.get("/complaints?sort=received&dir=desc&page=2").await;
    assert!(second.shows("26–27 of 27"));
    assert!(second.has("rel=\"prev\""));
}

#[tokio::test]
async fn registering_a_complaint_shows_its_status_link_once() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;
    let form = b.get("/complaints/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.shows("What happened, in the customer's words"));
    assert!(form.has("value=\"cash-a-cheque/take-number\""));
    assert!(form.has("<option value=\"courtesy\""));

    let empty = post(
        &b,
        "/complaints",
        &[("channel", "phone"), ("severity", "medium")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.shows("Please correct the following"));
    assert!(empty.has("href=\"#n-description\""));
    assert!(empty.shows("describe what happened"));
    assert!(empty.has("id=\"n-customer\" name=\"customer\" value=\"\""));

    let site = bank.centro.to_string();
    let when = (chrono::Utc::now() - chrono::Duration::minutes(30))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let saved = post(
        &b,
        "/complaints",
        &[
            ("customer", "Diana Ríos"),
            ("channel", "in_person"),
            ("site", &site),
            ("about", "cash-a-cheque/paid"),
            ("dimension", "reliability"),
            ("description", "The cashier gave me the wrong amount."),
            ("remedy", "The missing money"),
            ("severity", "high"),
            ("received_at", &when),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert!(saved.shows("registered"));
    let url = saved.text();
    let start = url.find("/c/").expect("a status link");
    let token: String = url[start + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert!(token.len() >= 43, "{token}");
    let list = app
        .store
        .list_complaints(&Default::default(), &Default::default())
        .await
        .unwrap();
    let x = &list.items[0];
    assert_eq!(x.customer_ref, "Diana Ríos");
    assert_eq!(x.moment_key.as_deref(), Some("paid"));
    assert_eq!(x.site_id, Some(bank.centro));
    let public = Browser::new(&app).get(&format!("/c/{token}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.has(&x.reference));
    // The link is not on the complaint page: only its hash was kept.
    let page = b.get(&format!("/complaints/{}", x.id)).await;
    assert!(!page.has(&token));
}

#[tokio::test]
async fn the_complaint_page_moves_updates_promises_and_resolves() {
    let app = TestApp::spawn().await;
    let bank = seed_bank(&app).await;
    let (b, _) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;
    let mut case = NewCase::new("Ana María", "Rude answer at the ticket machine", token("p"));
    case.moment = Some("take-number");
    let x = create(&app, &bank, case).await;
    let path = format!("/complaints/{}", x.id);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has(&x.reference));
    assert!(page.shows("Relationship balance"));
    assert!(page.shows("Registered"));
    // Only the valid next step is offered.
    assert!(page.has("name=\"to\" value=\"acknowledged\""));
    assert!(!page.has("name=\"to\" value=\"resolved\""));

    let refused = post(&b, &format!("{path}/transition"), &[("to", "resolved")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.shows("cannot become 'resolved'"));
    let moved = post(
        &b,
        &format!("{path}/transition"),
        &[("to", "acknowledged"), ("note", "Called her at once")],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location(), format!("{path}?flash=moved#timeline"));
    let page = b.get(&moved.location()).await;
    assert!(page.shows("The complaint is now Acknowledged."));
    assert!(page.shows("Called her at once"));
    assert!(page.has("name=\"to\" value=\"assessed\""));

    for (vis, text) in [
        ("customer", "We are on it"),
        ("internal", "Branch manager told"),
    ] {
        let r = post(
            &b,
            &format!("{path}/updates"),
            &[("visibility", vis), ("text", text)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let blank = post(
        &b,
        &format!("{path}/updates"),
        &[("visibility", "internal"), ("text", " ")],
    )
    .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.has("id=\"u-text-err\""));
    let page = b.get(&path).await;
    assert!(page.shows("Visible to the customer"));
    assert!(page.shows("Internal note"));
    assert!(page.has("cp-update cp-internal"));

    let past = (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let late = post(
        &b,
        &format!("{path}/promises"),
        &[
            ("kind", "callback"),
            ("description", "Call back"),
            ("due_at", &past),
        ],
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.shows("a promise must be due in the future"));
    let made = post(
        &b,
        &format!("{path}/promises"),
        &[
            ("kind", "callback"),
            ("description", "We will call you by noon"),
            ("due_at", &in_an_hour()),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let overdue = promise(&app, x.id, PromiseKind::Custom, "Send the form", -2).await;
    let page = b.get(&path).await;
    assert!(page.shows("We will call you by noon"));
    assert!(page.shows(" left"));
    assert!(page.shows("Overdue by 2 h") || page.shows("Overdue by 1 h 59 min"));

    let promises = app.store.complaint_promises(x.id).await.unwrap();
    let callback = promises
        .iter()
        .find(|p| p.kind == PromiseKind::Callback)
        .unwrap();
    let done = post(&b, &format!("{path}/promises/{}/fulfil", callback.id), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let no_reason = post(
        &b,
        &format!("{path}/promises/{overdue}/cancel"),
        &[("reason", "")],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.shows("give a reason for cancelling the promise"));
    let cancelled = post(
        &b,
        &format!("{path}/promises/{overdue}/cancel"),
        &[("reason", "Customer came in person")],
    )
    .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let page = b.get(&cancelled.location()).await;
    assert!(page.shows("Promise cancelled."));
    assert!(page.has("pr-tag-kept\">Kept</span>"));
    assert!(page.has("pr-tag-cancelled\">Cancelled</span>"));
    // Another complaint's promise is not reachable through this one.
    let other = create(&app, &bank, NewCase::new("Zoe", "Other", token("other"))).await;
    let theirs = promise(&app, other.id, PromiseKind::Callback, "x", 5).await;
    let wrong = post(&b, &format!("{path}/promises/{theirs}/fulfil"), &[]).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    let missing = post(
        &b,
        &format!("{path}/resolution"),
        &[("root_cause", "Tired greeter")],
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.shows("write the explanation given to the customer"));
    assert!(missing.shows("Tired greeter"));
    let resolved = post(
        &b,
        &format!("{path}/resolution"),
        &[
            ("root_cause", "One greeter for two doors"),
            ("root_cause_moment", "take-number"),
            ("explanation", "Our greeter was alone at rush hour."),
            ("prevention", "A second greeter from 8 to 10"),
            ("alternatives", "Book a time online"),
            ("compensation", "A written apology"),
            ("satisfied", "yes"),
        ],
    )
    .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER, "{}", resolved.body);
    let page = b.get(&path).await;
    assert!(page.has("value=\"take-number\" selected"));
    assert!(page.shows("A second greeter from 8 to 10"));
    assert!(page.has("<option value=\"yes\" selected>"));
    let stored = app.store.get_complaint(x.id).await.unwrap();
    assert_eq!(stored.resolution.unwrap().compensation, "A written apology");
    update(&app, x.id, Visibility::Internal, "late note").await;
}
