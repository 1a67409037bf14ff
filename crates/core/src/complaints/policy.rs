//! Response-time policies per severity and channel, and the promises they create.
//!
//! A policy says how long the organisation gives itself to acknowledge a complaint, to give a
//! first real response, at most between two updates, and to resolve it. Each duration that is
//! set becomes a promise on the complaint when it is received, counted in the site's business
//! time (or wall-clock time when `business_time` is off, e.g. for critical cases).
use super::{calendar::BusinessCalendar, complaint::Severity, promise::PromiseKind};
use crate::{channel::Channel, error::ValidationErrors};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Longest duration a policy may set: one year.
pub const MAX_MINUTES: i64 = 366 * 24 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PolicyInput {
    pub severity: String,
    /// A channel, or `None` for the policy used when no channel-specific one exists.
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub acknowledge_minutes: Option<i64>,
    #[serde(default)]
    pub first_response_minutes: Option<i64>,
    #[serde(default)]
    pub update_minutes: Option<i64>,
    #[serde(default)]
    pub resolve_minutes: Option<i64>,
    #[serde(default = "yes")]
    pub business_time: bool,
    /// Key of the survey that asks the customer how satisfied they are with the resolution:
    /// closing a complaint under this policy sends them a personal invitation to it.
    #[serde(default)]
    pub resolution_survey_key: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidPolicy {
    pub severity: Severity,
    pub channel: Option<Channel>,
    pub acknowledge_minutes: Option<i64>,
    pub first_response_minutes: Option<i64>,
    pub update_minutes: Option<i64>,
    pub resolve_minutes: Option<i64>,
    pub business_time: bool,
    #[serde(default)]
    pub resolution_survey_key: Option<String>,
}

/// A stored policy; unique per (severity, channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResponsePolicy {
    pub id: i64,
    #[serde(flatten)]
    pub policy: ValidPolicy,
}

impl PolicyInput {
    pub fn validate(&self) -> Result<ValidPolicy, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let severity = self
            .severity
            .parse::<Severity>()
            .map_err(|e| errors.push("severity", e))
            .ok();
        let channel = match self.channel.as_deref().map(str::trim) {
            None | Some("") | Some("any") => None,
            Some(c) => c
                .parse::<Channel>()
                .map_err(|e| errors.push("channel", e.to_string()))
                .ok(),
        };
        let durations = [
            ("acknowledge_minutes", self.acknowledge_minutes),
            ("first_response_minutes", self.first_response_minutes),
            ("update_minutes", self.update_minutes),
            ("resolve_minutes", self.resolve_minutes),
        ];
        for (field, v) in durations {
            if v.is_some_and(|v| !(1..=MAX_MINUTES).contains(&v)) {
                errors.push(
                    field,
                    format!("must be between 1 and {MAX_MINUTES} minutes"),
                );
            }
        }
        if durations.iter().all(|(_, v)| v.is_none()) {
            errors.push("acknowledge_minutes", "set at least one time limit");
        }
        let resolution_survey_key = match self.resolution_survey_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(k) => Some(crate::validate::key(
                &mut errors,
                "resolution_survey_key",
                k,
            )),
        };
        match severity {
            Some(severity) if errors.is_empty() => Ok(ValidPolicy {
                severity,
                channel,
                acknowledge_minutes: self.acknowledge_minutes,
                first_response_minutes: self.first_response_minutes,
                update_minutes: self.update_minutes,
                resolve_minutes: self.resolve_minutes,
                business_time: self.business_time,
                resolution_survey_key,
            }),
            _ => Err(errors),
        }
    }
}

impl ValidPolicy {
    /// `minutes` after `from`, in business time when the policy says so and a calendar exists.
    pub fn deadline(
        &self,
        from: DateTime<Utc>,
        minutes: i64,
        calendar: Option<&BusinessCalendar>,
    ) -> DateTime<Utc> {
        let d = Duration::minutes(minutes);
        match calendar {
            Some(cal) if self.business_time => cal.add_business_time(from, d),
            _ => from + d,
        }
    }

    /// The next "we will update you" promise after an update at `at`, if the policy sets one.
    pub fn next_update(
        &self,
        at: DateTime<Utc>,
        calendar: Option<&BusinessCalendar>,
    ) -> Option<PlannedPromise> {
        self.update_minutes.map(|m| PlannedPromise {
            kind: PromiseKind::Update,
            description: describe(PromiseKind::Update, m),
            due_at: self.deadline(at, m, calendar),
        })
    }
}

/// The policy for a complaint: the one for its severity and channel, else its severity's
/// channel-less one.
pub fn policy_for(
    policies: &[ResponsePolicy],
    severity: Severity,
    channel: Channel,
) -> Option<&ValidPolicy> {
    let of = |c: Option<Channel>| {
        policies
            .iter()
            .map(|p| &p.policy)
            .find(|p| p.severity == severity && p.channel == c)
    };
    of(Some(channel)).or_else(|| of(None))
}

/// A promise a policy makes, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPromise {
    pub kind: PromiseKind,
    pub description: String,
    pub due_at: DateTime<Utc>,
}

fn describe(kind: PromiseKind, minutes: i64) -> String {
    let span = if minutes % (24 * 60) == 0 {
        format!("{} day(s)", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("{} hour(s)", minutes / 60)
    } else {
        format!("{minutes} minute(s)")
    };
    match kind {
        PromiseKind::Acknowledge => format!("Acknowledge the complaint within {span}"),
        PromiseKind::FirstResponse => format!("Give a first response within {span}"),
        PromiseKind::Update => format!("Update the customer at least every {span}"),
        PromiseKind::Resolve => format!("Resolve the complaint within {span}"),
        PromiseKind::Callback | PromiseKind::Custom => format!("Within {span}"),
    }
}

/// The promises `policy` makes for a complaint received at `received_at`, in the order
/// acknowledge, first response, first update, resolve (only those the policy sets).
pub fn promises_for(
    policy: &ValidPolicy,
    received_at: DateTime<Utc>,
    calendar: Option<&BusinessCalendar>,
) -> Vec<PlannedPromise> {
    [
        (PromiseKind::Acknowledge, policy.acknowledge_minutes),
        (PromiseKind::FirstResponse, policy.first_response_minutes),
        (PromiseKind::Update, policy.update_minutes),
        (PromiseKind::Resolve, policy.resolve_minutes),
    ]
    .into_iter()
    .filter_map(|(kind, m)| {
        m.map(|m| PlannedPromise {
            kind,
            description: describe(kind, m),
            due_at: policy.deadline(received_at, m, calendar),
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn input() -> PolicyInput {
        PolicyInput {
            severity: "high".into(),
            channel: Some("phone".into()),
            acknowledge_minutes: Some(60),
            first_response_minutes: Some(8 * 60),
            update_minutes: Some(48 * 60),
            resolve_minutes: Some(3 * 24 * 60),
            business_time: true,
            resolution_survey_key: None,
        }
    }

    #[test]
    fn a_resolution_survey_is_named_by_its_key() {
        let mut input = PolicyInput {
            severity: "low".into(),
            channel: None,
            acknowledge_minutes: Some(60),
            first_response_minutes: None,
            update_minutes: None,
            resolve_minutes: None,
            business_time: true,
            resolution_survey_key: Some(" resolution-csat ".into()),
        };
        let p = input.validate().unwrap();
        assert_eq!(p.resolution_survey_key.as_deref(), Some("resolution-csat"));
        input.resolution_survey_key = Some("Not A Key".into());
        let e = input.validate().unwrap_err();
        assert_eq!(e.first_field(), Some("resolution_survey_key"));
        input.resolution_survey_key = Some("  ".into());
        assert_eq!(input.validate().unwrap().resolution_survey_key, None);
    }

    #[test]
    fn policies_validate_every_field() {
        let p = input().validate().unwrap();
        assert_eq!(p.channel, Some(Channel::Phone));
        let mut bad = input();
        bad.severity = "meh".into();
        bad.channel = Some("fax".into());
        bad.update_minutes = Some(0);
        let e = bad.validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["severity", "channel", "update_minutes"]);
        let none = PolicyInput {
            acknowledge_minutes: None,
            first_response_minutes: None,
            update_minutes: None,
            resolve_minutes: None,
            channel: Some("any".into()),
            ..input()
        };
        assert_eq!(none.validate().unwrap_err().0.len(), 1);
    }

    #[test]
    fn promises_follow_the_business_calendar() {
        let policy = input().validate().unwrap();
        let cal = BusinessCalendar::weekdays(0, 9, 17);
        // Friday 2026-03-06 16:30 UTC.
        let received = Utc.with_ymd_and_hms(2026, 3, 6, 16, 30, 0).unwrap();
        let p = promises_for(&policy, received, Some(&cal));
        let kinds: Vec<PromiseKind> = p.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                PromiseKind::Acknowledge,
                PromiseKind::FirstResponse,
                PromiseKind::Update,
                PromiseKind::Resolve
            ]
        );
        // 30 minutes on Friday, 30 on Monday.
        assert_eq!(
            p[0].due_at,
            Utc.with_ymd_and_hms(2026, 3, 9, 9, 30, 0).unwrap()
        );
        assert_eq!(
            p[0].description,
            "Acknowledge the complaint within 1 hour(s)"
        );
        let wall = ValidPolicy {
            business_time: false,
            ..policy
        };
        assert_eq!(
            promises_for(&wall, received, Some(&cal))[0].due_at,
            received + Duration::hours(1)
        );
    }

    #[test]
    fn the_channel_policy_wins_over_the_default() {
        let specific = input().validate().unwrap();
        let default = ValidPolicy {
            channel: None,
            acknowledge_minutes: Some(5),
            ..specific.clone()
        };
        let stored = [
            ResponsePolicy {
                id: 1,
                policy: default.clone(),
            },
            ResponsePolicy {
                id: 2,
                policy: specific.clone(),
            },
        ];
        assert_eq!(
            policy_for(&stored, Severity::High, Channel::Phone),
            Some(&specific)
        );
        assert_eq!(
            policy_for(&stored, Severity::High, Channel::Email),
            Some(&default)
        );
        assert_eq!(policy_for(&stored, Severity::Low, Channel::Email), None);
    }
}
