//! The command line: global options, commands and their flags (clap derive).
use crate::commands;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use touchpoint_core::user::Role;

/// Touchpoint: design, measure and improve customer service, moment of truth by moment of truth.
#[derive(Debug, Parser)]
#[command(name = "touchpoint", version)]
#[command(
    after_help = "Settings are read from built-in defaults, then touchpoint.toml, then \
    TOUCHPOINT_* environment variables, then flags (later wins). See docs/CLI.md."
)]
pub struct Cli {
    /// Database URL: sqlite://FILE, sqlite:///ABS/PATH or postgres://USER:PASS@HOST/DB
    /// [default: sqlite://touchpoint.db] [env: TOUCHPOINT_DATABASE_URL]
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Global options"
    )]
    pub database: Option<String>,
    /// Config file (TOML) [default: touchpoint.toml if present] [env: TOUCHPOINT_CONFIG]
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// Log filter, e.g. info, debug or touchpoint_server=debug
    /// [default: info for serve/demo, warn otherwise] [env: TOUCHPOINT_LOG_LEVEL]
    #[arg(
        long,
        global = true,
        value_name = "LEVEL",
        help_heading = "Global options"
    )]
    pub log_level: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (pages and JSON API) until interrupted.
    Serve(ServeArgs),
    /// Load a demo organization into an empty database, print the logins, then serve.
    Demo(DemoArgs),
    /// Create or upgrade the database schema (safe to run any number of times).
    Migrate,
    /// Manage the people who log in to Touchpoint.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens for scripts and integrations.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import a file into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export data from the database to a file.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage surveys (publish a draft).
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Recompute the survey roll-ups (the daily sums dashboards read) from the stored
    /// responses, replacing the kept ones; audited.
    RebuildRollups(RebuildRollupsArgs),
    /// Print or write a report (text, JSON, CSV or printable HTML).
    #[command(subcommand)]
    Report(crate::report_args::ReportCommand),
}

#[derive(Debug, Args)]
pub struct RebuildRollupsArgs {
    /// Only this survey (its key); every survey when absent.
    #[arg(long, value_name = "KEY")]
    pub survey: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080] [env: TOUCHPOINT_LISTEN]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Address and port to listen on afterwards [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Load the demo and exit without starting the server.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password-stdin a strong random password is generated and
    /// printed once.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login email (stored lower-case; must be unique).
    #[arg(long)]
    pub email: String,
    /// Full name shown in the interface and the audit log.
    #[arg(long)]
    pub name: String,
    /// What the user may do: admin, manager, agent, auditor or viewer.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// Read the password from the first line of standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
    /// Interface language: en or es [default: en]
    #[arg(long)]
    pub language: Option<String>,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the secret is printed once, alone on stdout.
    Add(TokenAddArgs),
}

#[derive(Debug, Args)]
pub struct TokenAddArgs {
    /// Email of the user the token acts as.
    #[arg(long)]
    pub email: String,
    /// A label to recognise the token later (e.g. "nightly export").
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a service cycle from a YAML or JSON file ("-" reads YAML from stdin). Creates
    /// the service if its key is new, otherwise publishes the file as the next version.
    Cycle(ImportCycleArgs),
    /// Import a survey from a YAML or JSON file: creates the survey, or replaces the draft of
    /// the survey with the same key. Published versions are never changed.
    Survey(crate::feedback_args::ImportSurveyArgs),
    /// Import responses from a wide CSV file (one row per response, one column per question),
    /// streaming, with a report of every bad row.
    Responses(crate::feedback_args::ImportResponsesArgs),
    /// Import measurements (rings, hold seconds, wait minutes…) from a CSV file; each is
    /// judged against its standard.
    Measurements(crate::feedback_args::ImportMeasurementsArgs),
    /// Create or update customers by ref from a CSV file: ref, name[, status, segment, site,
    /// email, phone, lost_reason, lost_note, lost_moment].
    Customers(crate::portfolio_args::PortfolioImportArgs),
    /// Import sales from a CSV file: customer (the customer's ref), date, amount,
    /// currency[, service, sale_id]. Re-importing the same file adds nothing.
    Sales(crate::portfolio_args::PortfolioImportArgs),
    /// Import complaints exported by another system (e.g. the CFPB database) from a CSV
    /// file, read through a mapping file; historical cases keep their status and re-importing
    /// the same file adds nothing.
    Complaints(crate::commands::complaints::ImportComplaintsArgs),
}

#[derive(Debug, Args)]
pub struct ImportCycleArgs {
    /// Path to a .yaml/.yml or .json file, or "-" for YAML on standard input.
    pub file: String,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export a service's cycle as YAML or JSON (the format `import cycle` reads).
    Cycle(ExportCycleArgs),
    /// Export a survey as YAML or JSON (the format `import survey` reads).
    Survey(crate::feedback_args::ExportSurveyArgs),
    /// Export a survey's responses in the wide CSV format `import responses` reads.
    Responses(crate::feedback_args::ExportResponsesArgs),
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Publish a survey's draft as its next version (the version new answers are checked
    /// against).
    Publish(crate::feedback_args::PublishSurveyArgs),
}

#[derive(Debug, Args)]
pub struct ExportCycleArgs {
    /// Service key (e.g. cash-a-cheque) or numeric id.
    pub service: String,
    /// Output format [default: from the -o extension, else yaml]
    #[arg(long, value_enum)]
    pub format: Option<commands::cycle::OutputFormat>,
    /// Export this version instead of the current one.
    #[arg(long, value_name = "N")]
    pub version: Option<i32>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}
