//! The link behind a token, whether it can be answered now, and the friendly pages shown when
//! it cannot (unknown, expired, answered, not open yet, rate-limited, failed) and to say thanks.
use super::{
    lang::{self, LangLink},
    texts::{PublicTexts, public_texts},
};
use crate::{auth::secrets::sha256_hex, i18n::Lang, state::AppState};
use askama::Template;
use axum::{
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    feedback::records::{LinkKind, LinkTarget, SurveyVersion},
};

/// The layout every public page shares.
pub struct Frame {
    pub t: &'static PublicTexts,
    /// The page's language, for `<html lang>`.
    pub code: String,
    pub css_href: String,
    pub switch: Vec<LangLink>,
}

impl Frame {
    pub fn new(code: &str, switch: Vec<LangLink>) -> Self {
        Self {
            t: public_texts(lang::ui_lang(code)),
            code: code.to_string(),
            css_href: super::css_href(),
            switch,
        }
    }
}

#[derive(Template)]
#[template(path = "public/message.html")]
pub struct MessagePage {
    pub f: Frame,
    pub survey_title: String,
    pub heading: String,
    pub text: String,
    pub hint: &'static str,
    pub tone: &'static str,
}

pub fn html<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "public template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Error").into_response()
        }
    }
}

/// Why a link cannot be answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Unknown, deactivated, or its survey archived: the same page for all, so a token's
    /// state is not revealed to someone guessing.
    NotFound,
    Expired,
    Answered,
    NotOpen,
    Failed,
}

/// Tokens are URL-safe random strings; anything else is not worth a database lookup.
pub(super) fn plausible(token: &str) -> bool {
    (16..=200).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

pub async fn find(state: &AppState, token: &str) -> Result<LinkTarget, Closed> {
    if !plausible(token) {
        return Err(Closed::NotFound);
    }
    match state.store.find_link(&sha256_hex(token)).await {
        Ok(t) if t.link.active && t.survey.archived_at.is_none() => Ok(t),
        Ok(_) | Err(StoreError::NotFound { .. }) => Err(Closed::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "finding a survey link failed");
            Err(Closed::Failed)
        }
    }
}

/// The link, if it can be answered now, with the version to answer.
pub async fn open(
    state: &AppState,
    token: &str,
) -> Result<(LinkTarget, Arc<SurveyVersion>), (Closed, Option<LinkTarget>)> {
    let target = find(state, token).await.map_err(|c| (c, None))?;
    let link = &target.link;
    let closed = if link.kind == LinkKind::Personal && link.answered_at.is_some() {
        Some(Closed::Answered)
    } else if link.expires_at.is_some_and(|at| at <= state.clock.now()) {
        Some(Closed::Expired)
    } else if target.version.is_none() {
        Some(Closed::NotOpen)
    } else {
        None
    };
    match (closed, target.version.clone()) {
        (None, Some(version)) => Ok((target, version)),
        (c, _) => Err((c.unwrap_or(Closed::NotOpen), Some(target))),
    }
}

/// The page for a closed link; a submit to an answered or unopened survey is a 409.
pub fn closed_page(
    closed: Closed,
    target: Option<&LinkTarget>,
    wanted: Option<&str>,
    headers: &HeaderMap,
    submitting: bool,
) -> Response {
    let shown = target.and_then(|t| t.definition().map(|def| (t, def)));
    let (code, switch, survey_title) = match shown {
        Some((t, def)) => {
            let code = lang::choose(&def.languages, wanted, t.link.language.as_deref(), headers);
            let title = def.title.text_for(&code, "en").to_string();
            (code.clone(), lang::switch(&def.languages, &code), title)
        }
        None => {
            let lang = wanted
                .and_then(Lang::parse)
                .unwrap_or_else(|| Lang::from_headers(headers));
            (lang.code().to_string(), Vec::new(), String::new())
        }
    };
    let f = Frame::new(&code, switch);
    let t = f.t;
    let conflict = if submitting {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let (status, heading, text, hint, tone) = match closed {
        Closed::NotFound => (
            StatusCode::NOT_FOUND,
            t.not_found_title,
            t.not_found_text,
            "",
            "warn",
        ),
        Closed::Expired => (
            StatusCode::GONE,
            t.expired_title,
            t.expired_text,
            "",
            "warn",
        ),
        Closed::Answered => (
            conflict,
            t.answered_title,
            t.answered_text,
            t.close_hint,
            "ok",
        ),
        Closed::NotOpen => (conflict, t.not_open_title, t.not_open_text, "", "warn"),
        Closed::Failed => (
            StatusCode::SERVICE_UNAVAILABLE,
            t.error_title,
            t.error_text,
            "",
            "warn",
        ),
    };
    html(
        status,
        &MessagePage {
            f,
            survey_title,
            heading: heading.to_string(),
            text: text.to_string(),
            hint,
            tone,
        },
    )
}

/// The 429 page of the rate limiter.
pub fn too_many(lang: Lang) -> Response {
    let f = Frame::new(lang.code(), Vec::new());
    let t = f.t;
    html(
        StatusCode::TOO_MANY_REQUESTS,
        &MessagePage {
            f,
            survey_title: String::new(),
            heading: t.too_many_title.to_string(),
            text: t.too_many_text.to_string(),
            hint: "",
            tone: "warn",
        },
    )
}
