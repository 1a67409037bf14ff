//! The decision-analysis rows of the route × role table (see `api_access.rs`): every role may
//! read them, like the scorecard they build on.
use super::{ALL, Body, Op, op};
use reqwest::Method;

pub fn table() -> Vec<Op> {
    [
        "/api/v1/services/{id}/gaps",
        "/api/v1/services/{id}/ipa",
        "/api/v1/services/{id}/consistency",
        "/api/v1/services/{id}/priorities",
        "/api/v1/services/{id}/report",
    ]
    .into_iter()
    .map(|path| op(Method::GET, path, ALL, Body::None))
    .collect()
}
