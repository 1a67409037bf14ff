//! Compliments, newest first, filtered by service, moment, site and staff member. Their text
//! is the customer's words: shown as text, never as markup.
use super::{
    measurements::Cycles,
    support::{FilterView, Filters, Lookup, current_cycle, fmt_time},
    texts::{EvidenceTexts, evidence_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{Pager, Params},
        render::{PageError, PageResult, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, State};
use touchpoint_core::user::Permission;

pub struct ComplimentRow {
    pub when: String,
    pub moment: String,
    pub staff: String,
    pub site: String,
    pub customer: String,
    pub channel: &'static str,
    pub text: String,
    pub recorded_by: String,
}

#[derive(Template)]
#[template(path = "evidence/compliments.html")]
struct ListPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    rows: Vec<ComplimentRow>,
    filters: FilterView,
    pager: Pager,
    can_record: bool,
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "compliments", &uri.to_string());
    let e = evidence_texts(c.lang);
    let p = Params::query(uri.query());
    let c = c
        .clone()
        .with_flash((p.get("flash") == "recorded").then(|| e.flash_compliment.to_string()));
    let f = Filters::read(&p);
    let lookup = Lookup::load(&state, &c).await?;
    let page = state
        .store
        .list_compliments(&f.evidence(), &f.query())
        .await
        .map_err(|x| PageError::store(&c, x))?;
    let mut cycles = Cycles::default();
    let mut rows = Vec::with_capacity(page.items.len());
    for item in &page.items {
        let k = &item.compliment;
        let moment = match (item.service_id, &k.moment_key) {
            (Some(s), Some(key)) => {
                let name = cycles.moment_name(&state, &c, s, key).await?;
                format!("{} · {name}", lookup.service_name(Some(s)))
            }
            _ => String::new(),
        };
        rows.push(ComplimentRow {
            when: fmt_time(&k.received_at),
            moment,
            staff: lookup.staff_name(k.staff_id),
            site: lookup.site_name(k.site_id),
            customer: k.customer.clone().unwrap_or_default(),
            channel: c.t.channel(k.channel),
            text: k.text.clone(),
            recorded_by: item.recorded_by.clone(),
        });
    }
    let cycle = match f.service {
        Some(id) => current_cycle(&state, &c, id).await?,
        None => None,
    };
    Ok(render(&ListPage {
        pager: f.pager(&c, "/compliments", &page),
        filters: FilterView::new("/compliments", &f, &lookup)
            .with_moments(&f, cycle.as_ref())
            .with_staff(&f, &lookup),
        can_record: pu.user.role.allows(Permission::RecordFeedback),
        rows,
        e,
        c,
    }))
}
