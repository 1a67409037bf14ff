//! `import complaints FILE.csv --mapping MAP.yaml`: cases exported by another system (a CFPB
//! download, an old helpdesk), read through a mapping file ([`mapping`]), streamed with the
//! loop every import shares (`csv_import`): bad rows reported as `line L, column C (name):
//! reason`, `--dry-run`, `--all-or-nothing`, `--report`, a progress bar on a terminal.
//!
//! Re-importing the same file creates nothing: the mapped external id is unique. Historical
//! cases keep their status; policies never fire for deadlines that passed before the import
//! (see `touchpoint_core::complaints::import`).
pub mod mapping;

use super::{
    CLI_ACTOR, SharedStore,
    columns::{Columns, HeaderSpec},
    csv_import::{self, ImportFlags, RowImport, RowOutcome},
    responses::refs::Refs,
};
use crate::failure::usage;
use async_trait::async_trait;
use clap::Args;
use mapping::{MappedRow, Mapping};
use rand::RngCore;
use std::{path::PathBuf, sync::Arc};
use tokio::task::JoinSet;
use touchpoint_core::{
    StoreError,
    audit::{Actor, NewAuditEntry},
    clock::Clock,
    complaints::{ImportOutcome, ImportedComplaint},
    cycle::CycleVersion,
    feedback::CellError,
};

#[derive(Debug, Args)]
pub struct ImportComplaintsArgs {
    /// The CSV file (UTF-8, a header row first); columns the mapping does not name are ignored.
    pub file: PathBuf,
    /// The YAML file saying which column feeds which complaint field (see docs/CLI.md).
    #[arg(long, value_name = "MAP.yaml")]
    pub mapping: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Check the whole file first and write nothing at all if any row is bad.
    #[arg(long)]
    pub all_or_nothing: bool,
    /// Also write the bad rows to this CSV file (line,column,column_name,reason).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// Rows written concurrently: each is its own transaction, and on SQLite concurrent writes
/// share one group commit.
const IN_FLIGHT: usize = 64;

struct ComplaintImport {
    store: SharedStore,
    mapping: Mapping,
    cycle: Option<CycleVersion>,
    sites: Refs,
    clock: Arc<dyn Clock>,
    actor: Actor,
}

impl ComplaintImport {
    fn problem(&self, c: &Columns, line: u64, column: Option<&str>, message: &str) -> CellError {
        match column {
            Some(col) => c.error(line, col, message),
            None => super::columns::cell(line, 0, "", message.to_string()),
        }
    }

    /// Site and moment resolved, then every rule of a complaint checked.
    fn check(
        &self,
        c: &Columns,
        line: u64,
        row: MappedRow,
    ) -> Result<ImportedComplaint, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut input = row.input;
        if let Some(key) = &row.site_key {
            match self.sites.site_id(key) {
                Some(id) => input.site_id = Some(id),
                None => {
                    let column = self.mapping.column_of("site_id");
                    let message = format!("there is no site with key '{key}'");
                    errors.push(self.problem(c, line, column.as_deref(), &message));
                }
            }
        }
        match input.validate(self.cycle.as_ref(), &[], self.clock.now()) {
            Ok(complaint) if errors.is_empty() => Ok(ImportedComplaint {
                external_id: row.external_id,
                complaint,
                status: row.status,
                status_token_hash: unshown_token(),
            }),
            Ok(_) => Err(errors),
            Err(e) => {
                for f in &e.0 {
                    let column = self.mapping.column_of(&f.field);
                    // The description is joined from several columns: say so.
                    let message = match (&column, f.field.as_str()) {
                        (Some(_), "description") => format!("description: {}", f.message),
                        (Some(_), _) => f.message.clone(),
                        (None, _) => format!("{}: {}", f.field, f.message),
                    };
                    errors.push(self.problem(c, line, column.as_deref(), &message));
                }
                errors.sort_by_key(|e| e.column);
                Err(errors)
            }
        }
    }
}

/// A status-page token hash nobody can use: 256 random bits stand in for the SHA-256 of a
/// token that was never made (imported customers were never sent a link).
fn unshown_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[async_trait]
impl RowImport for ComplaintImport {
    type Row = ImportedComplaint;
    const WHAT: &'static str = "complaints";
    const REQUIRED: &'static [&'static str] = &[];
    const OPTIONAL: &'static [&'static str] = &[];
    const BATCH: usize = 512;

    fn header(&self) -> HeaderSpec {
        HeaderSpec {
            required: self.mapping.columns(),
            optional: Vec::new(),
            others_ignored: true,
        }
    }

    fn parse(
        &mut self,
        c: &Columns,
        line: u64,
        r: &csv::StringRecord,
    ) -> Result<ImportedComplaint, Vec<CellError>> {
        match self.mapping.read(|col| c.get(r, col)) {
            Ok(row) => self.check(c, line, row),
            Err(problems) => Err(problems
                .iter()
                .map(|(col, m)| self.problem(c, line, col.as_deref(), m))
                .collect()),
        }
    }

    async fn write(
        &mut self,
        c: &Columns,
        rows: Vec<(u64, ImportedComplaint)>,
        dry_run: bool,
    ) -> anyhow::Result<Vec<RowOutcome>> {
        if dry_run {
            return Ok(rows.iter().map(|_| RowOutcome::Created).collect());
        }
        let mut outcomes: Vec<Option<RowOutcome>> = rows.iter().map(|_| None).collect();
        let mut lines = Vec::with_capacity(rows.len());
        let mut running = JoinSet::new();
        for (i, (line, row)) in rows.into_iter().enumerate() {
            lines.push(line);
            if running.len() >= IN_FLIGHT
                && let Some(done) = running.join_next().await
            {
                let (at, result) = done?;
                outcomes[at] = Some(self.outcome(c, lines[at], result)?);
            }
            let (store, actor) = (self.store.clone(), self.actor.clone());
            running.spawn(async move { (i, store.import_complaint(&actor, &row).await) });
        }
        while let Some(done) = running.join_next().await {
            let (at, result) = done?;
            outcomes[at] = Some(self.outcome(c, lines[at], result)?);
        }
        Ok(outcomes.into_iter().flatten().collect())
    }
}

impl ComplaintImport {
    fn outcome(
        &self,
        c: &Columns,
        line: u64,
        result: Result<ImportOutcome, StoreError>,
    ) -> anyhow::Result<RowOutcome> {
        let on = |field: &str, message: &str| {
            let column = self.mapping.column_of(field);
            let column = column.as_deref().or(match field {
                "external_id" => self.mapping.external_id.column.as_deref(),
                _ => None,
            });
            self.problem(c, line, column, message)
        };
        match result {
            Ok(ImportOutcome::Created(_)) => Ok(RowOutcome::Created),
            Ok(ImportOutcome::AlreadyPresent(_)) => Ok(RowOutcome::AlreadyPresent),
            Err(StoreError::Invalid(e)) => Ok(RowOutcome::Rejected(
                e.0.iter().map(|f| on(&f.field, &f.message)).collect(),
            )),
            Err(StoreError::Conflict { field, message }) => {
                Ok(RowOutcome::Rejected(vec![on(&field, &message)]))
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// The current cycle of the mapping's moment service: moments are checked against it.
async fn moment_cycle(store: &SharedStore, m: &Mapping) -> anyhow::Result<Option<CycleVersion>> {
    let Some(moment) = &m.moment else {
        return Ok(None);
    };
    let service = match store.get_service_by_key(&moment.service).await {
        Ok(s) => s,
        Err(StoreError::NotFound { .. }) => {
            return Err(usage(format!(
                "the mapping's moment service '{}' does not exist; import its cycle first",
                moment.service
            )));
        }
        Err(e) => return Err(e.into()),
    };
    match store.current_cycle(service.id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound { .. }) => Err(usage(format!(
            "the service '{}' has no published cycle, so it has no moments yet",
            moment.service
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn import(
    store: SharedStore,
    clock: Arc<dyn Clock>,
    args: ImportComplaintsArgs,
) -> anyhow::Result<()> {
    let mapping = Mapping::load(&args.mapping).map_err(|e| usage(format!("{e:#}")))?;
    let cycle = moment_cycle(&store, &mapping).await?;
    let sites = Refs::load(store.as_ref()).await?;
    let actor = Actor::system(CLI_ACTOR);
    let import = ComplaintImport {
        store: store.clone(),
        mapping,
        cycle,
        sites,
        clock,
        actor: actor.clone(),
    };
    let flags = ImportFlags {
        file: args.file.clone(),
        dry_run: args.dry_run,
        all_or_nothing: args.all_or_nothing,
        report: args.report.clone(),
    };
    let result = csv_import::run_with(import, &flags).await;
    if let (false, Ok(counts)) = (args.dry_run, &result)
        && counts.created + counts.already_present > 0
    {
        let detail = serde_json::json!({
            "file": args.file.display().to_string(),
            "mapping": args.mapping.display().to_string(),
            "counts": counts,
        });
        let entry = NewAuditEntry::event(&actor, "complaints.import", detail.to_string());
        store.record(&entry).await?;
    }
    result.map(|_| ())
}
