//! Complaint pages: the agent queue (filters, sorting, bulk assignment, a new-complaint
//! form), the complaint page (timeline, updates, promise clocks, next steps, resolution) and
//! the escalations dashboard. Everyone signed in may read; changes need `HandleComplaints`
//! (admins, managers, agents). The customer's own status page is on the public site
//! (`crate::public`), not here: it has no session.
//!
//! Times are entered and shown in UTC, labelled as such, like the evidence pages.
mod actions;
mod create;
mod escalations;
mod queue;
mod show;
pub mod support;
pub mod texts;
mod texts_en;
mod texts_es;

use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};

pub use texts::{ComplaintTexts, complaint_texts, nav_label};

/// The complaint routes; merged into the pages router so the CSRF guard covers every form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/complaints", get(queue::list).post(create::submit))
        .route("/complaints/new", get(create::show))
        .route("/complaints/assign", post(queue::assign))
        .route("/complaints/{id}", get(show::show))
        .route("/complaints/{id}/transition", post(actions::transition))
        .route("/complaints/{id}/updates", post(actions::add_update))
        .route("/complaints/{id}/promises", post(actions::add_promise))
        .route(
            "/complaints/{id}/promises/{promise}/fulfil",
            post(actions::fulfil),
        )
        .route(
            "/complaints/{id}/promises/{promise}/cancel",
            post(actions::cancel),
        )
        .route("/complaints/{id}/resolution", post(actions::resolution))
        .route("/escalations", get(escalations::list))
}
