//! The portfolio ranking at scale: N customers with a few sales each in an SQLite file (and,
//! with `--postgres URL`, in a fresh PostgreSQL database), then the time to serve one page of
//! the ranking — the store's per-customer totals for the period, the exact sort with
//! cumulative shares and tiers, and the page — repeated, median and worst reported.
use chrono::{Duration, NaiveDate};
use std::{
    sync::Arc,
    time::{Duration as Elapsed, Instant},
};
use touchpoint_core::{
    audit::Actor,
    portfolio::{CustomerInput, Money, RankingSettings, SaleInput, ValidSale},
    store::Store,
};
use touchpoint_server::portfolio::{Period, RankingCache, RankingParams, ranking};
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
    /// Also measure on a fresh database made through this PostgreSQL admin URL (seeded
    /// through the store, as the SQLite file is: about half an hour for a million customers).
    #[arg(long)]
    pub postgres: Option<String>,
    /// Also measure on this PostgreSQL database, kept between runs: migrated, then seeded with
    /// the same customers and sales by SQL (`generate_series`, about a minute) when it has no
    /// customers, and vacuumed and analysed as autovacuum would have done.
    #[arg(long)]
    pub postgres_db: Option<String>,
    /// Keep the SQLite database in this file: seeded when missing, reused as it is otherwise
    /// (seeding a million customers takes minutes; reuse it while tuning).
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
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

/// The same rows as [`seed`] (references, names, amounts, dates and sale ids by the same
/// formulas), written by SQL: the store's validation and audit records add nothing to what the
/// ranking reads.
async fn seed_pg_sql(
    pg: &touchpoint_store_postgres::PgStore,
    args: &RankingArgs,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (n, k) = (args.customers as i64, args.sales as i64);
    let pool = pg.pool();
    sqlx::query(
        "INSERT INTO customers (ref, name, status, created_at, updated_at) \
         SELECT 'C-' || lpad(i::text, 7, '0'), 'Customer ' || i, 'active', now(), now() \
         FROM generate_series(0::bigint, $1 - 1) i ORDER BY i",
    )
    .bind(n)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO customer_status_history (customer_id, status, changed_at, changed_by) \
         SELECT id, 'active', created_at, 'bench' FROM customers",
    )
    .execute(pool)
    .await?;
    eprintln!("{n} customers in {:.1?}", started.elapsed());
    let started = Instant::now();
    sqlx::query(
        "INSERT INTO sales (customer_id, sale_date, amount, currency, sale_id, recorded_at) \
         SELECT c.id, DATE '2026-01-01' + ((x.i + k * 97) % 360)::int, \
                (1000000 / (1 + (x.i * 7919 + k * 104729) % 100000)) * 10000 + (x.i % 100) * 100, \
                'USD', 'S-' || x.i || '-' || k, now() \
         FROM (SELECT id, substr(ref, 3)::bigint AS i FROM customers) x \
         JOIN customers c ON c.id = x.id, generate_series(0::bigint, $1 - 1) k \
         ORDER BY x.i, k",
    )
    .bind(k)
    .execute(pool)
    .await?;
    eprintln!("{} sales in {:.1?}", n * k, started.elapsed());
    let started = Instant::now();
    sqlx::query("VACUUM ANALYZE customers, customer_status_history, sales")
        .execute(pool)
        .await?;
    eprintln!("vacuum analyze in {:.1?}", started.elapsed());
    Ok(())
}

/// Median and worst of `runs` timings of `f`.
async fn timed<F: AsyncFnMut() -> anyhow::Result<u64>>(
    runs: usize,
    mut f: F,
) -> anyhow::Result<(Elapsed, Elapsed, u64)> {
    let mut times = Vec::with_capacity(runs);
    let mut customers = 0;
    for _ in 0..runs {
        let started = Instant::now();
        customers = f().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok((times[times.len() / 2], times[times.len() - 1], customers))
}

async fn measure(label: &str, store: &dyn Store, runs: usize) -> anyhow::Result<()> {
    let period = Period {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
    };
    let params = RankingParams::default();
    let settings = RankingSettings::default();
    let page = async |cache: &RankingCache| {
        ranking(store, cache, period, &params, &settings)
            .await
            .map(|p| p.customers)
            .map_err(|e| anyhow::anyhow!("{e:?}"))
    };
    // Cold: nothing kept, as after a sale was recorded or on a fresh node.
    let (median, worst, customers) =
        timed(runs, async || page(&RankingCache::default()).await).await?;
    println!(
        "{label}: ranking of {customers} customers (first page of 50), computed: median {median:.2?}, worst {worst:.2?} over {runs} runs"
    );
    // Kept: customers and sales unchanged since the ranking was computed.
    let cache = RankingCache::default();
    page(&cache).await?;
    let (median, worst, _) = timed(runs, async || page(&cache).await).await?;
    println!(
        "{label}: the same page while customers and sales are unchanged: median {median:.1?}, worst {worst:.1?} over {runs} runs"
    );
    // Where the computed time goes: the store's read alone, then the exact sort and tiers.
    let started = Instant::now();
    let totals = store.customer_totals(period.from, period.to, "USD").await?;
    let read = started.elapsed();
    let started = Instant::now();
    let ranked = touchpoint_core::portfolio::rank(totals, &settings);
    eprintln!(
        "{label}: of which store read {read:.2?}, sort and tiers {:.2?} ({} rows)",
        started.elapsed(),
        ranked.rows.len()
    );
    Ok(())
}

/// The URL without its password, for the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}

pub async fn run(args: RankingArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = args
        .db
        .clone()
        .unwrap_or_else(|| dir.path().join("ranking.db"));
    let reuse = path.exists();
    let sqlite = Arc::new(SqliteStore::open(
        &format!("sqlite://{}", path.display()),
        fixed_clock(),
    )?);
    if reuse {
        eprintln!("reusing {}", path.display());
    } else {
        seed(sqlite.as_ref(), &args).await?;
    }
    measure("sqlite", sqlite.as_ref(), args.runs).await?;
    if let Some(admin) = &args.postgres {
        let pg = touchpoint_store_postgres::testing::fresh_store(admin, fixed_clock()).await?;
        seed(&pg, &args).await?;
        measure("postgres", &pg, args.runs).await?;
    }
    if let Some(url) = &args.postgres_db {
        let pg = touchpoint_store_postgres::PgStore::connect_with(url, fixed_clock(), 4).await?;
        let have: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
            .fetch_one(pg.pool())
            .await?;
        if have == 0 {
            seed_pg_sql(&pg, &args).await?;
        } else {
            eprintln!("reusing {have} customers in {}", redact(url));
        }
        measure("postgres", &pg, args.runs).await?;
    }
    Ok(())
}
