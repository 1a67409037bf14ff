//! Staff pages for surveys: the list and creation (from a template or a pasted document), a
//! survey's overview and publishing, its draft as YAML, version history, links and
//! invitations, and the responses received. Everyone signed in may read; changes need
//! `ManageSurveys` (admins and managers). Every POST passes the pages' CSRF guard.
mod create;
mod edit;
mod invite;
pub(crate) mod links;
mod list;
mod responses;
mod show;
pub mod texts;

use super::{
    chrome::Chrome,
    forms::Params,
    render::{ErrorKind, PageError, parse_id},
};
use crate::{AppError, auth::PageUser, state::AppState};
use axum::{
    Router,
    http::Uri,
    routing::{get, post},
};
use texts::{SurveyTexts, survey_texts};
use touchpoint_core::{
    StoreError, ValidationErrors,
    feedback::{SurveyContext, SurveyFileError, records::Survey},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list::list).post(create::create))
        .route("/surveys/{id}", get(show::show))
        .route("/surveys/{id}/survey.yaml", get(show::export_yaml))
        .route("/surveys/{id}/publish", post(show::publish))
        .route("/surveys/{id}/versions", get(show::versions))
        .route("/surveys/{id}/edit", get(edit::form).post(edit::save))
        .route("/surveys/{id}/links", get(links::list).post(invite::create))
        .route(
            "/surveys/{id}/links/{link}/deactivate",
            post(links::deactivate),
        )
        .route("/surveys/{id}/responses", get(responses::list))
        .route("/surveys/{id}/responses/{response}", get(responses::show))
        .route("/static/surveys.js", get(script))
}

/// The one script of the survey pages: loading a file into the document textarea (the
/// pages work without it). Same-origin, so the pages' `script-src 'self'` allows it.
async fn script() -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/surveys.js"),
    )
        .into_response()
}

/// The layout context with the survey navigation item current, and the survey texts.
pub fn chrome(pu: &PageUser, uri: &Uri) -> (Chrome, &'static SurveyTexts) {
    let c = Chrome::for_user(pu, "surveys", &uri.to_string());
    let s = survey_texts(c.lang);
    (c, s)
}

/// The survey named by the path, or the 404 page.
pub async fn load(state: &AppState, c: &Chrome, raw_id: &str) -> Result<Survey, PageError> {
    let id = parse_id(c, raw_id)?;
    state
        .store
        .get_survey(id)
        .await
        .map_err(|e| PageError::store(c, e))
}

/// A survey text in the page language, else the survey's first language.
pub fn pick(text: &touchpoint_core::feedback::Localized, c: &Chrome) -> String {
    text.text_for(c.code, "en").to_string()
}

/// The title, key and tabs every survey page shows.
pub struct Head {
    pub id: i64,
    pub title: String,
    pub key: String,
    /// `overview`, `edit`, `versions`, `links` or `responses`.
    pub tab: &'static str,
}

impl Head {
    pub fn new(survey: &Survey, c: &Chrome, tab: &'static str) -> Self {
        Self {
            id: survey.id,
            title: pick(&survey.draft.title, c),
            key: survey.key.clone(),
            tab,
        }
    }
}

/// One problem with a submitted form or document, in the page language.
pub struct Problem {
    pub field: String,
    pub message: String,
}

pub fn problems(c: &Chrome, e: &ValidationErrors) -> Vec<Problem> {
    e.0.iter()
        .map(|f| Problem {
            field: f.field.clone(),
            message: super::messages::localize(c.lang, &f.message),
        })
        .collect()
}

pub fn file_problems(c: &Chrome, s: &SurveyTexts, e: &SurveyFileError) -> Vec<Problem> {
    match e {
        SurveyFileError::Syntax {
            line,
            column,
            message,
        } => vec![Problem {
            field: String::new(),
            message: s
                .syntax_error
                .replace("{line}", &line.to_string())
                .replace("{column}", &column.to_string())
                .replace("{message}", message),
        }],
        SurveyFileError::Invalid(v) => problems(c, v),
    }
}

/// A flash message from a known code (never free text from the URL).
pub fn flash(s: &SurveyTexts, p: &Params) -> Option<String> {
    let v = p.number::<i32>("v").unwrap_or(0).to_string();
    let msg = match p.get("flash") {
        "created" => s.flash_created.to_string(),
        "saved" => s.flash_saved.to_string(),
        "published" => s.flash_published.replace("{n}", &v),
        "unchanged" => s.nothing_to_publish.replace("{n}", &v),
        "deactivated" => s.flash_deactivated.to_string(),
        _ => return None,
    };
    Some(msg)
}

/// `2026-05-31 14:05 UTC`.
pub fn when(t: &chrono::DateTime<chrono::Utc>) -> String {
    super::journey::fmt_time(t)
}

/// What a survey about `service_key` may refer to (the shared rule of the API), or the
/// problem with the key.
pub async fn context(
    state: &AppState,
    c: &Chrome,
    service_key: Option<&str>,
) -> Result<Result<SurveyContext, Vec<Problem>>, PageError> {
    match crate::feedback::survey_context(state.store.as_ref(), service_key).await {
        Ok(ctx) => Ok(Ok(ctx)),
        Err(AppError::Invalid(v)) => Ok(Err(problems(c, &v))),
        Err(e) => {
            tracing::error!(error = %e, "loading a survey context failed");
            Err(PageError::new(c, ErrorKind::Internal))
        }
    }
}

/// A store refusal on a survey write as problems, or the error page.
pub fn store_problems(
    c: &Chrome,
    s: &SurveyTexts,
    e: StoreError,
) -> Result<Vec<Problem>, PageError> {
    match e {
        StoreError::Conflict { field, .. } if field == "key" => Ok(vec![Problem {
            field,
            message: s.key_taken.to_string(),
        }]),
        StoreError::Invalid(v) => Ok(problems(c, &v)),
        other => Err(PageError::store(c, other)),
    }
}
