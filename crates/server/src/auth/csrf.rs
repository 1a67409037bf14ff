//! CSRF protection for every state-changing page request.
//!
//! Signed-in forms echo the session's token as the `csrf` form field (or the `X-CSRF-Token`
//! header). The login form, made before any session exists, uses a double-submit cookie.
//! The check runs as middleware over the whole pages router, so no handler can forget it.
use super::{PageUser, secrets::constant_time_eq};
use crate::{
    i18n::{Lang, cookie_value},
    state::AppState,
};
use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const LOGIN_CSRF_COOKIE: &str = "tp_login_csrf";

pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let lang = Lang::from_headers(&parts.headers);
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let sent = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| form_field(&bytes, CSRF_FIELD));
    let expected = if parts.uri.path() == "/login" {
        cookie_value(&parts.headers, LOGIN_CSRF_COOKIE)
    } else {
        match PageUser::from_parts(&parts, &state).await {
            Some(user) => {
                let token = user.csrf_token.clone();
                parts.extensions.insert(user);
                Some(token)
            }
            None => None,
        }
    };
    match (sent, expected) {
        (Some(s), Some(e)) if !e.is_empty() && constant_time_eq(&s, &e) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => rejected(lang),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn rejected(lang: Lang) -> Response {
    let (title, text, back) = match lang {
        Lang::En => (
            "Form expired",
            "This form has expired or did not come from Touchpoint. Go back, reload the page and try again.",
            "Start again",
        ),
        Lang::Es => (
            "El formulario caducó",
            "Este formulario caducó o no proviene de Touchpoint. Vuelva atrás, recargue la página e inténtelo de nuevo.",
            "Empezar de nuevo",
        ),
    };
    // The page's Content-Security-Policy forbids inline styles, so use the shared stylesheet.
    let html = format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"stylesheet\" href=\"{}\"><title>{title}</title><body><main id=\"main\"><h1>{title}</h1><p>{text}</p><p><a href=\"/\">{back}</a></p></main></body></html>",
        lang.code(),
        crate::pages::assets::css_href()
    );
    (StatusCode::FORBIDDEN, Html(html)).into_response()
}
