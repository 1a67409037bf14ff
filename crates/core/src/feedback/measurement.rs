//! Measurements: observed values of a standard's metric (rings, hold seconds, wait minutes…)
//! at a site and time, each judged against the standard it measures.
//!
//! A moment may hold several standards on the same metric (a wait of at least 1 and at most
//! 10 minutes); a measurement is then judged against each, and is met only when all are met.
use super::timestamp::parse_timestamp;
use crate::{cycle::CycleVersion, error::ValidationErrors, standard::ServiceStandard, validate};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Clock skew tolerated for measurements sent by devices.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// A measurement as sent by the API or read from `touchpoint import measurements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeasurementDraft {
    pub moment_key: String,
    /// The standard's metric, e.g. `rings`.
    pub metric: String,
    pub site_key: String,
    pub observed_at: DateTime<Utc>,
    pub value: f64,
}

/// The verdict of one standard on one observed value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Judgement {
    pub standard: ServiceStandard,
    pub met: bool,
}

/// A checked measurement with its verdicts; `moment_id` is the moment's row in the cycle
/// version it was judged against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JudgedMeasurement {
    pub moment_id: i64,
    pub moment_key: String,
    pub metric: String,
    pub site_key: String,
    pub observed_at: DateTime<Utc>,
    pub value: f64,
    pub judgements: Vec<Judgement>,
}

impl JudgedMeasurement {
    /// Met when every standard on the metric is met.
    pub fn met(&self) -> bool {
        self.judgements.iter().all(|j| j.met)
    }
}

impl MeasurementDraft {
    /// Build a draft from text cells (as in a CSV file); errors name the field.
    pub fn from_cells(
        moment_key: &str,
        metric: &str,
        site_key: &str,
        observed_at: &str,
        value: &str,
    ) -> Result<MeasurementDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let observed_at = parse_timestamp(observed_at)
            .map_err(|e| errors.push("observed_at", e))
            .ok();
        let value = value
            .trim()
            .parse::<f64>()
            .map_err(|_| errors.push("value", format!("'{}' is not a number", value.trim())))
            .ok();
        match (observed_at, value) {
            (Some(observed_at), Some(value)) if errors.is_empty() => Ok(MeasurementDraft {
                moment_key: moment_key.trim().to_string(),
                metric: metric.trim().to_string(),
                site_key: site_key.trim().to_string(),
                observed_at,
                value,
            }),
            _ => Err(errors),
        }
    }

    /// Judge against the moment's standards for the metric in `cycle` (the current version).
    pub fn judge(
        &self,
        cycle: &CycleVersion,
        now: DateTime<Utc>,
    ) -> Result<JudgedMeasurement, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let site_key = validate::key(&mut errors, "site_key", &self.site_key);
        if !self.value.is_finite() {
            errors.push("value", "must be a finite number");
        }
        if self.observed_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
            errors.push("observed_at", "a measurement cannot be dated in the future");
        }
        let key = self.moment_key.trim();
        let metric = self.metric.trim();
        let Some(moment) = cycle.moments.iter().find(|m| m.key == key) else {
            errors.push(
                "moment_key",
                format!("the service's cycle has no moment '{key}'"),
            );
            return Err(errors);
        };
        let judgements: Vec<Judgement> = moment
            .standards
            .iter()
            .filter(|s| s.metric == metric)
            .map(|s| Judgement {
                standard: s.clone(),
                met: s.is_met_by(self.value),
            })
            .collect();
        if judgements.is_empty() {
            let known: Vec<&str> = moment.standards.iter().map(|s| s.metric.as_str()).collect();
            let hint = if known.is_empty() {
                "it has no standards".to_string()
            } else {
                format!("its metrics are: {}", known.join(", "))
            };
            errors.push(
                "metric",
                format!("moment '{key}' has no standard on '{metric}'; {hint}"),
            );
        }
        errors.into_result(JudgedMeasurement {
            moment_id: moment.id,
            moment_key: key.to_string(),
            metric: metric.to_string(),
            site_key,
            observed_at: self.observed_at,
            value: self.value,
            judgements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::fixtures::{at, bank_cycle};

    fn draft(moment: &str, metric: &str, value: f64) -> MeasurementDraft {
        MeasurementDraft {
            moment_key: moment.into(),
            metric: metric.into(),
            site_key: "centro".into(),
            observed_at: at(2026, 4, 2, 9, 30),
            value,
        }
    }

    fn now() -> DateTime<Utc> {
        at(2026, 4, 3, 0, 0)
    }

    #[test]
    fn a_fourth_ring_breaks_the_standard() {
        let cycle = bank_cycle();
        let third = draft("call-branch", "rings", 3.0)
            .judge(&cycle, now())
            .unwrap();
        assert!(third.met());
        assert_eq!(third.moment_id, 1);
        let fourth = draft("call-branch", "rings", 4.0)
            .judge(&cycle, now())
            .unwrap();
        assert!(!fourth.met());
        assert_eq!(fourth.judgements[0].standard.to_string(), "rings <= 3");
    }

    #[test]
    fn every_standard_on_the_metric_is_applied() {
        let mut cycle = bank_cycle();
        cycle.moments[2]
            .standards
            .push("wait_minutes >= 1 min".parse().unwrap());
        let j = draft("wait-turn", "wait_minutes", 0.5)
            .judge(&cycle, now())
            .unwrap();
        let verdicts: Vec<bool> = j.judgements.iter().map(|j| j.met).collect();
        assert_eq!(verdicts, [true, false]);
        assert!(!j.met());
    }

    #[test]
    fn a_metric_without_a_standard_is_an_error_listing_the_metrics() {
        let e = draft("call-branch", "wait_minutes", 3.0)
            .judge(&bank_cycle(), now())
            .unwrap_err();
        assert_eq!(e.first_field(), Some("metric"));
        assert!(e.0[0].message.contains("rings, hold_seconds"), "{e}");
        let none = draft("take-number", "rings", 1.0)
            .judge(&bank_cycle(), now())
            .unwrap_err();
        assert!(none.0[0].message.contains("no standards"));
    }

    #[test]
    fn unknown_moment_bad_value_and_future_dates_are_refused() {
        let e = draft("lunch", "rings", 1.0)
            .judge(&bank_cycle(), now())
            .unwrap_err();
        assert_eq!(e.first_field(), Some("moment_key"));
        let mut d = draft("call-branch", "rings", f64::NAN);
        d.observed_at = at(2026, 5, 1, 0, 0);
        d.site_key = "Centro Branch".into();
        let e = d.judge(&bank_cycle(), now()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["site_key", "value", "observed_at"]);
    }

    #[test]
    fn cells_are_parsed_with_field_errors() {
        let d = MeasurementDraft::from_cells(
            " call-branch",
            "rings",
            "centro",
            "2026-04-02 09:30:00",
            " 4 ",
        )
        .unwrap();
        assert_eq!(d, draft("call-branch", "rings", 4.0));
        let e = MeasurementDraft::from_cells("a", "b", "c", "yesterday", "four").unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["observed_at", "value"]);
    }
}
