//! Shared by the answering-site and survey-page tests: a published survey with every question
//! kind, links to it, and a cookie-less client that fills the answering form like a browser.
#![allow(dead_code)]

#[path = "../chrome_support/mod.rs"]
pub mod chrome;

use crate::support::TestApp;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use touchpoint_core::{
    audit::Actor,
    feedback::{
        Audience, ChoiceOption, Localized, QuestionDraft, QuestionKind, SurveyContext, SurveyDraft,
        records::{LinkKind, NewLink, Survey, SurveyLink, SurveyVersion},
    },
};
use touchpoint_server::auth::secrets::{random_secret, sha256_hex};

fn q(code: &str, kind: QuestionKind, required: bool, en: &str, es: &str) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind,
        text: Localized::en_es(en, es),
        moment_key: None,
        dimension: None,
        required,
        options: Vec::new(),
    }
}

fn option(code: &str, en: &str, es: &str) -> ChoiceOption {
    ChoiceOption {
        code: code.into(),
        label: Localized::en_es(en, es),
    }
}

/// Every kind: `wait` rating (required, moment m2), `recommend` nps (required), `effort`,
/// `courtesy` servqual (required), `visit` single choice (required), `channels` multi
/// choice, `comment` text. The service `key` has a three-moment cycle.
pub fn all_kinds_draft(service_key: &str, key: &str) -> SurveyDraft {
    let mut wait = q(
        "wait",
        QuestionKind::Rating,
        true,
        "How satisfied were you with the wait for your turn?",
        "¿Qué tan satisfecho quedó con la espera de su turno?",
    );
    wait.moment_key = Some("m2".into());
    let mut courtesy = q(
        "courtesy",
        QuestionKind::Servqual,
        true,
        "Staff are always courteous.",
        "El personal siempre es cortés.",
    );
    courtesy.dimension = Some("courtesy".into());
    let mut visit = q(
        "visit",
        QuestionKind::SingleChoice,
        true,
        "Was this your first visit?",
        "¿Fue su primera visita?",
    );
    visit.options = vec![
        option("first", "Yes, the first", "Sí, la primera"),
        option("repeat", "No, I come often", "No, vengo seguido"),
    ];
    let mut channels = q(
        "channels",
        QuestionKind::MultiChoice,
        false,
        "How else have you contacted us?",
        "¿De qué otras formas nos ha contactado?",
    );
    channels.options = vec![
        option("phone", "Phone", "Teléfono"),
        option("web", "Website", "Sitio web"),
        option("branch", "Another branch", "Otra sucursal"),
    ];
    SurveyDraft {
        key: key.into(),
        service_key: Some(service_key.into()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es("Your visit to the branch", "Su visita a la sucursal"),
        intro: Localized::en_es("It takes about two minutes.", "Le tomará unos dos minutos."),
        thank_you: Localized::en_es(
            "Thank you! Your answers help the branch team.",
            "¡Gracias! Sus respuestas ayudan al equipo de la sucursal.",
        ),
        questions: vec![
            wait,
            q(
                "recommend",
                QuestionKind::Nps,
                true,
                "How likely are you to recommend us to a friend?",
                "¿Qué tan probable es que nos recomiende a un amigo?",
            ),
            q(
                "effort",
                QuestionKind::Effort,
                false,
                "How easy was it to get what you came for?",
                "¿Qué tan fácil fue obtener lo que buscaba?",
            ),
            courtesy,
            visit,
            channels,
            q(
                "comment",
                QuestionKind::Text,
                false,
                "Anything else you would like to tell us?",
                "¿Algo más que quiera contarnos?",
            ),
        ],
    }
}

/// A service `service_key` with a three-moment cycle and a published all-kinds survey `key`.
pub async fn published_survey(
    app: &TestApp,
    service_key: &str,
    key: &str,
) -> (Survey, SurveyVersion) {
    app.seed_service_with_cycle(service_key, 3, &[2]).await;
    let service = app.store.get_service_by_key(service_key).await.unwrap();
    let cycle = app.store.current_cycle(service.id).await.unwrap();
    let valid = all_kinds_draft(service_key, key)
        .validate(&SurveyContext::with_default_dimensions(Some(&cycle)))
        .expect("the all-kinds survey is valid");
    let actor = Actor::system("test");
    let survey = app.store.create_survey(&actor, &valid).await.unwrap();
    let version = app.store.publish_survey(&actor, survey.id).await.unwrap();
    let survey = app.store.get_survey(survey.id).await.unwrap();
    (survey, version)
}

/// A new link; returns its URL token and the stored link.
pub async fn link(
    app: &TestApp,
    survey_id: i64,
    kind: LinkKind,
    language: Option<&str>,
    expires_at: Option<DateTime<Utc>>,
) -> (String, SurveyLink) {
    let token = random_secret();
    let new = NewLink {
        kind,
        token_hash: sha256_hex(&token),
        token: (kind == LinkKind::Open).then(|| token.clone()),
        customer: (kind == LinkKind::Personal).then(|| "C-1001".to_string()),
        email: None,
        language: language.map(str::to_string),
        site_id: None,
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at,
    };
    let mut links = app
        .store
        .create_links(&Actor::system("test"), survey_id, &[new])
        .await
        .unwrap();
    (token, links.remove(0))
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub location: String,
}

impl Reply {
    pub fn text(&self) -> String {
        crate::pages_support::unescape(&self.body)
    }
    pub fn shows(&self, s: &str) -> bool {
        self.text().contains(s)
    }
    /// The hidden fields of the answering form (`lang`, `nonce`).
    pub fn hidden(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        self.body
            .find(&needle)
            .map(|i| &self.body[i + needle.len()..])
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string()
    }
}

/// A cookie-less client that does not follow redirects.
pub fn client(accept_language: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(l) = accept_language {
        headers.insert("accept-language", l.parse().unwrap());
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn read(res: reqwest::Response) -> Reply {
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Reply {
        status,
        body: res.text().await.unwrap(),
        location,
    }
}

pub async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> Reply {
    read(c.get(app.url(path)).send().await.unwrap()).await
}

pub async fn post(c: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Reply {
    read(c.post(app.url(path)).form(form).send().await.unwrap()).await
}

/// A complete, valid set of answers to the all-kinds survey (plus the form's hidden fields).
pub fn full_answers<'a>(lang: &'a str, nonce: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", lang),
        ("nonce", nonce),
        ("q.wait", "4"),
        ("q.recommend", "9"),
        ("q.effort", "2"),
        ("q.courtesy.e", "6"),
        ("q.courtesy.p", "5"),
        ("q.visit", "repeat"),
        ("q.channels", "phone"),
        ("q.channels", "web"),
        ("q.comment", "Quick and friendly"),
    ]
}
