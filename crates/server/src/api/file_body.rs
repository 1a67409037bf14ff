//! The body of a file import (`POST /cycles/import`, `POST /surveys/import`): YAML or JSON by
//! `Content-Type`, UTF-8 text, within the body limit.
use crate::{error::AppError, state::AppState};
use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{HeaderMap, StatusCode, header},
};
use touchpoint_core::cycle_file::Format;

/// The uploaded text and its format; `what` names the file in the 415 message ("cycle").
pub async fn read_file(
    state: &AppState,
    headers: &HeaderMap,
    req: Request,
    what: &str,
) -> Result<(String, Format), AppError> {
    let format = file_format(headers, what)?;
    let body = Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(e.body_text())
        }
    })?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::invalid("body", "the file must be UTF-8 text"))?;
    Ok((text, format))
}

/// JSON for `application/json` (or `+json`), YAML for the YAML media types; 415 otherwise.
fn file_format(headers: &HeaderMap, what: &str) -> Result<Format, AppError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match essence.as_str() {
        "application/json" => Ok(Format::Json),
        e if e.ends_with("+json") => Ok(Format::Json),
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => Ok(Format::Yaml),
        _ => Err(AppError::UnsupportedMediaType(format!(
            "Send the {what} file with `Content-Type: application/yaml` or `application/json`."
        ))),
    }
}
