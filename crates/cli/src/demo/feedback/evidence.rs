//! Evidence other than surveys: a mystery-shopper visit per site and month (critical failures
//! at the weak branch far more often), measured waits per branch three times a day, ring
//! counts and hold times of the hotel's reservation calls (some past the third ring), and
//! compliments naming staff.
use super::{
    DemoService, DemoSite, Org,
    model::{self, normal},
    texts,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rand::{Rng, rngs::StdRng, seq::SliceRandom};
use std::collections::BTreeMap;
use touchpoint_core::{
    audit::Actor,
    feedback::{
        Checklist, ComplimentDraft, ItemResult, MeasurementDraft, VisitDraft,
        records::NewMeasurement,
    },
    store::Store,
};

/// Free checklist items added to the standards on the audit checklists.
const EXTRA_ITEMS: [(&str, &str); 4] = [
    ("wait-turn", "Number screen on and readable from the seats"),
    ("wait-turn", "Seats free for the customers waiting"),
    (
        "get-paid",
        "Cashier counts the notes in front of the customer",
    ),
    ("greeted-at-desk", "Guest greeted by name"),
];

pub async fn set_checklists(store: &dyn Store, actor: &Actor, org: &Org) -> anyhow::Result<()> {
    for service in [&org.bank, &org.hotel] {
        let mut items: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (moment, text) in EXTRA_ITEMS {
            if service.cycle.moments.iter().any(|m| m.key == moment) {
                items.entry(moment).or_default().push(text.into());
            }
        }
        for (moment, list) in items {
            store
                .set_checklist_items(actor, service.service.id, moment, &list)
                .await?;
        }
    }
    Ok(())
}

/// One visit per site and month, mid-month at 10:30 local time.
pub async fn visits(
    store: &dyn Store,
    org: &Org,
    today: NaiveDate,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<(i64, i64, touchpoint_core::feedback::ValidVisit)>> {
    let mut out = Vec::new();
    for site in &org.sites {
        let service = org.service_of(site);
        let extra = store.checklist_items(service.service.id).await?;
        let checklist = Checklist::from_cycle(&service.cycle, &extra)
            .map_err(|e| anyhow::anyhow!("demo checklist: {e}"))?;
        for months_ago in (1..=12).rev() {
            let day = today - Duration::days(30 * months_ago - 15 + rng.gen_range(0..5));
            let day = if day.weekday() == Weekday::Sun {
                day - Duration::days(1)
            } else {
                day
            };
            let at = model::business_instant(rng, day, 10, 11, model::utc_offset(&site.site.key));
            let draft = visit(site, &checklist, at, rng);
            let valid = draft
                .validate(&checklist, now)
                .map_err(|e| anyhow::anyhow!("demo visit: {e}"))?;
            out.push((service.service.id, service.cycle.id, valid));
        }
    }
    Ok(out)
}

pub(crate) fn visit(
    site: &DemoSite,
    checklist: &Checklist,
    at: DateTime<Utc>,
    rng: &mut StdRng,
) -> VisitDraft {
    let weak = site.site.key == model::WEAK_SITE;
    let mut results = BTreeMap::new();
    for m in &checklist.moments {
        let outside = matches!(
            m.key.as_str(),
            "travel-to-branch" | "travel-home" | "arrive-at-hotel"
        );
        let miss = match m.key.as_str() {
            model::WEAK_MOMENT if weak => 0.6,
            model::WEAK_MOMENT => 0.1,
            _ if m.critical => 0.05,
            _ => 0.08,
        };
        let marks = m
            .items
            .iter()
            .map(|item| {
                let r = if outside {
                    ItemResult::NotApplicable
                } else if rng.gen_bool(miss) {
                    ItemResult::NotMet
                } else {
                    ItemResult::Met
                };
                (item.code.clone(), r)
            })
            .collect();
        results.insert(m.key.clone(), marks);
    }
    let observed: Vec<i64> = site.staff.choose_multiple(rng, 2).map(|s| s.id).collect();
    let notes = if weak
        && results
            .get(model::WEAK_MOMENT)
            .is_some_and(|m: &BTreeMap<String, ItemResult>| {
                m.values().any(|r| *r == ItemResult::NotMet)
            }) {
        "Queue of 14 people, two counters open; waited well past 10 minutes."
    } else {
        ""
    };
    VisitDraft {
        site_id: site.site.id,
        visited_at: at,
        staff_ids: observed,
        results,
        notes: notes.into(),
        moment_notes: BTreeMap::new(),
    }
}

/// Waits per branch (morning, midday, afternoon) and the hotel's reservation calls.
pub fn measurements(
    org: &Org,
    today: NaiveDate,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<NewMeasurement>> {
    let mut out = Vec::new();
    for day in model::year(today) {
        for site in &org.sites {
            let offset = model::utc_offset(&site.site.key);
            let mut add = |service: &DemoService,
                           moment: &str,
                           metric: &str,
                           value: f64,
                           at,
                           n: usize|
             -> anyhow::Result<()> {
                let draft = MeasurementDraft {
                    moment_key: moment.into(),
                    metric: metric.into(),
                    site_key: site.site.key.clone(),
                    observed_at: at,
                    value,
                };
                let judged = draft
                    .judge(&service.cycle, now)
                    .map_err(|e| anyhow::anyhow!("demo measurement: {e}"))?;
                out.push(NewMeasurement {
                    service_id: service.service.id,
                    site_id: site.site.id,
                    external_id: Some(format!("demo-{}-{metric}-{day}-{n}", site.site.key)),
                    judged,
                });
                Ok(())
            };
            if site.is_bank() {
                if model::bank_traffic(day) == 0.0 {
                    continue;
                }
                let mean = if site.site.key == model::WEAK_SITE {
                    13.0
                } else {
                    6.0
                };
                for (n, hour) in [9, 12, 15].into_iter().enumerate() {
                    let busy = model::bank_traffic(day);
                    let wait = (mean * busy + 3.0 * normal(rng)).max(0.5);
                    let at = model::business_instant(rng, day, hour, hour + 1, offset);
                    add(
                        &org.bank,
                        model::WEAK_MOMENT,
                        "wait_minutes",
                        (wait * 10.0).round() / 10.0,
                        at,
                        n,
                    )?;
                }
            } else {
                for n in 0..4 {
                    let at = model::business_instant(rng, day, 8, 22, offset);
                    // Most calls are answered by the third ring; about one in eight is not.
                    let rings = if rng.gen_bool(0.13) {
                        rng.gen_range(4..=7)
                    } else {
                        rng.gen_range(1..=3)
                    };
                    let hold = if rng.gen_bool(0.1) {
                        rng.gen_range(18..=60)
                    } else {
                        rng.gen_range(0..=16)
                    };
                    add(
                        &org.hotel,
                        "phone-reservation",
                        "rings",
                        f64::from(rings as u8),
                        at,
                        n,
                    )?;
                    add(
                        &org.hotel,
                        "phone-reservation",
                        "hold_seconds",
                        f64::from(hold as u8),
                        at,
                        n,
                    )?;
                }
            }
        }
    }
    Ok(out)
}

/// About seven compliments a month, each naming a staff member and the moment they served.
pub fn compliments(org: &Org, today: NaiveDate, rng: &mut StdRng) -> Vec<(i64, ComplimentDraft)> {
    let mut out = Vec::new();
    for day in model::year(today) {
        if !rng.gen_bool(0.23) {
            continue;
        }
        let Some(site) = org.sites.choose(rng) else {
            continue;
        };
        let Some(staff) = site.staff.choose(rng) else {
            continue;
        };
        let service = org.service_of(site);
        let moment = service
            .cycle
            .moments
            .iter()
            .filter(|m| m.role == staff.role)
            .collect::<Vec<_>>();
        let language = if rng.gen_bool(0.7) { "es" } else { "en" };
        let first = staff.name.split_whitespace().next().unwrap_or(&staff.name);
        let text = texts::COMPLIMENTS.choose(rng).map_or(String::new(), |p| {
            texts::pick(p, language).replace("{}", first)
        });
        let at = model::business_instant(rng, day, 9, 17, model::utc_offset(&site.site.key));
        out.push((
            service.service.id,
            ComplimentDraft {
                service_key: Some(service.service.key.clone()),
                moment_key: moment.choose(rng).map(|m| m.key.clone()),
                staff_id: Some(staff.id),
                site_id: Some(site.site.id),
                customer: rng
                    .gen_bool(0.5)
                    .then(|| format!("C-{}", rng.gen_range(10_000..40_000))),
                text,
                received_at: at,
                channel: if rng.gen_bool(0.7) {
                    "in_person"
                } else {
                    "email"
                }
                .into(),
            },
        ));
    }
    out
}
