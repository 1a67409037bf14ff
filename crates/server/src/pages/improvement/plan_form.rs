//! `/action-plans/new` and `/action-plans/{id}/edit`: write down or change an action plan —
//! the moments it improves, owner, dates, status, expected effect and the requirements it
//! answers. Validated like the API (`api::action_plans::validated`); a refused form comes back
//! as typed with each error next to its field.
use super::{internal, store_error};
use crate::{
    api::action_plans::validated,
    auth::PageUser,
    error::AppError,
    i18n::Lang,
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Params, store_form_error},
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
use chrono::NaiveDate;
use touchpoint_core::{
    improvement::{ActionPlan, ActionPlanInput, PlanStatus, RequirementFilter},
    listing::ListQuery,
    user::Permission,
};

pub struct FormTexts {
    pub new_title: &'static str,
    pub edit_title: &'static str,
    pub intro: &'static str,
    pub service: &'static str,
    pub choose_service: &'static str,
    pub next: &'static str,
    pub plan_title: &'static str,
    pub moments: &'static str,
    pub owner: &'static str,
    pub owner_hint: &'static str,
    pub start: &'static str,
    pub start_hint: &'static str,
    pub due: &'static str,
    pub status: &'static str,
    pub effect: &'static str,
    pub effect_hint: &'static str,
    pub requirements: &'static str,
    pub no_requirements: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub no_cycle: &'static str,
    pub bad_date: &'static str,
}

const EN: FormTexts = FormTexts {
    new_title: "New action plan",
    edit_title: "Edit action plan",
    intro: "A concrete change to one or more moments of truth. Its start date splits the evidence into before and after, so the plan's page can say whether it worked.",
    service: "Service",
    choose_service: "Choose a service",
    next: "Continue",
    plan_title: "Title",
    moments: "Moments it improves",
    owner: "Owner",
    owner_hint: "Who answers for it; owners need not have a login.",
    start: "Takes effect on",
    start_hint: "Evidence before this day counts as before, from this day on as after.",
    due: "Due",
    status: "Status",
    effect: "Expected effect",
    effect_hint: "What should change and by how much, e.g. \u{201c}CSAT of the wait up from 60% to 80%\u{201d}.",
    requirements: "Requirements it answers",
    no_requirements: "No requirement has been recorded for this service yet.",
    save: "Save plan",
    cancel: "Cancel",
    no_cycle: "This service has no published cycle yet, so there is no moment a plan could improve.",
    bad_date: "Enter a date as YYYY-MM-DD.",
};

const ES: FormTexts = FormTexts {
    new_title: "Nuevo plan de acción",
    edit_title: "Editar plan de acción",
    intro: "Un cambio concreto en uno o más momentos de verdad. Su fecha de inicio separa la evidencia en antes y después, para que la página del plan pueda decir si funcionó.",
    service: "Servicio",
    choose_service: "Elija un servicio",
    next: "Continuar",
    plan_title: "Título",
    moments: "Momentos que mejora",
    owner: "Responsable",
    owner_hint: "Quien responde por el plan; no necesita tener usuario.",
    start: "Entra en vigor el",
    start_hint: "La evidencia anterior a este día cuenta como antes; desde este día, como después.",
    due: "Fecha límite",
    status: "Estado",
    effect: "Efecto esperado",
    effect_hint: "Qué debería cambiar y cuánto; por ejemplo, \u{ab}que la satisfacción con la espera suba del 60 % al 80 %\u{bb}.",
    requirements: "Requerimientos que atiende",
    no_requirements: "Todavía no hay requerimientos registrados para este servicio.",
    save: "Guardar plan",
    cancel: "Cancelar",
    no_cycle: "Este servicio aún no tiene un ciclo publicado, así que no hay momento que un plan pueda mejorar.",
    bad_date: "Escriba la fecha como AAAA-MM-DD.",
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
    /// `Some` when editing.
    plan_id: Option<i64>,
    service_id: i64,
    title: String,
    moment_keys: Vec<String>,
    owner: String,
    start_date: String,
    due_date: String,
    status: String,
    expected_effect: String,
    requirement_ids: Vec<i64>,
}

impl Form {
    fn read(p: &Params, plan_id: Option<i64>) -> Self {
        let service = |a: &str| p.get(a).trim().parse::<i64>().ok();
        Self {
            plan_id,
            service_id: service("service_id")
                .or_else(|| service("service"))
                .unwrap_or(0),
            title: p.get("title").to_string(),
            moment_keys: p.all("moment_keys").iter().map(|s| s.to_string()).collect(),
            owner: p.get("owner").to_string(),
            start_date: p.get("start_date").trim().to_string(),
            due_date: p.get("due_date").trim().to_string(),
            status: p.get("status").trim().to_string(),
            expected_effect: p.get("expected_effect").to_string(),
            requirement_ids: p
                .all("requirement_ids")
                .iter()
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
        }
    }

    fn of(plan: &ActionPlan) -> Self {
        Self {
            plan_id: Some(plan.id),
            service_id: plan.service_id,
            title: plan.title.clone(),
            moment_keys: plan.moment_keys.clone(),
            owner: plan.owner.clone(),
            start_date: plan.start_date.to_string(),
            due_date: plan.due_date.to_string(),
            status: plan.status.as_str().to_string(),
            expected_effect: plan.expected_effect.clone(),
            requirement_ids: plan.requirement_ids.clone(),
        }
    }

    /// The API input, or the fields whose dates do not parse.
    fn input(&self, t: &FormTexts) -> Result<ActionPlanInput, FieldErrors> {
        let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        let (start, due) = (date(&self.start_date), date(&self.due_date));
        let mut errors = Vec::new();
        if start.is_none() {
            errors.push(("start_date", t.bad_date));
        }
        if due.is_none() {
            errors.push(("due_date", t.bad_date));
        }
        match (start, due) {
            (Some(start_date), Some(due_date)) => Ok(ActionPlanInput {
                service_id: self.service_id,
                title: self.title.clone(),
                moment_keys: self.moment_keys.clone(),
                owner: self.owner.clone(),
                start_date,
                due_date,
                status: Some(self.status.clone()).filter(|s| !s.is_empty()),
                expected_effect: self.expected_effect.clone(),
                requirement_ids: self.requirement_ids.clone(),
            }),
            _ => Err(FieldErrors::many(errors)),
        }
    }

    /// Where the form posts, and where "Cancel" leads back to: the plan, or the list.
    fn action(&self) -> String {
        match self.plan_id {
            Some(id) => format!("/action-plans/{id}"),
            None => "/action-plans".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "improvement/plan_form.html")]
struct FormPage {
    c: Chrome,
    t: &'static FormTexts,
    heading: &'static str,
    service_name: String,
    form: Form,
    moments: Vec<(String, String)>,
    requirements: Vec<(i64, String)>,
    /// (code, label) of every plan status.
    statuses: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

/// The first step of a new plan: which service it belongs to.
#[derive(Template)]
#[template(path = "improvement/plan_service.html")]
struct ServicePage {
    c: Chrome,
    t: &'static FormTexts,
    services: Vec<(i64, String)>,
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
    let filter = RequirementFilter {
        service_id: Some(service.id),
        ..RequirementFilter::default()
    };
    let requirements = store
        .list_requirements(&filter, &ListQuery::all())
        .await
        .map_err(store_error(&c))?
        .items
        .into_iter()
        .map(|r| {
            let moment = moments
                .iter()
                .find(|(k, _)| *k == r.moment_key)
                .map_or(r.moment_key.as_str(), |(_, n)| n.as_str());
            (r.id, format!("{moment}: {}", r.text))
        })
        .collect();
    let t = texts(c.lang);
    let labels = super::improvement_texts(c.lang);
    Ok(FormPage {
        statuses: PlanStatus::ALL
            .iter()
            .map(|s| (s.as_str(), labels.plan_status(*s)))
            .collect(),
        heading: if form.plan_id.is_some() {
            t.edit_title
        } else {
            t.new_title
        },
        t,
        c,
        service_name: service.name,
        form,
        moments,
        requirements,
        errors,
    })
}

async fn allowed(state: &AppState, pu: &PageUser, c: &Chrome, what: &str) -> Result<(), PageError> {
    require(state, pu, c, Permission::ManageCatalog, what).await
}

/// The plan a path names (an unknown or malformed id is the not-found page).
async fn load_plan(state: &AppState, c: &Chrome, raw: &str) -> Result<ActionPlan, PageError> {
    let id = parse_id(c, raw)?;
    state
        .store
        .get_action_plan(id)
        .await
        .map_err(store_error(c))
}

pub async fn new(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    allowed(&state, &pu, &c, "write an action plan").await?;
    let mut form = Form::read(&Params::query(uri.query()), None);
    if form.service_id == 0 {
        let services = state
            .store
            .list_services(&ListQuery::all())
            .await
            .map_err(store_error(&c))?
            .items
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        return Ok(render(&ServicePage {
            t: texts(c.lang),
            c,
            services,
        }));
    }
    let today = state.clock.now().date_naive();
    form.start_date = today.to_string();
    form.due_date = (today + chrono::Duration::days(90)).to_string();
    Ok(render(
        &page(&state, c, form, FieldErrors::default()).await?,
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    allowed(&state, &pu, &c, "edit an action plan").await?;
    let plan = load_plan(&state, &c, &raw).await?;
    Ok(render(
        &page(&state, c, Form::of(&plan), FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    allowed(&state, &pu, &c, "POST /action-plans").await?;
    save(state, pu, c, Form::read(&Params::parse(&body), None)).await
}

pub async fn update(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "plans", &uri.to_string());
    allowed(&state, &pu, &c, "POST /action-plans/{id}").await?;
    let plan = load_plan(&state, &c, &raw).await?;
    let mut form = Form::read(&Params::parse(&body), Some(plan.id));
    // A plan stays with its service; the form does not offer to move it.
    form.service_id = plan.service_id;
    save(state, pu, c, form).await
}

async fn save(state: AppState, pu: PageUser, c: Chrome, form: Form) -> PageResult {
    let t = texts(c.lang);
    let errors = match form.input(t) {
        Err(errors) => errors,
        Ok(input) => match validated(&state, &input).await {
            Ok(valid) => {
                let store = state.store.as_ref();
                let saved = match form.plan_id {
                    Some(id) => store.update_action_plan(&pu.actor(), id, &valid).await,
                    None => store.create_action_plan(&pu.actor(), &valid).await,
                };
                match saved {
                    Ok(saved) => {
                        let flash = if form.plan_id.is_some() {
                            "updated"
                        } else {
                            "created"
                        };
                        return Ok(Redirect::to(&format!(
                            "/action-plans/{}?flash={flash}",
                            saved.id
                        ))
                        .into_response());
                    }
                    Err(e) => store_form_error(&c, e)?,
                }
            }
            Err(AppError::Invalid(e)) => FieldErrors::from_validation(c.lang, &e),
            Err(e) => return Err(internal(&c, format!("{e:?}"))),
        },
    };
    // `moment_keys[2]` and `requirement_ids[0]` are shown beside their checkbox group.
    let errors = FieldErrors(
        errors
            .0
            .into_iter()
            .map(|(field, message)| match field.split_once('[') {
                Some((group, _)) => (group.to_string(), message),
                None => (field, message),
            })
            .collect(),
    );
    let page = page(&state, c, form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_dates_are_field_errors() {
        let p = Params::parse(b"service_id=1&title=x&start_date=31/12/2026&due_date=2027-01-31");
        let errors = Form::read(&p, None).input(&EN).unwrap_err();
        assert_eq!(errors.get("start_date"), Some(EN.bad_date));
        assert_eq!(errors.get("due_date"), None);
    }
}
