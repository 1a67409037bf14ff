//! A year of realistic synthetic feedback for the demo organization: surveys with answers,
//! mystery-shopper visits, measurements and compliments, generated from a fixed seed (the same
//! data every time, dated relative to today) and loaded through the store's batch calls.
pub mod evidence;
pub mod model;
pub mod responses;
pub mod surveys;
pub mod texts;

#[cfg(test)]
mod tests;

use crate::commands::SharedStore;
use chrono::{DateTime, Utc};
use rand::{SeedableRng, rngs::StdRng};
use tokio::task::JoinSet;
use touchpoint_core::{
    audit::Actor,
    cycle::CycleVersion,
    org::{Site, StaffMember},
    service::Service,
};

/// Seed of the demo's random generator.
pub const SEED: u64 = 20_260_401;
/// Responses written per store call.
const BATCH: usize = 5_000;

pub struct DemoService {
    pub service: Service,
    pub cycle: CycleVersion,
}

pub struct DemoSite {
    pub site: Site,
    pub staff: Vec<StaffMember>,
}

impl DemoSite {
    pub fn is_bank(&self) -> bool {
        self.site.key != model::HOTEL_SITE
    }
}

/// What the feedback is about: the bank and hotel services and every site with its staff.
pub struct Org {
    pub bank: DemoService,
    pub hotel: DemoService,
    pub sites: Vec<DemoSite>,
}

impl Org {
    pub fn service_of(&self, site: &DemoSite) -> &DemoService {
        if site.is_bank() {
            &self.bank
        } else {
            &self.hotel
        }
    }

    /// Whether a moment of either cycle is critical.
    pub fn is_critical(&self, moment_key: &str) -> bool {
        self.bank
            .cycle
            .moments
            .iter()
            .chain(&self.hotel.cycle.moments)
            .any(|m| m.key == moment_key && m.critical)
    }
}

/// What was loaded, for the banner.
pub struct Loaded {
    pub surveys: usize,
    pub responses: usize,
    pub invitations: usize,
    pub visits: usize,
    pub measurements: usize,
    pub compliments: usize,
    /// URL token of the bank CSAT survey's open link.
    pub open_token: String,
}

/// Generate and load the year; `auditor` records the mystery-shopper visits.
pub async fn load(
    store: &SharedStore,
    actor: &Actor,
    auditor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
) -> anyhow::Result<Loaded> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let today = model::demo_today(now);
    let surveys = surveys::publish_all(store.as_ref(), actor, org, now).await?;
    let answers = responses::generate(org, &surveys, today, &mut rng);
    for chunk in answers.chunks(BATCH) {
        for outcome in store.submit_responses(chunk).await? {
            outcome?;
        }
    }
    evidence::set_checklists(store.as_ref(), actor, org).await?;
    let visits = evidence::visits(store.as_ref(), org, today, now, &mut rng).await?;
    let measurements = evidence::measurements(org, today, now, &mut rng)?;
    for chunk in measurements.chunks(BATCH) {
        store.record_measurements(actor, chunk).await?;
    }
    let compliments = evidence::compliments(org, today, &mut rng);
    // Visits and compliments are written one per call: run them together so they share
    // the store's group commits instead of waiting for one fsync each.
    let mut writes = JoinSet::new();
    for (service_id, cycle_id, visit) in visits.iter().cloned() {
        let (store, auditor) = (store.clone(), auditor.clone());
        writes.spawn(async move {
            store
                .record_visit(&auditor, service_id, cycle_id, &visit)
                .await
                .map(drop)
        });
    }
    for (service_id, draft) in &compliments {
        let service = if *service_id == org.bank.service.id {
            &org.bank
        } else {
            &org.hotel
        };
        let valid = draft
            .validate(Some(&service.cycle), now)
            .map_err(|e| anyhow::anyhow!("demo compliment: {e}"))?;
        let (store, actor, id) = (store.clone(), actor.clone(), *service_id);
        writes.spawn(async move {
            store
                .record_compliment(&actor, Some(id), &valid)
                .await
                .map(drop)
        });
    }
    while let Some(done) = writes.join_next().await {
        done??;
    }
    Ok(Loaded {
        surveys: 3,
        responses: answers.len(),
        invitations: surveys.invitations.len(),
        visits: visits.len(),
        measurements: measurements.len(),
        compliments: compliments.len(),
        open_token: surveys.bank_csat.open_token,
    })
}
