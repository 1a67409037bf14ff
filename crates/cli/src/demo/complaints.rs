//! The demo's complaints: four months of cases at the bank's branches and the hotel, more of
//! them at the Norte branch about the wait for the turn (the weakness the rest of the demo
//! shows), each walked through its lifecycle at the times it happened — acknowledged,
//! investigated, answered, resolved with a root cause, closed — so policy promises come out
//! kept or broken as they would, and cases still open past a deadline are escalated.
//!
//! Deterministic: a fixed seed, and every change is made through a store whose clock is set
//! to the moment it happens ([`FixedClock`]), relative to the demo's "now".
use super::{
    complaint_texts::{REMEDIES, for_moment},
    feedback::{
        DemoService, Org,
        model::{WEAK_MOMENT, WEAK_SITE, business_instant, utc_offset},
    },
};
use crate::commands::SharedStore;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{
        ComplaintInput, ComplaintStatus, LedgerKind, NewLedgerEntry, NewPromise, PolicyInput,
        PromiseKind, Resolution, UpdateInput,
    },
};

const SEED: u64 = 20_261_201;
/// Cases generated, spread over [`DAYS`].
const CASES: usize = 72;
const DAYS: i64 = 120;

pub struct Loaded {
    pub complaints: usize,
    pub open: usize,
    pub escalations: usize,
}

/// Response policies per severity (wall-clock time; the demo has no business calendars).
fn policies() -> Vec<PolicyInput> {
    let p = |severity: &str, ack: i64, first: i64, update: Option<i64>, resolve: i64| PolicyInput {
        severity: severity.into(),
        channel: None,
        acknowledge_minutes: Some(ack),
        first_response_minutes: Some(first),
        update_minutes: update,
        resolve_minutes: Some(resolve),
        business_time: false,
        resolution_survey_key: None,
    };
    let (h, d) = (60, 24 * 60);
    vec![
        p("low", 2 * d, 5 * d, None, 15 * d),
        p("medium", d, 3 * d, None, 10 * d),
        p("high", 4 * h, d, Some(2 * d), 5 * d),
        p("critical", h, 4 * h, Some(d), 2 * d),
    ]
}

/// Where and about what: Norte's wait for the turn draws the most.
fn pick_case<'a>(org: &'a Org, rng: &mut StdRng) -> (usize, &'a DemoService, String) {
    let weights = |key: &str| match key {
        WEAK_SITE => 40,
        "centro" => 20,
        "aeropuerto" => 15,
        _ => 25,
    };
    let total: u32 = org.sites.iter().map(|s| weights(&s.site.key)).sum();
    let mut roll = rng.gen_range(0..total);
    let mut at = 0;
    for (i, s) in org.sites.iter().enumerate() {
        let w = weights(&s.site.key);
        if roll < w {
            at = i;
            break;
        }
        roll -= w;
    }
    let service = org.service_of(&org.sites[at]);
    let moments = &service.cycle.moments;
    let weak = org.sites[at].site.key == WEAK_SITE && rng.gen_bool(0.6);
    let moment = match weak {
        true => WEAK_MOMENT.to_string(),
        false => moments
            .choose(rng)
            .map(|m| m.key.clone())
            .unwrap_or_default(),
    };
    (at, service, moment)
}

/// One scheduler pass at `at`: how many promises it escalated.
async fn escalate(store: &SharedStore, at: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut escalated = 0;
    loop {
        let claimed = store.claim_due_promises(at, "demo-scheduler", 200).await?;
        if claimed.is_empty() {
            return Ok(escalated);
        }
        escalated += claimed.len();
    }
}

pub async fn load(
    store: &SharedStore,
    clock: &FixedClock,
    actor: &Actor,
    org: &Org,
    agent: Option<i64>,
) -> anyhow::Result<Loaded> {
    let now = clock.now();
    let mut rng = StdRng::seed_from_u64(SEED);
    for p in policies() {
        let p = p
            .validate()
            .map_err(|e| anyhow::anyhow!("demo policy: {e}"))?;
        store.save_policy(actor, &p).await?;
    }
    let mut received: Vec<DateTime<Utc>> = Vec::with_capacity(CASES);
    for _ in 0..CASES {
        received.push(now - Duration::minutes(rng.gen_range(30..DAYS * 24 * 60)));
    }
    received.sort();
    let (mut open, mut escalations) = (0, 0);
    for (n, at) in received.into_iter().enumerate() {
        let (site_at, service, moment) = pick_case(org, &mut rng);
        let site = &org.sites[site_at].site;
        let day = at.date_naive();
        let at = business_instant(&mut rng, day, 9, 17, utc_offset(&site.key)).min(now);
        let texts = for_moment(&moment);
        let (said, cause, prevention) = texts[rng.gen_range(0..texts.len())];
        let customer = match site.key.as_str() {
            "hotel-reforma" => format!("H-{}", 2_000 + rng.gen_range(0..90)),
            _ => format!("C-{}", 10_000 + rng.gen_range(0..420)),
        };
        let severity = match (moment.as_str(), rng.gen_range(0..10)) {
            (_, 0) => "critical",
            (WEAK_MOMENT, 1..=4) | (_, 1..=2) => "high",
            (_, 3..=7) => "medium",
            _ => "low",
        };
        let channel = ["in_person", "phone", "email", "web"][rng.gen_range(0..4)];
        // The scheduler's passes, as they would have run: whatever was still open past its
        // due time by now is escalated now.
        escalations += escalate(store, at).await?;
        clock.set(at);
        let input = ComplaintInput {
            customer_ref: customer.clone(),
            channel: channel.into(),
            site_id: Some(site.id),
            service_key: Some(service.service.key.clone()),
            moment_key: Some(moment.clone()),
            dimension_key: None,
            description: said.into(),
            remedy_requested: REMEDIES[n % REMEDIES.len()].into(),
            severity: severity.into(),
            assignee_id: agent.filter(|_| rng.gen_bool(0.7)),
            received_at: at,
        };
        let valid = input
            .validate(Some(&service.cycle), &[], at)
            .map_err(|e| anyhow::anyhow!("demo complaint: {e}"))?;
        let hash = format!("{:064x}", rng.r#gen::<u128>());
        let c = store.create_complaint(actor, &valid, &hash).await?;
        // Norte answers late; elsewhere most steps come in good time.
        let slow = site.key == WEAK_SITE && rng.gen_bool(0.5);
        let gap = |rng: &mut StdRng, hours: i64| {
            let h = if slow { hours * 3 } else { hours };
            Duration::minutes(rng.gen_range(10..h.max(1) * 60))
        };
        let mut t = at;
        let mut status = ComplaintStatus::Received;
        let plan: [(ComplaintStatus, i64); 6] = [
            (ComplaintStatus::Acknowledged, 6),
            (ComplaintStatus::Assessed, 12),
            (ComplaintStatus::Investigating, 24),
            (ComplaintStatus::Responded, 48),
            (ComplaintStatus::Resolved, 72),
            (ComplaintStatus::Closed, 48),
        ];
        // One case in five stalls on the way, as real ones do.
        let stall = match rng.gen_bool(0.2) {
            true => rng.gen_range(1..6),
            false => 6,
        };
        for (step, (to, hours)) in plan.into_iter().enumerate() {
            let next = t + gap(&mut rng, hours);
            if next >= now || step >= stall {
                break;
            }
            t = next;
            clock.set(t);
            if to == ComplaintStatus::Investigating && rng.gen_bool(0.4) {
                let update = UpdateInput {
                    visibility: "customer".into(),
                    text: "Estamos revisando lo ocurrido con el equipo de la sucursal. / We are looking into it with the branch team.".into(),
                };
                let u = update.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
                store.add_complaint_update(actor, c.id, &u).await?;
                if rng.gen_bool(0.5) {
                    let promise = NewPromise {
                        kind: PromiseKind::Callback,
                        description: "Call the customer back with what we found".into(),
                        due_at: t + Duration::hours(rng.gen_range(4..30)),
                    };
                    store.add_promise(actor, c.id, &promise).await?;
                }
            }
            if to == ComplaintStatus::Resolved {
                let r = Resolution {
                    root_cause: cause.into(),
                    root_cause_moment_key: Some(moment.clone()),
                    explanation: "We told the customer what went wrong and what we changed.".into(),
                    prevention: prevention.into(),
                    alternatives_offered: String::new(),
                    compensation: if rng.gen_bool(0.3) {
                        "Fee refunded".into()
                    } else {
                        String::new()
                    },
                    customer_satisfied: Some(rng.gen_bool(0.7)),
                };
                store.record_resolution(actor, c.id, &r).await?;
            }
            store.transition_complaint(actor, c.id, to, "").await?;
            status = to;
        }
        if status.is_open() {
            open += 1;
        }
        if status == ComplaintStatus::Closed && rng.gen_bool(0.3) {
            clock.set((t + Duration::days(2)).min(now));
            let kind = [LedgerKind::CourtesyCall, LedgerKind::ThankYouNote][n % 2];
            let entry = NewLedgerEntry {
                customer_ref: customer,
                kind,
                occurred_at: clock.now(),
                weight: None,
                complaint_id: Some(c.id),
                note: "Follow-up after the complaint was closed".into(),
            };
            let entry = entry
                .validate_manual(clock.now())
                .map_err(|e| anyhow::anyhow!("demo ledger entry: {e}"))?;
            store.append_ledger(actor, &entry).await?;
        }
    }
    clock.set(now);
    escalations += escalate(store, now).await?;
    Ok(Loaded {
        complaints: CASES,
        open,
        escalations,
    })
}

#[cfg(test)]
#[path = "complaints_tests.rs"]
mod tests;
