//! The SQLite store alone, without CSV or HTTP (these were benchmark tests of the store
//! crate): batched submissions against a bare insert, and durable single submissions with
//! many concurrent callers sharing the group commit.
use std::{sync::Arc, time::Instant};
use touchpoint_core::feedback::store::ResponseStore;
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::{
    conformance::feedback::{
        all_kinds_answers, all_kinds_survey, march, published, response, world,
    },
    fixed_clock,
};

#[derive(Debug, clap::Args)]
pub struct BulkArgs {
    #[arg(long, default_value_t = 200_000)]
    pub rows: usize,
    #[arg(long, default_value_t = 10_000)]
    pub batch: usize,
}

#[derive(Debug, clap::Args)]
pub struct SingleArgs {
    #[arg(long, default_value_t = 40_000)]
    pub submissions: usize,
    #[arg(long, default_value_t = 64)]
    pub callers: usize,
}

pub async fn bulk(args: BulkArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let store = SqliteStore::open(&format!("sqlite://{}", path.display()), fixed_clock())?;
    let w = world(&store, "bank").await;
    let (_, v) = published(&store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let rows: Vec<_> = (0..args.rows)
        .map(|i| {
            // Survey tools export in time order: one response every 10 seconds.
            let at = march(1, 0, 0, 0) + chrono::Duration::seconds(10 * i as i64);
            let mut r = response(&v, at, &all_kinds_answers(i as i32));
            r.external_id = Some(format!("R_{i:07}"));
            r.site_id = Some(w.sites[i % 2].id);
            r
        })
        .collect();
    let started = Instant::now();
    for chunk in rows.chunks(args.batch) {
        for outcome in store.submit_responses(chunk).await? {
            outcome?;
        }
    }
    let store_rate = args.rows as f64 / started.elapsed().as_secs_f64();
    drop(store);

    let conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE bare (id INTEGER PRIMARY KEY, external_id TEXT, submitted_at TEXT,
             site_id INTEGER, language TEXT, answers TEXT);",
    )?;
    let texts: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(&r.answers.iter().map(|a| &a.value).collect::<Vec<_>>()))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    for (chunk, answers) in rows.chunks(args.batch).zip(texts.chunks(args.batch)) {
        conn.execute_batch("BEGIN")?;
        {
            let mut s = conn.prepare_cached(
                "INSERT INTO bare (external_id, submitted_at, site_id, language, answers)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (r, a) in chunk.iter().zip(answers) {
                s.execute(rusqlite::params![
                    r.external_id,
                    r.submitted_at.to_rfc3339(),
                    r.site_id,
                    r.language,
                    a
                ])?;
            }
        }
        conn.execute_batch("COMMIT")?;
    }
    let bare_rate = args.rows as f64 / started.elapsed().as_secs_f64();
    println!(
        "store {store_rate:.0} rows/s, bare insert {bare_rate:.0} rows/s: {:.0}%",
        100.0 * store_rate / bare_rate
    );
    Ok(())
}

pub async fn single(args: SingleArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Arc::new(SqliteStore::open(&url, fixed_clock())?);
    let w = world(&*store, "bank").await;
    let (_, v) = published(&*store, &all_kinds_survey(&w, "bank-all", "All")).await;
    let (n, callers) = (args.submissions, args.callers);
    let started = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|t| {
            let (store, v) = (store.clone(), v.clone());
            let site = w.sites[t % 2].id;
            tokio::spawn(async move {
                for i in (t..n).step_by(callers) {
                    let mut r = response(&v, march(2, 9, 0, 0), &all_kinds_answers(i as i32));
                    r.idempotency_key = Some(format!("k-{i}"));
                    r.site_id = Some(site);
                    store.submit_response(&r).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    println!(
        "{:.0} durable single submissions/s ({callers} callers)",
        n as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}
