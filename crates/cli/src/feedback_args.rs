//! Flags of the feedback commands: surveys, responses and measurements.
use crate::commands::cycle::OutputFormat;
use clap::Args;
use std::path::PathBuf;

/// Responses written per store call (one transaction each) when none is given.
pub const DEFAULT_BATCH: usize = 5_000;
/// Largest accepted `--batch-size`.
pub const MAX_BATCH: usize = 50_000;

#[derive(Debug, Args)]
pub struct ImportSurveyArgs {
    /// Path to a .yaml/.yml or .json file, or "-" for YAML on standard input.
    pub file: String,
    /// Publish the imported draft as the next version right away.
    #[arg(long)]
    pub publish: bool,
}

#[derive(Debug, Args)]
pub struct ExportSurveyArgs {
    /// Survey key (e.g. cash-a-cheque-csat).
    pub survey: String,
    /// Output format [default: from the -o extension, else yaml]
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Export this published version instead of the current draft.
    #[arg(long, value_name = "N")]
    pub version: Option<i32>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PublishSurveyArgs {
    /// Survey key.
    pub survey: String,
}

#[derive(Debug, Args)]
pub struct ImportResponsesArgs {
    /// Key of the survey the file answers; rows are checked against its current published
    /// version.
    #[arg(long, value_name = "KEY")]
    pub survey: String,
    /// The CSV file (UTF-8, comma separated, header on line 1).
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Check the whole file first and write nothing at all if any row is bad.
    #[arg(long)]
    pub all_or_nothing: bool,
    /// Responses written per transaction [default: 5000]
    #[arg(long, value_name = "N", value_parser = parse_batch)]
    pub batch_size: Option<usize>,
    /// Also write the bad rows to this CSV file (line,column,column_name,reason).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportMeasurementsArgs {
    /// The CSV file: service, moment, metric, site, observed_at, value[, measurement_id].
    pub file: PathBuf,
    /// Check and judge every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the bad rows to this CSV file (line,column,column_name,reason).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportResponsesArgs {
    /// Key of the survey whose responses are exported.
    #[arg(long, value_name = "KEY")]
    pub survey: String,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_batch(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_BATCH).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from 1 to {MAX_BATCH}")),
    }
}
