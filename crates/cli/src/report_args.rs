//! Flags of the report commands.
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The whole cycle of a service for a period: scorecard per moment, priorities with their
    /// reasons, importance–performance, consistency, SERVQUAL gaps, complaint analysis and
    /// the action plans with their verdicts.
    Cycle(CycleReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable report for the terminal.
    Text,
    /// Every figure at full precision, as the API's types.
    Json,
    /// One long table: section,moment_position,moment_key,moment_name,item,figure,value,low,high,n.
    Csv,
    /// The printable page: one self-contained HTML document with SVG charts.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportLang {
    En,
    Es,
}

#[derive(Debug, Args)]
pub struct CycleReportArgs {
    /// Service key (e.g. cash-a-cheque) or numeric id.
    pub service: String,
    /// First day of the period, YYYY-MM-DD (UTC) [default: 90 days ending --to]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day of the period, YYYY-MM-DD (UTC) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Only this site: its key (e.g. norte) or numeric id [default: every site]
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of the text and HTML reports (JSON and CSV use keys and codes)
    #[arg(long, value_enum, default_value = "en")]
    pub lang: ReportLang,
    /// Weight of criticality in the priorities [default: 0.30]; weights need not sum to 1
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub w_criticality: Option<f64>,
    /// Weight of the gap to target [default: 0.30]
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub w_gap: Option<f64>,
    /// Weight of the derived importance [default: 0.15]
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub w_importance: Option<f64>,
    /// Weight of the spread across sites [default: 0.10]
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub w_inconsistency: Option<f64>,
    /// Weight of complaints per 1,000 answers [default: 0.15]
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub w_complaints: Option<f64>,
}

impl CycleReportArgs {
    /// The weights asked for, each missing one at its default (not yet validated).
    pub fn weights(&self) -> touchpoint_core::analytics::PriorityWeights {
        touchpoint_core::analytics::PriorityWeights::or_defaults([
            self.w_criticality,
            self.w_gap,
            self.w_importance,
            self.w_inconsistency,
            self.w_complaints,
        ])
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a date written as YYYY-MM-DD"))
}
