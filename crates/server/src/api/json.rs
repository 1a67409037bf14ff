//! A `Json` body extractor whose rejections are problem details that name the field.
//!
//! axum's own `Json` answers with plain text; [`ApiJson`] keeps its parsing (and the body size
//! limit) but turns every rejection into an [`AppError`]:
//! * no or wrong `Content-Type` → 415,
//! * body too large → 413,
//! * not JSON at all → 400 naming `body` with line and column,
//! * JSON of the wrong shape → 422 naming the field path serde reports (`moments[1].channel`).
use crate::error::AppError;
use axum::{
    Json,
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned};
use touchpoint_core::ValidationErrors;

/// For `#[serde(default, deserialize_with = "nullable")]` on an `Option<Option<T>>` field of
/// a patch: tells a field present with `null` (`Some(None)`: clear it) from an absent one
/// (`None`: keep it).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A JSON request body, or a problem response explaining what is wrong with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "Send the body as JSON with `Content-Type: application/json`.".into(),
        ),
        JsonRejection::JsonSyntaxError(e) => AppError::BadParameter {
            field: "body".into(),
            message: serde_message(&e.body_text()).1,
        },
        JsonRejection::JsonDataError(e) => {
            let (field, message) = serde_message(&e.body_text());
            AppError::Invalid(ValidationErrors::single(field, message))
        }
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge
        }
        other => AppError::BadRequest(other.body_text()),
    }
}

/// Split the text of a serde error (as axum words it) into the field it names and a message.
///
/// `Failed to deserialize …: moments[1]: missing field `name` at line 1 column 80` becomes
/// (`moments[1].name`, `missing field `name` (line 1, column 80)`).
pub(crate) fn serde_message(text: &str) -> (String, String) {
    let text = ["target type: ", "as JSON: ", "query string: "]
        .iter()
        .find_map(|prefix| text.split_once(prefix).map(|(_, rest)| rest))
        .unwrap_or(text);
    let (path, rest) = match text.split_once(": ") {
        Some((p, rest)) if is_serde_path(p) => (Some(p.to_string()), rest),
        _ => (None, text),
    };
    let (message, location) = match rest.rfind(" at line ") {
        Some(i) => (
            &rest[..i],
            Some(rest[i + " at line ".len()..].replace(" column ", ", column ")),
        ),
        None => (rest, None),
    };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    let field = match (path, missing) {
        (Some(p), Some(m)) => format!("{p}.{m}"),
        (Some(p), None) => p,
        (None, Some(m)) => m.to_string(),
        (None, None) => "body".to_string(),
    };
    let message = match location {
        Some(loc) => format!("{message} (line {loc})"),
        None => message.to_string(),
    };
    (field, message)
}

/// serde_path_to_error paths: `name`, `moments[1].key`, `?` for unknown parts; never spaces.
fn is_serde_path(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '?'))
}

#[cfg(test)]
mod tests {
    use super::serde_message;

    #[test]
    fn nested_paths_and_missing_fields_are_named() {
        let (f, m) = serde_message(
            "Failed to deserialize the JSON body into the target type: moments[1]: missing field `name` at line 1 column 80",
        );
        assert_eq!(f, "moments[1].name");
        assert_eq!(m, "missing field `name` (line 1, column 80)");
        let (f, _) = serde_message(
            "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 2",
        );
        assert_eq!(f, "name");
        let (f, m) = serde_message(
            "Failed to deserialize the JSON body into the target type: role: unknown variant `boss`, expected one of `admin` at line 1 column 20",
        );
        assert_eq!(f, "role");
        assert!(m.starts_with("unknown variant `boss`"));
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let (f, m) = serde_message(
            "Failed to deserialize query string: limit: invalid digit found in string",
        );
        assert_eq!(
            (f.as_str(), m.as_str()),
            ("limit", "invalid digit found in string")
        );
    }

    #[test]
    fn syntax_errors_without_a_path_name_the_body() {
        let (f, m) = serde_message(
            "Failed to parse the request body as JSON: expected value at line 1 column 1",
        );
        assert_eq!(f, "body");
        assert_eq!(m, "expected value (line 1, column 1)");
    }
}
