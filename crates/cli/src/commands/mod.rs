//! One module per command; each is a thin use of the store and the core rules.
pub mod columns;
pub mod complaints;
pub mod csv_import;
pub mod customers;
pub mod cycle;
pub mod cycle_report;
pub mod demo;
pub mod measurements;
pub mod migrate;
pub mod report;
pub mod responses;
pub mod rollups;
pub mod sales;
pub mod serve;
pub mod survey;
pub mod token;
pub mod user;

use crate::{
    Cli, Command, ExportCommand, ImportCommand, SurveyCommand, TokenCommand, UserCommand,
    config::{self, Overrides, Settings},
    failure::usage,
    store_url::open_store,
};
use std::{io::IsTerminal, sync::Arc};
use touchpoint_core::{
    clock::{Clock, SystemClock},
    store::Store,
};

/// Resolve the settings, set up logging and run the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve(a) => a.listen.clone(),
        Command::Demo(a) => a.listen.clone(),
        _ => None,
    };
    let overrides = Overrides {
        database: cli.database.clone(),
        listen,
        log_level: cli.log_level.clone(),
    };
    let settings = config::load(cli.config.as_deref(), &overrides)?;
    let long_running = matches!(cli.command, Command::Serve(_) | Command::Demo(_));
    init_logging(&settings, long_running)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let open = || open_store(&settings.database, clock.clone());
    match cli.command {
        Command::Serve(_) => serve::run(&settings, open().await?, clock).await,
        Command::Demo(a) => demo::run(&settings, open().await?, clock, a.no_serve).await,
        Command::Migrate => migrate::run(&settings, open().await?).await,
        Command::RebuildRollups(a) => rollups::rebuild(open().await?, &a).await,
        Command::Report(crate::report_args::ReportCommand::Cycle(a)) => {
            let organisation = settings.organisation.clone();
            cycle_report::run(open().await?, clock, organisation, a).await
        }
        Command::User(UserCommand::Add(a)) => user::add(open().await?, a).await,
        Command::Token(TokenCommand::Add(a)) => token::add(open().await?, a).await,
        Command::Import(ImportCommand::Cycle(a)) => {
            // Read and validate before touching the database: a bad file writes nothing.
            let imported = cycle::read(&a.file)?;
            cycle::import(open().await?, imported).await
        }
        Command::Export(ExportCommand::Cycle(a)) => cycle::export(open().await?, a).await,
        Command::Import(ImportCommand::Survey(a)) => survey::import(open().await?, a).await,
        Command::Export(ExportCommand::Survey(a)) => survey::export(open().await?, a).await,
        Command::Survey(SurveyCommand::Publish(a)) => {
            survey::publish_command(open().await?, a).await
        }
        Command::Import(ImportCommand::Responses(a)) => responses::import(open().await?, a).await,
        Command::Export(ExportCommand::Responses(a)) => {
            responses::export::export(open().await?, a).await
        }
        Command::Import(ImportCommand::Customers(a)) => customers::import(open().await?, a).await,
        Command::Import(ImportCommand::Sales(a)) => sales::import(open().await?, a).await,
        Command::Import(ImportCommand::Complaints(a)) => {
            complaints::import(open().await?, clock, a).await
        }
        Command::Import(ImportCommand::Measurements(a)) => {
            let store = open().await?;
            measurements::import(store, clock, a).await
        }
    }
}

/// Logs go to stderr so that stdout stays clean for scripts.
fn init_logging(settings: &Settings, long_running: bool) -> anyhow::Result<()> {
    let fallback = if long_running { "info" } else { "warn" };
    let level = settings.log_level.as_deref().unwrap_or(fallback);
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .map_err(|e| usage(format!("invalid log level '{level}': {e}")))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

/// The audit-trail actor for changes made through the command line.
pub const CLI_ACTOR: &str = "cli";

/// Shared by the commands: the store as a trait object.
pub type SharedStore = Arc<dyn Store>;
