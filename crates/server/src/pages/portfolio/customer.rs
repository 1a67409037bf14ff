//! One customer: details, status history, sales, a status change, and (for admins) the
//! personal-data download and erasure.
use super::texts::{PortfolioTexts, portfolio_texts};
use crate::{
    api::customers::StatusInput,
    auth::PageUser,
    pages::{
        chrome::Chrome,
        complaints::support::{Cycles, Group},
        evidence::support::Lookup,
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
use touchpoint_core::{
    listing::ListQuery,
    portfolio::{Customer, CustomerStatus, LostReason},
    user::Permission,
};

pub struct HistoryRow {
    pub when: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub reason: String,
    pub note: String,
    pub moment: String,
    pub by: String,
}

pub struct SaleRow {
    pub date: String,
    pub amount: String,
    pub currency: String,
}

#[derive(Template)]
#[template(path = "portfolio/customer.html")]
struct CustomerPage {
    c: Chrome,
    p: &'static PortfolioTexts,
    customer: Customer,
    title: String,
    status: &'static str,
    status_class: &'static str,
    site: String,
    erased_note: String,
    history: Vec<HistoryRow>,
    sales: Vec<SaleRow>,
    sales_total: i64,
    statuses: Vec<(&'static str, &'static str)>,
    reasons: Vec<(String, String)>,
    can_manage: bool,
    is_admin: bool,
    form_status: String,
    form_reason: String,
    form_note: String,
    form_moment: String,
    /// Every service's current moments for the loss-moment picker.
    moments: Cycles,
    errors: FieldErrors,
    erase_error: Option<&'static str>,
}

fn reason_label(reasons: &[LostReason], key: &str, es: bool) -> String {
    reasons
        .iter()
        .find(|r| r.key == key)
        .map(|r| {
            if es {
                r.label_es.clone()
            } else {
                r.label_en.clone()
            }
        })
        .unwrap_or_else(|| key.to_string())
}

/// "Cash a cheque · 3. Wait for the turn" for a moment key of some current cycle (the first
/// service that has it), the bare key otherwise.
fn moment_label(cycles: &Cycles, key: Option<&str>) -> String {
    let Some(key) = key else {
        return String::new();
    };
    cycles
        .list
        .iter()
        .find(|s| s.3.moments.iter().any(|m| m.key == key))
        .map_or_else(
            || key.to_string(),
            |s| cycles.moment_name(Some(&s.1), Some(key)),
        )
}

impl CustomerPage {
    /// The picker's groups, with the current choice selected.
    fn moment_groups(&self) -> Vec<Group> {
        self.moments.groups(&self.form_moment, false)
    }
    /// A stored moment no current cycle has any more stays choosable, under its key.
    fn unlisted_moment(&self) -> Option<&str> {
        let known = self
            .moments
            .list
            .iter()
            .any(|s| s.3.moments.iter().any(|m| m.key == self.form_moment));
        (!self.form_moment.is_empty() && !known).then_some(self.form_moment.as_str())
    }
}

async fn page(
    state: &AppState,
    pu: &PageUser,
    c: Chrome,
    id: i64,
) -> Result<CustomerPage, PageError> {
    let t = portfolio_texts(c.lang);
    let store = |e| PageError::store(&c, e);
    let customer = state.store.get_customer(id).await.map_err(store)?;
    let lookup = Lookup::load(state, &c).await?;
    let moments = Cycles::load(state, &c, &lookup).await?;
    let reasons = state.store.lost_reasons().await.map_err(store)?;
    let es = c.code == "es";
    let history = state
        .store
        .status_history(id)
        .await
        .map_err(store)?
        .into_iter()
        .rev()
        .map(|h| HistoryRow {
            when: h.changed_at.format("%Y-%m-%d %H:%M").to_string(),
            status: t.status(h.status),
            status_class: super::charts::status_class(h.status),
            reason: h
                .lost_reason
                .map(|k| reason_label(&reasons, &k, es))
                .unwrap_or_default(),
            note: h.lost_note,
            moment: moment_label(&moments, h.lost_moment_key.as_deref()),
            by: h.changed_by,
        })
        .collect();
    let q = ListQuery {
        limit: 50,
        ..ListQuery::default()
    };
    let sales_page = state.store.list_sales(id, &q).await.map_err(store)?;
    let site = match customer.site_id {
        Some(s) => state
            .store
            .get_site(s)
            .await
            .map(|s| s.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let erased_note = customer
        .erased_at
        .map(|d| {
            t.erased_on
                .replace("{date}", &d.format("%Y-%m-%d").to_string())
        })
        .unwrap_or_default();
    Ok(CustomerPage {
        p: t,
        title: if customer.erased_at.is_some() {
            t.erased_customer.into()
        } else {
            customer.name.clone()
        },
        status: t.status(customer.status),
        status_class: super::charts::status_class(customer.status),
        site,
        erased_note,
        history,
        sales: sales_page
            .items
            .iter()
            .map(|s| SaleRow {
                date: s.date.to_string(),
                amount: s.amount.to_string(),
                currency: s.currency.clone(),
            })
            .collect(),
        sales_total: sales_page.total,
        statuses: CustomerStatus::ALL
            .iter()
            .map(|s| (s.as_str(), t.status(*s)))
            .collect(),
        reasons: reasons
            .iter()
            .filter(|r| r.active)
            .map(|r| {
                (
                    r.key.clone(),
                    if es {
                        r.label_es.clone()
                    } else {
                        r.label_en.clone()
                    },
                )
            })
            .collect(),
        can_manage: pu.user.role.allows(Permission::ManageCustomers)
            && customer.erased_at.is_none(),
        is_admin: pu.user.role.allows(Permission::Administer) && customer.erased_at.is_none(),
        form_status: customer.status.as_str().to_string(),
        form_reason: customer.lost_reason.clone().unwrap_or_default(),
        form_note: String::new(),
        form_moment: customer.lost_moment_key.clone().unwrap_or_default(),
        moments,
        errors: FieldErrors::default(),
        erase_error: None,
        customer,
        c,
    })
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "customers", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let t = portfolio_texts(c.lang);
    let p = Params::query(uri.query());
    let flash = match p.get("flash") {
        "status" => Some(t.flash_status.to_string()),
        "erased" => Some(t.flash_erased.to_string()),
        "created" => Some(t.flash_created.to_string()),
        _ => None,
    };
    Ok(render(&page(&state, &pu, c.with_flash(flash), id).await?))
}

pub async fn set_status(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "customers", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCustomers,
        "POST /customers/{id}/status",
    )
    .await?;
    let p = Params::parse(&body);
    let input = StatusInput {
        status: p.get("status").to_string(),
        lost_reason: p.opt("lost_reason"),
        lost_note: p.get("lost_note").to_string(),
        lost_moment_key: p.opt("lost_moment_key"),
        status_since: None,
    };
    let errors = match input.validate() {
        Ok(s) => match state.store.set_customer_status(&pu.actor(), id, &s).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/customers/{id}?flash=status")).into_response());
            }
            Err(e) => store_form_error(&c, e)?,
        },
        Err(e) => FieldErrors::from_validation(c.lang, &e),
    };
    let mut page = page(&state, &pu, c, id).await?;
    page.form_status = input.status;
    page.form_reason = input.lost_reason.unwrap_or_default();
    page.form_note = input.lost_note;
    page.form_moment = input.lost_moment_key.unwrap_or_default();
    page.errors = errors;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn erase(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "customers", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::Administer,
        "POST /customers/{id}/erase",
    )
    .await?;
    let p = Params::parse(&body);
    if p.get("confirm") != "yes" {
        let mut page = page(&state, &pu, c, id).await?;
        page.erase_error = Some(page.p.erase_must_confirm);
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    state
        .store
        .erase_customer(&pu.actor(), id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    Ok(Redirect::to(&format!("/customers/{id}?flash=erased")).into_response())
}
