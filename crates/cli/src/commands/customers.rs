//! `import customers`: create or update customers by `ref` from a CSV file with the columns
//! `ref`, `name` and optionally `status`, `segment`, `site` (a site key), `email`, `phone`,
//! `lost_reason`, `lost_note`, `lost_moment`, `status_since` (when the status began: RFC 3339
//! or `YYYY-MM-DD HH:MM:SS`). Re-importing the same file changes nothing.
use super::{
    CLI_ACTOR, SharedStore,
    columns::Columns,
    csv_import::{self, RowImport, RowOutcome},
    responses::refs::Refs,
};
use crate::portfolio_args::PortfolioImportArgs;
use async_trait::async_trait;
use std::collections::HashSet;
use touchpoint_core::{
    StoreError,
    audit::{Actor, NewAuditEntry},
    feedback::CellError,
    portfolio::{CustomerFields, CustomerInput, SaveOutcome},
};

/// The CSV column a validation field comes from.
fn column_of(field: &str) -> &str {
    match field {
        "site_id" => "site",
        "lost_moment_key" => "lost_moment",
        "status_since" => "status_since",
        other => other,
    }
}

struct CustomerImport {
    store: SharedStore,
    sites: Refs,
    /// Active lost reasons, checked while parsing so a dry run finds them too.
    reasons: HashSet<String>,
    actor: Actor,
}

#[async_trait]
impl RowImport for CustomerImport {
    type Row = CustomerFields;
    const WHAT: &'static str = "customers";
    const REQUIRED: &'static [&'static str] = &["ref", "name"];
    const OPTIONAL: &'static [&'static str] = &[
        "status",
        "segment",
        "site",
        "email",
        "phone",
        "lost_reason",
        "lost_note",
        "lost_moment",
        "status_since",
    ];
    const BATCH: usize = 1000;

    fn parse(
        &mut self,
        c: &Columns,
        line: u64,
        r: &csv::StringRecord,
    ) -> Result<CustomerFields, Vec<CellError>> {
        let text = |col: &str| c.get(r, col).to_string();
        let some = |col: &str| Some(text(col)).filter(|v| !v.is_empty());
        let mut errors = Vec::new();
        let site_id = match some("site") {
            None => None,
            Some(key) => match self.sites.site_id(&key) {
                Some(id) => Some(id),
                None => {
                    errors.push(c.error(
                        line,
                        "site",
                        &format!("there is no site with key '{key}'"),
                    ));
                    None
                }
            },
        };
        if let Some(reason) = some("lost_reason").filter(|k| !self.reasons.contains(k)) {
            errors.push(c.error(
                line,
                "lost_reason",
                &format!("'{reason}' is not one of the configured lost reasons"),
            ));
        }
        let input = CustomerInput {
            reference: text("ref"),
            name: text("name"),
            email: text("email"),
            phone: text("phone"),
            segment: text("segment"),
            site_id,
            status: some("status"),
            lost_reason: some("lost_reason"),
            lost_note: text("lost_note"),
            lost_moment_key: some("lost_moment"),
            status_since: None,
        };
        let mut input = input;
        if let Some(text) = some("status_since") {
            match touchpoint_core::feedback::timestamp::parse_timestamp(&text) {
                Ok(t) => input.status_since = Some(t),
                Err(e) => errors.push(c.error(line, "status_since", &e)),
            }
        }
        match input.validate() {
            Ok(f) if errors.is_empty() => Ok(f),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.extend(c.errors(line, &e, column_of));
                errors.sort_by_key(|e| e.column);
                Err(errors)
            }
        }
    }

    async fn write(
        &mut self,
        c: &Columns,
        rows: Vec<(u64, CustomerFields)>,
        dry_run: bool,
    ) -> anyhow::Result<Vec<RowOutcome>> {
        if dry_run {
            return Ok(rows.iter().map(|_| RowOutcome::Created).collect());
        }
        let fields: Vec<CustomerFields> = rows.iter().map(|(_, f)| f.clone()).collect();
        let outcomes = self.store.save_customers(&self.actor, &fields).await?;
        rows.iter()
            .zip(outcomes)
            .map(|((line, _), o)| match o {
                Ok(SaveOutcome::Created(_)) => Ok(RowOutcome::Created),
                Ok(SaveOutcome::Updated(_)) => Ok(RowOutcome::Updated),
                Ok(SaveOutcome::Unchanged(_)) => Ok(RowOutcome::AlreadyPresent),
                Err(StoreError::Invalid(e)) => {
                    Ok(RowOutcome::Rejected(c.errors(*line, &e, column_of)))
                }
                Err(StoreError::Conflict { field, message }) => {
                    Ok(RowOutcome::Rejected(vec![c.error(
                        *line,
                        column_of(&field),
                        &message,
                    )]))
                }
                Err(e) => Err(e.into()),
            })
            .collect()
    }
}

pub async fn import(store: SharedStore, args: PortfolioImportArgs) -> anyhow::Result<()> {
    let sites = Refs::load(store.as_ref()).await?;
    let reasons = store
        .lost_reasons()
        .await?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.key)
        .collect();
    let actor = Actor::system(CLI_ACTOR);
    let import = CustomerImport {
        store: store.clone(),
        sites,
        reasons,
        actor: actor.clone(),
    };
    let result = csv_import::run(import, &args).await;
    if let (false, Ok(counts)) = (args.dry_run, &result) {
        let detail = serde_json::json!({"file": args.file.display().to_string(), "counts": counts});
        store
            .record(&NewAuditEntry::event(
                &actor,
                "customers.import",
                detail.to_string(),
            ))
            .await?;
    }
    result.map(|_| ())
}
