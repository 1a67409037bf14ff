//! The answering site's rules: required questions, single-use invitations, expired and
//! unknown links, the nonce that makes a double submit count once, and the rate limit.
mod pages_support;
mod public_support;
mod support;

use chrono::Duration;
use public_support::{client, full_answers, get, link, post, published_survey};
use reqwest::StatusCode;
use std::sync::Arc;
use support::TestApp;
use touchpoint_core::{
    audit::Actor, clock::SystemClock, feedback::records::LinkKind, listing::ListQuery,
};
use touchpoint_server::ServerConfig;

async fn count(app: &TestApp, survey_id: i64) -> i64 {
    app.store
        .list_responses(survey_id, &ListQuery::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn required_questions_are_explained_in_the_page_language_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Open, None, None).await;
    let c = client(None);
    let path = format!("/s/{token}");
    for (lang, missing, half) in [
        (
            "es",
            "por favor, responda esta pregunta",
            "falta la puntuación de percepción; indique ambas o ninguna",
        ),
        (
            "en",
            "please answer this question",
            "the perception score is missing; give both or neither",
        ),
    ] {
        let form = [
            ("lang", lang),
            ("nonce", "n0nce-n0nce-n0nce-n0nce-1"),
            ("q.courtesy.e", "6"),
            ("q.channels", "web"),
            ("q.comment", "Kept <as typed>"),
        ];
        let page = post(&c, &app, &path, &form).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(&format!("<html lang=\"{lang}\">")));
        assert!(page.body.contains("class=\"error-summary\""));
        // wait, recommend and visit are missing; courtesy has only its expectation.
        assert_eq!(
            page.text().matches(missing).count(),
            6,
            "{lang}: 3 × summary + field"
        );
        assert_eq!(page.text().matches(half).count(), 2);
        assert!(
            page.body.contains("href=\"#q0-1\""),
            "summary links to the first radio"
        );
        assert!(page.body.contains("href=\"#q3-e1\""));
        // What was given is kept.
        assert!(page.body.contains("value=\"6\" checked"));
        assert!(page.body.contains("value=\"web\" checked"));
        assert!(
            page.body.contains("Kept &#60;as typed&#62;")
                || page.body.contains("Kept &lt;as typed&gt;")
        );
        assert_eq!(page.hidden("nonce"), "n0nce-n0nce-n0nce-n0nce-1");
    }
    // An out-of-range value (a tampered form) is refused with its own message.
    let mut form = full_answers("en", "n0nce-n0nce-n0nce-n0nce-2");
    form[3] = ("q.recommend", "11");
    let page = post(&c, &app, &path, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("choose a score from 0 to 10"));
    assert_eq!(count(&app, survey.id).await, 0);
}

#[tokio::test]
async fn an_invitation_answered_twice_gives_one_response_and_a_409() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Personal, Some("en"), None).await;
    let c = client(None);
    let path = format!("/s/{token}");
    let first = get(&c, &app, &path).await.hidden("nonce");
    let second = get(&c, &app, &path).await.hidden("nonce");
    assert_ne!(first, second, "each render has its own nonce");
    let a = post(&c, &app, &path, &full_answers("en", &first)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    // The same form again (double click): recognised, thanked, not a second response.
    let again = post(&c, &app, &path, &full_answers("en", &first)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location, a.location);
    // A second tab with its own form: a clear 409 with the friendly page.
    let b = post(&c, &app, &path, &full_answers("es", &second)).await;
    assert_eq!(b.status, StatusCode::CONFLICT);
    assert!(b.shows("Ya respondió — gracias"), "{}", b.body);
    assert_eq!(count(&app, survey.id).await, 1);
}

#[tokio::test]
async fn the_nonce_makes_a_double_submit_of_an_open_link_count_once() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Open, None, None).await;
    let c = client(None);
    let path = format!("/s/{token}");
    let nonce = get(&c, &app, &path).await.hidden("nonce");
    let form = full_answers("en", &nonce);
    let (a, b) = tokio::join!(post(&c, &app, &path, &form), post(&c, &app, &path, &form));
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(b.status, StatusCode::SEE_OTHER);
    let back_and_resend = post(&c, &app, &path, &form).await;
    assert_eq!(back_and_resend.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, survey.id).await, 1);
    // A fresh render is a new answer: open links take any number.
    let nonce = get(&c, &app, &path).await.hidden("nonce");
    post(&c, &app, &path, &full_answers("en", &nonce)).await;
    assert_eq!(count(&app, survey.id).await, 2);
}

#[tokio::test]
async fn expired_unknown_deactivated_and_unpublished_links() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let past = app.clock.now() - Duration::minutes(1);
    let (expired, _) = link(&app, survey.id, LinkKind::Personal, Some("en"), Some(past)).await;
    let c = client(Some("en"));
    let page = get(&c, &app, &format!("/s/{expired}")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.shows("This link has expired"));
    let form = full_answers("en", "n0nce-n0nce-n0nce-n0nce-3");
    let sent = post(&c, &app, &format!("/s/{expired}"), &form).await;
    assert_eq!(sent.status, StatusCode::GONE);

    let unknown = get(&c, &app, "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.shows("We could not find this page"));
    let junk = get(&c, &app, "/s/%3Cscript%3E").await;
    assert_eq!(junk.status, StatusCode::NOT_FOUND);
    let es = get(
        &client(Some("es")),
        &app,
        "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert!(es.shows("No encontramos esta página"));

    let (open, l) = link(&app, survey.id, LinkKind::Open, None, None).await;
    app.store
        .deactivate_link(&Actor::system("test"), l.id)
        .await
        .unwrap();
    let off = get(&c, &app, &format!("/s/{open}")).await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);
    assert_eq!(
        off.body, unknown.body,
        "deactivated looks exactly like unknown"
    );
    let sent = post(&c, &app, &format!("/s/{open}"), &form).await;
    assert_eq!(sent.status, StatusCode::NOT_FOUND);

    // A survey that was never published is not open yet.
    let draft = public_support::all_kinds_draft("bank", "later")
        .validate(
            &touchpoint_core::feedback::SurveyContext::with_default_dimensions(Some(
                &app.store
                    .current_cycle(survey.service_id.unwrap())
                    .await
                    .unwrap(),
            )),
        )
        .unwrap();
    let later = app
        .store
        .create_survey(&Actor::system("test"), &draft)
        .await
        .unwrap();
    let (token, _) = link(&app, later.id, LinkKind::Open, None, None).await;
    let page = get(&c, &app, &format!("/s/{token}")).await;
    assert!(page.shows("This survey is not open yet"), "{}", page.body);
    let sent = post(&c, &app, &format!("/s/{token}"), &form).await;
    assert_eq!(sent.status, StatusCode::CONFLICT);
    assert_eq!(
        count(&app, survey.id).await + count(&app, later.id).await,
        0
    );
}

#[tokio::test]
async fn posts_are_rate_limited_per_client_address() {
    let app = TestApp::spawn_with(
        Arc::new(SystemClock),
        ServerConfig {
            public_post_per_minute: 3,
            ..ServerConfig::default()
        },
    )
    .await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Open, None, None).await;
    let c = client(Some("es"));
    let path = format!("/s/{token}");
    for i in 0..3 {
        let nonce = format!("n0nce-n0nce-n0nce-n0nce-{i}");
        let res = post(&c, &app, &path, &full_answers("en", &nonce)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let res = c
        .post(app.url(&path))
        .form(&full_answers("en", "n0nce-n0nce-n0nce-n0nce-9"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(res.text().await.unwrap().contains("Demasiadas solicitudes"));
    assert_eq!(count(&app, survey.id).await, 3);
    // Reading the form is limited separately (and generously).
    assert_eq!(get(&c, &app, &path).await.status, StatusCode::OK);
}
