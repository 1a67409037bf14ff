//! The loop every row import shares: stream the file, parse each row, write in batches,
//! report every bad row as it is found (memory stays flat), and sum up.
use super::{columns::Columns, report::Report};
use crate::{
    failure::{rejected, usage},
    portfolio_args::PortfolioImportArgs,
    progress::Progress,
};
use async_trait::async_trait;
use std::{fs::File, io::BufReader, sync::Arc};
use touchpoint_core::feedback::CellError;

/// What writing (or, in a dry run, checking) one good row did.
pub enum RowOutcome {
    Created,
    Updated,
    AlreadyPresent,
    Rejected(Vec<CellError>),
}

/// One kind of row file.
#[async_trait]
pub trait RowImport: Send {
    type Row: Send;
    /// What the progress bar and the summary call the file.
    const WHAT: &'static str;
    const REQUIRED: &'static [&'static str];
    const OPTIONAL: &'static [&'static str];
    /// Rows per store call.
    const BATCH: usize;

    fn parse(
        &mut self,
        columns: &Columns,
        line: u64,
        record: &csv::StringRecord,
    ) -> Result<Self::Row, Vec<CellError>>;
    /// Write the rows (or only check them when `dry_run`), one outcome per row in order.
    async fn write(
        &mut self,
        columns: &Columns,
        rows: Vec<(u64, Self::Row)>,
        dry_run: bool,
    ) -> anyhow::Result<Vec<RowOutcome>>;
}

/// Import `args.file` with `import`; fails with exit code 3 when any row was rejected.
pub async fn run<I: RowImport>(
    mut import: I,
    args: &PortfolioImportArgs,
) -> anyhow::Result<super::report::Counts> {
    let shown = args.file.display().to_string();
    let file = File::open(&args.file).map_err(|e| usage(format!("cannot read {shown}: {e}")))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(file));
    let headers = csv
        .headers()
        .map_err(|e| usage(format!("{shown}: {e}")))?
        .clone();
    let columns = Columns::parse(&headers, I::REQUIRED, I::OPTIONAL).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
        usage(format!(
            "{shown}: the header is not that of a {} file:{}",
            I::WHAT,
            lines.concat()
        ))
    })?;
    let progress = Arc::new(Progress::new(total, "importing"));
    let mut report = Report::new(progress.clone(), args.report.as_deref(), true)?;
    let mut record = csv::StringRecord::new();
    let mut batch: Vec<(u64, I::Row)> = Vec::with_capacity(I::BATCH);
    let mut more = true;
    while more {
        more = csv
            .read_record(&mut record)
            .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        if more {
            report.counts.rows += 1;
            let line = record.position().map_or(0, |p| p.line());
            progress.update(
                report.counts.rows,
                record.position().map_or(0, |p| p.byte()),
            );
            match import.parse(&columns, line, &record) {
                Ok(row) => batch.push((line, row)),
                Err(errors) => {
                    report.counts.rejected += 1;
                    for e in &errors {
                        report.problem(e)?;
                    }
                }
            }
        }
        if batch.len() >= I::BATCH || (!more && !batch.is_empty()) {
            let rows = std::mem::take(&mut batch);
            for outcome in import.write(&columns, rows, args.dry_run).await? {
                match outcome {
                    RowOutcome::Created => report.counts.created += 1,
                    RowOutcome::Updated => report.counts.updated += 1,
                    RowOutcome::AlreadyPresent => report.counts.already_present += 1,
                    RowOutcome::Rejected(errors) => {
                        report.counts.rejected += 1;
                        for e in &errors {
                            report.problem(e)?;
                        }
                        continue;
                    }
                }
                report.counts.valid += 1;
            }
        }
    }
    report.finish()?;
    let c = report.counts;
    let mut line = format!("{shown}: {}", c.summary(!args.dry_run));
    if args.dry_run {
        line.push_str("; dry run: nothing was written");
    }
    println!("{line}");
    match c.rejected {
        0 => Ok(c),
        n => Err(rejected(format!("{n} of {} rows were rejected", c.rows))),
    }
}
