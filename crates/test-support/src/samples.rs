//! Builders for test data: short, valid, deterministic.
use chrono::{DateTime, TimeZone, Utc};
use std::sync::Arc;
use touchpoint_core::{
    audit::Actor,
    clock::FixedClock,
    cycle::{CycleDraft, MomentDraft, ValidCycle},
    org::{SiteFields, StaffFields},
    service::ServiceFields,
    standard::{Comparator, ServiceStandard},
    user::{Role, UserFields},
};

/// 2026-01-15T09:00:00Z, the instant every [`fixed_clock`] starts at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0)
        .single()
        .expect("valid date")
}

/// A clock stopped at [`t0`]; move it with `advance`/`set`.
pub fn fixed_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(t0()))
}

/// The actor used by tests that do not care who acts: `Actor::system("test")`.
pub fn actor() -> Actor {
    Actor::system("test")
}

/// A valid service: `key`, name `Service <key>`, a short description.
pub fn sample_service_fields(key: &str) -> ServiceFields {
    ServiceFields {
        key: key.to_string(),
        name: format!("Service {key}"),
        description: format!("Description of {key}"),
    }
}

/// A valid user with name `User <local part>` and language `en`.
pub fn sample_user_fields(email: &str, role: Role) -> UserFields {
    let local = email.split('@').next().unwrap_or(email);
    UserFields {
        email: email.to_string(),
        name: format!("User {local}"),
        role,
        language: "en".into(),
    }
}

/// An active site: `key`, name `Site <key>`, city `Bogotá`, time zone `America/Bogota`.
pub fn sample_site_fields(key: &str) -> SiteFields {
    SiteFields {
        key: key.to_string(),
        name: format!("Site {key}"),
        city: "Bogotá".into(),
        timezone: "America/Bogota".into(),
        manager_email: None,
        active: true,
    }
}

/// An active staff member with role `Teller` and an email derived from the name.
pub fn sample_staff_fields(name: &str, site_id: Option<i64>) -> StaffFields {
    StaffFields {
        name: name.to_string(),
        role: "Teller".into(),
        site_id,
        email: format!(
            "{}@staff.example.com",
            name.to_ascii_lowercase().replace(' ', ".")
        ),
        active: true,
    }
}

/// A validated cycle of `n_moments` moments keyed `m1`, `m2`, … (stable across calls), with the
/// moments at the 1-based `critical_positions` marked critical. Every moment has one standard
/// `wait_minutes <= <position>.5 min`; channels rotate through phone, in_person, web.
pub fn sample_cycle(n_moments: usize, critical_positions: &[usize]) -> ValidCycle {
    let channels = ["phone", "in_person", "web"];
    let moments = (1..=n_moments)
        .map(|p| MomentDraft {
            key: format!("m{p}"),
            name: format!("Moment {p}"),
            description: format!("What happens at moment {p}"),
            channel: channels[(p - 1) % channels.len()].into(),
            role: if p % 2 == 0 {
                String::new()
            } else {
                "Teller".into()
            },
            critical: critical_positions.contains(&p),
            standards: vec![ServiceStandard {
                metric: "wait_minutes".into(),
                comparator: Comparator::Le,
                threshold: p as f64 + 0.5,
                unit: "min".into(),
                description: String::new(),
            }],
        })
        .collect();
    CycleDraft {
        moments,
        note: format!("{n_moments} moments"),
    }
    .validate()
    .expect("sample cycle is valid")
}
