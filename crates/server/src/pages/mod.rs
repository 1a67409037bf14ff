//! Server-rendered pages in English and Spanish. They work without JavaScript, on a phone,
//! and every state-changing form is checked by [`csrf_guard`] before any handler runs.
pub mod analysis;
pub mod assets;
mod audit;
mod auth_pages;
pub mod chrome;
pub mod complaints;
mod editor;
pub mod evidence;
mod forms;
pub mod improvement;
mod journey;
pub mod journey_svg;
mod messages;
pub mod portfolio;
pub mod recognition;
mod render;
pub mod report;
pub mod scorecard;
mod services;
mod sites;
mod staff;
pub mod surveys;
pub mod texts;
mod users;

pub use render::not_found;

use crate::{auth::csrf::csrf_guard, state::AppState};
use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
    middleware,
    routing::{get, post},
};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(auth_pages::root))
        .route(
            "/login",
            get(auth_pages::login_form).post(auth_pages::login_submit),
        )
        .route("/logout", post(auth_pages::logout_submit))
        .route("/lang/{code}", get(auth_pages::switch_lang))
        .route("/static/app.css", get(assets::css))
        .route("/services", get(services::list).post(services::create))
        .route("/services/{id}", get(journey::show))
        .route("/services/{id}/cycle.yaml", get(journey::export_yaml))
        .route("/services/{id}/versions", get(journey::versions))
        .route("/services/{id}/priorities", get(analysis::priorities))
        .route("/services/{id}/ipa", get(analysis::ipa))
        .route("/services/{id}/report", get(report::report))
        .route(
            "/services/{id}/edit",
            get(editor::show).post(editor::submit),
        )
        .route("/sites", get(sites::list).post(sites::create))
        .route("/sites/{id}", post(sites::update))
        .route("/sites/{id}/edit", get(sites::edit_form))
        .route("/sites/{id}/deactivate", post(sites::deactivate))
        .route("/staff", get(staff::list).post(staff::create))
        .route("/staff/{id}", post(staff::update))
        .route("/staff/{id}/edit", get(staff::edit_form))
        .route("/staff/{id}/deactivate", post(staff::deactivate))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", post(users::update))
        .route("/users/{id}/edit", get(users::edit_form))
        .route("/audit", get(audit::list))
        .route("/audit.csv", get(audit::csv_export))
        .merge(evidence::router())
        .merge(surveys::router())
        .merge(portfolio::router())
        .merge(complaints::router())
        .merge(improvement::router())
        .merge(recognition::router())
        .layer(middleware::from_fn_with_state(state, csrf_guard))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}
