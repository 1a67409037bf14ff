//! Everything Touchpoint holds about one customer, for a data-subject access request (served
//! to admins by the API and by the customer page).
use crate::error::AppError;
use serde::Serialize;
use touchpoint_core::{
    listing::ListQuery,
    portfolio::{Customer, Sale, StatusChange},
    store::Store,
};
use utoipa::ToSchema;

/// Everything Touchpoint holds about one customer, for a data-subject access request.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    pub customer: Customer,
    pub status_history: Vec<StatusChange>,
    pub sales: Vec<Sale>,
}

pub async fn personal_data(store: &dyn Store, id: i64) -> Result<PersonalData, AppError> {
    let customer = store.get_customer(id).await?;
    let status_history = store.status_history(id).await?;
    let mut sales = Vec::new();
    let mut q = ListQuery::all();
    loop {
        let page = store.list_sales(id, &q).await?;
        let done = !page.has_next();
        sales.extend(page.items);
        if done {
            break;
        }
        q.offset += q.limit;
    }
    Ok(PersonalData {
        customer,
        status_history,
        sales,
    })
}
