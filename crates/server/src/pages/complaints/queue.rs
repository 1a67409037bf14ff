//! The agent queue: filters (status, severity, site, moment, assignee, overdue, text), sortable
//! columns, pages of 25, and bulk assignment — ticked checkboxes plus one select, one POST.
//! Plain links and forms, so it works without JavaScript.
use super::{
    support::{Cycles, Group, People},
    texts::{ComplaintTexts, complaint_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::{Chrome, url_encode},
        evidence::support::{Lookup, Opt, fmt_time},
        forms::{PAGE_SIZE, Pager, Params, SortLink},
        render::{PageError, PageResult, render, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    complaints::{ComplaintFilter, ComplaintOrder, ComplaintStatus, Severity},
    listing::ListQuery,
    user::Permission,
};

/// The queue's state as read from the query string; every link keeps it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub status: Option<ComplaintStatus>,
    pub severity: Option<Severity>,
    pub site: Option<i64>,
    pub moment: Option<String>,
    pub assignee: Option<i64>,
    pub overdue: bool,
    pub q: String,
    pub order: ComplaintOrder,
    pub asc: bool,
    pub page: u32,
}

fn order_code(o: ComplaintOrder) -> &'static str {
    match o {
        ComplaintOrder::ReceivedAt => "received",
        ComplaintOrder::UpdatedAt => "updated",
        ComplaintOrder::Severity => "severity",
        ComplaintOrder::Reference => "reference",
    }
}

impl Query {
    pub fn read(p: &Params) -> Self {
        Self {
            status: p.get("status").parse().ok(),
            severity: p.get("severity").parse().ok(),
            site: p.number("site").filter(|n| *n > 0),
            moment: p.opt("moment"),
            assignee: p.number("assignee").filter(|n| *n > 0),
            overdue: p.get("overdue") == "1",
            q: p.get("q").trim().to_string(),
            order: match p.get("sort") {
                "updated" => ComplaintOrder::UpdatedAt,
                "severity" => ComplaintOrder::Severity,
                "reference" => ComplaintOrder::Reference,
                _ => ComplaintOrder::ReceivedAt,
            },
            // Newest (or most severe) first unless asked otherwise.
            asc: p.get("dir") == "asc",
            page: p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000),
        }
    }

    pub fn filter(&self, now: chrono::DateTime<chrono::Utc>) -> ComplaintFilter {
        ComplaintFilter {
            status: self.status,
            severity: self.severity,
            site_id: self.site,
            moment_key: self.moment.clone(),
            assignee_id: self.assignee,
            overdue_at: self.overdue.then_some(now),
            order: self.order,
            ..ComplaintFilter::default()
        }
    }

    pub fn list_query(&self) -> ListQuery {
        ListQuery {
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
            descending: !self.asc,
            search: Some(self.q.clone()).filter(|s| !s.is_empty()),
            ..ListQuery::default()
        }
    }

    fn any(&self) -> bool {
        self.status.is_some()
            || self.severity.is_some()
            || self.site.is_some()
            || self.moment.is_some()
            || self.assignee.is_some()
            || self.overdue
            || !self.q.is_empty()
    }

    /// `/complaints?…` with the filters, the given order and page.
    pub fn href(&self, order: ComplaintOrder, asc: bool, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().into()));
        }
        if let Some(s) = self.severity {
            pairs.push(("severity", s.as_str().into()));
        }
        if let Some(s) = self.site {
            pairs.push(("site", s.to_string()));
        }
        if let Some(m) = &self.moment {
            pairs.push(("moment", m.clone()));
        }
        if let Some(a) = self.assignee {
            pairs.push(("assignee", a.to_string()));
        }
        if self.overdue {
            pairs.push(("overdue", "1".into()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.push(("sort", order_code(order).into()));
        pairs.push(("dir", if asc { "asc" } else { "desc" }.into()));
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("/complaints?{}", q.join("&"))
    }

    fn sort_link(&self, label: &'static str, order: ComplaintOrder) -> SortLink {
        let current = self.order == order;
        SortLink {
            label,
            // A new column starts newest/most severe first; the current one flips.
            href: self.href(order, current && !self.asc, 1),
            aria: match (current, self.asc) {
                (false, _) => "none",
                (true, true) => "ascending",
                (true, false) => "descending",
            },
            arrow: match (current, self.asc) {
                (false, _) => "",
                (true, true) => "▲",
                (true, false) => "▼",
            },
        }
    }
}

pub struct Row {
    pub id: i64,
    pub reference: String,
    pub customer: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub severity: &'static str,
    pub severity_code: &'static str,
    pub site: String,
    pub moment: String,
    pub assignee: String,
    pub received: String,
    pub updated: String,
    pub overdue: bool,
    pub select_label: String,
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
struct QueuePage {
    c: Chrome,
    k: &'static ComplaintTexts,
    rows: Vec<Row>,
    statuses: Vec<Opt>,
    severities: Vec<Opt>,
    sites: Vec<Opt>,
    moments: Vec<Group>,
    assignees: Vec<Opt>,
    bulk_assignees: Vec<Opt>,
    overdue: bool,
    q: String,
    any: bool,
    sort: Vec<SortLink>,
    pager: Pager,
    back: String,
    error: Option<&'static str>,
    can_handle: bool,
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    let k = complaint_texts(c.lang);
    let p = Params::query(uri.query());
    let flash = match p.get("flash") {
        "assigned" => Some(
            k.flash_assigned
                .replace("{n}", &p.number::<u32>("n").unwrap_or(0).to_string()),
        ),
        _ => None,
    };
    let c = c.with_flash(flash);
    let f = Query::read(&p);
    let now = state.clock.now();
    let err = |e| PageError::store(&c, e);
    let page = state
        .store
        .list_complaints(&f.filter(now), &f.list_query())
        .await
        .map_err(err)?;
    let lookup = Lookup::load(&state, &c).await?;
    let people = People::load(&state, &c).await?;
    let cycles = Cycles::load(&state, &c, &lookup).await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for x in &page.items {
        // One small read per row (25 at most) keeps the overdue rule in one place: core's.
        let overdue = x.status.is_open()
            && state
                .store
                .complaint_promises(x.id)
                .await
                .map_err(err)?
                .iter()
                .any(|pr| pr.is_overdue(now));
        rows.push(Row {
            id: x.id,
            reference: x.reference.clone(),
            customer: x.customer_ref.clone(),
            status: k.status(x.status),
            status_code: x.status.as_str(),
            severity: k.severity(x.severity),
            severity_code: x.severity.as_str(),
            site: lookup.site_name(x.site_id),
            moment: cycles.moment_short(x.service_key.as_deref(), x.moment_key.as_deref()),
            assignee: people.name(x.assignee_id),
            received: fmt_time(&x.received_at),
            updated: fmt_time(&x.updated_at),
            overdue,
            select_label: k.select_case.replace("{ref}", &x.reference),
        });
    }
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
        prev: page
            .has_previous()
            .then(|| f.href(f.order, f.asc, f.page - 1)),
        next: page.has_next().then(|| f.href(f.order, f.asc, f.page + 1)),
    };
    let here = f.href(f.order, f.asc, f.page);
    Ok(render(&QueuePage {
        statuses: ComplaintStatus::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), k.status(*s), f.status == Some(*s)))
            .collect(),
        severities: Severity::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), k.severity(*s), f.severity == Some(*s)))
            .collect(),
        sites: lookup.site_options(f.site),
        moments: cycles.groups(f.moment.as_deref().unwrap_or(""), false),
        assignees: people.assignee_options(f.assignee),
        bulk_assignees: people.assignee_options(None),
        overdue: f.overdue,
        q: f.q.clone(),
        any: f.any(),
        sort: vec![
            f.sort_link(k.reference, ComplaintOrder::Reference),
            f.sort_link(k.severity, ComplaintOrder::Severity),
            f.sort_link(k.received, ComplaintOrder::ReceivedAt),
            f.sort_link(k.updated, ComplaintOrder::UpdatedAt),
        ],
        pager,
        back: here,
        error: (p.get("flash") == "none_selected").then_some(k.err_none_selected),
        can_handle: pu.user.role.allows(Permission::HandleComplaints),
        rows,
        k,
        c,
    }))
}

/// Only a path back into the queue: never an open redirect.
fn back_to(raw: &str) -> String {
    if raw.starts_with("/complaints?") || raw == "/complaints" {
        raw.to_string()
    } else {
        "/complaints".to_string()
    }
}

fn with(back: &str, extra: &str) -> String {
    let sep = if back.contains('?') { '&' } else { '?' };
    format!("{back}{sep}{extra}")
}

/// `POST /complaints/assign`: `ids` (repeated) and `assignee` (empty = unassign).
pub async fn assign(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::HandleComplaints,
        "POST /complaints/assign",
    )
    .await?;
    let p = Params::parse(&body);
    let back = back_to(p.get("back"));
    let ids: Vec<i64> =
        p.0.iter()
            .filter(|(k, _)| k == "ids")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect();
    if ids.is_empty() {
        return Ok(Redirect::to(&with(&back, "flash=none_selected")).into_response());
    }
    let assignee = p.number::<i64>("assignee").filter(|n| *n > 0);
    state
        .store
        .assign_complaints(&pu.actor(), &ids, assignee)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let done = format!("flash=assigned&n={}", ids.len());
    Ok(Redirect::to(&with(&back, &done)).into_response())
}
