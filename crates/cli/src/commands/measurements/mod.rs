//! `import measurements`: observed values of standards from a CSV file with the columns
//! `service`, `moment`, `metric`, `site`, `observed_at`, `value` and optionally
//! `measurement_id` (the source's id: re-importing the same file creates nothing new). Each
//! row is judged against the standards of its moment's current cycle. Streams in batches;
//! the report has the same form as `import responses`.
mod layout;

use super::{CLI_ACTOR, SharedStore, report::Report, responses::refs::Refs};
use crate::{
    failure::{rejected, usage},
    feedback_args::ImportMeasurementsArgs,
    progress::Progress,
};
use layout::{Layout, cell};
use std::{collections::HashMap, fs::File, io::BufReader, sync::Arc};
use touchpoint_core::{
    StoreError,
    audit::{Actor, NewAuditEntry},
    clock::Clock,
    cycle::CycleVersion,
    feedback::{
        CellError, MeasurementDraft,
        records::{NewMeasurement, SubmitOutcome},
    },
    listing::ListQuery,
    store::Store,
};

/// Measurements written per store call.
const BATCH: usize = 5_000;

/// Services by key with their current cycle (measurements are judged against it).
async fn services(store: &dyn Store) -> anyhow::Result<HashMap<String, (i64, Arc<CycleVersion>)>> {
    let mut out = HashMap::new();
    for s in store.list_services(&ListQuery::all()).await?.items {
        match store.current_cycle(s.id).await {
            Ok(c) => {
                out.insert(s.key, (s.id, Arc::new(c)));
            }
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// Measurements are judged at `clock.now()` (none may be dated in the future).
pub async fn import(
    store: SharedStore,
    clock: Arc<dyn Clock>,
    args: ImportMeasurementsArgs,
) -> anyhow::Result<()> {
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
    let layout = Layout::parse(&headers).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
        usage(format!(
            "{shown}: the header is not that of a measurements file:{}",
            lines.concat()
        ))
    })?;
    let services = services(store.as_ref()).await?;
    let refs = Refs::load(store.as_ref()).await?;
    let progress = Arc::new(Progress::new(total, "importing"));
    let mut report = Report::new(progress.clone(), args.report.as_deref(), true)?;
    let actor = Actor::system(CLI_ACTOR);
    let now = clock.now();
    let (mut met, mut missed) = (0u64, 0u64);
    let mut record = csv::StringRecord::new();
    let mut batch: Vec<NewMeasurement> = Vec::with_capacity(BATCH);
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
            match row(&layout, &services, &refs, line, &record, now) {
                Ok(m) => {
                    report.counts.valid += 1;
                    if m.judged.met() {
                        met += 1
                    } else {
                        missed += 1
                    }
                    batch.push(m);
                }
                Err(errors) => {
                    report.counts.rejected += 1;
                    for e in &errors {
                        report.problem(e)?;
                    }
                }
            }
        }
        if batch.len() >= BATCH || (!more && !batch.is_empty()) {
            if !args.dry_run {
                for outcome in store.record_measurements(&actor, &batch).await? {
                    match outcome {
                        SubmitOutcome::Created(_) => report.counts.created += 1,
                        _ => report.counts.already_present += 1,
                    }
                }
            }
            batch.clear();
        }
    }
    report.finish()?;
    let c = report.counts;
    let mut line = format!(
        "{shown}: {}; {met} met their standard, {missed} did not",
        c.summary(!args.dry_run)
    );
    if args.dry_run {
        line.push_str("; dry run: nothing was written");
    } else {
        let detail = serde_json::json!({"file": shown, "counts": c, "met": met, "not_met": missed});
        store
            .record(&NewAuditEntry::event(
                &actor,
                "measurements.import",
                detail.to_string(),
            ))
            .await?;
    }
    println!("{line}");
    match c.rejected {
        0 => Ok(()),
        n => Err(rejected(format!("{n} of {} rows were rejected", c.rows))),
    }
}

fn row(
    layout: &Layout,
    services: &HashMap<String, (i64, Arc<CycleVersion>)>,
    refs: &Refs,
    line: u64,
    record: &csv::StringRecord,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<NewMeasurement, Vec<CellError>> {
    if record.len() != layout.names.len() {
        let reason = format!(
            "the row has {} cells but the header has {} columns",
            record.len(),
            layout.names.len()
        );
        return Err(vec![cell(line, 0, "", reason)]);
    }
    let get = |slot: usize| record.get(layout.at[slot]).unwrap_or_default().trim();
    let mut errors = Vec::new();
    let service = services.get(get(0));
    if service.is_none() {
        let reason = format!("no service with key '{}' and a published cycle", get(0));
        errors.push(layout.field_error(line, "service_key", &reason));
    }
    let site_id = refs.site_id(get(3));
    if site_id.is_none() {
        errors.push(layout.field_error(
            line,
            "site_key",
            &format!("no site with key '{}'", get(3)),
        ));
    }
    let judged = MeasurementDraft::from_cells(get(1), get(2), get(3), get(4), get(5))
        .map_err(|e| errors.extend(layout.errors(line, &e)))
        .ok()
        .and_then(|d| {
            let (_, cycle) = service?;
            d.judge(cycle, now)
                .map_err(|e| errors.extend(layout.errors(line, &e)))
                .ok()
        });
    match (service, site_id, judged) {
        (Some((service_id, _)), Some(site_id), Some(judged)) if errors.is_empty() => {
            let external_id = layout
                .id
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            Ok(NewMeasurement {
                service_id: *service_id,
                site_id,
                external_id,
                judged,
            })
        }
        _ => {
            errors.sort_by_key(|e| e.column);
            errors.dedup();
            Err(errors)
        }
    }
}
