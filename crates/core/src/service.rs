//! Services: what the organization offers; each has one current cycle and its history.
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Service {
    pub id: i64,
    /// Stable, URL- and file-friendly identifier (e.g. `cash-a-cheque`).
    pub key: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Version number of the current cycle; `None` until one is published.
    pub current_version: Option<i32>,
    pub moment_count: i64,
    pub critical_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewService {
    /// Optional; derived from the name when absent.
    #[serde(default)]
    pub key: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServicePatch {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A service's fields after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceFields {
    pub key: String,
    pub name: String,
    pub description: String,
}

impl NewService {
    pub fn validate(&self) -> Result<ServiceFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = validate::name(&mut errors, "name", &self.name);
        let key = match &self.key {
            Some(k) if !k.trim().is_empty() => validate::key(&mut errors, "key", k),
            _ => validate::slugify(&name),
        };
        let description = validate::text(&mut errors, "description", &self.description);
        errors.into_result(ServiceFields {
            key,
            name,
            description,
        })
    }
}

impl ServicePatch {
    /// Apply onto the current fields and validate the result.
    pub fn apply(&self, current: &Service) -> Result<ServiceFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = match &self.key {
            Some(k) => validate::key(&mut errors, "key", k),
            None => current.key.clone(),
        };
        let name = match &self.name {
            Some(n) => validate::name(&mut errors, "name", n),
            None => current.name.clone(),
        };
        let description = match &self.description {
            Some(d) => validate::text(&mut errors, "description", d),
            None => current.description.clone(),
        };
        errors.into_result(ServiceFields {
            key,
            name,
            description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_derived_from_name_when_absent() {
        let f = NewService {
            key: None,
            name: "Hotel check-in".into(),
            description: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(f.key, "hotel-check-in");
    }

    #[test]
    fn empty_name_is_named() {
        let e = NewService {
            key: Some("BAD KEY".into()),
            name: " ".into(),
            description: String::new(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "key"]);
    }
}
