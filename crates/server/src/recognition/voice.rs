//! Employee voice of a service: employee-survey answers of a period per moment and site, as the
//! API and the page show them (grouping in `touchpoint_core::analytics::employee_voice`).
//!
//! Reads every response of the service's employee surveys with `responses_after` keyset pages
//! and keeps those of the period and site — a scan like the analysis pages', acceptable for a
//! page that is read now and then and for the small volumes of staff surveys.
use crate::{
    error::AppError,
    feedback::scorecard::{all_cycle_versions, start_of},
};
use serde::Serialize;
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreError,
    analytics::{
        Period,
        employee_voice::{VoiceGroup, employee_voice},
        evidence::moment_keys,
    },
    feedback::{records::ResponseRecord, survey::Audience},
    listing::ListQuery,
    store::Store,
};
use utoipa::ToSchema;

const PAGE: u32 = 1000;

/// One moment at one site, with names for people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoiceEntry {
    /// The moment's name in the current cycle; empty for the service in general.
    pub moment_name: String,
    /// Empty for responses that name no site.
    pub site_name: String,
    #[serde(flatten)]
    pub group: VoiceGroup,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeeSurveyRef {
    pub id: i64,
    pub key: String,
    pub title: String,
}

/// What staff said about a service in a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeeVoice {
    pub service_id: i64,
    pub period: Period,
    pub site_id: Option<i64>,
    /// The service's employee-audience surveys, archived ones included.
    pub surveys: Vec<EmployeeSurveyRef>,
    /// Responses of the period (and site) read.
    pub responses: i64,
    /// In cycle order, then the service in general; sites by id, no site last.
    pub groups: Vec<VoiceEntry>,
}

async fn employee_surveys(
    store: &dyn Store,
    service_id: i64,
) -> Result<Vec<EmployeeSurveyRef>, AppError> {
    let mut q = ListQuery::all();
    let mut out = Vec::new();
    loop {
        let page = store.list_surveys(&q, Some(service_id)).await?;
        let got = page.items.len() as u32;
        out.extend(
            page.items
                .into_iter()
                .filter(|s| s.audience == Audience::Employees)
                .map(|s| EmployeeSurveyRef {
                    id: s.id,
                    key: s.key,
                    title: s.draft.title.get("en").unwrap_or_default().to_string(),
                }),
        );
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(out);
        }
    }
}

pub async fn load_employee_voice(
    store: &dyn Store,
    service_id: i64,
    period: Period,
    site_id: Option<i64>,
) -> Result<EmployeeVoice, AppError> {
    let (keys, order, names) = match store.current_cycle(service_id).await {
        Ok(current) => {
            let versions = all_cycle_versions(store, &current).await?;
            let order: Vec<String> = current.moments.iter().map(|m| m.key.clone()).collect();
            let names: BTreeMap<String, String> = current
                .moments
                .iter()
                .map(|m| (m.key.clone(), m.name.clone()))
                .collect();
            (moment_keys(&versions), order, names)
        }
        Err(StoreError::NotFound { .. }) => Default::default(),
        Err(e) => return Err(e.into()),
    };
    let surveys = employee_surveys(store, service_id).await?;
    let (since, until) = (start_of(period.from), period.to.succ_opt().map(start_of));
    let mut kept: Vec<ResponseRecord> = Vec::new();
    for s in &surveys {
        let mut after = 0;
        loop {
            let page = store.responses_after(s.id, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let full = page.len() == PAGE as usize;
            kept.extend(page.into_iter().filter(|r| {
                r.submitted_at >= since
                    && until.is_none_or(|u| r.submitted_at < u)
                    && (site_id.is_none() || r.site_id == site_id)
            }));
            if !full {
                break;
            }
        }
    }
    let sites: BTreeMap<i64, String> = store
        .list_sites(&ListQuery::all())
        .await?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let groups = employee_voice(&kept, &keys, &order)
        .into_iter()
        .map(|group| VoiceEntry {
            moment_name: group
                .moment_key
                .as_ref()
                .and_then(|k| names.get(k).cloned())
                .unwrap_or_default(),
            site_name: group
                .site_id
                .and_then(|id| sites.get(&id).cloned())
                .unwrap_or_default(),
            group,
        })
        .collect();
    Ok(EmployeeVoice {
        service_id,
        period,
        site_id,
        surveys,
        responses: kept.len() as i64,
        groups,
    })
}
