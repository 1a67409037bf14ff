//! Sites: list, create, edit, deactivate.
use super::{
    chrome::Chrome,
    forms::{FieldErrors, Listing, Pager, Params, SortLink, flash, store_form_error},
    render::{PageError, PageResult, parse_id, render, render_status, require},
};
use crate::{auth::PageUser, state::AppState};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    listing::SortField,
    org::{Site, SiteInput},
    user::Permission,
};

#[derive(Default)]
pub struct SiteForm {
    pub key: String,
    pub name: String,
    pub city: String,
    pub timezone: String,
    pub manager_email: String,
    pub active: bool,
}

impl SiteForm {
    fn of(s: &Site) -> Self {
        Self {
            key: s.key.clone(),
            name: s.name.clone(),
            city: s.city.clone(),
            timezone: s.timezone.clone(),
            manager_email: s.manager_email.clone().unwrap_or_default(),
            active: s.active,
        }
    }
    fn read(p: &Params) -> (Self, SiteInput) {
        let form = Self {
            key: p.get("key").to_string(),
            name: p.get("name").to_string(),
            city: p.get("city").to_string(),
            timezone: p.get("timezone").to_string(),
            manager_email: p.get("manager_email").to_string(),
            active: p.has("active"),
        };
        let input = SiteInput {
            key: p.opt("key"),
            name: form.name.clone(),
            city: form.city.clone(),
            timezone: p.opt("timezone"),
            // A blank field removes the manager.
            manager_email: Some(form.manager_email.clone()),
            active: Some(form.active),
        };
        (form, input)
    }
}

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage {
    c: Chrome,
    rows: Vec<Site>,
    sort_name: SortLink,
    sort_key: SortLink,
    pager: Pager,
    search: String,
    inactive: bool,
    form: SiteForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "site_edit.html")]
struct SiteEditPage {
    c: Chrome,
    id: i64,
    form: SiteForm,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    c: Chrome,
    p: &Params,
    form: SiteForm,
    errors: FieldErrors,
) -> Result<SitesPage, PageError> {
    let l = Listing::from_params("/sites", p);
    let page = state
        .store
        .list_sites(&l.query())
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let t = c.t;
    Ok(SitesPage {
        sort_name: l.sort_link(t.name, SortField::Name),
        sort_key: l.sort_link(t.key, SortField::Key),
        pager: l.pager(t, &page),
        search: l.search.clone(),
        inactive: l.inactive,
        rows: page.items,
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
    let c = Chrome::for_user(&pu, "sites", &uri.to_string());
    let c = c.clone().with_flash(flash(c.t, &p));
    let form = SiteForm {
        active: true,
        ..SiteForm::default()
    };
    Ok(render(
        &list_page(&state, c, &p, form, FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "sites", &uri.to_string());
    require(&state, &pu, &c, Permission::ManageCatalog, "POST /sites").await?;
    let (mut form, input) = SiteForm::read(&Params::parse(&body));
    form.active = true;
    let errors = match input.validate() {
        Ok(mut fields) => {
            fields.active = true;
            match state.store.create_site(&pu.actor(), &fields).await {
                Ok(_) => return Ok(Redirect::to("/sites?flash=created").into_response()),
                Err(e) => store_form_error(&c, e)?,
            }
        }
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    let page = list_page(&state, c, &Params::default(), form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn edit_form(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "sites", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("edit site {id}"),
    )
    .await?;
    let site = state
        .store
        .get_site(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    Ok(render(&SiteEditPage {
        c,
        id,
        form: SiteForm::of(&site),
        errors: FieldErrors::default(),
    }))
}

pub async fn update(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "sites", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("update site {id}"),
    )
    .await?;
    state
        .store
        .get_site(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let (form, input) = SiteForm::read(&Params::parse(&body));
    let errors = match input.validate() {
        Ok(fields) => match state.store.update_site(&pu.actor(), id, &fields).await {
            Ok(_) => return Ok(Redirect::to("/sites?flash=updated").into_response()),
            Err(e) => store_form_error(&c, e)?,
        },
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &SiteEditPage {
            c,
            id,
            form,
            errors,
        },
    ))
}

pub async fn deactivate(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "sites", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("deactivate site {id}"),
    )
    .await?;
    state
        .store
        .deactivate_site(&pu.actor(), id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    Ok(Redirect::to("/sites?flash=deactivated").into_response())
}
