//! Service standards: measurable promises attached to a moment (`rings <= 3`).
use crate::{error::ValidationErrors, validate};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Comparator {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
}

impl Comparator {
    pub const ALL: [Comparator; 5] = [
        Comparator::Lt,
        Comparator::Le,
        Comparator::Eq,
        Comparator::Ge,
        Comparator::Gt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Eq => "=",
            Comparator::Ge => ">=",
            Comparator::Gt => ">",
        }
    }

    /// Whether an observed value meets a threshold under this comparator.
    pub fn holds(self, observed: f64, threshold: f64) -> bool {
        match self {
            Comparator::Lt => observed < threshold,
            Comparator::Le => observed <= threshold,
            Comparator::Eq => (observed - threshold).abs() < 1e-9,
            Comparator::Ge => observed >= threshold,
            Comparator::Gt => observed > threshold,
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Comparator {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "<" => Ok(Comparator::Lt),
            "<=" | "≤" => Ok(Comparator::Le),
            "=" | "==" => Ok(Comparator::Eq),
            ">=" | "≥" => Ok(Comparator::Ge),
            ">" => Ok(Comparator::Gt),
            other => Err(format!(
                "unknown comparator '{other}'; expected one of <, <=, =, >=, >"
            )),
        }
    }
}

/// A measurable promise: `metric comparator threshold unit`, e.g. `wait_minutes <= 10 min`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServiceStandard {
    /// Machine name of what is measured, e.g. `rings`, `hold_seconds`, `wait_minutes`.
    pub metric: String,
    pub comparator: Comparator,
    pub threshold: f64,
    /// Unit shown to people, e.g. `rings`, `s`, `min`, `days`.
    #[serde(default)]
    pub unit: String,
    /// Optional plain-language statement of the standard.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl ServiceStandard {
    /// Check and normalise one standard; field paths are relative (`metric`, `threshold`).
    pub fn validated(&self) -> Result<ServiceStandard, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let metric = self.metric.trim().to_string();
        if metric.is_empty() {
            errors.push("metric", "must not be empty");
        } else if !metric
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(
                "metric",
                "use lowercase letters, digits and '_' (e.g. hold_seconds)",
            );
        }
        if !self.threshold.is_finite() {
            errors.push("threshold", "must be a finite number");
        }
        let unit = self.unit.trim().to_string();
        if unit.chars().count() > 32 {
            errors.push("unit", "must be at most 32 characters");
        }
        let description = validate::text(&mut errors, "description", &self.description);
        errors.into_result(ServiceStandard {
            metric,
            comparator: self.comparator,
            threshold: self.threshold,
            unit,
            description,
        })
    }

    /// Whether an observed value meets this standard.
    pub fn is_met_by(&self, observed: f64) -> bool {
        self.comparator.holds(observed, self.threshold)
    }
}

impl fmt::Display for ServiceStandard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.metric,
            self.comparator,
            fmt_number(self.threshold)
        )?;
        if !self.unit.is_empty() {
            write!(f, " {}", self.unit)?;
        }
        Ok(())
    }
}

/// `3` rather than `3.0`, `2.5` as is.
pub fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl FromStr for ServiceStandard {
    type Err = String;
    /// Parse the compact form used in forms and files: `rings <= 3`, `hold_seconds <= 17 s`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() < 3 {
            return Err(format!(
                "'{}' is not a standard; write it as: metric comparator threshold [unit], e.g. rings <= 3",
                s.trim()
            ));
        }
        let comparator: Comparator = parts[1].parse()?;
        let threshold: f64 = parts[2]
            .parse()
            .map_err(|_| format!("threshold '{}' is not a number", parts[2]))?;
        Ok(ServiceStandard {
            metric: parts[0].to_string(),
            comparator,
            threshold,
            unit: parts[3..].join(" "),
            description: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_compact_form() {
        let s: ServiceStandard = "hold_seconds <= 17 s".parse().unwrap();
        assert_eq!(s.comparator, Comparator::Le);
        assert_eq!(s.threshold, 17.0);
        assert_eq!(s.to_string(), "hold_seconds <= 17 s");
        assert!(s.is_met_by(17.0));
        assert!(!s.is_met_by(18.0));
    }

    #[test]
    fn rejects_bad_comparator_and_threshold() {
        assert!(
            "rings ~ 3"
                .parse::<ServiceStandard>()
                .unwrap_err()
                .contains("comparator")
        );
        assert!(
            "rings <= three"
                .parse::<ServiceStandard>()
                .unwrap_err()
                .contains("number")
        );
        assert!("rings".parse::<ServiceStandard>().is_err());
    }

    #[test]
    fn validation_names_fields() {
        let s = ServiceStandard {
            metric: "Hold Time".into(),
            comparator: Comparator::Le,
            threshold: f64::NAN,
            unit: String::new(),
            description: String::new(),
        };
        let e = s.validated().unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.0[0].field, "metric");
        assert_eq!(e.0[1].field, "threshold");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(metric in "[a-z][a-z_]{0,12}", t in -1000i32..1000, ci in 0usize..5) {
            let s = ServiceStandard { metric, comparator: Comparator::ALL[ci], threshold: f64::from(t) / 4.0, unit: "min".into(), description: String::new() };
            let back: ServiceStandard = s.to_string().parse().unwrap();
            prop_assert_eq!(back, s);
        }
    }
}
