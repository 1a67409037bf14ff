//! The escalations dashboard: promises the scheduler broke and escalated, newest first, with
//! the count per site so a site manager sees where customers are waiting in vain; a site
//! filter narrows the list to one site.
use super::texts::{ComplaintTexts, complaint_texts};
use crate::{
    auth::PageUser,
    pages::{
        chrome::{Chrome, url_encode},
        evidence::support::{Lookup, Opt, fmt_time},
        forms::{PAGE_SIZE, Pager, Params},
        render::{PageError, PageResult, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, State};
use touchpoint_core::listing::ListQuery;

pub struct Row {
    pub complaint_id: i64,
    pub reference: String,
    pub customer: String,
    pub site: String,
    pub promise: &'static str,
    pub description: String,
    pub due: String,
    pub escalated: String,
    pub severity: &'static str,
    pub severity_code: &'static str,
}

pub struct SiteCount {
    pub href: String,
    pub name: String,
    pub count: i64,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "complaints/escalations.html")]
struct Dashboard {
    c: Chrome,
    k: &'static ComplaintTexts,
    rows: Vec<Row>,
    by_site: Vec<SiteCount>,
    sites: Vec<Opt>,
    filtered: bool,
    pager: Pager,
}

fn href(site: Option<i64>, page: u32) -> String {
    let mut q = Vec::new();
    if let Some(s) = site {
        q.push(format!("site={}", url_encode(&s.to_string())));
    }
    if page > 1 {
        q.push(format!("page={page}"));
    }
    if q.is_empty() {
        "/escalations".into()
    } else {
        format!("/escalations?{}", q.join("&"))
    }
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    let k = complaint_texts(c.lang);
    let p = Params::query(uri.query());
    let site = p.number::<i64>("site").filter(|n| *n > 0);
    let page_no = p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000);
    let err = |e| PageError::store(&c, e);
    let q = ListQuery {
        limit: PAGE_SIZE,
        offset: (page_no - 1) * PAGE_SIZE,
        descending: true,
        ..ListQuery::default()
    };
    let page = state.store.list_escalations(site, &q).await.map_err(err)?;
    let lookup = Lookup::load(&state, &c).await?;
    // One count per site (a page of one row carries the total).
    let one = ListQuery {
        limit: 1,
        ..ListQuery::default()
    };
    let mut by_site = Vec::new();
    for s in &lookup.sites {
        let n = state
            .store
            .list_escalations(Some(s.id), &one)
            .await
            .map_err(err)?
            .total;
        if n > 0 {
            by_site.push(SiteCount {
                href: href(Some(s.id), 1),
                name: s.name.clone(),
                count: n,
                current: site == Some(s.id),
            });
        }
    }
    by_site.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    let rows = page
        .items
        .iter()
        .map(|e| Row {
            complaint_id: e.complaint_id,
            reference: e.reference.clone(),
            customer: e.customer_ref.clone(),
            site: match e.site_id {
                Some(_) => lookup.site_name(e.site_id),
                None => k.no_site.to_string(),
            },
            promise: k.kind(e.promise.kind),
            description: e.promise.description.clone(),
            due: fmt_time(&e.promise.due_at),
            escalated: fmt_time(&e.escalated_at),
            severity: k.severity(e.severity),
            severity_code: e.severity.as_str(),
        })
        .collect();
    let first = if page.items.is_empty() {
        0
    } else {
        i64::from(page.offset) + 1
    };
    let last = i64::from(page.offset) + page.items.len() as i64;
    let pager = Pager {
        summary: c
            .t
            .showing
            .replace("{first}", &first.to_string())
            .replace("{last}", &last.to_string())
            .replace("{total}", &page.total.to_string()),
        prev: page.has_previous().then(|| href(site, page_no - 1)),
        next: page.has_next().then(|| href(site, page_no + 1)),
    };
    Ok(render(&Dashboard {
        rows,
        by_site,
        sites: lookup.site_options(site),
        filtered: site.is_some(),
        pager,
        k,
        c,
    }))
}
