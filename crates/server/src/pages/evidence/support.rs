//! What the evidence pages share: names of services, sites and staff; the list filters and
//! their pager; time and number formatting; select options; error summaries.
use super::{super::forms::Params, messages::localize};
use crate::{
    i18n::Lang,
    pages::{
        chrome::{Chrome, url_encode},
        forms::{PAGE_SIZE, Pager},
        render::PageError,
    },
    state::AppState,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use touchpoint_core::{
    StoreError, ValidationErrors,
    cycle::CycleVersion,
    feedback::{parse_timestamp, records::EvidenceFilter},
    listing::{ListQuery, Page},
    org::{Site, StaffMember},
    service::Service,
    standard::fmt_number,
};

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl ToString, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.to_string(),
            label: label.into(),
            selected,
        }
    }
}

/// One linked line of an error summary.
#[derive(Debug, Clone)]
pub struct Summary {
    pub href: String,
    pub text: String,
}

/// Services, sites and staff (inactive ones too: old evidence still names them).
pub struct Lookup {
    pub services: Vec<Service>,
    pub sites: Vec<Site>,
    pub staff: Vec<StaffMember>,
}

impl Lookup {
    pub async fn load(state: &AppState, c: &Chrome) -> Result<Self, PageError> {
        let err = |e| PageError::store(c, e);
        let all = ListQuery::all();
        Ok(Self {
            services: state.store.list_services(&all).await.map_err(err)?.items,
            sites: state.store.list_sites(&all).await.map_err(err)?.items,
            staff: state.store.list_staff(&all, None).await.map_err(err)?.items,
        })
    }
    pub fn service(&self, id: i64) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
    pub fn service_name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.service(id))
            .map_or(String::new(), |s| s.name.clone())
    }
    pub fn site(&self, id: i64) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }
    pub fn site_name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.site(id))
            .map_or(String::new(), |s| s.name.clone())
    }
    pub fn staff_name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.staff.iter().find(|s| s.id == id))
            .map_or(String::new(), |s| s.name.clone())
    }
    pub fn service_options(&self, selected: Option<i64>, with_cycle_only: bool) -> Vec<Opt> {
        self.services
            .iter()
            .filter(|s| !with_cycle_only || s.current_version.is_some())
            .map(|s| Opt::new(s.id, s.name.clone(), selected == Some(s.id)))
            .collect()
    }
    pub fn site_options(&self, selected: Option<i64>) -> Vec<Opt> {
        self.sites
            .iter()
            .filter(|s| s.active || selected == Some(s.id))
            .map(|s| Opt::new(s.id, s.name.clone(), selected == Some(s.id)))
            .collect()
    }
    pub fn staff_options(&self, selected: Option<i64>) -> Vec<Opt> {
        self.staff
            .iter()
            .filter(|s| s.active || selected == Some(s.id))
            .map(|s| {
                let site = self.site_name(s.site_id);
                let label = match (s.role.is_empty(), site.is_empty()) {
                    (true, true) => s.name.clone(),
                    (false, true) => format!("{} · {}", s.name, s.role),
                    (true, false) => format!("{} · {site}", s.name),
                    (false, false) => format!("{} · {} · {site}", s.name, s.role),
                };
                Opt::new(s.id, label, selected == Some(s.id))
            })
            .collect()
    }
}

/// The service's current cycle; `None` when none was published.
pub async fn current_cycle(
    state: &AppState,
    c: &Chrome,
    service_id: i64,
) -> Result<Option<CycleVersion>, PageError> {
    match state.store.current_cycle(service_id).await {
        Ok(cv) => Ok(Some(cv)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(PageError::store(c, e)),
    }
}

/// The version of a service's cycle with row id `version_id` (a visit's checklist).
pub async fn cycle_by_id(
    state: &AppState,
    c: &Chrome,
    service_id: i64,
    version_id: i64,
) -> Result<Option<CycleVersion>, PageError> {
    let current = current_cycle(state, c, service_id).await?;
    if current.as_ref().is_some_and(|cv| cv.id == version_id) {
        return Ok(current);
    }
    let err = |e| PageError::store(c, e);
    for v in state
        .store
        .list_cycle_versions(service_id)
        .await
        .map_err(err)?
    {
        let cv = state
            .store
            .cycle_version(service_id, v.version)
            .await
            .map_err(err)?;
        if cv.id == version_id {
            return Ok(Some(cv));
        }
    }
    Ok(None)
}

/// The filters of an evidence list, read leniently from the query string.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub service: Option<i64>,
    pub site: Option<i64>,
    pub moment: Option<String>,
    pub staff: Option<i64>,
    pub page: u32,
}

impl Filters {
    pub fn read(p: &Params) -> Self {
        Self {
            service: p.number("service").filter(|n| *n > 0),
            site: p.number("site").filter(|n| *n > 0),
            moment: p.opt("moment"),
            staff: p.number("staff").filter(|n| *n > 0),
            page: p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000),
        }
    }
    pub fn evidence(&self) -> EvidenceFilter {
        EvidenceFilter {
            service_id: self.service,
            site_id: self.site,
            // Moment keys are unique only within a service.
            moment_key: self.moment.clone().filter(|_| self.service.is_some()),
            staff_id: self.staff,
            since: None,
            until: None,
        }
    }
    pub fn query(&self) -> ListQuery {
        ListQuery {
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
            ..ListQuery::default()
        }
    }
    pub fn any(&self) -> bool {
        self.service.is_some() || self.site.is_some() || self.staff.is_some()
    }
    /// `?service=1&site=2` (empty when unfiltered), plus `page` when given.
    pub fn href(&self, base: &str, page: Option<u32>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.service {
            pairs.push(("service", s.to_string()));
        }
        if let Some(s) = self.site {
            pairs.push(("site", s.to_string()));
        }
        if let (Some(m), Some(_)) = (&self.moment, self.service) {
            pairs.push(("moment", m.clone()));
        }
        if let Some(s) = self.staff {
            pairs.push(("staff", s.to_string()));
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            pairs.push(("page", p.to_string()));
        }
        if pairs.is_empty() {
            return base.to_string();
        }
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("{base}?{}", q.join("&"))
    }
    pub fn pager<T>(&self, c: &Chrome, base: &str, page: &Page<T>) -> Pager {
        let first = if page.items.is_empty() {
            0
        } else {
            i64::from(page.offset) + 1
        };
        let last = i64::from(page.offset) + page.items.len() as i64;
        Pager {
            summary: c
                .t
                .showing
                .replace("{first}", &first.to_string())
                .replace("{last}", &last.to_string())
                .replace("{total}", &page.total.to_string()),
            prev: page
                .has_previous()
                .then(|| self.href(base, Some(self.page - 1))),
            next: page
                .has_next()
                .then(|| self.href(base, Some(self.page + 1))),
        }
    }
}

/// The filter form of a list.
pub struct FilterView {
    pub action: &'static str,
    pub services: Vec<Opt>,
    pub sites: Vec<Opt>,
    /// Offered once a service is chosen (moment keys belong to a service).
    pub moments: Vec<Opt>,
    pub staff: Vec<Opt>,
    pub any: bool,
}

impl FilterView {
    pub fn new(action: &'static str, f: &Filters, lookup: &Lookup) -> Self {
        Self {
            action,
            services: lookup.service_options(f.service, false),
            sites: lookup.site_options(f.site),
            moments: Vec::new(),
            staff: Vec::new(),
            any: f.any(),
        }
    }
    pub fn with_moments(mut self, f: &Filters, cycle: Option<&CycleVersion>) -> Self {
        if let Some(cv) = cycle {
            self.moments = cv
                .moments
                .iter()
                .map(|m| {
                    let label = format!("{}. {}", m.position, m.name);
                    Opt::new(&m.key, label, f.moment.as_deref() == Some(m.key.as_str()))
                })
                .collect();
        }
        self
    }
    pub fn with_staff(mut self, f: &Filters, lookup: &Lookup) -> Self {
        self.staff = lookup.staff_options(f.staff);
        self
    }
}

/// `2026-04-02 09:30` (the column header says UTC).
pub fn fmt_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The value of a `datetime-local` input.
pub fn input_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value (`2026-04-02T09:30`), `2026-04-02 09:30`, or any form core reads.
pub fn parse_input_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|n| n.and_utc())
        .or_else(|| parse_timestamp(s).ok())
}

/// A number as people write it in the page language (`4.5` / `4,5`).
pub fn num(lang: Lang, v: f64) -> String {
    let s = fmt_number(v);
    if lang == Lang::Es {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A number typed into a form: `4.5` or `4,5`.
pub fn parse_num(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A score or a share on 0–100, rounded: `83%`.
pub fn pct(v: f64) -> String {
    format!("{:.0}%", v)
}

/// Core's errors in the page language, by field.
pub fn localized(lang: Lang, e: &ValidationErrors) -> Vec<(String, String)> {
    e.0.iter()
        .map(|f| (f.field.clone(), localize(lang, &f.message)))
        .collect()
}

/// `"Moment label: message"` with the first letter of the message capitalised.
pub fn sentence(label: &str, msg: &str) -> String {
    let mut chars = msg.chars();
    let msg = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if label.is_empty() {
        msg
    } else {
        format!("{label}: {msg}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_numbers_round_trip() {
        let t = parse_input_time("2026-04-02T09:30").unwrap();
        assert_eq!(input_time(&t), "2026-04-02T09:30");
        assert_eq!(parse_input_time("2026-04-02 09:30"), Some(t));
        assert_eq!(parse_input_time("2026-04-02T09:30:00Z"), Some(t));
        assert!(parse_input_time("yesterday").is_none());
        assert_eq!(parse_num(" 4,5 "), Some(4.5));
        assert!(parse_num("NaN").is_none());
        assert_eq!(num(Lang::Es, 4.5), "4,5");
        assert_eq!(pct(66.666), "67%");
        assert_eq!(sentence("Wait", "choose a site"), "Wait: Choose a site");
    }

    #[test]
    fn filters_keep_their_pairs_in_links() {
        let p = Params::query(Some("service=2&site=3&moment=m1&page=4&staff=x"));
        let f = Filters::read(&p);
        assert_eq!(f.page, 4);
        assert_eq!(f.staff, None);
        assert_eq!(
            f.href("/measurements", Some(5)),
            "/measurements?service=2&site=3&moment=m1&page=5"
        );
        let only_moment = Filters::read(&Params::query(Some("moment=m1")));
        assert_eq!(only_moment.evidence().moment_key, None);
        assert_eq!(only_moment.href("/x", None), "/x");
    }
}
