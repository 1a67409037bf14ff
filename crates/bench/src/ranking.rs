//! The portfolio ranking at scale: N customers with a few sales each in an SQLite file (and,
//! with `--postgres URL`, in a fresh PostgreSQL database), then the time to serve one page of
//! the ranking — the store's per-customer totals for the period, the exact sort with
//! cumulative shares and tiers, and the page — repeated, median and worst reported.
use chrono::{Duration, NaiveDate};
use std::{sync::Arc, time::Instant};
use touchpoint_core::{
    audit::Actor,
    portfolio::{CustomerInput, Money, RankingSettings, SaleInput, ValidSale},
    store::Store,
};
use touchpoint_server::portfolio::{Period, RankingParams, ranking};
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

#[derive(Debug, clap::Args)]
pub struct RankingArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: usize,
    /// Sales per customer (over the period).
    #[arg(long, default_value_t = 3)]
    pub sales: usize,
    /// Timed runs of the ranking.
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Also measure on a fresh database made through this PostgreSQL admin URL.
    #[arg(long)]
    pub postgres: Option<String>,
}

async fn seed(store: &dyn Store, args: &RankingArgs) -> anyhow::Result<()> {
    let actor = Actor::system("bench");
    let started = Instant::now();
    let batch = 5_000;
    for start in (0..args.customers).step_by(batch) {
        let fields: Vec<_> = (start..(start + batch).min(args.customers))
            .map(|i| {
                CustomerInput {
                    reference: format!("C-{i:07}"),
                    name: format!("Customer {i}"),
                    status: Some("active".into()),
                    ..Default::default()
                }
                .validate()
                .expect("valid customer")
            })
            .collect();
        for o in store.save_customers(&actor, &fields).await? {
            o?;
        }
    }
    eprintln!("{} customers in {:.1?}", args.customers, started.elapsed());
    let started = Instant::now();
    let day0 = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut pending: Vec<ValidSale> = Vec::with_capacity(batch);
    for i in 0..args.customers {
        for k in 0..args.sales {
            // Pareto-like amounts: a few customers buy much more than the rest.
            let units = 1_000_000 / (1 + (i * 7919 + k * 104_729) % 100_000) as i64;
            let mut s = SaleInput {
                customer: format!("C-{i:07}"),
                date: (day0 + Duration::days(((i + k * 97) % 360) as i64)).to_string(),
                amount: Money::from_minor(units * 10_000 + (i % 100) as i64 * 100),
                currency: "USD".into(),
                ..Default::default()
            }
            .validate()
            .expect("valid sale");
            s.sale_id = Some(format!("S-{i}-{k}"));
            pending.push(s);
            if pending.len() == batch {
                store.record_sales(&actor, &pending).await?;
                pending.clear();
            }
        }
    }
    if !pending.is_empty() {
        store.record_sales(&actor, &pending).await?;
    }
    eprintln!(
        "{} sales in {:.1?}",
        args.customers * args.sales,
        started.elapsed()
    );
    Ok(())
}

async fn measure(label: &str, store: &dyn Store, runs: usize) -> anyhow::Result<()> {
    let period = Period {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
    };
    let params = RankingParams::default();
    let settings = RankingSettings::default();
    let mut times = Vec::with_capacity(runs);
    let mut customers = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let page = ranking(store, period, &params, &settings)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        times.push(started.elapsed());
        customers = page.customers;
    }
    times.sort();
    println!(
        "{label}: ranking of {customers} customers (first page of 50): median {:.0?}, worst {:.0?} over {runs} runs",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    Ok(())
}

pub async fn run(args: RankingArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ranking.db");
    let sqlite = Arc::new(SqliteStore::open(
        &format!("sqlite://{}", path.display()),
        fixed_clock(),
    )?);
    seed(sqlite.as_ref(), &args).await?;
    measure("sqlite", sqlite.as_ref(), args.runs).await?;
    if let Some(admin) = &args.postgres {
        let pg = touchpoint_store_postgres::testing::fresh_store(admin, fixed_clock()).await?;
        seed(&pg, &args).await?;
        measure("postgres", &pg, args.runs).await?;
    }
    Ok(())
}
