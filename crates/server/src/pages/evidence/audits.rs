//! Recorded mystery-shopper visits: the list (filtered by service and site, newest first) and
//! one visit with its score per moment, its overall score and its critical failures.
use super::{
    audit_view::mark_value,
    support::{FilterView, Filters, Lookup, cycle_by_id, fmt_time, pct},
    texts::{EvidenceTexts, evidence_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{Pager, Params},
        render::{PageError, PageResult, parse_id, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use std::collections::{BTreeMap, HashMap, hash_map::Entry};
use touchpoint_core::{
    cycle::CycleVersion,
    feedback::{Checklist, ItemResult, VisitMark, records::AuditVisit},
    user::Permission,
};

/// `good` (≥ 80), `fair` (≥ 50), `poor`, or `none` when nothing was observed.
pub fn score_class(score: Option<f64>) -> &'static str {
    match score {
        None => "none",
        Some(s) if s >= 80.0 => "good",
        Some(s) if s >= 50.0 => "fair",
        Some(_) => "poor",
    }
}

pub struct AuditRow {
    pub id: i64,
    pub when: String,
    pub service: String,
    pub site: String,
    pub auditor: String,
    pub score: Option<String>,
    pub score_class: &'static str,
    pub failures: Vec<String>,
}

#[derive(Template)]
#[template(path = "evidence/audits.html")]
struct ListPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    rows: Vec<AuditRow>,
    filters: FilterView,
    pager: Pager,
    can_record: bool,
    new_href: String,
}

/// Cycle versions by row id, loaded once per page.
#[derive(Default)]
struct Versions(HashMap<i64, Option<CycleVersion>>);

impl Versions {
    async fn get(
        &mut self,
        state: &AppState,
        c: &Chrome,
        v: &AuditVisit,
    ) -> Result<Option<&CycleVersion>, PageError> {
        if let Entry::Vacant(slot) = self.0.entry(v.cycle_version_id) {
            slot.insert(cycle_by_id(state, c, v.service_id, v.cycle_version_id).await?);
        }
        Ok(self.0.get(&v.cycle_version_id).and_then(Option::as_ref))
    }
}

fn moment_name(cv: Option<&CycleVersion>, key: &str) -> String {
    cv.and_then(|cv| cv.moments.iter().find(|m| m.key == key))
        .map_or(key.to_string(), |m| format!("{}. {}", m.position, m.name))
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "audits", &uri.to_string());
    let e = evidence_texts(c.lang);
    let p = Params::query(uri.query());
    let f = Filters::read(&p);
    let lookup = Lookup::load(&state, &c).await?;
    let page = state
        .store
        .list_visits(&f.evidence(), &f.query())
        .await
        .map_err(|err| PageError::store(&c, err))?;
    let mut versions = Versions::default();
    let mut rows = Vec::with_capacity(page.items.len());
    for v in &page.items {
        let cv = versions.get(&state, &c, v).await?;
        rows.push(AuditRow {
            id: v.id,
            when: fmt_time(&v.visit.visited_at),
            service: lookup.service_name(Some(v.service_id)),
            site: lookup.site_name(Some(v.visit.site_id)),
            auditor: v.auditor.clone(),
            score: v.visit.overall.map(pct),
            score_class: score_class(v.visit.overall),
            failures: v
                .visit
                .critical_failures
                .iter()
                .map(|k| moment_name(cv, k))
                .collect(),
        });
    }
    let new_href = match f.service {
        Some(s) => format!("/audits/new?service={s}"),
        None => "/audits/new".into(),
    };
    Ok(render(&ListPage {
        pager: f.pager(&c, "/audits", &page),
        filters: FilterView::new("/audits", &f, &lookup),
        can_record: pu.user.role.allows(Permission::RecordAudit),
        rows,
        new_href,
        e,
        c,
    }))
}

pub struct MarkView {
    pub label: String,
    /// `met`, `not_met` or `na`.
    pub kind: &'static str,
    pub word: &'static str,
}

pub struct MomentScore {
    pub position: usize,
    pub name: String,
    pub critical: bool,
    pub failed: bool,
    pub score: Option<String>,
    /// Bar length on 0–100.
    pub width: String,
    pub class: &'static str,
    pub marks: Vec<MarkView>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "evidence/audit_detail.html")]
struct DetailPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    title: String,
    when: String,
    auditor: String,
    staff: Vec<String>,
    version: Option<i32>,
    overall: Option<String>,
    overall_class: &'static str,
    failures: Vec<String>,
    moments: Vec<MomentScore>,
    notes: String,
}

/// What a mark shows: the label kept with the visit. Visits recorded before labels were kept
/// fall back to their cycle version's standards (which never change), then to the item code.
fn mark_label(standards: Option<&Checklist>, moment_key: &str, mark: &VisitMark) -> String {
    if !mark.label.is_empty() {
        return mark.label.clone();
    }
    standards
        .and_then(|l| l.moment(moment_key))
        .and_then(|m| m.items.iter().find(|it| it.code == mark.code))
        .map_or(mark.code.clone(), |it| it.label.clone())
}

pub async fn detail(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "audits", &uri.to_string());
    let e = evidence_texts(c.lang);
    let id = parse_id(&c, &raw)?;
    let err = |x| PageError::store(&c, x);
    let v = state.store.get_visit(id).await.map_err(err)?;
    let p = Params::query(uri.query());
    let c = c
        .clone()
        .with_flash((p.get("flash") == "saved").then(|| e.flash_audit_saved.to_string()));
    let lookup = Lookup::load(&state, &c).await?;
    let cv = cycle_by_id(&state, &c, v.service_id, v.cycle_version_id).await?;
    let standards = cv
        .as_ref()
        .and_then(|cv| Checklist::from_cycle(cv, &BTreeMap::new()).ok());
    let word = |r: ItemResult| match r {
        ItemResult::Met => e.met,
        ItemResult::NotMet => e.not_met,
        ItemResult::NotApplicable => e.not_applicable_long,
    };
    let moments = v
        .visit
        .moments
        .iter()
        .enumerate()
        .map(|(i, m)| MomentScore {
            position: i + 1,
            name: cv
                .as_ref()
                .and_then(|cv| cv.moments.iter().find(|cm| cm.key == m.moment_key))
                .map_or(m.moment_key.clone(), |cm| cm.name.clone()),
            critical: m.critical,
            failed: v.visit.critical_failures.contains(&m.moment_key),
            score: m.score.map(pct),
            width: format!("{:.1}", m.score.unwrap_or(0.0)),
            class: score_class(m.score),
            marks: m
                .marks
                .iter()
                .map(|k| MarkView {
                    label: mark_label(standards.as_ref(), &m.moment_key, k),
                    kind: mark_value(k.result),
                    word: word(k.result),
                })
                .collect(),
            note: m.note.clone(),
        })
        .collect();
    let site = lookup.site_name(Some(v.visit.site_id));
    Ok(render(&DetailPage {
        title: e
            .audit_of
            .replace("{service}", &lookup.service_name(Some(v.service_id)))
            .replace("{site}", &site),
        when: fmt_time(&v.visit.visited_at),
        auditor: v.auditor.clone(),
        staff: v
            .visit
            .staff_ids
            .iter()
            .map(|id| lookup.staff_name(Some(*id)))
            .collect(),
        version: cv.as_ref().map(|cv| cv.version),
        overall: v.visit.overall.map(pct),
        overall_class: score_class(v.visit.overall),
        failures: v
            .visit
            .critical_failures
            .iter()
            .map(|k| moment_name(cv.as_ref(), k))
            .collect(),
        moments,
        notes: v.visit.notes.clone(),
        e,
        c,
    }))
}
