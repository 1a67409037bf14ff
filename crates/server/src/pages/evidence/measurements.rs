//! Measurements of service standards: the newest first, filtered by service, site and moment,
//! with the compliance of the whole filtered set (not just the page) at the top.
use super::{
    support::{FilterView, Filters, Lookup, current_cycle, fmt_time, num, pct},
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
use std::collections::{HashMap, hash_map::Entry};
use touchpoint_core::{
    cycle::CycleVersion,
    feedback::{records::EvidenceFilter, stats::wilson},
    user::Permission,
};

pub struct MeasurementRow {
    pub when: String,
    pub moment: String,
    pub metric: String,
    pub site: String,
    pub value: String,
    pub standard: String,
    pub met: bool,
}

pub struct Compliance {
    pub pct: String,
    pub line: String,
    pub ci: String,
}

#[derive(Template)]
#[template(path = "evidence/measurements.html")]
struct ListPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    rows: Vec<MeasurementRow>,
    filters: FilterView,
    pager: Pager,
    compliance: Option<Compliance>,
    can_record: bool,
    new_href: String,
}

/// Current cycles by service, for moment names.
#[derive(Default)]
pub struct Cycles(HashMap<i64, Option<CycleVersion>>);

impl Cycles {
    pub async fn moment_name(
        &mut self,
        state: &AppState,
        c: &Chrome,
        service_id: i64,
        key: &str,
    ) -> Result<String, PageError> {
        if let Entry::Vacant(slot) = self.0.entry(service_id) {
            slot.insert(current_cycle(state, c, service_id).await?);
        }
        Ok(self
            .0
            .get(&service_id)
            .and_then(Option::as_ref)
            .and_then(|cv| cv.moments.iter().find(|m| m.key == key))
            .map_or(key.to_string(), |m| format!("{}. {}", m.position, m.name)))
    }
}

async fn compliance(
    state: &AppState,
    c: &Chrome,
    e: &EvidenceTexts,
    f: &EvidenceFilter,
) -> Result<Option<Compliance>, PageError> {
    let (met, n) = state
        .store
        .measurement_compliance(f)
        .await
        .map_err(|x| PageError::store(c, x))?;
    let count = |x: i64| u64::try_from(x).unwrap_or_default();
    let (met, n) = (count(met), count(n));
    Ok(wilson(met, n).map(|est| {
        let share = pct(est.value * 100.0);
        Compliance {
            line: e
                .compliance_of
                .replace("{pct}", &share)
                .replace("{n}", &n.to_string()),
            ci: e
                .compliance_ci
                .replace("{low}", &pct(est.low * 100.0))
                .replace("{high}", &pct(est.high * 100.0)),
            pct: share,
        }
    }))
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "measurements", &uri.to_string());
    let e = evidence_texts(c.lang);
    let p = Params::query(uri.query());
    let c = c.clone().with_flash(match p.get("flash") {
        "met" => Some(e.flash_met.to_string()),
        "not_met" => Some(e.flash_not_met.to_string()),
        _ => None,
    });
    let f = Filters::read(&p);
    let lookup = Lookup::load(&state, &c).await?;
    let page = state
        .store
        .list_measurements(&f.evidence(), &f.query())
        .await
        .map_err(|x| PageError::store(&c, x))?;
    let mut cycles = Cycles::default();
    let mut rows = Vec::with_capacity(page.items.len());
    for m in &page.items {
        let j = &m.judged;
        let unit = j
            .judgements
            .first()
            .map_or("", |x| x.standard.unit.as_str());
        rows.push(MeasurementRow {
            when: fmt_time(&j.observed_at),
            moment: cycles
                .moment_name(&state, &c, m.service_id, &j.moment_key)
                .await?,
            metric: j.metric.clone(),
            site: lookup.site_name(Some(m.site_id)),
            value: format!("{} {unit}", num(c.lang, j.value))
                .trim()
                .to_string(),
            standard: j
                .judgements
                .iter()
                .map(|x| x.standard.to_string())
                .collect::<Vec<_>>()
                .join(" · "),
            met: m.met,
        });
    }
    let cycle = match f.service {
        Some(id) => current_cycle(&state, &c, id).await?,
        None => None,
    };
    let new_href = match f.service {
        Some(s) => format!("/measurements/new?service={s}"),
        None => "/measurements/new".into(),
    };
    Ok(render(&ListPage {
        compliance: compliance(&state, &c, e, &f.evidence()).await?,
        pager: f.pager(&c, "/measurements", &page),
        filters: FilterView::new("/measurements", &f, &lookup).with_moments(&f, cycle.as_ref()),
        can_record: pu.user.role.allows(Permission::RecordFeedback),
        rows,
        new_href,
        e,
        c,
    }))
}
