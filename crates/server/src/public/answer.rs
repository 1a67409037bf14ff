//! Showing the form, taking the answers, and the thank-you page.
//!
//! A submission is acknowledged (303 to the thank-you page) only after the store returns, i.e.
//! once the response is durable. Each render carries a random nonce; the response's
//! idempotency key is `web:<link id>:<nonce>`, so a double click or a back-and-resubmit of the
//! same rendered form is recognised as the same response.
use super::{
    Public,
    closed::{Closed, Frame, MessagePage, closed_page, find, html, open},
    form::{self, ErrorLink, Posted, SectionView},
    lang,
};
use crate::{
    auth::secrets::random_secret,
    feedback::{ResponseMeta, check_response},
    state::AppState,
};
use askama::Template;
use axum::{
    Extension,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    feedback::{
        AnswerIssue,
        records::{LinkTarget, ResponseSource, SurveyVersion},
    },
};

#[derive(Template)]
#[template(path = "public/form.html")]
struct FormPage {
    f: Frame,
    action: String,
    lang: String,
    nonce: String,
    title: String,
    intro: String,
    count: String,
    any_required: bool,
    sections: Vec<SectionView>,
    errors: Vec<ErrorLink>,
}

pub(super) fn query_lang(q: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(q.unwrap_or(""))
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v)
}

/// A nonce as this site renders it; anything else gets a fresh one.
fn valid_nonce(n: &str) -> bool {
    (20..=64).contains(&n.len())
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

struct Render<'a> {
    token: &'a str,
    code: String,
    nonce: String,
    posted: Posted,
    issues: Vec<AnswerIssue>,
}

async fn form_page(
    state: &AppState,
    public: &Public,
    target: &LinkTarget,
    version: &SurveyVersion,
    r: Render<'_>,
) -> Response {
    let def = &version.definition;
    let names = public
        .moment_names(state, target.survey.service_id, version)
        .await;
    let f = Frame::new(&r.code, lang::switch(&def.languages, &r.code));
    let fallback = def.languages.first().map_or("en", String::as_str);
    let (sections, errors) = form::sections(f.t, def, &r.code, &names, &r.posted, &r.issues);
    let status = if r.issues.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        action: format!("/s/{}", r.token),
        title: def.title.text_for(&r.code, fallback).to_string(),
        intro: def.intro.text_for(&r.code, fallback).to_string(),
        count: f
            .t
            .questions_count
            .replace("{total}", &def.questions.len().to_string()),
        any_required: def.questions.iter().any(|q| q.required),
        lang: r.code,
        nonce: r.nonce,
        sections,
        errors,
        f,
    };
    let mut res = html(status, &page);
    // Reloading gets a fresh form; going back shows the same one (same nonce), so sending it
    // again is recognised as the response already received.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    res
}

pub async fn show(
    State(state): State<AppState>,
    Extension(public): Extension<Arc<Public>>,
    Path(token): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let wanted = query_lang(q.as_deref());
    let (target, version) = match open(&state, &token).await {
        Ok(found) => found,
        Err((closed, t)) => {
            return closed_page(closed, t.as_ref(), wanted.as_deref(), &headers, false);
        }
    };
    let def = &version.definition;
    let code = lang::choose(
        &def.languages,
        wanted.as_deref(),
        target.link.language.as_deref(),
        &headers,
    );
    let render = Render {
        token: &token,
        code,
        nonce: random_secret(),
        posted: Posted::default(),
        issues: Vec::new(),
    };
    form_page(&state, &public, &target, &version, render).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(public): Extension<Arc<Public>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let posted = Posted::parse(&body);
    let wanted = Some(posted.get("lang")).filter(|l| !l.is_empty());
    // A used invitation still reaches the store when the answers are valid: the same form
    // sent again (a double click) is then recognised by its nonce and thanked, anything else
    // is refused there with a conflict.
    let (target, version, used) = match open(&state, &token).await {
        Ok((t, v)) => (t, v, false),
        Err((Closed::Answered, Some(t))) => match t.version.clone() {
            Some(v) => (t, v, true),
            None => return closed_page(Closed::Answered, Some(&t), wanted, &headers, true),
        },
        Err((closed, t)) => return closed_page(closed, t.as_ref(), wanted, &headers, true),
    };
    let def = &version.definition;
    let code = lang::choose(
        &def.languages,
        wanted,
        target.link.language.as_deref(),
        &headers,
    );
    let nonce = Some(posted.get("nonce"))
        .filter(|n| valid_nonce(n))
        .map_or_else(random_secret, str::to_string);
    let (answers, issues) = form::read(def, &posted);
    let meta = ResponseMeta {
        idempotency_key: Some(format!("web:{}:{nonce}", target.link.id)),
        language: Some(code.clone()),
        ..ResponseMeta::from_link(&target.link, ResponseSource::Web)
    };
    let checked = check_response(&version, &answers, meta, state.clock.now());
    let response = match checked {
        Ok(response) if issues.is_empty() => response,
        _ if used => {
            return closed_page(Closed::Answered, Some(&target), Some(&code), &headers, true);
        }
        other => {
            let more = other.err().unwrap_or_default();
            let render = Render {
                token: &token,
                code,
                nonce,
                posted,
                issues: form::merge(def, issues, more),
            };
            return form_page(&state, &public, &target, &version, render).await;
        }
    };
    match state.store.submit_response(&response).await {
        Ok(_) => Redirect::to(&format!("/s/{token}/thanks?lang={code}")).into_response(),
        Err(StoreError::Conflict { field, .. }) if field == "invitation" => {
            closed_page(Closed::Answered, Some(&target), Some(&code), &headers, true)
        }
        Err(StoreError::Invalid(e)) => {
            tracing::warn!(error = %e, "a web response was refused");
            closed_page(Closed::NotFound, None, Some(&code), &headers, true)
        }
        Err(e) => {
            tracing::error!(error = %e, "storing a web response failed");
            closed_page(Closed::Failed, Some(&target), Some(&code), &headers, true)
        }
    }
}

pub async fn thanks(
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let wanted = query_lang(q.as_deref());
    let target = match find(&state, &token).await {
        Ok(t) => t,
        Err(closed) => return closed_page(closed, None, wanted.as_deref(), &headers, false),
    };
    let Some(def) = target.definition() else {
        return closed_page(Closed::NotOpen, None, wanted.as_deref(), &headers, false);
    };
    let code = lang::choose(
        &def.languages,
        wanted.as_deref(),
        target.link.language.as_deref(),
        &headers,
    );
    let fallback = def.languages.first().map_or("en", String::as_str);
    let f = Frame::new(&code, lang::switch(&def.languages, &code));
    let t = f.t;
    let own = def.thank_you.text_for(&code, fallback);
    let page = MessagePage {
        survey_title: def.title.text_for(&code, fallback).to_string(),
        heading: t.thanks_title.to_string(),
        text: if own.is_empty() { t.thanks_text } else { own }.to_string(),
        hint: t.close_hint,
        tone: "ok",
        f,
    };
    html(StatusCode::OK, &page)
}
