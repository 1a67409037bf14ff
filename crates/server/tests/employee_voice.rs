//! Employee voice: `GET /api/v1/services/{id}/employee-voice` and the page
//! `/services/{id}/employee-voice` in English and Spanish — scores with n and the written
//! answers per moment and site, customer answers left out, the period and site filters, the
//! "propose as requirement" link, problems naming the field, and escaped text.
mod pages_support;
mod support;

use chrono::{DateTime, TimeZone, Utc};
use pages_support::Browser;
use reqwest::StatusCode;
use std::{collections::BTreeMap, sync::Arc};
use support::{TestApp, error_fields};
use touchpoint_core::{
    audit::Actor,
    clock::FixedClock,
    feedback::{
        AnswerValue, Localized, QuestionDraft, QuestionKind, SurveyContext, SurveyDraft,
        check_answers,
        records::{NewResponse, ResponseSource, SurveyVersion},
        survey::Audience,
    },
    org::SiteFields,
    user::Role,
};

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, d, 10, 0, 0).unwrap()
}

fn question(code: &str, kind: QuestionKind, moment: Option<&str>) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind,
        text: Localized::en_es(format!("{code}?"), format!("¿{code}?")),
        moment_key: moment.map(str::to_string),
        dimension: None,
        required: false,
        options: Vec::new(),
    }
}

struct World {
    app: TestApp,
    service: i64,
    centro: i64,
}

async fn publish(app: &TestApp, key: &str, audience: Audience) -> SurveyVersion {
    let a = Actor::system("test");
    let cycle = app.store.current_cycle(1).await.unwrap();
    let def = SurveyDraft {
        key: key.into(),
        service_key: Some("bank".into()),
        audience,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es("Staff pulse", "Pulso del personal"),
        intro: Localized::new(),
        thank_you: Localized::en_es("Thanks", "Gracias"),
        questions: vec![
            question("m1_tools", QuestionKind::Rating, Some("m1")),
            question("m1_need", QuestionKind::Text, Some("m1")),
            question("general", QuestionKind::Text, None),
        ],
    }
    .validate(&SurveyContext::with_default_dimensions(Some(&cycle)))
    .unwrap();
    let s = app.store.create_survey(&a, &def).await.unwrap();
    app.store.publish_survey(&a, s.id).await.unwrap()
}

fn response(
    v: &SurveyVersion,
    at: DateTime<Utc>,
    site: i64,
    answers: &[(&str, AnswerValue)],
) -> NewResponse {
    let given: BTreeMap<String, AnswerValue> = answers
        .iter()
        .map(|(c, a)| (c.to_string(), a.clone()))
        .collect();
    let valid = check_answers(&v.definition, &given).unwrap();
    NewResponse {
        survey_id: v.survey_id,
        survey_version_id: v.id,
        source: ResponseSource::Api,
        external_id: None,
        idempotency_key: None,
        link_id: None,
        submitted_at: at,
        customer: None,
        site_id: Some(site),
        staff_id: None,
        language: "es".into(),
        answers: v.stored_answers(&valid),
    }
}

async fn world() -> World {
    let app = TestApp::spawn_with_clock(Arc::new(FixedClock::new(day(15)))).await;
    let service = app.seed_service_with_cycle("bank", 3, &[2]).await.id;
    let a = Actor::system("test");
    let mut sites = Vec::new();
    for name in ["Centro", "Norte"] {
        let f = SiteFields {
            key: name.to_lowercase(),
            name: name.into(),
            city: String::new(),
            timezone: "UTC".into(),
            manager_email: None,
            active: true,
        };
        sites.push(app.store.create_site(&a, &f).await.unwrap().id);
    }
    let staff = publish(&app, "staff-pulse", Audience::Employees).await;
    let customers = publish(&app, "customer-pulse", Audience::Customers).await;
    let text = |t: &str| AnswerValue::Text(t.into());
    for r in [
        response(
            &staff,
            day(3),
            sites[0],
            &[
                ("m1_tools", AnswerValue::Score(2)),
                ("m1_need", text("A second ticket printer")),
            ],
        ),
        response(
            &staff,
            day(5),
            sites[0],
            &[
                ("m1_tools", AnswerValue::Score(3)),
                ("m1_need", text("<b>More</b> staff at noon")),
                ("general", text("Training on the new system")),
            ],
        ),
        response(
            &staff,
            day(6),
            sites[1],
            &[("m1_tools", AnswerValue::Score(5))],
        ),
        // Customers are not staff: their answers never show here.
        response(
            &customers,
            day(6),
            sites[0],
            &[
                ("m1_tools", AnswerValue::Score(1)),
                ("m1_need", text("Customer text")),
            ],
        ),
    ] {
        app.store.submit_response(&r).await.unwrap();
    }
    World {
        app,
        service,
        centro: sites[0],
    }
}

#[tokio::test]
async fn the_api_groups_staff_answers_by_moment_and_site() {
    let w = world().await;
    let token = w.app.user_with_token(Role::Viewer).await.1;
    let (status, body, _) = w
        .app
        .api(&token)
        .get(&format!("/api/v1/services/{}/employee-voice", w.service))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["responses"], 3);
    assert_eq!(body["surveys"].as_array().unwrap().len(), 1);
    let groups = body["groups"].as_array().unwrap();
    let summary: Vec<(Option<&str>, &str, i64)> = groups
        .iter()
        .map(|g| {
            (
                g["moment_key"].as_str(),
                g["site_name"].as_str().unwrap(),
                g["n"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some("m1"), "Centro", 2),
            (Some("m1"), "Norte", 1),
            (None, "Centro", 0)
        ]
    );
    // Ratings 2 and 3 of 5 → 25 and 50 on the 0–100 scale.
    assert_eq!(groups[0]["score"], 37.5);
    assert_eq!(groups[0]["moment_name"], "Moment 1");
    assert_eq!(groups[0]["texts"][0]["text"], "<b>More</b> staff at noon");
    assert_eq!(groups[0]["texts_total"], 2);
    assert_eq!(groups[2]["texts"][0]["text"], "Training on the new system");

    let (_, body, _) = w
        .app
        .api(&token)
        .get(&format!(
            "/api/v1/services/{}/employee-voice?from=2026-01-04&to=2026-01-15&site={}",
            w.service, w.centro
        ))
        .await;
    assert_eq!(body["responses"], 1);
    assert_eq!(body["groups"][0]["n"], 1);
}

#[tokio::test]
async fn bad_periods_and_sites_are_problems_and_unknown_services_404() {
    let w = world().await;
    let token = w.app.user_with_token(Role::Viewer).await.1;
    let api = w.app.api(&token);
    let base = format!("/api/v1/services/{}/employee-voice", w.service);
    for (query, field) in [
        ("?from=2026-01-10&to=2026-01-01", "to"),
        ("?site=999", "site"),
    ] {
        let (status, problem, _) = api.get(&format!("{base}{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(error_fields(&problem), [field]);
    }
    let (status, _, _) = api.get("/api/v1/services/999/employee-voice").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_shows_what_staff_need_in_both_languages() {
    let w = world().await;
    let (b, _) = Browser::signed_in(&w.app, Role::Viewer, "viewer@bank.test").await;
    let path = format!("/services/{}/employee-voice", w.service);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Employee voice · Service bank",
        "Moment 1",
        "37.5",
        "n=2",
        "What staff say is needed",
        "<b>More</b> staff at noon",
        "The service in general",
        "Propose as requirement",
        "3 responses from 1 employee surveys.",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    assert!(!page.body.contains("<b>More</b>"), "staff text is escaped");
    assert!(!page.shows("Customer text"));
    assert!(
        page.body.contains(&format!(
            "/requirements/new?service={}&#38;response=",
            w.service
        )) && page.body.contains(&format!(
            "&#38;moment=m1&#38;site={}&#38;text=A+second+ticket+printer",
            w.centro
        )),
        "{}",
        page.body
    );

    b.get(&format!("/lang/es?next={path}")).await;
    let page = b.get(&path).await;
    for text in [
        "La voz del personal",
        "37,5",
        "Lo que el personal considera necesario",
        "El servicio en general",
        "Proponer como requisito",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    let empty = b
        .get(&format!("{path}?from=2025-01-01&to=2025-01-31"))
        .await;
    assert!(empty.shows("No hay respuestas de encuestas internas"));
}

/// The "propose as requirement" link opens a prefilled form; saving it records a requirement
/// linked to the survey answer. Viewers may not record requirements.
#[tokio::test]
async fn a_proposed_answer_becomes_a_linked_requirement() {
    let w = world().await;
    let (b, _) = Browser::signed_in(&w.app, Role::Manager, "manager@bank.test").await;
    let page = b
        .get(&format!("/services/{}/employee-voice", w.service))
        .await;
    let end = page
        .body
        .find("text=A+second+ticket+printer")
        .expect("the answer's propose link");
    let start = page.body[..end].rfind("/requirements/new?").unwrap();
    let end = end + page.body[end..].find('"').unwrap();
    let href = page.body[start..end].replace("&#38;", "&");
    assert!(href.contains("text=A+second+ticket+printer"), "{href}");
    let form = b.get(&href).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.has(">A second ticket printer</textarea>"),
        "{}",
        form.body
    );
    assert!(form.has("Proposed from an answer to an employee survey"));
    let field = |name: &str| {
        let at = form
            .body
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap();
        let rest = &form.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let (response_id, question) = (field("response_id"), field("question_code"));
    let service = w.service.to_string();
    let site = w.centro.to_string();
    let mut fields = vec![
        ("service_id", service.as_str()),
        ("moment_key", "m1"),
        ("site_id", site.as_str()),
        ("text", ""),
        ("response_id", response_id.as_str()),
        ("question_code", question.as_str()),
    ];
    let refused = b.submit("/requirements", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("aria-invalid=\"true\""), "{}", refused.body);
    fields[3] = ("text", "A second ticket printer");
    let saved = b.submit("/requirements", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let token = w.app.user_with_token(Role::Viewer).await.1;
    let (_, list, _) = w.app.api(&token).get("/api/v1/requirements").await;
    let r = &list["items"][0];
    assert_eq!(r["text"], "A second ticket printer");
    assert_eq!(r["source"], "employee_survey");
    assert_eq!(r["response_id"].to_string(), response_id);
    assert_eq!(r["moment_key"], "m1");

    let (viewer, _) = Browser::signed_in(&w.app, Role::Viewer, "viewer@bank.test").await;
    assert_eq!(viewer.get(&href).await.status, StatusCode::FORBIDDEN);

    // The journey map lists it with an edit link (for managers only); the edit form changes
    // its moment, text and status but keeps the answer it came from.
    let id = r["id"].as_i64().unwrap();
    let edit = format!("/requirements/{id}/edit");
    let map = b.get(&format!("/services/{}", w.service)).await;
    assert!(map.has(&format!(r#"<a href="{edit}""#)), "{}", map.body);
    assert!(
        !viewer
            .get(&format!("/services/{}", w.service))
            .await
            .has(&edit)
    );
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);
    let form = b.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.shows("Edit requirement"));
    assert!(form.has(r#"<option value="open" selected>"#));
    let path = format!("/requirements/{id}");
    let mut changes = vec![
        ("moment_key", "m2"),
        ("site_id", ""),
        ("text", "Two ticket printers"),
        ("status", "someday"),
    ];
    let refused = b.submit(&path, &changes).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has(r#"id="req-status-err""#), "{}", refused.body);
    assert!(
        refused.has(">Two ticket printers</textarea>"),
        "kept as typed"
    );
    changes[3] = ("status", "planned");
    let saved = b.submit(&path, &changes).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (_, r, _) = w
        .app
        .api(&token)
        .get(&format!("/api/v1/requirements/{id}"))
        .await;
    assert_eq!(
        (&r["moment_key"], &r["text"], &r["status"], &r["site_id"]),
        (
            &serde_json::json!("m2"),
            &serde_json::json!("Two ticket printers"),
            &serde_json::json!("planned"),
            &serde_json::Value::Null
        )
    );
    assert_eq!(r["source"], "employee_survey");
    assert_eq!(r["response_id"].to_string(), response_id);
    b.get("/lang/es?next=/").await;
    let es = b.get(&edit).await;
    assert!(
        es.shows("Editar requerimiento") && es.shows("Planificado"),
        "{}",
        es.body
    );
}
