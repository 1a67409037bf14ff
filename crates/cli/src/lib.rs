//! `touchpoint`: run the server, load a demo, manage users and API tokens, move service cycles
//! and surveys in and out as YAML or JSON files, and import or export feedback in bulk. A thin
//! shell over the library crates; the binary is `src/main.rs`, and the benchmarks
//! (`touchpoint-bench`) drive the same import code through this library.
pub mod args;
pub mod commands;
pub mod config;
pub mod demo;
pub mod failure;
pub mod feedback_args;
pub mod portfolio_args;
pub mod progress;
pub mod report_args;
pub mod store_url;

pub use args::*;

use std::process::ExitCode;

/// Parse the command line, run the command and map the outcome to an exit code.
pub fn main_entry() -> ExitCode {
    use clap::Parser;
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(failure::EXIT_RUNTIME);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(failure::exit_code(&e))
        }
    }
}
