//! The customer list: search, status filter, sorting, paging, and a form to add one.
use super::texts::{PortfolioTexts, portfolio_texts};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Listing, Pager, Params, SortLink, store_form_error},
        render::{PageError, PageResult, render, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use std::collections::HashMap;
use touchpoint_core::{
    listing::{ListQuery, SortField},
    portfolio::{CustomerFilter, CustomerInput, CustomerStatus},
    user::Permission,
};

pub struct Row {
    pub id: i64,
    pub reference: String,
    pub name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub segment: String,
    pub site: String,
}

#[derive(Default)]
pub struct CustomerForm {
    pub reference: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub segment: String,
    pub site_id: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "portfolio/customers.html")]
struct ListPage {
    c: Chrome,
    p: &'static PortfolioTexts,
    rows: Vec<Row>,
    sort_name: SortLink,
    sort_ref: SortLink,
    pager: Pager,
    search: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    sites: Vec<(i64, String)>,
    can_manage: bool,
    form: CustomerForm,
    errors: FieldErrors,
}

fn statuses(p: &PortfolioTexts) -> Vec<(&'static str, &'static str)> {
    CustomerStatus::ALL
        .iter()
        .map(|s| (s.as_str(), p.status(*s)))
        .collect()
}

async fn sites(state: &AppState, c: &Chrome) -> Result<Vec<(i64, String)>, PageError> {
    let page = state
        .store
        .list_sites(&ListQuery::all())
        .await
        .map_err(|e| PageError::store(c, e))?;
    Ok(page.items.into_iter().map(|s| (s.id, s.name)).collect())
}

async fn page(
    state: &AppState,
    pu: &PageUser,
    c: Chrome,
    p: &Params,
    form: CustomerForm,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let t = portfolio_texts(c.lang);
    let mut listing = Listing::from_params("/customers", p);
    let status = p.get("status").parse::<CustomerStatus>().ok();
    if let Some(s) = status {
        listing.keep.push(("status".into(), s.as_str().into()));
    }
    let filter = CustomerFilter {
        status,
        ..Default::default()
    };
    let list = state
        .store
        .list_customers(&listing.query(), &filter)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let sites = sites(state, &c).await?;
    let names: HashMap<i64, &String> = sites.iter().map(|(id, n)| (*id, n)).collect();
    let rows = list
        .items
        .iter()
        .map(|x| Row {
            id: x.id,
            reference: x.reference.clone(),
            name: if x.erased_at.is_some() {
                t.erased_customer.to_string()
            } else {
                x.name.clone()
            },
            status: t.status(x.status),
            status_class: super::charts::status_class(x.status),
            segment: x.segment.clone(),
            site: x
                .site_id
                .and_then(|id| names.get(&id).map(|n| n.to_string()))
                .unwrap_or_default(),
        })
        .collect();
    Ok(ListPage {
        p: t,
        rows,
        sort_name: listing.sort_link(c.t.name, SortField::Name),
        sort_ref: listing.sort_link(t.reference, SortField::Key),
        pager: listing.pager(c.t, &list),
        search: listing.search.clone(),
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        statuses: statuses(t),
        can_manage: pu.user.role.allows(Permission::ManageCustomers),
        sites,
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
    let c = Chrome::for_user(&pu, "customers", &uri.to_string());
    let p = Params::query(uri.query());
    let t = portfolio_texts(c.lang);
    let c = c.with_flash((p.get("flash") == "created").then(|| t.flash_created.to_string()));
    let form = CustomerForm {
        status: "active".into(),
        ..Default::default()
    };
    Ok(render(
        &page(&state, &pu, c, &p, form, FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "customers", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCustomers,
        "POST /customers",
    )
    .await?;
    let p = Params::parse(&body);
    let form = CustomerForm {
        reference: p.get("ref").to_string(),
        name: p.get("name").to_string(),
        email: p.get("email").to_string(),
        phone: p.get("phone").to_string(),
        segment: p.get("segment").to_string(),
        site_id: p.get("site_id").to_string(),
        status: p.get("status").to_string(),
    };
    let input = CustomerInput {
        reference: form.reference.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        segment: form.segment.clone(),
        site_id: p.number("site_id"),
        status: p.opt("status"),
        ..Default::default()
    };
    let errors = match input.validate() {
        Ok(fields) => match state.store.create_customer(&pu.actor(), &fields).await {
            Ok(created) => {
                let to = format!("/customers/{}?flash=created", created.id);
                return Ok(Redirect::to(&to).into_response());
            }
            Err(e) => store_form_error(&c, e)?,
        },
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    let query = Params::query(None);
    let page = page(&state, &pu, c, &query, form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
