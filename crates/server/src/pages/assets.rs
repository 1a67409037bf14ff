//! The stylesheet, embedded in the binary and served with long-lived cache headers; its URL
//! carries a content hash so a new release is picked up at once.
use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const APP_CSS: &str = include_str!("../../static/app.css");

fn css_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hex::encode(&Sha256::digest(APP_CSS.as_bytes())[..6]))
}

/// The stylesheet URL with its content hash.
pub fn css_href() -> String {
    format!("/static/app.css?v={}", css_hash())
}

pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        APP_CSS,
    )
        .into_response()
}
