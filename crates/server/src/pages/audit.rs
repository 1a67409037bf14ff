//! The audit log (admins only): filters, newest first, pages of 50, and a CSV export.
use super::{
    chrome::{Chrome, url_encode},
    forms::{Pager, Params},
    journey::fmt_time,
    render::{PageError, PageResult, render, require},
};
use crate::{auth::PageUser, state::AppState};
use askama::Template;
use axum::{
    extract::{OriginalUri, State},
    http::header,
    response::IntoResponse,
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use touchpoint_core::{
    audit::{AuditEntry, AuditQuery},
    user::Permission,
};

const AUDIT_PAGE: u32 = 50;
const CSV_MAX: u32 = 10_000;

pub struct Filters {
    pub action: String,
    pub actor: String,
    pub entity: String,
    pub since: String,
    pub until: String,
}

impl Filters {
    fn read(p: &Params) -> Self {
        Self {
            action: p.get("action").trim().to_string(),
            actor: p.get("actor").trim().to_string(),
            entity: p.get("entity").trim().to_string(),
            since: p.get("since").trim().to_string(),
            until: p.get("until").trim().to_string(),
        }
    }

    fn query(&self) -> AuditQuery {
        let day = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| Utc.from_utc_datetime(&t))
        };
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        AuditQuery {
            action: some(&self.action),
            actor: some(&self.actor),
            entity: some(&self.entity),
            since: day(&self.since),
            until: day(&self.until).map(|t| t + Duration::days(1)),
        }
    }

    /// The filters as query pairs, for pagination and export links.
    pub fn pairs(&self) -> String {
        [
            ("action", &self.action),
            ("actor", &self.actor),
            ("entity", &self.entity),
            ("since", &self.since),
            ("until", &self.until),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

pub struct AuditRow {
    pub at: String,
    pub entry: AuditEntry,
    pub change: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    filters: Filters,
    rows: Vec<AuditRow>,
    pager: Pager,
    csv_href: String,
}

async fn admin(
    state: &AppState,
    pu: &PageUser,
    uri: &axum::http::Uri,
) -> Result<Chrome, PageError> {
    let c = Chrome::for_user(pu, "audit", &uri.to_string());
    require(state, pu, &c, Permission::Administer, uri.path()).await?;
    Ok(c)
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let p = Params::query(uri.query());
    let filters = Filters::read(&p);
    let page_no = p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000);
    let page = state
        .store
        .list_audit(&filters.query(), AUDIT_PAGE, (page_no - 1) * AUDIT_PAGE)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let pairs = filters.pairs();
    let link = |n: u32| {
        let sep = if pairs.is_empty() { "" } else { "&" };
        format!("/audit?{pairs}{sep}page={n}")
    };
    let first = if page.items.is_empty() {
        0
    } else {
        i64::from(page.offset) + 1
    };
    let pager = Pager {
        summary: c
            .t
            .showing
            .replace("{first}", &first.to_string())
            .replace(
                "{last}",
                &(i64::from(page.offset) + page.items.len() as i64).to_string(),
            )
            .replace("{total}", &page.total.to_string()),
        prev: page.has_previous().then(|| link(page_no - 1)),
        next: page.has_next().then(|| link(page_no + 1)),
    };
    let rows = page
        .items
        .into_iter()
        .map(|e| AuditRow {
            at: fmt_time(&e.at),
            change: change_text(&e),
            entry: e,
        })
        .collect();
    Ok(render(&AuditPage {
        csv_href: format!("/audit.csv?{pairs}"),
        c,
        filters,
        rows,
        pager,
    }))
}

fn change_text(e: &AuditEntry) -> String {
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default()
    };
    match (&e.before, &e.after) {
        (None, None) => String::new(),
        (b, a) => format!("{}\n→\n{}", show(b), show(a)).trim().to_string(),
    }
}

/// Spreadsheet tools run cells starting with these as formulas; quote them.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub async fn csv_export(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let filters = Filters::read(&Params::query(uri.query()));
    let page = state
        .store
        .list_audit(&filters.query(), CSV_MAX, 0)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "detail",
        "before",
        "after",
    ];
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    let mut ok = w.write_record(header).is_ok();
    for e in &page.items {
        ok &= w
            .write_record([
                e.id.to_string(),
                e.at.to_rfc3339(),
                cell(&e.actor),
                cell(&e.action),
                cell(&e.entity),
                cell(e.entity_id.as_deref().unwrap_or("")),
                cell(&e.detail),
                cell(&json(&e.before)),
                cell(&json(&e.after)),
            ])
            .is_ok();
    }
    let bytes = w.into_inner().unwrap_or_default();
    if !ok {
        return Err(PageError::new(&c, super::render::ErrorKind::Internal));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
