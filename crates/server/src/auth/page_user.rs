//! The signed-in person behind a page request, from the session cookie.
use super::{SESSION_COOKIE, secrets::sha256_hex};
use crate::{
    i18n::{LANG_COOKIE, Lang, cookie_value},
    state::AppState,
};
use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
};
use touchpoint_core::{
    audit::Actor,
    user::{Permission, User},
};

#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: User,
    /// Must be echoed as the `csrf` field of every state-changing form.
    pub csrf_token: String,
    pub session_hash: String,
    pub lang: Lang,
}

impl PageUser {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.email)
    }

    /// Whether the role allows `permission`; a denial is audited.
    pub async fn can(&self, state: &AppState, permission: Permission, what: &str) -> bool {
        super::check(state, &self.user, permission, what).await
    }

    /// Look up the session named by the request's cookie, if any and still valid.
    pub async fn from_parts(parts: &Parts, state: &AppState) -> Option<PageUser> {
        let secret = cookie_value(&parts.headers, SESSION_COOKIE)?;
        let hash = sha256_hex(&secret);
        let (session, user) = state
            .store
            .find_session(&hash, state.clock.now())
            .await
            .ok()?;
        let lang = page_lang(parts, Some(&user));
        Some(PageUser {
            user,
            csrf_token: session.csrf_token,
            session_hash: hash,
            lang,
        })
    }
}

/// Language for a page: `?lang=` → cookie → user preference → Accept-Language → English.
pub fn page_lang(parts: &Parts, user: Option<&User>) -> Lang {
    let from_query = parts.uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    from_query
        .or_else(|| cookie_value(&parts.headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)))
        .or_else(|| user.and_then(|u| Lang::parse(&u.language)))
        .or_else(|| Lang::from_accept_language(&parts.headers))
        .unwrap_or_default()
}

/// Not signed in: go to the login page and come back afterwards.
pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        let next: String = url_encode(&self.0);
        Redirect::to(&format!("/login?next={next}")).into_response()
    }
}

fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = LoginRedirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(u) = parts.extensions.get::<PageUser>() {
            return Ok(u.clone());
        }
        match PageUser::from_parts(parts, state).await {
            Some(u) => Ok(u),
            None => {
                let path = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(LoginRedirect(path.to_string()))
            }
        }
    }
}

/// Only same-site relative paths are accepted as a post-login destination.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}
