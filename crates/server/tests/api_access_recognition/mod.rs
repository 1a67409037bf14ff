//! The staff-recognition rows of the route × role table (see `api_access.rs`): every role reads
//! the ranking, the settings and a service's employee voice; only admins and managers change
//! the settings.
use super::{ALL, Body, CATALOG, Op, op};
use reqwest::Method;
use serde_json::to_value;
use touchpoint_core::recognition::RecognitionSettings;

pub fn table() -> Vec<Op> {
    let settings = to_value(RecognitionSettings::default()).expect("settings as JSON");
    vec![
        op(Method::GET, "/api/v1/recognition", ALL, Body::None),
        op(
            Method::GET,
            "/api/v1/services/{id}/employee-voice",
            ALL,
            Body::None,
        ),
        op(Method::GET, "/api/v1/recognition/settings", ALL, Body::None),
        op(
            Method::PUT,
            "/api/v1/recognition/settings",
            CATALOG,
            Body::Json(settings),
        ),
    ]
}
