//! `POST /surveys`: a new survey from a template (per-moment CSAT of a service's cycle, NPS,
//! SERVQUAL) or from a pasted survey document. On success, the survey's overview; otherwise
//! the list again with the problems next to the form that caused them.
use super::{
    Problem, chrome, context, file_problems,
    list::{CreateForm, page},
    store_problems,
    texts::SurveyTexts,
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{Listing, Params},
        render::{PageError, PageResult, render_status, require},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    StoreError,
    audit::Actor,
    cycle_file::Format,
    feedback::{SurveyDocument, ValidSurvey, survey_file, templates},
    user::Permission,
};

type Outcome = Result<Result<i64, Vec<Problem>>, PageError>;

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, "POST /surveys").await?;
    let p = Params::parse(&body);
    let mut form = CreateForm {
        template: p.get("template").to_string(),
        service_id: p.get("service_id").to_string(),
        document: p.get("document").to_string(),
        ..CreateForm::default()
    };
    let actor = pu.actor();
    let outcome = if p.get("action") == "document" {
        from_document(&state, &actor, &c, s, &form.document).await?
    } else {
        from_template(&state, &actor, &c, s, &form.template, &form.service_id).await?
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/surveys/{id}?flash=created")).into_response()),
        Err(problems) => {
            if p.get("action") == "document" {
                form.document_errors = problems;
            } else {
                form.template_errors = problems;
            }
            let l = Listing::from_params("/surveys", &Params::default());
            let page = page(&state, c, s, &l, form, true).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

fn problem(field: &str, message: &str) -> Vec<Problem> {
    vec![Problem {
        field: field.to_string(),
        message: message.to_string(),
    }]
}

async fn from_template(
    state: &AppState,
    actor: &Actor,
    c: &Chrome,
    s: &SurveyTexts,
    template: &str,
    service_id: &str,
) -> Outcome {
    let service = match service_id.trim().parse::<i64>() {
        Ok(id) => match state.store.get_service(id).await {
            Ok(sv) => sv,
            Err(StoreError::NotFound { .. }) => {
                return Ok(Err(problem("service_id", s.need_service)));
            }
            Err(e) => return Err(PageError::store(c, e)),
        },
        Err(_) => return Ok(Err(problem("service_id", s.need_service))),
    };
    let cycle = match state.store.current_cycle(service.id).await {
        Ok(cv) => Some(cv),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(PageError::store(c, e)),
    };
    let draft = match (template, &cycle) {
        ("nps", _) => templates::nps_survey(&service.key, &service.name),
        ("servqual", _) => templates::servqual_survey(&service.key, &service.name),
        ("csat", Some(cv)) => templates::moment_csat_survey(&service.key, &service.name, cv, true),
        ("csat", None) => return Ok(Err(problem("service_id", s.need_cycle))),
        _ => return Ok(Err(problem("template", s.template))),
    };
    let ctx = match context(state, c, Some(&service.key)).await? {
        Ok(ctx) => ctx,
        Err(p) => return Ok(Err(p)),
    };
    match draft.validate(&ctx) {
        Ok(valid) => create_with_free_key(state, actor, c, s, valid).await,
        Err(e) => Ok(Err(super::problems(c, &e))),
    }
}

/// Templates derive the key from the service (`cash-a-cheque-nps`); a second survey from the
/// same template gets `-2`, `-3`…
async fn create_with_free_key(
    state: &AppState,
    actor: &Actor,
    c: &Chrome,
    s: &SurveyTexts,
    mut valid: ValidSurvey,
) -> Outcome {
    let base = valid.key.clone();
    for n in 2..=50 {
        match state.store.create_survey(actor, &valid).await {
            Ok(created) => return Ok(Ok(created.id)),
            Err(StoreError::Conflict { field, .. }) if field == "key" => {
                let suffix = format!("-{n}");
                let room = 64usize.saturating_sub(suffix.len());
                valid.key = format!("{}{suffix}", &base[..base.len().min(room)]);
            }
            Err(e) => return store_problems(c, s, e).map(Err),
        }
    }
    Ok(Err(problem("key", s.key_taken)))
}

async fn from_document(
    state: &AppState,
    actor: &Actor,
    c: &Chrome,
    s: &SurveyTexts,
    text: &str,
) -> Outcome {
    let doc = match parse(text) {
        Ok(doc) => doc,
        Err(e) => return Ok(Err(file_problems(c, s, &e))),
    };
    let ctx = match context(state, c, doc.service.as_deref()).await? {
        Ok(ctx) => ctx,
        Err(p) => return Ok(Err(p)),
    };
    let valid = match doc.validate(&ctx) {
        Ok(v) => v,
        Err(e) => return Ok(Err(file_problems(c, s, &e))),
    };
    match state.store.create_survey(actor, &valid).await {
        Ok(created) => Ok(Ok(created.id)),
        Err(e) => store_problems(c, s, e).map(Err),
    }
}

/// A pasted document: JSON when it starts with `{`, YAML otherwise.
pub fn parse(text: &str) -> Result<SurveyDocument, touchpoint_core::feedback::SurveyFileError> {
    let format = if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    };
    survey_file::parse(text, format)
}
