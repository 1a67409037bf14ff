//! Signing in and out, the language switch, and the front door.
use super::{chrome::Chrome, forms::Params, render::render_status};
use crate::{
    auth::{
        PageUser, SESSION_COOKIE,
        login::{LoginError, clear_session_cookie, login, login_csrf, logout, session_cookie},
        page_user::{page_lang, safe_next},
    },
    client_ip::client_ip,
    i18n::{LANG_COOKIE, Lang, cookie_value},
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    email: String,
    next: String,
    login_csrf: String,
    error: Option<&'static str>,
}

fn login_page(
    state: &AppState,
    parts: &Parts,
    p: &Params,
    email: String,
    failed: bool,
) -> Response {
    let lang = page_lang(parts, None);
    let c = Chrome::anonymous(
        lang,
        &format!("/login?next={}", super::chrome::url_encode(p.get("next"))),
    );
    let (token, set_cookie) = login_csrf(&state.config);
    let page = LoginPage {
        email,
        next: safe_next(Some(p.get("next"))),
        login_csrf: token,
        error: failed.then_some(c.t.login_failed),
        c,
    };
    let status = if failed {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let mut res = render_status(status, &page);
    if let Ok(v) = set_cookie.parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn login_form(State(state): State<AppState>, parts: Parts) -> Response {
    let p = Params::query(parts.uri.query());
    if PageUser::from_parts(&parts, &state).await.is_some() {
        return Redirect::to(&safe_next(Some(p.get("next")))).into_response();
    }
    login_page(&state, &parts, &p, String::new(), false)
}

pub async fn login_submit(State(state): State<AppState>, parts: Parts, body: Bytes) -> Response {
    let p = Params::parse(&body);
    let email = p.get("email").trim().to_string();
    let ip = client_ip(&parts, state.config.trust_proxy).to_string();
    let previous = cookie_value(&parts.headers, SESSION_COOKIE);
    match login(&state, &email, p.get("password"), &ip, previous.as_deref()).await {
        Ok(ok) => {
            let mut res = Redirect::to(&safe_next(Some(p.get("next")))).into_response();
            if let Ok(v) = session_cookie(&ok.session_secret, &state.config).parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(LoginError::Failed) => login_page(&state, &parts, &p, email, true),
        Err(LoginError::Store(e)) => {
            tracing::error!(error = %e, "login failed on the store");
            let c = Chrome::anonymous(page_lang(&parts, None), "/login");
            super::render::PageError::new(&c, super::render::ErrorKind::Internal).into_response()
        }
    }
}

pub async fn logout_submit(State(state): State<AppState>, pu: PageUser) -> Response {
    logout(&state, &pu.session_hash, &pu.user).await;
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = clear_session_cookie(&state.config).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// `GET /lang/{code}?next=/path`: remember the language in a cookie and go back.
pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::query(q.as_deref());
    let next = safe_next(Some(p.get("next")));
    let mut res = Redirect::to(&next).into_response();
    if let Some(lang) = Lang::parse(&code) {
        let secure = if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
            lang.code()
        );
        if let Ok(v) = cookie.parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

pub async fn root(_pu: PageUser) -> Redirect {
    Redirect::to("/services")
}
