//! Service cycles: the ordered moments of truth of one service, versioned.
//!
//! A cycle is never edited in place. Publishing a [`CycleDraft`] creates a new
//! [`CycleVersion`] whose moments are new rows; earlier versions and the feedback that points
//! at their moments stay as they were. A moment's `key` is what stays stable across versions.
use crate::{channel::Channel, error::ValidationErrors, standard::ServiceStandard, validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const MAX_MOMENTS: usize = 200;
pub const MAX_STANDARDS_PER_MOMENT: usize = 50;

/// A moment of truth as someone proposes it (from a form, the API or a file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MomentDraft {
    /// Stable key, unique in the cycle, kept across versions (e.g. `wait-turn`).
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// One of `in_person`, `phone`, `email`, `web`, `app`, `chat`, `mail`, `self_service`.
    pub channel: String,
    /// Who serves the customer here (role or department); empty when nobody does.
    #[serde(default)]
    pub role: String,
    /// A critical moment is one where a single failure can spoil the whole service.
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub standards: Vec<ServiceStandard>,
}

/// A whole proposed cycle; moment order is the order of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CycleDraft {
    pub moments: Vec<MomentDraft>,
    /// Why this version was published (shown in the version history).
    #[serde(default)]
    pub note: String,
}

/// A moment that passed validation: trimmed text, known channel, checked standards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidMoment {
    pub key: String,
    pub name: String,
    pub description: String,
    pub channel: Channel,
    pub role: String,
    pub critical: bool,
    pub standards: Vec<ServiceStandard>,
}

/// A cycle that passed validation and may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidCycle {
    pub moments: Vec<ValidMoment>,
    pub note: String,
}

impl MomentDraft {
    fn validated(&self) -> Result<ValidMoment, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = validate::key(&mut errors, "key", &self.key);
        let name = validate::name(&mut errors, "name", &self.name);
        let description = validate::text(&mut errors, "description", &self.description);
        let channel = match self.channel.parse::<Channel>() {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push("channel", e.to_string());
                None
            }
        };
        let role = self.role.trim().to_string();
        if role.chars().count() > validate::MAX_NAME {
            errors.push("role", "must be at most 200 characters");
        }
        if self.standards.len() > MAX_STANDARDS_PER_MOMENT {
            errors.push(
                "standards",
                format!("at most {MAX_STANDARDS_PER_MOMENT} standards per moment"),
            );
        }
        let mut standards = Vec::with_capacity(self.standards.len());
        for (i, s) in self.standards.iter().enumerate() {
            match s.validated() {
                Ok(s) => standards.push(s),
                Err(e) => errors.extend(e.prefixed(&format!("standards[{i}]."))),
            }
        }
        match channel {
            Some(channel) if errors.is_empty() => Ok(ValidMoment {
                key,
                name,
                description,
                channel,
                role,
                critical: self.critical,
                standards,
            }),
            _ => Err(errors),
        }
    }
}

impl CycleDraft {
    /// Check the whole cycle; every problem is reported with its path (`moments[2].key`).
    pub fn validate(&self) -> Result<ValidCycle, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.moments.is_empty() {
            errors.push("moments", "a cycle needs at least one moment of truth");
        }
        if self.moments.len() > MAX_MOMENTS {
            errors.push(
                "moments",
                format!("at most {MAX_MOMENTS} moments per cycle"),
            );
        }
        let note = validate::text(&mut errors, "note", &self.note);
        let mut seen = HashSet::new();
        let mut moments = Vec::with_capacity(self.moments.len());
        for (i, m) in self.moments.iter().enumerate() {
            let prefix = format!("moments[{i}].");
            let trimmed = m.key.trim();
            if !trimmed.is_empty() && !seen.insert(trimmed.to_string()) {
                errors.push(
                    format!("{prefix}key"),
                    format!("duplicate moment key '{trimmed}'; keys must be unique in a cycle"),
                );
            }
            match m.validated() {
                Ok(v) => moments.push(v),
                Err(e) => errors.extend(e.prefixed(&prefix)),
            }
        }
        errors.into_result(ValidCycle { moments, note })
    }
}

/// A moment of truth as stored in one published version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Moment {
    /// Row id of this moment in this version; feedback points here.
    pub id: i64,
    pub key: String,
    /// 1-based order in the cycle.
    pub position: i32,
    pub name: String,
    pub description: String,
    pub channel: Channel,
    pub role: String,
    pub critical: bool,
    pub standards: Vec<ServiceStandard>,
}

/// One published version of a service's cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CycleVersion {
    pub id: i64,
    pub service_id: i64,
    /// 1 for the first published cycle, then 2, 3…
    pub version: i32,
    pub note: String,
    pub published_at: DateTime<Utc>,
    /// Who published it (user email, or `cli`/`demo` for tooling).
    pub published_by: String,
    pub moments: Vec<Moment>,
}

impl CycleVersion {
    pub fn critical_count(&self) -> usize {
        self.moments.iter().filter(|m| m.critical).count()
    }

    /// Turn this version back into a draft (the starting point of an edit).
    pub fn to_draft(&self) -> CycleDraft {
        CycleDraft {
            moments: self
                .moments
                .iter()
                .map(|m| MomentDraft {
                    key: m.key.clone(),
                    name: m.name.clone(),
                    description: m.description.clone(),
                    channel: m.channel.as_str().to_string(),
                    role: m.role.clone(),
                    critical: m.critical,
                    standards: m.standards.clone(),
                })
                .collect(),
            note: String::new(),
        }
    }
}

/// A line of the version history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CycleVersionSummary {
    pub version: i32,
    pub note: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
    pub moment_count: i64,
    pub critical_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(key: &str) -> MomentDraft {
        MomentDraft {
            key: key.into(),
            name: format!("Moment {key}"),
            description: String::new(),
            channel: "in_person".into(),
            role: "Teller".into(),
            critical: false,
            standards: vec!["wait_minutes <= 10 min".parse().unwrap()],
        }
    }

    #[test]
    fn a_cycle_with_no_moments_is_rejected() {
        let e = CycleDraft {
            moments: vec![],
            note: String::new(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.first_field(), Some("moments"));
    }

    #[test]
    fn duplicate_keys_are_named_with_their_position() {
        let e = CycleDraft {
            moments: vec![moment("a"), moment("b"), moment("a")],
            note: String::new(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "moments[2].key");
        assert!(e.0[0].message.contains("duplicate"));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut bad = moment("ok");
        bad.name = "  ".into();
        bad.channel = "fax".into();
        bad.standards[0].metric = String::new();
        let e = CycleDraft {
            moments: vec![moment("x"), bad],
            note: String::new(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "moments[1].name",
                "moments[1].channel",
                "moments[1].standards[0].metric"
            ]
        );
    }

    #[test]
    fn valid_cycle_is_trimmed_and_keeps_order() {
        let mut m = moment("first");
        m.name = "  Enter the bank ".into();
        let v = CycleDraft {
            moments: vec![m, moment("second")],
            note: " redesign ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(v.moments[0].name, "Enter the bank");
        assert_eq!(v.moments[1].key, "second");
        assert_eq!(v.note, "redesign");
    }
}
