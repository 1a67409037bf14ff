//! Staff members: list (filtered by site), create, edit, deactivate.
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
    listing::{ListQuery, SortField},
    org::{Site, StaffInput, StaffMember},
    user::Permission,
};

#[derive(Default)]
pub struct StaffForm {
    pub name: String,
    pub role: String,
    pub site_id: Option<i64>,
    pub email: String,
    pub active: bool,
}

impl StaffForm {
    pub fn is_site(&self, id: &i64) -> bool {
        self.site_id == Some(*id)
    }
    fn of(s: &StaffMember) -> Self {
        Self {
            name: s.name.clone(),
            role: s.role.clone(),
            site_id: s.site_id,
            email: s.email.clone(),
            active: s.active,
        }
    }
    fn read(p: &Params) -> (Self, StaffInput) {
        let form = Self {
            name: p.get("name").to_string(),
            role: p.get("role").to_string(),
            site_id: p.number("site_id"),
            email: p.get("email").to_string(),
            active: p.has("active"),
        };
        let input = StaffInput {
            name: form.name.clone(),
            role: form.role.clone(),
            site_id: form.site_id,
            email: form.email.clone(),
            active: Some(form.active),
        };
        (form, input)
    }
}

pub struct SiteOption {
    pub id: i64,
    pub name: String,
}

pub struct StaffRow {
    pub member: StaffMember,
    pub site: String,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    c: Chrome,
    rows: Vec<StaffRow>,
    sites: Vec<SiteOption>,
    site_filter: Option<i64>,
    sort_name: SortLink,
    pager: Pager,
    search: String,
    inactive: bool,
    form: StaffForm,
    errors: FieldErrors,
}

impl StaffPage {
    fn filter_is(&self, id: &i64) -> bool {
        self.site_filter == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "staff_edit.html")]
struct StaffEditPage {
    c: Chrome,
    id: i64,
    sites: Vec<SiteOption>,
    form: StaffForm,
    errors: FieldErrors,
}

async fn site_list(state: &AppState, c: &Chrome) -> Result<Vec<Site>, PageError> {
    state
        .store
        .list_sites(&ListQuery::all())
        .await
        .map(|p| p.items)
        .map_err(|e| PageError::store(c, e))
}

fn options(sites: &[Site]) -> Vec<SiteOption> {
    sites
        .iter()
        .map(|s| SiteOption {
            id: s.id,
            name: s.name.clone(),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    c: Chrome,
    p: &Params,
    form: StaffForm,
    errors: FieldErrors,
) -> Result<StaffPage, PageError> {
    let site_filter: Option<i64> = p.number("site");
    let mut l = Listing::from_params("/staff", p);
    if let Some(s) = site_filter {
        l.keep.push(("site".into(), s.to_string()));
    }
    let page = state
        .store
        .list_staff(&l.query(), site_filter)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let sites = site_list(state, &c).await?;
    let t = c.t;
    let rows = page
        .items
        .iter()
        .map(|m| StaffRow {
            site: m
                .site_id
                .and_then(|id| sites.iter().find(|s| s.id == id))
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            member: m.clone(),
        })
        .collect();
    Ok(StaffPage {
        sort_name: l.sort_link(t.name, SortField::Name),
        pager: l.pager(t, &page),
        search: l.search.clone(),
        inactive: l.inactive,
        sites: options(&sites),
        site_filter,
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
    let c = Chrome::for_user(&pu, "staff", &uri.to_string());
    let c = c.clone().with_flash(flash(c.t, &p));
    let form = StaffForm {
        active: true,
        site_id: p.number("site"),
        ..StaffForm::default()
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
    let c = Chrome::for_user(&pu, "staff", &uri.to_string());
    require(&state, &pu, &c, Permission::ManageCatalog, "POST /staff").await?;
    let (mut form, mut input) = StaffForm::read(&Params::parse(&body));
    form.active = true;
    input.active = Some(true);
    let errors = match input.validate() {
        Ok(fields) => match state.store.create_staff(&pu.actor(), &fields).await {
            Ok(_) => return Ok(Redirect::to("/staff?flash=created").into_response()),
            Err(e) => store_form_error(&c, e)?,
        },
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
    let c = Chrome::for_user(&pu, "staff", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("edit staff {id}"),
    )
    .await?;
    let member = state
        .store
        .get_staff(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let sites = options(&site_list(&state, &c).await?);
    Ok(render(&StaffEditPage {
        c,
        id,
        sites,
        form: StaffForm::of(&member),
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
    let c = Chrome::for_user(&pu, "staff", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("update staff {id}"),
    )
    .await?;
    state
        .store
        .get_staff(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let (form, input) = StaffForm::read(&Params::parse(&body));
    let errors = match input.validate() {
        Ok(fields) => match state.store.update_staff(&pu.actor(), id, &fields).await {
            Ok(_) => return Ok(Redirect::to("/staff?flash=updated").into_response()),
            Err(e) => store_form_error(&c, e)?,
        },
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    let sites = options(&site_list(&state, &c).await?);
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &StaffEditPage {
            c,
            id,
            sites,
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
    let c = Chrome::for_user(&pu, "staff", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        &format!("deactivate staff {id}"),
    )
    .await?;
    state
        .store
        .deactivate_staff(&pu.actor(), id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    Ok(Redirect::to("/staff?flash=deactivated").into_response())
}
