//! The improvement pages on the seeded bank: the complaint analysis (Pareto chart, counts with
//! names, promises kept, estimates labelled as estimates with their assumptions), the plans
//! list and a plan's before/after with its verdicts and requirements — in English and
//! Spanish, with every piece of user text escaped.
mod improvement_support;
mod pages_support;
mod support;

use improvement_support::{build, now, plan};
use pages_support::Browser;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{clock::FixedClock, user::Role};

async fn bank() -> (TestApp, String, improvement_support::Bank) {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(now()))).await;
    let token = app.user_with_token(Role::Admin).await.1;
    let bank = build(&app, &token).await;
    (app, token, bank)
}

#[tokio::test]
async fn the_complaint_analysis_page_draws_the_pareto_and_labels_the_estimates() {
    let (app, _, bank) = bank().await;
    let s = bank.service_id;
    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;
    let map = b.get(&format!("/services/{s}")).await;
    assert!(map.has(&format!(r#"href="/services/{s}/complaint-analysis""#)));

    let p = b.get(&format!("/services/{s}/complaint-analysis")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.has(r#"<svg class="pareto-svg""#));
    assert_eq!(p.text().matches(r#"<g class="pareto-bar">"#).count(), 4);
    for text in [
        "8 complaints received from 2026-04-02 to 2026-06-30 (UTC days).",
        "Too few cashiers at lunchtime",
        "42.9%",
        "Cumulative %",
        "Without a root cause recorded yet (not in the chart): 1.",
        "Wait for the turn",
        "Norte",
        "Responsiveness",
        "Overall: 57.1% of 7 promises kept",
        "Estimates from assumptions",
        "These are estimates, not measurements",
        "About 200 more customers were probably dissatisfied without complaining.",
        "about 2,277 people",
        "Dissatisfied customers who stay silent for each one who complains",
        "Defaults: 25, 11 and 3.",
    ] {
        assert!(p.shows(text), "missing {text}");
    }
    let csv = b
        .get(&format!(
            "/services/{s}/complaint-analysis.csv?site={}",
            bank.sites[0]
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().starts_with("section,key,count"));
    assert!(csv.text().contains("moment,get-paid,2,"), "{}", csv.text());

    b.get("/lang/es?next=/").await;
    let es = b.get(&format!("/services/{s}/complaint-analysis")).await;
    for text in [
        "Análisis de reclamos",
        "8 reclamos recibidos del 2026-04-02 al 2026-06-30 (días UTC).",
        "42,9 %",
        "% acumulado",
        "Pocas vitales",
        "Estimaciones a partir de supuestos",
        "Son estimaciones, no mediciones",
        "Probablemente unos 200 clientes más quedaron insatisfechos sin reclamar.",
        "unas 2.277 personas",
        "Capacidad de respuesta",
    ] {
        assert!(es.shows(text), "missing {text}");
    }

    // A period without complaints says so, and does not call it good news.
    b.get("/lang/en?next=/").await;
    let quiet = b
        .get(&format!(
            "/services/{s}/complaint-analysis?from=2026-01-01&to=2026-01-31"
        ))
        .await;
    assert!(quiet.shows("No complaints in this period."));
    assert!(quiet.shows("a blind spot, not a success"));
    assert!(!quiet.has("pareto-bar"));
}

#[tokio::test]
async fn a_plan_page_says_whether_it_worked_in_both_languages() {
    let (app, token, bank) = bank().await;
    let s = bank.service_id;
    let api = app.api(&token);
    let (status, r, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn", "site_id": bank.sites[1],
                    "text": "A second cashier from 12:00 to 14:00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    api.post_json(
        "/api/v1/requirements",
        &json!({"service_id": s, "moment_key": "wait-turn", "text": "A screen calling the numbers",
                "status": "planned"}),
    )
    .await;
    let id = plan(
        &app,
        &token,
        s,
        "Lunchtime cashier",
        &["wait-turn", "take-number"],
    )
    .await;
    let (status, _, _) = api
        .put_json(
            &format!("/api/v1/action-plans/{id}"),
            &json!({"service_id": s, "title": "Lunchtime cashier",
                    "moment_keys": ["wait-turn", "take-number"], "owner": "Marta Ruiz",
                    "start_date": "2026-06-01", "due_date": "2026-07-31", "status": "in_progress",
                    "expected_effect": "CSAT of the wait up to 80%", "requirement_ids": [r["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;
    // The journey map lists each moment's plans and requirements.
    let map = b.get(&format!("/services/{s}")).await;
    let wait = map.text();
    let wait = &wait[wait.find(r#"id="moment-3""#).expect("the wait in the list")..];
    let wait = &wait[..wait.find(r#"id="moment-4""#).unwrap_or(wait.len())];
    assert!(wait.contains(&format!(r#"<a href="/action-plans/{id}">Lunchtime cashier</a> <span class="muted">(In progress)</span>"#)), "{wait}");
    assert!(
        wait.contains("A screen calling the numbers <span class=\"muted\">(Planned)</span>"),
        "{wait}"
    );
    let list = b.get("/action-plans").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.has(&format!(
        r#"<a href="/action-plans/{id}">Lunchtime cashier</a>"#
    )));
    assert!(list.shows("Wait for the turn, Take a number"));
    assert!(list.shows("In progress"));
    assert!(
        b.get("/action-plans?status=done")
            .await
            .shows("No action plans yet.")
    );

    let p = b.get(&format!("/action-plans/{id}")).await;
    assert_eq!(p.status, StatusCode::OK);
    for text in [
        "Before: 2026-05-02 to 2026-05-31. After: 2026-06-01 to 2026-06-30. Both windows last 30 days",
        "Verdict: Improved.",
        "At least one figure rose by more than chance explains, and none fell.",
        "CSAT rose from 20.0% to 80.0%; a difference this large is unlikely to be chance (two-proportion z-test, p < 0.001).",
        "Mean rating (1–5) rose from 2.80 to 4.20",
        "Welch's t-test",
        "CSAT: 10 before and 10 after; at least 30 in each window are needed to judge.",
        "Not enough data",
        "A second cashier from 12:00 to 14:00",
        "A screen calling the numbers",
        "Requirements this plan answers",
        "Other requirements recorded for these moments",
        "Norte",
        "+60.0 points",
        "CSAT of the wait up to 80%",
    ] {
        assert!(p.shows(text), "missing {text}");
    }
    let csv = b.get(&format!("/action-plans/{id}/before-after.csv")).await;
    assert!(csv.text().starts_with("moment_key,moment,figure,before"));

    b.get("/lang/es?next=/").await;
    let es = b.get(&format!("/action-plans/{id}")).await;
    for text in [
        "Antes: del 2026-05-02 al 2026-05-31. Después: del 2026-06-01 al 2026-06-30.",
        "Veredicto: Mejoró.",
        "CSAT subió de 20,0 % a 80,0 %",
        "prueba z de dos proporciones",
        "Datos insuficientes",
        "hacen falta al menos 30 en cada ventana para juzgar",
        "Requerimientos que atiende este plan",
        "En curso",
    ] {
        assert!(es.shows(text), "missing {text}");
    }
    assert!(b.get("/action-plans").await.shows("Planes de acción"));

    let worse = plan(&app, &token, s, "Shorter goodbye", &["goodbye"]).await;
    let same = plan(&app, &token, s, "Note counter", &["get-paid"]).await;
    assert!(
        b.get(&format!("/action-plans/{worse}"))
            .await
            .shows("Veredicto: Empeoró.")
    );
    b.get("/lang/en?next=/").await;
    assert!(
        b.get(&format!("/action-plans/{same}"))
            .await
            .shows("Verdict: No detectable change.")
    );
    let (status, later, _) = api
        .post_json(
            "/api/v1/action-plans",
            &json!({"service_id": s, "title": "Next quarter", "moment_keys": ["enter"],
                    "owner": "Ana", "start_date": "2026-08-01", "due_date": "2026-09-30"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let later = b.get(&format!("/action-plans/{}", later["id"])).await;
    assert!(later.shows("The plan starts on 2026-08-01: there is no \"after\" to compare yet."));
}

#[tokio::test]
async fn user_text_on_the_improvement_pages_is_escaped() {
    let (app, token, bank) = bank().await;
    let s = bank.service_id;
    let api = app.api(&token);
    let evil = r#"<script>alert(1)</script>" onmouseover="x"#;
    let (_, r, _) = api
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn", "text": evil}),
        )
        .await;
    let (status, p, _) = api
        .post_json(
            "/api/v1/action-plans",
            &json!({"service_id": s, "title": evil, "moment_keys": ["wait-turn"], "owner": evil,
                    "start_date": "2026-06-01", "due_date": "2026-07-31", "expected_effect": evil,
                    "requirement_ids": [r["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    // A root cause with markup reaches the Pareto chart and its table.
    let complaints = app
        .store
        .list_complaints(
            &Default::default(),
            &touchpoint_core::listing::ListQuery::all(),
        )
        .await
        .unwrap();
    let open = complaints
        .items
        .iter()
        .find(|c| c.resolution.is_none())
        .unwrap();
    let cycle = app.store.current_cycle(s).await.unwrap();
    let resolution = touchpoint_core::complaints::ResolutionInput {
        root_cause: evil.into(),
        explanation: "x".into(),
        ..Default::default()
    }
    .validate(Some(&cycle))
    .unwrap();
    app.store
        .record_resolution(
            &touchpoint_core::audit::Actor::system("t"),
            open.id,
            &resolution,
        )
        .await
        .unwrap();

    let (b, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;
    for path in [
        format!("/action-plans/{}", p["id"]),
        "/action-plans".to_string(),
        format!("/services/{s}/complaint-analysis"),
        format!("/services/{s}"),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.has("<script>alert(1)"), "{path}");
        assert!(!page.has(r#"" onmouseover="x"#), "{path}");
        assert!(page.shows(evil), "{path}: the text is shown as written");
    }
}

#[tokio::test]
async fn managers_change_the_assumptions_from_the_page_and_bad_values_are_named() {
    let (app, _, bank) = bank().await;
    let s = bank.service_id;
    let page = format!("/services/{s}/complaint-analysis");
    let form = format!("/services/{s}/complaint-assumptions");

    let (viewer, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;
    assert!(
        !viewer.get(&page).await.has(&format!(r#"action="{form}""#)),
        "no form for readers"
    );

    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    assert!(b.get(&page).await.has(&format!(r#"action="{form}""#)));
    let bad = b
        .submit(
            &form,
            &[
                ("silent_per_complaint", "-3"),
                ("told_by_dissatisfied", "11"),
                ("told_by_satisfied", "lots"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::SEE_OTHER);
    let shown = b.get(&bad.location()).await;
    assert!(shown.shows(
        "Nothing was saved: each assumption must be a number from 0 to 1,000. Check: Dissatisfied customers who stay silent for each one who complains; People a satisfied customer tells."
    ));
    assert!(shown.has(r#"id="as-told_by_satisfied" name="told_by_satisfied" type="text" inputmode="decimal" value="3" aria-invalid="true""#));
    assert_eq!(
        app.store.complaint_assumptions().await.unwrap(),
        Default::default(),
        "nothing stored"
    );

    b.get("/lang/es?next=/").await;
    let ok = b
        .submit(
            &form,
            &[
                ("silent_per_complaint", "12,5"),
                ("told_by_dissatisfied", "9"),
                ("told_by_satisfied", "4"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let shown = b.get(&ok.location()).await;
    assert!(shown.shows("Se guardaron los supuestos"));
    // 8 complaints × 12.5 = 100 silent.
    assert!(shown.shows("Probablemente unos 100 clientes más quedaron insatisfechos"));
    let a = app.store.complaint_assumptions().await.unwrap();
    assert_eq!(
        (
            a.silent_per_complaint,
            a.told_by_dissatisfied,
            a.told_by_satisfied
        ),
        (12.5, 9.0, 4.0)
    );
}

/// A manager writes a plan from the page: the service first, then the moments, owner, dates,
/// status, effect and requirements; bad dates and a due date before the start come back next
/// to their fields with nothing saved; editing changes the status and keeps the service. In
/// English and Spanish; readers see no links to the forms.
#[tokio::test]
async fn managers_write_and_edit_plans_from_the_pages() {
    let (app, token, bank) = bank().await;
    let s = bank.service_id;
    let (status, r, _) = app
        .api(&token)
        .post_json(
            "/api/v1/requirements",
            &json!({"service_id": s, "moment_key": "wait-turn",
                    "text": "A second cashier <b>at lunch</b>"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let requirement = r["id"].as_i64().unwrap();

    let (viewer, _) = Browser::signed_in(&app, Role::Viewer, "v@bank.test").await;
    assert!(
        !viewer
            .get("/action-plans")
            .await
            .has(r#"href="/action-plans/new""#)
    );

    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    assert!(
        b.get("/action-plans")
            .await
            .has(r#"href="/action-plans/new""#)
    );
    let pick = b.get("/action-plans/new").await;
    assert_eq!(pick.status, StatusCode::OK);
    assert!(pick.has(r#"<select id="plan-service" name="service" required>"#));
    let form = b.get(&format!("/action-plans/new?service={s}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has(r#"name="moment_keys" value="wait-turn""#));
    assert!(form.has(&format!(r#"name="requirement_ids" value="{requirement}""#)));
    assert!(
        form.has("A second cashier &#60;b&#62;at lunch&#60;/b&#62;")
            || form.has("A second cashier &lt;b&gt;at lunch&lt;/b&gt;")
    );
    assert!(
        form.has(r#"name="start_date" type="date" value="2026-"#),
        "today is the default start"
    );

    let sid = s.to_string();
    let bad = b
        .submit(
            "/action-plans",
            &[
                ("service_id", sid.as_str()),
                ("title", "Lunch cover"),
                ("owner", "Marta"),
                ("start_date", "1/6/2026"),
                ("due_date", "2026-07-31"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.shows("Enter a date as YYYY-MM-DD."));
    assert!(
        bad.has(r#"value="Lunch cover""#),
        "the form comes back as typed"
    );
    let bad = b
        .submit(
            "/action-plans",
            &[
                ("service_id", sid.as_str()),
                ("title", "Lunch cover"),
                ("owner", "Marta"),
                ("start_date", "2026-06-01"),
                ("due_date", "2026-05-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has(r#"id="plan-due-err""#));
    assert!(bad.has(r#"id="plan-moments-err""#), "no moment chosen");
    let none = app
        .store
        .list_action_plans(
            &Default::default(),
            &touchpoint_core::listing::ListQuery::all(),
        )
        .await
        .unwrap();
    assert_eq!(none.total, 0, "nothing saved");

    let req = requirement.to_string();
    let ok = b
        .submit(
            "/action-plans",
            &[
                ("service_id", sid.as_str()),
                ("title", "Lunch cover"),
                ("moment_keys", "wait-turn"),
                ("moment_keys", "take-number"),
                ("owner", "Marta"),
                ("start_date", "2026-06-01"),
                ("due_date", "2026-07-31"),
                ("status", "planned"),
                ("expected_effect", "CSAT of the wait up to 80%"),
                ("requirement_ids", req.as_str()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let shown = b.get(&ok.location()).await;
    assert!(shown.shows("Lunch cover"));
    let plans = app
        .store
        .list_action_plans(
            &Default::default(),
            &touchpoint_core::listing::ListQuery::all(),
        )
        .await
        .unwrap();
    let plan = &plans.items[0];
    assert_eq!(plan.moment_keys, ["wait-turn", "take-number"]);
    assert_eq!(plan.requirement_ids, [requirement]);
    assert!(shown.has(&format!(r#"href="/action-plans/{}/edit""#, plan.id)));

    b.get("/lang/es?next=/").await;
    let edit = b.get(&format!("/action-plans/{}/edit", plan.id)).await;
    assert!(edit.shows("Editar plan de acción"));
    assert!(edit.has(r#"name="moment_keys" value="take-number" checked"#));
    let done = b
        .submit(
            &format!("/action-plans/{}", plan.id),
            &[
                ("service_id", "999999"),
                ("title", "Lunch cover"),
                ("moment_keys", "wait-turn"),
                ("owner", "Marta Ruiz"),
                ("start_date", "2026-06-01"),
                ("due_date", "2026-07-31"),
                ("status", "in_progress"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = app.store.get_action_plan(plan.id).await.unwrap();
    assert_eq!(after.service_id, s, "a plan stays with its service");
    assert_eq!(after.owner, "Marta Ruiz");
    assert_eq!(after.status.as_str(), "in_progress");
    assert_eq!(after.moment_keys, ["wait-turn"]);
    assert!(after.requirement_ids.is_empty(), "unticked");
    let shown = b.get(&done.location()).await;
    assert!(shown.shows("En curso"));
}
