//! Staff recognition pages: `/recognition` (the month's ranking per site, every figure with
//! its sample size and the points it adds, and the formula spelled out), `/recognition.csv`,
//! and `/recognition/certificate` (a printable certificate for each site's staff member of the
//! month), and `/services/{id}/employee-voice` (what staff say about each moment). Everyone
//! signed in may read them.
mod certificate;
mod ranking;
mod settings;
pub mod texts;
mod texts_en;
mod texts_es;
mod view;
mod voice;

use crate::state::AppState;
use axum::{Router, routing::get};

pub use texts::nav_label;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recognition", get(ranking::show))
        .route("/recognition.csv", get(ranking::csv_download))
        .route("/recognition/certificate", get(certificate::show))
        .route(
            "/recognition/settings",
            get(settings::show).post(settings::save),
        )
        .route("/services/{id}/employee-voice", get(voice::show))
}
