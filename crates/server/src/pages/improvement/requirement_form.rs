//! `/requirements/new`: record what a moment needs, typed in or proposed from what staff wrote
//! in an employee survey (the employee voice page links here with the answer prefilled and the
//! response it came from); `/requirements/{id}/edit`: change its moment, site, text or status
//! (open, planned, done, declined), keeping where it came from. Validated like the API; errors
//! come back next to their fields.
use super::{internal, site_names, store_error};
use crate::{
    api::requirements::validated,
    auth::PageUser,
    error::AppError,
    i18n::Lang,
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Params},
        render::{PageError, PageResult, parse_id, render, render_status, require},
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
use touchpoint_core::{
    improvement::{Requirement, RequirementInput, RequirementStatus},
    user::Permission,
};

pub struct FormTexts {
    pub title: &'static str,
    pub edit_title: &'static str,
    pub status: &'static str,
    pub intro: &'static str,
    pub from_survey: &'static str,
    pub moment: &'static str,
    pub choose_moment: &'static str,
    pub site: &'static str,
    pub every_site: &'static str,
    pub text: &'static str,
    pub text_hint: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub no_cycle: &'static str,
}

const EN: FormTexts = FormTexts {
    title: "New requirement",
    edit_title: "Edit requirement",
    status: "Status",
    intro: "Write down what this moment needs so it can be planned for. It appears on the journey map next to the moment and can be linked to an action plan.",
    from_survey: "Proposed from an answer to an employee survey; the answer stays linked.",
    moment: "Moment of truth",
    choose_moment: "Choose a moment",
    site: "Site",
    every_site: "Every site",
    text: "What is needed",
    text_hint: "In the words of whoever said it; edit it if it helps.",
    save: "Save requirement",
    cancel: "Cancel",
    no_cycle: "This service has no published cycle yet, so there is no moment to attach a requirement to.",
};

const ES: FormTexts = FormTexts {
    title: "Nuevo requerimiento",
    edit_title: "Editar requerimiento",
    status: "Estado",
    intro: "Anote lo que necesita este momento para poder planificarlo. Aparecerá en el mapa del ciclo junto al momento y se podrá vincular a un plan de acción.",
    from_survey: "Propuesto a partir de una respuesta de la encuesta al personal; la respuesta queda vinculada.",
    moment: "Momento de verdad",
    choose_moment: "Elija un momento",
    site: "Sucursal",
    every_site: "Todas las sucursales",
    text: "Qué se necesita",
    text_hint: "Con las palabras de quien lo dijo; puede ajustarlo si hace falta.",
    save: "Guardar requerimiento",
    cancel: "Cancelar",
    no_cycle: "Este servicio aún no tiene un ciclo publicado, así que no hay momento al cual asociar el requerimiento.",
};

fn texts(lang: Lang) -> &'static FormTexts {
    match lang {
        Lang::Es => &ES,
        _ => &EN,
    }
}

/// What the form holds, as typed (so a refused form comes back as it was).
#[derive(Debug, Default, Clone)]
struct Form {
    /// The requirement being edited; `None` for a new one.
    id: Option<i64>,
    service_id: i64,
    moment_key: String,
    site_id: Option<i64>,
    text: String,
    response_id: Option<i64>,
    question_code: String,
    /// Empty on a new requirement (it starts open).
    status: String,
}

impl Form {
    /// From the link (`service`, `moment`, `site`, `text`, `response`, `question`) or the
    /// posted form (`service_id`, `moment_key`, `site_id`, …).
    fn read(p: &Params) -> Self {
        let either = |a: &str, b: &str| {
            let v = p.get(a);
            if v.is_empty() { p.get(b) } else { v }
        };
        let number = |a: &str, b: &str| either(a, b).trim().parse::<i64>().ok();
        Self {
            id: None,
            service_id: number("service_id", "service").unwrap_or(0),
            moment_key: either("moment_key", "moment").trim().to_string(),
            site_id: number("site_id", "site").filter(|s| *s > 0),
            text: p.get("text").to_string(),
            response_id: number("response_id", "response"),
            question_code: either("question_code", "question").trim().to_string(),
            status: p.get("status").trim().to_string(),
        }
    }

    /// A stored requirement as the edit form shows it.
    fn of(r: &Requirement) -> Self {
        Self {
            id: Some(r.id),
            service_id: r.service_id,
            moment_key: r.moment_key.clone(),
            site_id: r.site_id,
            text: r.text.clone(),
            response_id: r.response_id,
            question_code: r.question_code.clone().unwrap_or_default(),
            status: r.status.as_str().to_string(),
        }
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/requirements/{id}"),
            None => "/requirements".into(),
        }
    }

    fn input(&self) -> RequirementInput {
        let from_survey = self.response_id.is_some();
        RequirementInput {
            service_id: self.service_id,
            moment_key: self.moment_key.clone(),
            site_id: self.site_id,
            text: self.text.clone(),
            source: Some(
                if from_survey {
                    "employee_survey"
                } else {
                    "entered"
                }
                .into(),
            ),
            response_id: self.response_id,
            question_code: (from_survey && !self.question_code.is_empty())
                .then(|| self.question_code.clone()),
            status: (!self.status.is_empty()).then(|| self.status.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "improvement/requirement_form.html")]
struct FormPage {
    c: Chrome,
    t: &'static FormTexts,
    service_name: String,
    form: Form,
    moments: Vec<(String, String)>,
    sites: Vec<(i64, String)>,
    /// (code, label) of every status, on the edit form.
    statuses: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    c: Chrome,
    form: Form,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let store = state.store.as_ref();
    let service = store
        .get_service(form.service_id)
        .await
        .map_err(store_error(&c))?;
    let moments: Vec<(String, String)> = match store.current_cycle(service.id).await {
        Ok(cycle) => cycle.moments.into_iter().map(|m| (m.key, m.name)).collect(),
        Err(touchpoint_core::StoreError::NotFound { .. }) => Vec::new(),
        Err(e) => return Err(PageError::store(&c, e)),
    };
    let sites = site_names(store, &c).await?;
    let it = super::texts::improvement_texts(c.lang);
    let statuses = RequirementStatus::ALL
        .iter()
        .map(|s| (s.as_str(), it.requirement_status(*s)))
        .collect();
    Ok(FormPage {
        t: texts(c.lang),
        statuses,
        c,
        service_name: service.name,
        form,
        moments,
        sites,
        errors,
    })
}

pub async fn new(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "record a requirement",
    )
    .await?;
    let form = Form::read(&Params::query(uri.query()));
    Ok(render(
        &page(&state, c, form, FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "POST /requirements",
    )
    .await?;
    let form = Form::read(&Params::parse(&body));
    let errors = match validated(&state, &form.input()).await {
        Ok(valid) => {
            state
                .store
                .create_requirement(&pu.actor(), &valid)
                .await
                .map_err(store_error(&c))?;
            return Ok(
                Redirect::to(&format!("/services/{}?flash=created", form.service_id))
                    .into_response(),
            );
        }
        Err(AppError::Invalid(e)) => FieldErrors::from_validation(c.lang, &e),
        Err(e) => return Err(internal(&c, format!("{e:?}"))),
    };
    let page = page(&state, c, form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn edit(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "edit a requirement",
    )
    .await?;
    let stored = state
        .store
        .get_requirement(id)
        .await
        .map_err(store_error(&c))?;
    Ok(render(
        &page(&state, c, Form::of(&stored), FieldErrors::default()).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "POST /requirements/{id}",
    )
    .await?;
    let stored = state
        .store
        .get_requirement(id)
        .await
        .map_err(store_error(&c))?;
    // Where it came from is kept as stored: the form cannot move it to another service or
    // detach it from the answer it was proposed from.
    let p = Params::parse(&body);
    let form = Form {
        moment_key: p.get("moment_key").trim().to_string(),
        site_id: p
            .get("site_id")
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| *s > 0),
        text: p.get("text").to_string(),
        status: p.get("status").trim().to_string(),
        ..Form::of(&stored)
    };
    let errors = match validated(&state, &form.input()).await {
        Ok(valid) => {
            state
                .store
                .update_requirement(&pu.actor(), id, &valid)
                .await
                .map_err(store_error(&c))?;
            return Ok(
                Redirect::to(&format!("/services/{}?flash=updated", form.service_id))
                    .into_response(),
            );
        }
        Err(AppError::Invalid(e)) => FieldErrors::from_validation(c.lang, &e),
        Err(e) => return Err(internal(&c, format!("{e:?}"))),
    };
    let page = page(&state, c, form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
