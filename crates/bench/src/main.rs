//! `touchpoint-bench`: the performance figures of docs/BENCHMARKS.md.
//!
//! - `import`: `touchpoint import responses` against a bare prepared insert, with peak memory.
//! - `http`: durable submissions per second through the API and the answering page against a
//!   no-op POST of the same body, with p50/p99 latency.
//! - `store-bulk` / `store-single`: the SQLite store alone (batched and concurrent single
//!   submissions).
//! - `ranking`: one page of the portfolio ranking of a million customers.
//! - `scorecard`: the one-year cycle scorecard at 10 thousand, 1 million and 10 million stored
//!   answers, optionally against DuckDB on a CSV/Parquet export of the same answers.
//!
//! Run in release: `cargo run --release -p touchpoint-bench -- import --rows 1000000`.
// The same allocator as the `touchpoint` binary, so the figures are those it would show.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bare;
mod http;
mod import;
mod load;
mod mem;
mod ranking;
mod scorecard;
mod setup;
mod store;
mod wrk;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "touchpoint-bench",
    about = "Touchpoint benchmarks (run in release)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bulk import of the wide CSV against a bare insert of the same rows.
    Import(import::ImportArgs),
    /// One import in this process (run by `import` to measure its peak memory alone).
    #[command(hide = true)]
    ImportOne(import::ImportOneArgs),
    /// Submissions over HTTP (API and answering page) against a no-op POST.
    Http(http::HttpArgs),
    /// The store's batched submissions against a bare insert (no CSV, no validation).
    StoreBulk(store::BulkArgs),
    /// Durable single submissions with many concurrent callers, straight to the store.
    StoreSingle(store::SingleArgs),
    /// The portfolio ranking of many customers (1 million by default).
    Ranking(ranking::RankingArgs),
    /// The one-year cycle scorecard as the stored answers grow (and DuckDB's, with --duckdb).
    Scorecard(scorecard::ScorecardArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        // The HTTP benchmark runs its own runtimes: one for the server, one for the load.
        Command::Http(a) => http::run(a),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                match command {
                    Command::Import(a) => import::run(a).await,
                    Command::ImportOne(a) => import::import_one(a).await,
                    Command::StoreBulk(a) => store::bulk(a).await,
                    Command::StoreSingle(a) => store::single(a).await,
                    Command::Ranking(a) => ranking::run(a).await,
                    Command::Scorecard(a) => scorecard::run(a).await,
                    Command::Http(_) => Ok(()),
                }
            })
        }
    }
}
