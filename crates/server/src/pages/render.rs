//! Turning templates into responses, and every failure into a localized HTML page.
use super::chrome::Chrome;
use crate::{auth::PageUser, i18n::Lang, state::AppState};
use askama::Template;
use axum::{
    extract::{FromRequestParts, Request, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use touchpoint_core::{StoreError, user::Permission};

/// Render a template with a status; a template failure becomes a bare 500.
pub fn render_status<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><h1>Error</h1>".to_string()),
            )
                .into_response()
        }
    }
}

pub fn render<T: Template>(page: &T) -> Response {
    render_status(StatusCode::OK, page)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Forbidden,
    NotFound,
    Internal,
}

/// A page that could not be shown; renders as a localized error page.
#[derive(Debug)]
pub struct PageError {
    /// Boxed: the layout context is large and errors travel through every `?`.
    pub chrome: Box<Chrome>,
    pub kind: ErrorKind,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    heading: &'static str,
    message: &'static str,
}

impl PageError {
    pub fn new(chrome: &Chrome, kind: ErrorKind) -> Self {
        Self {
            chrome: Box::new(chrome.clone()),
            kind,
        }
    }

    /// A store failure: not-found is a 404 page, anything else a logged 500 page.
    pub fn store(chrome: &Chrome, e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => Self::new(chrome, ErrorKind::NotFound),
            other => {
                tracing::error!(error = %other, "store failure on a page");
                Self::new(chrome, ErrorKind::Internal)
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = self.chrome.t;
        let (status, heading, message) = match self.kind {
            ErrorKind::Forbidden => (StatusCode::FORBIDDEN, t.forbidden_title, t.forbidden_text),
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, t.not_found_title, t.not_found_text),
            ErrorKind::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                t.internal_title,
                t.internal_text,
            ),
        };
        render_status(
            status,
            &ErrorPage {
                c: *self.chrome,
                heading,
                message,
            },
        )
    }
}

/// Shorthand for handler results.
pub type PageResult = Result<Response, PageError>;

/// The role must allow `permission`; otherwise a 403 page (the denial is audited).
pub async fn require(
    state: &AppState,
    pu: &PageUser,
    c: &Chrome,
    permission: Permission,
    what: &str,
) -> Result<(), PageError> {
    if pu.can(state, permission, what).await {
        Ok(())
    } else {
        Err(PageError::new(c, ErrorKind::Forbidden))
    }
}

/// A path id that is not a number names nothing: 404.
pub fn parse_id(c: &Chrome, raw: &str) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::new(c, ErrorKind::NotFound))
}

/// Unknown paths: a JSON problem under `/api/`, a localized page everywhere else.
pub async fn not_found(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/api/") {
        return crate::AppError::NotFound("resource".into()).into_response();
    }
    let (mut parts, _) = req.into_parts();
    let chrome = match PageUser::from_request_parts(&mut parts, &state).await {
        Ok(pu) => Chrome::for_user(&pu, "", &path),
        Err(_) => {
            let lang: Lang = crate::auth::page_user::page_lang(&parts, None);
            Chrome::anonymous(lang, &path)
        }
    };
    PageError::new(&chrome, ErrorKind::NotFound).into_response()
}
