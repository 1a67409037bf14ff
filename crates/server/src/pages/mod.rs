//! Server-rendered pages in English and Spanish.
use crate::{auth::csrf::csrf_guard, state::AppState};
use axum::{Router, middleware};

pub fn router(state: AppState) -> Router<AppState> {
    Router::new().layer(middleware::from_fn_with_state(state, csrf_guard))
}
