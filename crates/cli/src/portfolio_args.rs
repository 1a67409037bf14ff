//! Flags of the portfolio commands: customer and sales imports.
use clap::Args;
use std::path::PathBuf;

/// Flags every portfolio import shares.
#[derive(Debug, Args)]
pub struct PortfolioImportArgs {
    /// The CSV file (UTF-8, a header row first).
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the bad rows to this CSV file (line,column,column_name,reason).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}
