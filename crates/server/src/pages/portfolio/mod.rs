//! Customer and portfolio pages: the customer list and page (status, sales, personal data and
//! erasure), and the portfolio with its ranking, Pareto chart, concentration and statuses.
mod charts;
mod customer;
mod customers;
mod overview;
pub mod texts;
mod texts_en;
mod texts_es;

use crate::{auth::PageUser, error::AppError, portfolio::personal_data, state::AppState};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::{get, post},
};
use touchpoint_core::user::Permission;

pub use texts::nav_label;

/// The routes; merged into the pages router so the CSRF guard covers every form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/customers", get(customers::list).post(customers::create))
        .route("/customers/{id}", get(customer::show))
        .route("/customers/{id}/status", post(customer::set_status))
        .route("/customers/{id}/erase", post(customer::erase))
        .route(
            "/customers/{id}/personal-data.json",
            get(personal_data_download),
        )
        .route("/portfolio", get(overview::show))
        .route("/portfolio/ranking.csv", get(overview::ranking_csv))
}

/// An admin's download of everything held about one customer.
async fn personal_data_download(
    State(state): State<AppState>,
    pu: PageUser,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, AppError> {
    if !pu
        .can(
            &state,
            Permission::Administer,
            "GET /customers/{id}/personal-data.json",
        )
        .await
    {
        return Err(AppError::Forbidden);
    }
    let data = personal_data(state.store.as_ref(), id).await?;
    let name = format!("attachment; filename=\"customer-{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, name)], Json(data)).into_response())
}
