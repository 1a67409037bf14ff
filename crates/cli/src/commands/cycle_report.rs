//! `report cycle`: a service's cycle report for a period, as text for the terminal, JSON, one
//! long CSV table or the printable HTML page — all from the server's one loader
//! (`touchpoint_server::report::load_cycle_report`), so they match the web page exactly.
use super::{SharedStore, cycle::write_output};
use crate::{
    failure::usage,
    report_args::{CycleReportArgs, ReportFormat, ReportLang},
};
use anyhow::Context;
use std::sync::Arc;
use touchpoint_core::{
    StoreError, clock::Clock, listing::ListQuery, org::Site, service::Service, store::Store,
};
use touchpoint_server::{
    AppError,
    feedback::scorecard::period,
    i18n::Lang,
    pages::report::{html, text},
    report::{ReportScope, csv, load_cycle_report},
};

/// A service by key or numeric id; an unknown one is a usage error naming it.
async fn service(store: &dyn Store, key_or_id: &str) -> anyhow::Result<Service> {
    let wanted = key_or_id.trim();
    let found = match wanted.parse::<i64>() {
        Ok(id) => store.get_service(id).await,
        Err(_) => store.get_service_by_key(wanted).await,
    };
    found.map_err(|e| match e {
        StoreError::NotFound { .. } => usage(format!("no service '{wanted}'")),
        e => e.into(),
    })
}

async fn all_sites(store: &dyn Store) -> anyhow::Result<Vec<Site>> {
    let mut q = ListQuery::all();
    let mut out = Vec::new();
    loop {
        let page = store.list_sites(&q).await?;
        let got = page.items.len() as u32;
        out.extend(page.items);
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(out);
        }
    }
}

/// A site by key or numeric id; an unknown one is a usage error listing the keys.
async fn site(store: &dyn Store, key_or_id: &str) -> anyhow::Result<Site> {
    let wanted = key_or_id.trim();
    let sites = all_sites(store).await?;
    let id = wanted.parse::<i64>().ok();
    if let Some(s) = sites.iter().find(|s| s.key == wanted || Some(s.id) == id) {
        return Ok(s.clone());
    }
    let keys: Vec<&str> = sites.iter().map(|s| s.key.as_str()).collect();
    Err(usage(if keys.is_empty() {
        format!("no site '{wanted}': there are no sites yet")
    } else {
        format!("no site '{wanted}' (sites: {})", keys.join(", "))
    }))
}

/// A refused period or weight as the flags name it: `--from: a scorecard covers at most …`.
fn period_problem(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => usage(
            errors
                .0
                .iter()
                .map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.message))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        e => anyhow::anyhow!("{e}"),
    }
}

pub async fn run(
    store: SharedStore,
    clock: Arc<dyn Clock>,
    organisation: Option<String>,
    a: CycleReportArgs,
) -> anyhow::Result<()> {
    let store = store.as_ref();
    let service = service(store, &a.service).await?;
    let site_id = match &a.site {
        Some(s) => Some(site(store, s).await?.id),
        None => None,
    };
    let now = clock.now();
    let period = period(a.from, a.to, now.date_naive()).map_err(period_problem)?;
    let weights = a.weights();
    weights
        .validate()
        .map_err(|e| period_problem(AppError::Invalid(e)))?;
    let scope = ReportScope {
        service_id: service.id,
        period,
        site_id,
        weights,
    };
    let report = load_cycle_report(store, now, scope, organisation)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot build the report of '{}'", service.key))?;
    let lang = match a.lang {
        ReportLang::En => Lang::En,
        ReportLang::Es => Lang::Es,
    };
    let out = match a.format {
        ReportFormat::Text => text::render(&report, lang),
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report)?;
            json.push('\n');
            json
        }
        ReportFormat::Csv => {
            let bytes = csv::long_table(&report).map_err(|e| anyhow::anyhow!("{e}"))?;
            String::from_utf8(bytes).context("the CSV is not UTF-8")?
        }
        ReportFormat::Html => html(&report, lang, None).context("cannot render the report")?,
    };
    write_output(a.output.as_deref(), &out)
}
