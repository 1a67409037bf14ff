//! Every survey page and form × every role: all may read, admins and managers may change.
//! Signed out, pages send to the login form and forms are refused; denials are a localized
//! 403 page and are audited.
mod pages_support;
mod public_support;
mod support;

use pages_support::Browser;
use public_support::{link, published_survey};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    audit::AuditQuery,
    feedback::records::LinkKind,
    listing::ListQuery,
    user::{Permission, Role},
};

fn get_routes(survey: i64, response: i64) -> Vec<(String, bool)> {
    vec![
        ("/surveys".into(), false),
        ("/surveys?sort=key&dir=desc&page=1&q=visit".into(), false),
        (format!("/surveys/{survey}"), false),
        (format!("/surveys/{survey}/survey.yaml"), false),
        (format!("/surveys/{survey}/survey.yaml?version=1"), false),
        (format!("/surveys/{survey}/versions"), false),
        (format!("/surveys/{survey}/links"), false),
        (format!("/surveys/{survey}/links?page=2"), false),
        (format!("/surveys/{survey}/responses"), false),
        (format!("/surveys/{survey}/responses/{response}"), false),
        (format!("/surveys/{survey}/edit"), true),
    ]
}

type Form = Vec<(&'static str, String)>;

fn post_routes(survey: i64, service: i64, link: i64, yaml: &str) -> Vec<(String, Form)> {
    vec![
        (
            "/surveys".into(),
            vec![
                ("action", "template".into()),
                ("template", "nps".into()),
                ("service_id", service.to_string()),
            ],
        ),
        (
            format!("/surveys/{survey}/edit"),
            vec![("document", yaml.to_string())],
        ),
        (format!("/surveys/{survey}/publish"), vec![]),
        (
            format!("/surveys/{survey}/links"),
            vec![("kind", "open".into())],
        ),
        (
            format!("/surveys/{survey}/links"),
            vec![("kind", "personal".into()), ("customer", "C-9".into())],
        ),
        (format!("/surveys/{survey}/links/{link}/deactivate"), vec![]),
    ]
}

#[tokio::test]
async fn every_survey_page_and_form_by_role() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let service = survey.service_id.unwrap();
    let (token, open) = link(&app, survey.id, LinkKind::Open, None, None).await;
    let c = public_support::client(None);
    let form = public_support::get(&c, &app, &format!("/s/{token}")).await;
    let nonce = form.hidden("nonce");
    let answers = public_support::full_answers("en", &nonce);
    let sent = public_support::post(&c, &app, &format!("/s/{token}"), &answers).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let response = app
        .store
        .list_responses(survey.id, &ListQuery::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let yaml = touchpoint_core::feedback::SurveyDocument::from_survey(&survey.draft, None)
        .to_text(touchpoint_core::cycle_file::Format::Yaml)
        .replace("Your visit to the branch", "Your visit, edited");

    let anon = Browser::new(&app);
    for (path, _) in get_routes(survey.id, response) {
        let page = anon.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    for (path, form) in post_routes(survey.id, service, open.id, &yaml) {
        let form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.into(), v)).collect();
        let page = anon.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "anonymous POST {path}");
    }

    let mut denials = 0;
    for role in Role::ALL {
        let may_manage = role.allows(Permission::ManageSurveys);
        let (b, _) = Browser::signed_in(&app, role, &format!("{role}@bank.test")).await;
        let list = b.get("/surveys").await;
        assert_eq!(
            list.has("id=\"new-survey\""),
            may_manage,
            "create form for {role}"
        );
        for (path, manage) in get_routes(survey.id, response) {
            let page = b.get(&path).await;
            if manage && !may_manage {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} GET {path}");
                assert!(page.has("Your role does not allow this"), "{path}");
                denials += 1;
            } else {
                assert_eq!(page.status, StatusCode::OK, "{role} GET {path}");
            }
        }
        let overview = b.get(&format!("/surveys/{}", survey.id)).await;
        assert_eq!(overview.has("/edit\">"), may_manage, "edit link for {role}");
        for (path, form) in post_routes(survey.id, service, open.id, &yaml) {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = b.submit(&path, &fields).await;
            if may_manage {
                assert!(
                    matches!(
                        page.status,
                        StatusCode::SEE_OTHER | StatusCode::OK | StatusCode::CREATED
                    ),
                    "{role} POST {path}: {} {}",
                    page.status,
                    page.text()
                );
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} POST {path}");
                denials += 1;
            }
        }
    }

    // Denied forms changed nothing; each denial is in the audit log.
    let surveys = app
        .store
        .list_surveys(&ListQuery::all(), None)
        .await
        .unwrap();
    assert_eq!(
        surveys.total, 3,
        "the original plus one per admin and manager"
    );
    let links = app
        .store
        .list_links(survey.id, &ListQuery::all())
        .await
        .unwrap();
    assert_eq!(links.total, 1 + 2 * 2);
    let denied = app
        .store
        .list_audit(
            &AuditQuery {
                action: Some("access.denied".into()),
                ..Default::default()
            },
            500,
            0,
        )
        .await
        .unwrap();
    assert_eq!(denied.total, denials);
    assert_eq!(denials, 3 * (1 + 6));
}

#[tokio::test]
async fn unknown_surveys_are_localized_404_pages() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    for path in [
        "/surveys/999".to_string(),
        "/surveys/abc".into(),
        "/surveys/999/edit".into(),
        "/surveys/999/links".into(),
        "/surveys/999/responses".into(),
        format!("/surveys/{}/responses/abc", survey.id),
        format!("/surveys/{}/survey.yaml?version=9", survey.id),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has("Page not found"), "{path}");
    }
    b.get("/lang/es?next=/").await;
    assert!(
        b.get("/surveys/999")
            .await
            .has("No encontramos esta página")
    );
}
