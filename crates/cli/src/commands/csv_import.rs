//! The loop every row import shares: stream the file, parse each row, write in batches,
//! report every bad row as it is found (memory stays flat), and sum up.
use super::{
    columns::{Columns, HeaderSpec},
    report::{Counts, Report},
};
use crate::{
    failure::{rejected, usage},
    portfolio_args::PortfolioImportArgs,
    progress::Progress,
};
use async_trait::async_trait;
use std::{fs::File, io::BufReader, path::PathBuf, sync::Arc};
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

    /// The columns the file must and may have; by default `REQUIRED` and `OPTIONAL`.
    fn header(&self) -> HeaderSpec {
        HeaderSpec::fixed(Self::REQUIRED, Self::OPTIONAL)
    }

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

/// How a file is imported.
#[derive(Debug, Clone)]
pub struct ImportFlags {
    pub file: PathBuf,
    pub dry_run: bool,
    /// Check the whole file first and write nothing if any row is bad.
    pub all_or_nothing: bool,
    pub report: Option<PathBuf>,
}

impl From<&PortfolioImportArgs> for ImportFlags {
    fn from(a: &PortfolioImportArgs) -> Self {
        Self {
            file: a.file.clone(),
            dry_run: a.dry_run,
            all_or_nothing: false,
            report: a.report.clone(),
        }
    }
}

/// Import `args.file` with `import`; fails with exit code 3 when any row was rejected.
pub async fn run<I: RowImport>(
    import: I,
    args: &PortfolioImportArgs,
) -> anyhow::Result<super::report::Counts> {
    run_with(import, &ImportFlags::from(args)).await
}

/// Import `flags.file` with `import`: with `all_or_nothing`, a first pass checks every row
/// (writing nothing) and the second pass writes only when none was rejected. Fails with exit
/// code 3 when any row was rejected.
pub async fn run_with<I: RowImport>(mut import: I, flags: &ImportFlags) -> anyhow::Result<Counts> {
    let shown = flags.file.display().to_string();
    let mut note = flags.dry_run.then_some("; dry run: nothing was written");
    let check_first = flags.all_or_nothing && !flags.dry_run;
    let mut counts = pass(&mut import, flags, !check_first && !flags.dry_run).await?;
    if check_first {
        if counts.rejected > 0 {
            note = Some("; --all-or-nothing: nothing was written");
        } else {
            counts = pass(&mut import, flags, true).await?;
        }
    }
    let written = !flags.dry_run && note.is_none();
    println!("{shown}: {}{}", counts.summary(written), note.unwrap_or(""));
    match counts.rejected {
        0 => Ok(counts),
        n => Err(rejected(format!(
            "{n} of {} rows were rejected",
            counts.rows
        ))),
    }
}

/// One streaming pass over the file; writes only when `write`.
async fn pass<I: RowImport>(
    import: &mut I,
    flags: &ImportFlags,
    write: bool,
) -> anyhow::Result<Counts> {
    let shown = flags.file.display().to_string();
    let file = File::open(&flags.file).map_err(|e| usage(format!("cannot read {shown}: {e}")))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(file));
    let headers = csv
        .headers()
        .map_err(|e| usage(format!("{shown}: {e}")))?
        .clone();
    let columns = Columns::parse_spec(&headers, &import.header()).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
        usage(format!(
            "{shown}: the header is not that of a {} file:{}",
            I::WHAT,
            lines.concat()
        ))
    })?;
    let progress = Arc::new(Progress::new(total, "importing"));
    let mut report = Report::new(progress.clone(), flags.report.as_deref(), true)?;
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
            for outcome in import.write(&columns, rows, !write).await? {
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
    Ok(report.counts)
}
