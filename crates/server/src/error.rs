//! One error type for the API that becomes RFC 9457 problem details
//! (`application/problem+json`). 5xx are logged with detail and shown without it.
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use touchpoint_core::{FieldError, StoreError, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    #[error("{0}")]
    BadRequest(String),
    /// A malformed path or query parameter, or an unreadable body (`field` = `body`).
    #[error("{field}: {message}")]
    BadParameter { field: String, message: String },
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests,
    #[error("internal error: {0}")]
    Internal(String),
}

/// RFC 9457 problem details, with `errors` naming each bad field.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One entry per offending field, e.g. `{"field": "moments[2].key", "message": "..."}`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::single(field, message))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::BadRequest(_) | AppError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        let (kind, detail, errors) = match self {
            AppError::Unauthorized => (
                "unauthorized",
                "Send a valid API token as `Authorization: Bearer <token>`.".to_string(),
                vec![],
            ),
            AppError::Forbidden => (
                "forbidden",
                "Your role does not allow this action.".into(),
                vec![],
            ),
            AppError::NotFound(what) => {
                ("not-found", format!("The {what} does not exist."), vec![])
            }
            AppError::Invalid(e) => ("validation", e.to_string(), e.0.clone()),
            AppError::Conflict { field, message } => (
                "conflict",
                format!("{field}: {message}"),
                vec![FieldError::new(field.clone(), message.clone())],
            ),
            AppError::BadRequest(m) => ("bad-request", m.clone(), vec![]),
            AppError::BadParameter { field, message } => (
                "bad-request",
                format!("{field}: {message}"),
                vec![FieldError::new(field.clone(), message.clone())],
            ),
            AppError::UnsupportedMediaType(m) => ("unsupported-media-type", m.clone(), vec![]),
            AppError::PayloadTooLarge => (
                "payload-too-large",
                "The request body is larger than this server accepts.".into(),
                vec![],
            ),
            AppError::TooManyRequests => (
                "too-many-requests",
                "Slow down and try again later.".into(),
                vec![],
            ),
            AppError::Internal(_) => (
                "internal",
                "Something went wrong on our side; it has been logged.".into(),
                vec![],
            ),
        };
        Problem {
            kind: format!("https://touchpoint.dev/problems/{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity } => AppError::NotFound(entity.to_string()),
            StoreError::Conflict { field, message } => AppError::Conflict { field, message },
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::Backend(detail) => AppError::Internal(detail),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let status = self.status();
        let mut res = (status, axum::Json(self.problem())).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}
