//! The answering site `/s/{token}` in English and Spanish: every question kind posted as a
//! plain HTML form, the thank-you page, and the stored response.
mod pages_support;
mod public_support;
mod support;

use public_support::{client, full_answers, get, link, post, published_survey};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::{
    feedback::{
        AnswerValue,
        records::{LinkKind, ResponseSource},
    },
    listing::ListQuery,
};

#[tokio::test]
async fn answering_every_kind_in_english() {
    let app = TestApp::spawn().await;
    let (survey, version) = published_survey(&app, "bank", "visit").await;
    let (token, invitation) = link(&app, survey.id, LinkKind::Personal, None, None).await;
    let c = client(Some("en-GB,en;q=0.9"));

    let page = get(&c, &app, &format!("/s/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"en\">"));
    for text in [
        "Your visit to the branch",
        "It takes about two minutes.",
        "Question 1 of 7",
        "Question 7 of 7",
        "Part 1 of 2",
        "Moment 2",
        "Very dissatisfied",
        "Very satisfied",
        "Not at all likely",
        "Extremely likely",
        "Very easy",
        "Very difficult",
        "What you expect",
        "What you got",
        "Strongly agree",
        "Choose all that apply.",
        "Another branch",
        "Send my answers",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    // Every input has a label, scales and choices are grouped with a legend.
    assert_eq!(page.body.matches("<fieldset class=\"q ").count(), 6);
    assert_eq!(
        page.body.matches("type=\"radio\"").count(),
        5 + 11 + 7 + 14 + 2
    );
    assert!(
        page.body
            .contains("<label class=\"legend\" for=\"q6-text\">")
    );
    assert!(page.shows("1</span><span class=\"visually-hidden\"> — Very dissatisfied"));

    let nonce = page.hidden("nonce");
    assert!(nonce.len() >= 40, "nonce {nonce}");
    assert_eq!(page.hidden("lang"), "en");
    let sent = post(
        &c,
        &app,
        &format!("/s/{token}"),
        &full_answers("en", &nonce),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location, format!("/s/{token}/thanks?lang=en"));

    let thanks = get(&c, &app, &sent.location).await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.shows("Thank you! Your answers help the branch team."));

    let page = app
        .store
        .list_responses(survey.id, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let r = &page.items[0];
    assert_eq!(r.source, ResponseSource::Web);
    assert_eq!(r.language, "en");
    assert_eq!(r.link_id, Some(invitation.id));
    assert_eq!(r.customer.as_deref(), Some("C-1001"));
    assert_eq!(r.survey_version, version.version);
    let value = |code: &str| {
        r.answers
            .iter()
            .find(|a| a.question_code == code)
            .map(|a| a.value.clone())
    };
    assert_eq!(value("wait"), Some(AnswerValue::Score(4)));
    assert_eq!(value("recommend"), Some(AnswerValue::Score(9)));
    assert_eq!(value("effort"), Some(AnswerValue::Score(2)));
    assert_eq!(
        value("courtesy"),
        Some(AnswerValue::Servqual {
            expectation: 6,
            perception: 5
        })
    );
    assert_eq!(value("visit"), Some(AnswerValue::Choice("repeat".into())));
    assert_eq!(
        value("channels"),
        Some(AnswerValue::Choices(vec!["phone".into(), "web".into()]))
    );
    assert_eq!(
        value("comment"),
        Some(AnswerValue::Text("Quick and friendly".into()))
    );
    let wait = r
        .answers
        .iter()
        .find(|a| a.question_code == "wait")
        .unwrap();
    assert_eq!(wait.moment_id, version.moment_ids.get("wait").copied());
    assert!(wait.moment_id.is_some());

    // The invitation is now used: opening it again says so, kindly.
    let again = get(&c, &app, &format!("/s/{token}")).await;
    assert!(
        again.shows("Already answered — thank you"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn answering_in_spanish_from_the_invitation_language() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Personal, Some("es"), None).await;
    let c = client(Some("en"));

    let page = get(&c, &app, &format!("/s/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"es\">"));
    for text in [
        "Su visita a la sucursal",
        "Pregunta 1 de 7",
        "Parte 2 de 2",
        "En general",
        "Muy insatisfecho",
        "Muy satisfecho",
        "Nada probable",
        "Extremadamente probable",
        "Muy fácil",
        "Lo que espera",
        "Lo que recibió",
        "Totalmente de acuerdo",
        "Otra sucursal",
        "Obligatoria",
        "Enviar mis respuestas",
    ] {
        assert!(page.shows(text), "missing {text:?}");
    }
    // The switch offers both languages; `?lang=` wins over the invitation.
    assert!(page.body.contains("href=\"?lang=en\""));
    let english = get(&c, &app, &format!("/s/{token}?lang=en")).await;
    assert!(english.shows("Question 1 of 7"));

    let nonce = page.hidden("nonce");
    let sent = post(
        &c,
        &app,
        &format!("/s/{token}"),
        &full_answers("es", &nonce),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thanks = get(&c, &app, &sent.location).await;
    assert!(thanks.shows("¡Gracias! Sus respuestas ayudan al equipo de la sucursal."));
    assert!(thanks.body.contains("<html lang=\"es\">"));

    let stored = app
        .store
        .list_responses(survey.id, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(stored.total, 1);
    assert_eq!(stored.items[0].language, "es");
}

#[tokio::test]
async fn open_link_language_comes_from_the_browser_and_headers_protect_the_token() {
    let app = TestApp::spawn().await;
    let (survey, _) = published_survey(&app, "bank", "visit").await;
    let (token, _) = link(&app, survey.id, LinkKind::Open, None, None).await;
    let res = client(Some("es-CO,es;q=0.9"))
        .get(app.url(&format!("/s/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(h["cache-control"], "private, no-cache");
    assert!(
        h.get("set-cookie").is_none(),
        "the answering site sets no cookies"
    );
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"es\">"));
    let css = body
        .split("href=\"")
        .find(|s| s.starts_with("/static/public.css"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let res = client(None).get(app.url(&css)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text().await.unwrap().len() < 12_000,
        "the stylesheet stays small"
    );
}
