//! Compliments: positive feedback about a moment of truth and/or a staff member.
//!
//! Rules: a compliment names a moment or a staff member (or both) — otherwise it cannot feed
//! recognition or show which moment works well. Moment keys are unique only within a service,
//! so a moment needs its `service_key`, and must exist in that service's current cycle (the
//! caller passes it). The text is required; the date may not be in the future.
use crate::{channel::Channel, cycle::CycleVersion, error::ValidationErrors, validate};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplimentDraft {
    /// The service whose moment is praised; needed with `moment_key`.
    #[serde(default)]
    pub service_key: Option<String>,
    #[serde(default)]
    pub moment_key: Option<String>,
    #[serde(default)]
    pub staff_id: Option<i64>,
    #[serde(default)]
    pub site_id: Option<i64>,
    /// Who paid the compliment (name or customer reference), when known.
    #[serde(default)]
    pub customer: Option<String>,
    pub text: String,
    pub received_at: DateTime<Utc>,
    /// How it was received: `in_person`, `phone`, `email`, `web`, `app`, `chat`, `mail`,
    /// `self_service`.
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidCompliment {
    pub service_key: Option<String>,
    /// The moment's row in the cycle version it was checked against.
    pub moment_id: Option<i64>,
    pub moment_key: Option<String>,
    pub staff_id: Option<i64>,
    pub site_id: Option<i64>,
    pub customer: Option<String>,
    pub text: String,
    pub received_at: DateTime<Utc>,
    pub channel: Channel,
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl ComplimentDraft {
    /// Check the compliment; `cycle` is the current cycle of `service_key`'s service, if any.
    pub fn validate(
        &self,
        cycle: Option<&CycleVersion>,
        now: DateTime<Utc>,
    ) -> Result<ValidCompliment, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let service_key =
            trimmed(&self.service_key).map(|k| validate::key(&mut errors, "service_key", &k));
        let moment_key = trimmed(&self.moment_key);
        if moment_key.is_none() && self.staff_id.is_none() {
            errors.push(
                "moment_key",
                "say which moment of truth or which staff member the compliment is about",
            );
        }
        let mut moment_id = None;
        if let Some(key) = &moment_key {
            match (&service_key, cycle) {
                (None, _) => errors.push("service_key", "name the service this moment belongs to"),
                (Some(_), None) => errors.push(
                    "moment_key",
                    "the service has no published cycle, so it has no moments yet",
                ),
                (Some(_), Some(cycle)) => match cycle.moments.iter().find(|m| &m.key == key) {
                    Some(m) => moment_id = Some(m.id),
                    None => errors.push(
                        "moment_key",
                        format!("the service's cycle has no moment '{key}'"),
                    ),
                },
            }
        }
        for (field, id) in [("staff_id", self.staff_id), ("site_id", self.site_id)] {
            if id.is_some_and(|id| id <= 0) {
                errors.push(field, "not a valid id");
            }
        }
        let customer = trimmed(&self.customer);
        if customer
            .as_ref()
            .is_some_and(|c| c.chars().count() > validate::MAX_NAME)
        {
            errors.push(
                "customer",
                format!("must be at most {} characters", validate::MAX_NAME),
            );
        }
        let text = validate::text(&mut errors, "text", &self.text);
        if text.is_empty() {
            errors.push("text", "write what the customer said");
        }
        if self.received_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
            errors.push("received_at", "a compliment cannot be dated in the future");
        }
        let channel = self
            .channel
            .parse::<Channel>()
            .map_err(|e| errors.push("channel", e.to_string()))
            .ok();
        match channel {
            Some(channel) if errors.is_empty() => Ok(ValidCompliment {
                service_key,
                moment_id,
                moment_key,
                staff_id: self.staff_id,
                site_id: self.site_id,
                customer,
                text,
                received_at: self.received_at,
                channel,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::fixtures::{at, bank_cycle};

    fn draft() -> ComplimentDraft {
        ComplimentDraft {
            service_key: Some("cash-a-cheque".into()),
            moment_key: Some("paid".into()),
            staff_id: Some(12),
            site_id: Some(1),
            customer: Some("  Marta Gómez ".into()),
            text: " The cashier counted the notes with me, very kind. ".into(),
            received_at: at(2026, 4, 2, 16, 0),
            channel: "email".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        at(2026, 4, 3, 0, 0)
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn a_compliment_about_a_moment_and_a_cashier_is_accepted() {
        let c = draft().validate(Some(&bank_cycle()), now()).unwrap();
        assert_eq!(c.moment_id, Some(4));
        assert_eq!(c.customer.as_deref(), Some("Marta Gómez"));
        assert_eq!(c.channel, Channel::Email);
        assert!(c.text.starts_with("The cashier"));
    }

    #[test]
    fn a_staff_member_alone_is_enough() {
        let mut d = draft();
        d.moment_key = None;
        d.service_key = None;
        assert!(d.validate(None, now()).is_ok());
    }

    #[test]
    fn neither_moment_nor_staff_is_refused() {
        let mut d = draft();
        d.moment_key = Some("  ".into());
        d.staff_id = None;
        let e = d.validate(Some(&bank_cycle()), now()).unwrap_err();
        assert_eq!(fields(&e), ["moment_key"]);
    }

    #[test]
    fn a_moment_needs_its_service_and_must_exist() {
        let mut d = draft();
        d.service_key = None;
        assert_eq!(
            fields(&d.validate(None, now()).unwrap_err()),
            ["service_key"]
        );
        let mut d = draft();
        d.moment_key = Some("lunch".into());
        let e = d.validate(Some(&bank_cycle()), now()).unwrap_err();
        assert!(e.0[0].message.contains("no moment 'lunch'"));
        assert_eq!(
            fields(&draft().validate(None, now()).unwrap_err()),
            ["moment_key"]
        );
    }

    #[test]
    fn text_date_channel_and_ids_are_checked() {
        let mut d = draft();
        d.text = "   ".into();
        d.received_at = at(2026, 6, 1, 0, 0);
        d.channel = "pigeon".into();
        d.site_id = Some(0);
        let e = d.validate(Some(&bank_cycle()), now()).unwrap_err();
        assert_eq!(fields(&e), ["site_id", "text", "received_at", "channel"]);
    }
}
