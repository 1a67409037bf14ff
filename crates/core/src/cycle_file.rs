//! The cycle as a file (YAML or JSON) so cycles can live in git and be reviewed.
//!
//! Export writes every field in full form, so export → import → export is lossless. Import also
//! accepts a standard in compact form (`"rings <= 3"`). Syntax errors name the line and column;
//! rule errors name the field path (`moments[2].key`).
use crate::{
    cycle::{CycleDraft, CycleVersion, MomentDraft, ValidCycle},
    error::ValidationErrors,
    service::{NewService, Service, ServiceFields},
    standard::ServiceStandard,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleDocument {
    pub service: ServiceSection,
    /// Version this file was exported from; informational, ignored on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub moments: Vec<MomentSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSection {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MomentSection {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub channel: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub standards: Vec<StandardEntry>,
}

/// A standard written in full, or compactly as `metric comparator threshold [unit]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StandardEntry {
    Full(ServiceStandard),
    Compact(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// JSON for `.json` files, YAML otherwise.
    pub fn from_path(path: &str) -> Self {
        if path.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CycleFileError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(ValidationErrors),
}

/// A parsed and validated file, ready to be written by a store.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCycle {
    pub service: ServiceFields,
    pub cycle: ValidCycle,
}

pub fn parse(text: &str, format: Format) -> Result<CycleDocument, CycleFileError> {
    match format {
        Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            CycleFileError::Syntax {
                line,
                column,
                message: strip_location(&e.to_string()),
            }
        }),
        Format::Json => serde_json::from_str(text).map_err(|e| CycleFileError::Syntax {
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string()),
        }),
    }
}

/// serde appends " at line X column Y"; we print the location ourselves.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

impl CycleDocument {
    /// Validate the service and the moments; every problem is reported with its field path.
    pub fn validate(&self) -> Result<ImportedCycle, CycleFileError> {
        let mut errors = ValidationErrors::new();
        let service = NewService {
            key: Some(self.service.key.clone()),
            name: self.service.name.clone(),
            description: self.service.description.clone(),
        }
        .validate()
        .map_err(|e| errors.extend(e.prefixed("service.")))
        .ok();
        let mut moments = Vec::with_capacity(self.moments.len());
        for (i, m) in self.moments.iter().enumerate() {
            let mut standards = Vec::with_capacity(m.standards.len());
            for (j, s) in m.standards.iter().enumerate() {
                match s {
                    StandardEntry::Full(s) => standards.push(s.clone()),
                    StandardEntry::Compact(text) => match text.parse() {
                        Ok(s) => standards.push(s),
                        Err(msg) => errors.push(format!("moments[{i}].standards[{j}]"), msg),
                    },
                }
            }
            moments.push(MomentDraft {
                key: m.key.clone(),
                name: m.name.clone(),
                description: m.description.clone(),
                channel: m.channel.clone(),
                role: m.role.clone(),
                critical: m.critical,
                standards,
            });
        }
        let cycle = CycleDraft {
            moments,
            note: self.note.clone(),
        }
        .validate()
        .map_err(|e| errors.extend(e))
        .ok();
        match (service, cycle) {
            (Some(service), Some(cycle)) if errors.is_empty() => {
                Ok(ImportedCycle { service, cycle })
            }
            _ => Err(CycleFileError::Invalid(errors)),
        }
    }

    /// The document for a service's published version.
    pub fn from_version(service: &Service, cycle: &CycleVersion) -> Self {
        CycleDocument {
            service: ServiceSection {
                key: service.key.clone(),
                name: service.name.clone(),
                description: service.description.clone(),
            },
            version: Some(cycle.version),
            note: cycle.note.clone(),
            moments: cycle
                .moments
                .iter()
                .map(|m| MomentSection {
                    key: m.key.clone(),
                    name: m.name.clone(),
                    description: m.description.clone(),
                    channel: m.channel.as_str().to_string(),
                    role: m.role.clone(),
                    critical: m.critical,
                    standards: m
                        .standards
                        .iter()
                        .cloned()
                        .map(StandardEntry::Full)
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn to_text(&self, format: Format) -> String {
        match format {
            Format::Yaml => serde_yaml::to_string(self).unwrap_or_default(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "service:\n  key: phone-support\n  name: Phone support\nmoments:\n  - key: answer\n    name: Call answered\n    channel: phone\n    critical: true\n    standards:\n      - rings <= 3\n      - metric: hold_seconds\n        comparator: \"<=\"\n        threshold: 17\n        unit: s\n  - key: resolve\n    name: Problem solved\n    channel: phone\n";

    #[test]
    fn compact_and_full_standards_are_accepted() {
        let imported = parse(GOOD, Format::Yaml).unwrap().validate().unwrap();
        assert_eq!(imported.service.key, "phone-support");
        let s = &imported.cycle.moments[0].standards;
        assert_eq!(s[0].to_string(), "rings <= 3");
        assert_eq!(s[1].to_string(), "hold_seconds <= 17 s");
    }

    #[test]
    fn yaml_syntax_error_names_the_line() {
        let broken = GOOD.replace(
            "    channel: phone\n    critical",
            "    channel: [phone\n    critical",
        );
        match parse(&broken, Format::Yaml) {
            Err(CycleFileError::Syntax { line, .. }) => assert!(line >= 7, "line {line}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_field_is_a_syntax_error_with_line() {
        let typo = GOOD.replace("    critical: true", "    critcal: true");
        let e = parse(&typo, Format::Yaml).unwrap_err().to_string();
        assert!(e.contains("line 8") && e.contains("critcal"), "{e}");
    }

    #[test]
    fn duplicate_key_and_missing_name_are_named() {
        let bad = GOOD
            .replace("key: resolve", "key: answer")
            .replace("name: Problem solved", "name: \"\"");
        let CycleFileError::Invalid(e) = parse(&bad, Format::Yaml).unwrap().validate().unwrap_err()
        else {
            panic!("expected validation errors");
        };
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["moments[1].key", "moments[1].name"]);
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = parse(
            "{\n  \"service\": {\"key\": \"a\", \"name\": \"A\"},\n  \"moments\": [,]\n}",
            Format::Json,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("line 3"), "{e}");
    }
}
