//! Touchpoint's HTTP layer: the JSON API under `/api/v1`, the server-rendered pages, and the
//! authentication that guards both. Handlers are thin: they extract, call the store or a core
//! function, and map the result to JSON or HTML.

pub mod api;
pub mod auth;
pub mod client_ip;
pub mod complaint_closing;
pub mod error;
pub mod feedback;
pub mod i18n;
pub mod improvement;
pub mod jobs;
pub mod notify;
pub mod pages;
pub mod portfolio;
pub mod public;
pub mod recognition;
pub mod report;
pub mod state;

pub use error::AppError;
pub use state::{AppState, ServerConfig};

use axum::{Router, extract::DefaultBodyLimit, routing::get};
use tower_http::limit::RequestBodyLimitLayer;

/// The whole application: API, pages and health check, with the shared limits applied.
pub fn app(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::router(state.clone()))
        .merge(pages::router(state.clone()))
        .merge(public::router(state.clone()))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(api::plain_errors_as_problems))
        .with_state(state)
}

/// Liveness: the process answers and the database responds.
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    state.store.ping().await?;
    Ok("ok")
}

/// Serve `app` on an already-bound listener until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
