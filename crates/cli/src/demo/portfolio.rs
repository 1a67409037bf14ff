//! The demo's customer portfolio: bank clients and hotel accounts with a year of sales whose
//! volumes follow a Pareto law (a few customers carry most of the sales), statuses with their
//! history, and losses with reasons — more of them at the Norte branch, where the wait for
//! the turn fails, and tied to that moment. Generated from a fixed seed, dated from today.
use super::feedback::{
    Org,
    model::{WEAK_MOMENT, WEAK_SITE},
};
use crate::commands::SharedStore;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use touchpoint_core::{
    audit::Actor,
    portfolio::{
        CustomerInput, CustomerStatus, Money, SaleInput, StatusFields, ValidSale,
        sale::import_sale_id,
    },
};

const SEED: u64 = 20_261_129;
/// Bank clients use the refs the demo's survey answers name (`C-10000`…), so some answers
/// belong to known customers.
const BANK_CUSTOMERS: u32 = 420;
const HOTEL_ACCOUNTS: u32 = 90;
/// Pareto shape: about 80 % of sales from about 20 % of customers.
const ALPHA: f64 = 1.16;

const FIRST: [&str; 24] = [
    "Ana",
    "Luis",
    "María",
    "Jorge",
    "Camila",
    "Andrés",
    "Valentina",
    "Carlos",
    "Sofía",
    "Diego",
    "Lucía",
    "Mateo",
    "Isabel",
    "Javier",
    "Paula",
    "Ricardo",
    "Daniela",
    "Tomás",
    "Gabriela",
    "Felipe",
    "Natalia",
    "Sebastián",
    "Mariana",
    "Héctor",
];
const LAST: [&str; 20] = [
    "Pérez",
    "Antúnez",
    "Fernández",
    "Gómez",
    "Rodríguez",
    "López",
    "Martínez",
    "García",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flores",
    "Rivera",
    "Vargas",
    "Castro",
    "Morales",
    "Ortiz",
    "Herrera",
    "Medina",
    "Rojas",
];
const COMPANIES: [&str; 10] = [
    "Viajes Andinos",
    "Grupo Cordillera",
    "Eventos Sol",
    "Transportes del Valle",
    "Consultora Ámbar",
    "Laboratorios Lumen",
    "Textiles Norte",
    "Agencia Horizonte",
    "Constructora Ceiba",
    "Distribuidora Pacífico",
];

pub struct Loaded {
    pub customers: usize,
    pub sales: usize,
    pub lost: usize,
}

struct Plan {
    input: CustomerInput,
    /// `(status, reason, moment, days ago)` changes after the first one.
    later: Option<(CustomerStatus, &'static str, Option<&'static str>, i64)>,
    /// Mean monthly spend in whole currency units; 0 for potential customers.
    monthly: f64,
}

fn pareto(rng: &mut StdRng, scale: f64) -> f64 {
    let u: f64 = rng.gen_range(0.000_1..1.0);
    (scale / u.powf(1.0 / ALPHA)).min(scale * 400.0)
}

fn person(rng: &mut StdRng) -> String {
    format!(
        "{} {}",
        FIRST.choose(rng).unwrap_or(&"Ana"),
        LAST.choose(rng).unwrap_or(&"Pérez")
    )
}

fn plans(org: &Org, rng: &mut StdRng) -> Vec<Plan> {
    let bank_sites: Vec<_> = org.sites.iter().filter(|s| s.is_bank()).collect();
    let hotel = org.sites.iter().find(|s| !s.is_bank());
    let mut out = Vec::new();
    for i in 0..BANK_CUSTOMERS + HOTEL_ACCOUNTS {
        let is_bank = i < BANK_CUSTOMERS;
        let site = if is_bank {
            bank_sites.choose(rng).map(|s| &s.site)
        } else {
            hotel.map(|s| &s.site)
        };
        let weak = site.is_some_and(|s| s.key == WEAK_SITE);
        let (reference, name, segment) = if is_bank {
            let segment = *["personal", "personal", "personal", "pyme", "corporate"]
                .choose(rng)
                .unwrap_or(&"personal");
            (format!("C-{}", 10_000 + i), person(rng), segment)
        } else {
            let company = rng.gen_bool(0.4);
            let name = if company {
                COMPANIES.choose(rng).unwrap_or(&COMPANIES[0]).to_string()
            } else {
                person(rng)
            };
            let name = if company {
                format!("{name} {}", i - BANK_CUSTOMERS + 1)
            } else {
                name
            };
            (
                format!("H-{}", 2_000 + i - BANK_CUSTOMERS),
                name,
                if company { "corporate" } else { "individual" },
            )
        };
        let roll: f64 = rng.r#gen();
        // Losses are twice as likely where the wait fails, and there mostly because of it.
        let lost_share = if weak { 0.22 } else { 0.09 };
        let (status, later) = if roll < 0.08 {
            ("potential", None)
        } else if roll < 0.11 {
            ("unknown", None)
        } else if roll < 0.11 + lost_share {
            let (reason, moment) = if weak && rng.gen_bool(0.7) {
                ("service_failure", Some(WEAK_MOMENT))
            } else {
                *[
                    ("price", None),
                    ("competitor", None),
                    ("moved", None),
                    ("no_longer_needed", None),
                    ("service_failure", None),
                ]
                .choose(rng)
                .unwrap_or(&("price", None))
            };
            (
                "active",
                Some((CustomerStatus::Lost, reason, moment, rng.gen_range(5..300))),
            )
        } else {
            ("active", None)
        };
        let email_name: String = name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        out.push(Plan {
            input: CustomerInput {
                reference,
                email: format!("{email_name}{i}@example.com"),
                phone: format!("+57 601 555 {:04}", i),
                segment: segment.into(),
                site_id: site.map(|s| s.id),
                status: Some(status.into()),
                name,
                ..Default::default()
            },
            later,
            monthly: if status == "potential" {
                0.0
            } else {
                pareto(rng, if is_bank { 40.0 } else { 120.0 })
            },
        });
    }
    out
}

/// A year of monthly-ish sales for one customer, stopping when they were lost.
fn sales(p: &Plan, today: NaiveDate, service: &str, rng: &mut StdRng) -> Vec<ValidSale> {
    let stop = p.later.map_or(0, |l| l.3);
    let mut out = Vec::new();
    let mut day = 365;
    while day > stop.max(1) {
        day -= rng.gen_range(12..45);
        if day <= stop {
            break;
        }
        let cents = (p.monthly * rng.gen_range(0.6..1.4) * 100.0).round() as i64;
        let s = SaleInput {
            customer: p.input.reference.clone(),
            date: (today - Duration::days(day)).to_string(),
            amount: Money::from_minor(cents.max(1) * 100),
            currency: "USD".into(),
            service: Some(service.into()),
            sale_id: None,
        };
        if let Ok(mut v) = s.validate() {
            v.sale_id = Some(import_sale_id(&v, out.len() as u32));
            out.push(v);
        }
    }
    out
}

pub async fn load(
    store: &SharedStore,
    actor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
) -> anyhow::Result<Loaded> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let plans = plans(org, &mut rng);
    let year_ago = now - Duration::days(365);
    let mut fields = Vec::with_capacity(plans.len());
    for p in &plans {
        let mut f = p
            .input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo customer: {e}"))?;
        if let Some(s) = f.status.as_mut() {
            // Everyone was already a customer (or a prospect) a year ago.
            s.since = Some(year_ago - Duration::days(rng.gen_range(1..400)));
        }
        fields.push(f);
    }
    for outcome in store.save_customers(actor, &fields).await? {
        outcome?;
    }
    let mut all_sales = Vec::new();
    let today = now.date_naive();
    for p in &plans {
        let service = if p.input.reference.starts_with('H') {
            &org.hotel
        } else {
            &org.bank
        };
        if p.monthly > 0.0 {
            all_sales.extend(sales(p, today, &service.service.key, &mut rng));
        }
    }
    for chunk in all_sales.chunks(5_000) {
        for outcome in store.record_sales(actor, chunk).await? {
            outcome?;
        }
    }
    let mut lost = 0;
    for p in &plans {
        let Some((status, reason, moment, days_ago)) = p.later else {
            continue;
        };
        let c = store.get_customer_by_ref(&p.input.reference).await?;
        let s = StatusFields {
            status,
            lost_reason: Some(reason.into()),
            lost_note: String::new(),
            lost_moment_key: moment.map(str::to_string),
            since: Some(now - Duration::days(days_ago)),
        };
        store.set_customer_status(actor, c.id, &s).await?;
        lost += 1;
    }
    Ok(Loaded {
        customers: plans.len(),
        sales: all_sales.len(),
        lost,
    })
}
