//! Evidence pages: mystery-shopper audits run on a phone, measurements of service standards
//! and compliments. Every role may read the lists; recording an audit or editing a checklist
//! needs `RecordAudit`, recording a measurement or a compliment needs `RecordFeedback`.
//!
//! Times are entered and shown in UTC (labelled as such): sites carry an IANA zone, but the
//! server has no zone database to convert with.
mod audit_form;
mod audit_view;
mod audits;
mod checklist;
mod compliment_form;
mod compliments;
mod measurement_form;
mod measurements;
pub(crate) mod messages;
pub(crate) mod support;
pub mod texts;
mod texts_en;
mod texts_es;

use crate::state::AppState;
use axum::{Router, routing::get};

pub use texts::{EvidenceTexts, evidence_texts, nav_label};

/// The evidence routes; merged into the pages router so the CSRF guard covers every form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audits", get(audits::list).post(audit_form::submit))
        .route("/audits/new", get(audit_form::show))
        .route("/audits/{id}", get(audits::detail))
        .route(
            "/services/{id}/checklist",
            get(checklist::show).post(checklist::submit),
        )
        .route(
            "/measurements",
            get(measurements::list).post(measurement_form::submit),
        )
        .route("/measurements/new", get(measurement_form::show))
        .route(
            "/compliments",
            get(compliments::list).post(compliment_form::submit),
        )
        .route("/compliments/new", get(compliment_form::show))
}
