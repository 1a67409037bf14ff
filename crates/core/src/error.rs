//! Errors shared by the domain and the stores.
use serde::Serialize;
use std::fmt;

/// One problem with one input field, named by its path (`moments[2].key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the offending field, e.g. `name` or `moments[3].standards[0].threshold`.
    pub field: String,
    /// What is wrong, in plain English.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every problem found while validating one input; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(value)` when nothing was pushed, otherwise `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
    /// Prefix every field path (used when validating a nested part).
    pub fn prefixed(self, prefix: &str) -> Self {
        Self(
            self.0
                .into_iter()
                .map(|e| FieldError::new(format!("{prefix}{}", e.field), e.message))
                .collect(),
        )
    }
    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }
    pub fn first_field(&self) -> Option<&str> {
        self.0.first().map(|e| e.field.as_str())
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// What a store can answer instead of a value.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The entity (e.g. `service`) with that identifier does not exist.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// A uniqueness rule was broken; `field` names the input field that clashed.
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// The input broke a domain rule.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The database failed; the detail is for logs, never for users.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn not_found(entity: &'static str) -> Self {
        Self::NotFound { entity }
    }
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }
    pub fn backend(e: impl fmt::Display) -> Self {
        Self::Backend(e.to_string())
    }
}

impl From<ValidationErrors> for StoreError {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
