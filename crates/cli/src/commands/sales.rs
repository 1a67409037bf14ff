//! `import sales`: sales records from a CSV file with the columns `customer` (the customer's
//! `ref`), `date` (YYYY-MM-DD), `amount`, `currency` and optionally `service` (a service key)
//! and `sale_id`. Without `sale_id` each row is known by its content and how many identical
//! rows came before it in the file, so importing the same file again adds nothing.
use super::{
    CLI_ACTOR, SharedStore,
    columns::Columns,
    csv_import::{self, RowImport, RowOutcome},
};
use crate::portfolio_args::PortfolioImportArgs;
use async_trait::async_trait;
use std::{
    collections::{HashMap, HashSet, hash_map::DefaultHasher},
    hash::{Hash, Hasher},
};
use touchpoint_core::{
    StoreError,
    audit::Actor,
    feedback::{CellError, records::SubmitOutcome},
    portfolio::{Money, SaleInput, ValidSale, sale::import_sale_id},
};

struct SalesImport {
    store: SharedStore,
    actor: Actor,
    /// How many rows with the same content were seen, by a hash of the content (8 bytes a
    /// distinct row, not the row itself).
    seen: HashMap<u64, u32>,
    /// Customer refs known to exist (dry runs check them without writing).
    known: HashSet<String>,
}

fn content_hash(s: &ValidSale) -> u64 {
    let mut h = DefaultHasher::new();
    (
        &s.customer_ref,
        s.date,
        s.amount,
        &s.currency,
        &s.service_key,
    )
        .hash(&mut h);
    h.finish()
}

#[async_trait]
impl RowImport for SalesImport {
    type Row = ValidSale;
    const WHAT: &'static str = "sales";
    const REQUIRED: &'static [&'static str] = &["customer", "date", "amount", "currency"];
    const OPTIONAL: &'static [&'static str] = &["service", "sale_id"];
    const BATCH: usize = 5000;

    fn parse(
        &mut self,
        c: &Columns,
        line: u64,
        r: &csv::StringRecord,
    ) -> Result<ValidSale, Vec<CellError>> {
        let amount = Money::parse(c.get(r, "amount"));
        let input = SaleInput {
            customer: c.get(r, "customer").into(),
            date: c.get(r, "date").into(),
            amount: *amount.as_ref().unwrap_or(&Money::ZERO),
            currency: c.get(r, "currency").into(),
            service: Some(c.get(r, "service").to_string()),
            sale_id: Some(c.get(r, "sale_id").to_string()),
        };
        let mut errors = Vec::new();
        if let Err(reason) = &amount {
            errors.push(c.error(line, "amount", reason));
        }
        match input.validate() {
            Ok(mut sale) if errors.is_empty() => {
                if sale.sale_id.is_none() {
                    let n = self.seen.entry(content_hash(&sale)).or_default();
                    sale.sale_id = Some(import_sale_id(&sale, *n));
                    *n += 1;
                }
                Ok(sale)
            }
            Ok(_) => Err(errors),
            Err(e) => {
                errors.extend(c.errors(line, &e, |f| f));
                errors.sort_by_key(|e| e.column);
                Err(errors)
            }
        }
    }

    async fn write(
        &mut self,
        c: &Columns,
        rows: Vec<(u64, ValidSale)>,
        dry_run: bool,
    ) -> anyhow::Result<Vec<RowOutcome>> {
        if dry_run {
            let mut out = Vec::with_capacity(rows.len());
            for (line, s) in &rows {
                if !self.known.contains(&s.customer_ref) {
                    match self.store.get_customer_by_ref(&s.customer_ref).await {
                        Ok(_) => {
                            self.known.insert(s.customer_ref.clone());
                        }
                        Err(StoreError::NotFound { .. }) => {
                            let why = format!("there is no customer with ref '{}'", s.customer_ref);
                            out.push(RowOutcome::Rejected(vec![c.error(*line, "customer", &why)]));
                            continue;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                out.push(RowOutcome::Created);
            }
            return Ok(out);
        }
        let sales: Vec<ValidSale> = rows.iter().map(|(_, s)| s.clone()).collect();
        let outcomes = self.store.record_sales(&self.actor, &sales).await?;
        rows.iter()
            .zip(outcomes)
            .map(|((line, _), o)| match o {
                Ok(SubmitOutcome::Created(_)) => Ok(RowOutcome::Created),
                Ok(SubmitOutcome::AlreadyExists(_)) => Ok(RowOutcome::AlreadyPresent),
                Err(StoreError::Invalid(e)) => Ok(RowOutcome::Rejected(c.errors(*line, &e, |f| f))),
                Err(e) => Err(e.into()),
            })
            .collect()
    }
}

pub async fn import(store: SharedStore, args: PortfolioImportArgs) -> anyhow::Result<()> {
    let import = SalesImport {
        store,
        actor: Actor::system(CLI_ACTOR),
        seen: HashMap::new(),
        known: HashSet::new(),
    };
    csv_import::run(import, &args).await.map(|_| ())
}
