//! A survey's draft as one YAML document in a textarea: simple, lossless, and reviewable.
//! Saving checks every rule (syntax errors name line and column, rule errors name the field
//! path); nothing reaches respondents until the draft is published.
use super::{
    Head, Problem, chrome, context, create::parse, file_problems, load, store_problems,
    texts::SurveyTexts,
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::Params,
        render::{PageResult, render, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{cycle_file::Format, feedback::SurveyDocument, user::Permission};

#[derive(Template)]
#[template(path = "surveys/edit.html")]
struct EditPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    document: String,
    errors: Vec<Problem>,
}

pub async fn form(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, uri.path()).await?;
    let survey = load(&state, &c, &id).await?;
    let document = SurveyDocument::from_survey(&survey.draft, None).to_text(Format::Yaml);
    Ok(render(&EditPage {
        head: Head::new(&survey, &c, "overview"),
        document,
        errors: Vec::new(),
        c,
        s,
    }))
}

pub async fn save(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, uri.path()).await?;
    let survey = load(&state, &c, &id).await?;
    let p = Params::parse(&body);
    let document = p.get("document").to_string();
    let errors = match parse(&document) {
        Err(e) => file_problems(&c, s, &e),
        Ok(doc) => match context(&state, &c, doc.service.as_deref()).await? {
            Err(problems) => problems,
            Ok(ctx) => match doc.validate(&ctx) {
                Err(e) => file_problems(&c, s, &e),
                Ok(valid) => {
                    match state
                        .store
                        .update_survey_draft(&pu.actor(), survey.id, &valid)
                        .await
                    {
                        Ok(_) => {
                            let to = format!("/surveys/{}?flash=saved", survey.id);
                            return Ok(Redirect::to(&to).into_response());
                        }
                        Err(e) => store_problems(&c, s, e)?,
                    }
                }
            },
        },
    };
    let page = EditPage {
        head: Head::new(&survey, &c, "overview"),
        document,
        errors,
        c,
        s,
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
