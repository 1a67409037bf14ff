//! The list of services and the form that creates one.
use super::{
    chrome::Chrome,
    forms::{FieldErrors, Listing, Pager, Params, SortLink, flash, store_form_error},
    render::{PageError, PageResult, render, render_status, require},
};
use crate::{auth::PageUser, state::AppState};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    listing::SortField,
    service::{NewService, Service},
    user::Permission,
};

pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub key: String,
    pub version: String,
    pub moments: i64,
    pub critical: i64,
    pub created: String,
}

#[derive(Default)]
pub struct ServiceForm {
    pub name: String,
    pub key: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    c: Chrome,
    rows: Vec<ServiceRow>,
    sort_name: SortLink,
    sort_key: SortLink,
    sort_created: SortLink,
    pager: Pager,
    search: String,
    form: ServiceForm,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    c: Chrome,
    l: &Listing,
    form: ServiceForm,
    errors: FieldErrors,
) -> Result<ServicesPage, PageError> {
    let page = state
        .store
        .list_services(&l.query())
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let t = c.t;
    let rows = page
        .items
        .iter()
        .map(|s: &Service| ServiceRow {
            id: s.id,
            name: s.name.clone(),
            key: s.key.clone(),
            version: s
                .current_version
                .map(|v| v.to_string())
                .unwrap_or_else(|| t.no_version.to_string()),
            moments: s.moment_count,
            critical: s.critical_count,
            created: s.created_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    Ok(ServicesPage {
        sort_name: l.sort_link(t.name, SortField::Name),
        sort_key: l.sort_link(t.key, SortField::Key),
        sort_created: l.sort_link(t.created, SortField::CreatedAt),
        pager: l.pager(t, &page),
        search: l.search.clone(),
        rows,
        form,
        errors,
        c,
    })
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let p = Params::query(uri.query());
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let c = c.clone().with_flash(flash(c.t, &p));
    let l = Listing::from_params("/services", &p);
    let page = page(
        &state,
        c,
        &l,
        ServiceForm::default(),
        FieldErrors::default(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    require(&state, &pu, &c, Permission::ManageCatalog, "POST /services").await?;
    let p = Params::parse(&body);
    let form = ServiceForm {
        name: p.get("name").to_string(),
        key: p.get("key").to_string(),
        description: p.get("description").to_string(),
    };
    let input = NewService {
        key: p.opt("key"),
        name: form.name.clone(),
        description: form.description.clone(),
    };
    let errors = match input.validate() {
        Ok(fields) => match state.store.create_service(&pu.actor(), &fields).await {
            Ok(s) => {
                return Ok(
                    Redirect::to(&format!("/services/{}/edit?flash=created", s.id)).into_response(),
                );
            }
            Err(e) => store_form_error(&c, e)?,
        },
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    let l = Listing::from_params("/services", &Params::default());
    let page = page(&state, c, &l, form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
