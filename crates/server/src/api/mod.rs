//! The JSON API under `/api/v1`, documented by the OpenAPI document it serves.
use crate::state::AppState;
use axum::Router;

pub fn router(_state: AppState) -> Router<AppState> {
    Router::new()
}
