//! `import responses` and `export responses`: the wide CSV format survey tools export.
//!
//! Import streams: a blocking thread reads and checks rows into chunks of `--batch-size`
//! responses while the previous chunk is written by `submit_responses` (one transaction per
//! chunk), so memory stays flat and parsing overlaps writing. Re-importing a file creates
//! nothing new: `response_id` is the response's external id, unique per survey.
pub mod export;
pub mod read;
pub mod refs;
mod write;

use super::{
    CLI_ACTOR, SharedStore,
    report::{Counts, Report},
    survey::{current_version, find_survey},
};
use crate::{
    failure::rejected, feedback_args::DEFAULT_BATCH, feedback_args::ImportResponsesArgs,
    progress::Progress,
};
use anyhow::Context;
use read::RowReader;
use refs::Refs;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::task::JoinHandle;
use touchpoint_core::{
    audit::{Actor, NewAuditEntry},
    feedback::{
        CellError,
        records::{SubmitOutcome, SurveyVersion},
    },
};
use write::Written;

/// Prefix of the `response_id` an export gives a response that has no external id (answered
/// on the page or through the API), so importing the export again recognises it.
pub const NATIVE_ID_PREFIX: &str = "touchpoint-";

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub all_or_nothing: bool,
    pub batch: usize,
    pub report: Option<PathBuf>,
    /// Print every problem as it is found.
    pub echo: bool,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Imported {
    pub counts: Counts,
    /// Whether anything was (or could have been) written.
    pub written: bool,
    pub elapsed: Duration,
}

pub async fn import(store: SharedStore, args: ImportResponsesArgs) -> anyhow::Result<()> {
    let opts = ImportOptions {
        dry_run: args.dry_run,
        all_or_nothing: args.all_or_nothing,
        batch: args.batch_size.unwrap_or(DEFAULT_BATCH),
        report: args.report.clone(),
        echo: true,
        progress: true,
    };
    let done = import_file(&store, &args.survey, &args.file, &opts).await?;
    let c = done.counts;
    let rate = c.rows as f64 / done.elapsed.as_secs_f64().max(1e-9);
    let mut line = format!("{}: {}", args.file.display(), c.summary(done.written));
    line.push_str(&format!(
        " in {:.1} s ({rate:.0} rows/s)",
        done.elapsed.as_secs_f64()
    ));
    if args.dry_run {
        line.push_str("; dry run: nothing was written");
    } else if !done.written {
        line.push_str("; --all-or-nothing: nothing was written");
    }
    println!("{line}");
    match c.rejected {
        0 => Ok(()),
        n => Err(rejected(format!("{n} of {} rows were rejected", c.rows))),
    }
}

/// Import (or with `dry_run` only check) a wide CSV file into the survey `survey_key`.
pub async fn import_file(
    store: &SharedStore,
    survey_key: &str,
    path: &Path,
    opts: &ImportOptions,
) -> anyhow::Result<Imported> {
    let started = Instant::now();
    let survey = find_survey(store.as_ref(), survey_key).await?;
    let version = Arc::new(current_version(store.as_ref(), &survey).await?);
    let refs = Arc::new(Refs::load(store.as_ref()).await?);
    let total = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let progress = || {
        Arc::new(match opts.progress {
            true => Progress::new(total, "importing"),
            false => Progress::hidden(),
        })
    };
    let mut report = Report::new(progress(), opts.report.as_deref(), opts.echo)?;
    let pass = |write: bool| Pass {
        store: store.clone(),
        path: path.to_path_buf(),
        version: version.clone(),
        refs: refs.clone(),
        batch: opts.batch,
        write,
    };
    let write = !opts.dry_run;
    if opts.all_or_nothing || opts.dry_run {
        pass(false).run(&mut report).await?;
        if !write || report.counts.rejected > 0 {
            report.finish()?;
            return Ok(Imported {
                counts: report.counts,
                written: false,
                elapsed: started.elapsed(),
            });
        }
        report = Report::new(progress(), opts.report.as_deref(), opts.echo)?;
    }
    pass(true).run(&mut report).await?;
    report.finish()?;
    let counts = report.counts;
    let detail = serde_json::json!({
        "survey": survey.key,
        "version": version.version,
        "file": path.display().to_string(),
        "counts": counts,
    });
    let entry = NewAuditEntry::event(
        &Actor::system(CLI_ACTOR),
        "responses.import",
        detail.to_string(),
    );
    store.record(&entry).await?;
    Ok(Imported {
        counts,
        written: true,
        elapsed: started.elapsed(),
    })
}

/// One streaming pass over the file.
struct Pass {
    store: SharedStore,
    path: PathBuf,
    version: Arc<SurveyVersion>,
    refs: Arc<Refs>,
    batch: usize,
    write: bool,
}

impl Pass {
    /// Read chunks and write them with up to two submissions in flight: while one chunk is
    /// committed by the store's writer, the next is already being prepared.
    async fn run(&self, report: &mut Report) -> anyhow::Result<()> {
        let mut reader = RowReader::open(
            &self.path,
            self.version.clone(),
            self.refs.clone(),
            self.batch,
        )?;
        reader.build = self.write;
        let (tx, mut rx) = tokio::sync::mpsc::channel(2);
        let progress = report.progress().clone();
        let reading = tokio::task::spawn_blocking(move || reader.run(tx, progress));
        let mut in_flight: Option<JoinHandle<anyhow::Result<Written>>> = None;
        while let Some(chunk) = rx.recv().await {
            let chunk = chunk?;
            let c = &mut report.counts;
            c.rows += chunk.rows;
            c.valid += chunk.good;
            c.rejected += chunk.bad;
            for e in &chunk.errors {
                report.problem(e)?;
            }
            if self.write {
                let next = tokio::spawn(write::chunk(self.store.clone(), chunk));
                if let Some(previous) = in_flight.replace(next) {
                    account(previous, report).await?;
                }
            }
        }
        if let Some(last) = in_flight {
            account(last, report).await?;
        }
        reading.await.context("the file reader stopped")?;
        Ok(())
    }
}

/// Count what a finished submission did and report its refused rows.
async fn account(
    handle: JoinHandle<anyhow::Result<Written>>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let written = handle
        .await
        .context("a submission stopped")?
        .with_context(|| {
            format!(
                "the import stopped after {} responses were written",
                report.counts.created
            )
        })?;
    report.counts.already_present += written.native_present;
    for (outcome, line) in written.outcomes {
        match outcome {
            Ok(SubmitOutcome::Created(_)) => report.counts.created += 1,
            Ok(SubmitOutcome::AlreadyExists(_)) => report.counts.already_present += 1,
            Err(e) => {
                report.counts.valid -= 1;
                report.counts.rejected += 1;
                report.problem(&CellError {
                    line,
                    column: 0,
                    column_name: String::new(),
                    reason: e.to_string(),
                })?;
            }
        }
    }
    Ok(())
}
