//! The report of a bulk import: counts, and every bad row as `line L, column C (name): reason`
//! printed as it is found (so memory stays flat however many rows are bad), optionally also
//! written to a CSV file (`line,column,column_name,reason`).
use crate::{failure::usage, progress::Progress};
use serde::Serialize;
use std::{fs::File, io::BufWriter, path::Path, sync::Arc};
use touchpoint_core::feedback::CellError;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Data rows read (the header is not counted).
    pub rows: u64,
    /// Rows that passed every check.
    pub valid: u64,
    pub created: u64,
    /// Rows that changed something already stored (customers updated by ref).
    pub updated: u64,
    pub already_present: u64,
    /// Rows with at least one problem; none of them was written.
    pub rejected: u64,
}

impl Counts {
    /// `N rows read: …`; `written` tells whether rows were written or only checked.
    pub fn summary(&self, written: bool) -> String {
        if written && self.updated > 0 {
            format!(
                "{} rows read: {} created, {} updated, {} already present, {} rejected",
                self.rows, self.created, self.updated, self.already_present, self.rejected
            )
        } else if written {
            format!(
                "{} rows read: {} created, {} already present, {} rejected",
                self.rows, self.created, self.already_present, self.rejected
            )
        } else {
            format!(
                "{} rows read: {} valid, {} rejected",
                self.rows, self.valid, self.rejected
            )
        }
    }
}

pub struct Report {
    progress: Arc<Progress>,
    file: Option<csv::Writer<BufWriter<File>>>,
    /// Print each problem (false for benchmarks).
    echo: bool,
    pub counts: Counts,
}

impl Report {
    pub fn new(progress: Arc<Progress>, report: Option<&Path>, echo: bool) -> anyhow::Result<Self> {
        let file = match report {
            None => None,
            Some(path) => {
                let f = File::create(path)
                    .map_err(|e| usage(format!("cannot write {}: {e}", path.display())))?;
                let mut w = csv::Writer::from_writer(BufWriter::new(f));
                w.write_record(["line", "column", "column_name", "reason"])?;
                Some(w)
            }
        };
        Ok(Self {
            progress,
            file,
            echo,
            counts: Counts::default(),
        })
    }

    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// One problem of a bad row.
    pub fn problem(&mut self, e: &CellError) -> anyhow::Result<()> {
        if self.echo {
            self.progress.println(&e.to_string());
        }
        if let Some(w) = &mut self.file {
            w.write_record([
                e.line.to_string(),
                e.column.to_string(),
                e.column_name.clone(),
                e.reason.clone(),
            ])?;
        }
        Ok(())
    }

    /// Flush the CSV report and clear the progress bar.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.progress.finish();
        if let Some(w) = &mut self.file {
            w.flush()?;
        }
        Ok(())
    }
}
