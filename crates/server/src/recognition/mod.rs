//! Staff recognition as the API and the pages show it: one month's ranking per site, loaded
//! with the store's grouped evidence reads and ranked in core
//! (`touchpoint_core::recognition`).
pub mod csv_out;
pub mod voice;

use crate::error::AppError;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use touchpoint_core::{
    StoreError,
    listing::{ListQuery, MAX_LIMIT},
    org::{Site, StaffMember},
    recognition::{MomentRoles, Month, RecognitionSettings, SiteRanking, StaffRank, rank},
    store::Store,
};
use utoipa::ToSchema;

/// One site's ranking for the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteRecognition {
    /// `None` for staff members without a site.
    pub site_id: Option<i64>,
    /// The site's name (empty for staff without a site).
    pub site_name: String,
    /// Ranked people first in rank order, then those without enough evidence, by name.
    pub staff: Vec<StaffRank>,
}

impl SiteRecognition {
    /// The ranked people sharing the best score (usually one): the month's recognition.
    pub fn winners(&self) -> Vec<&StaffRank> {
        SiteRanking {
            site_id: self.site_id,
            staff: self.staff.clone(),
        }
        .winners()
        .into_iter()
        .filter_map(|w| self.staff.iter().find(|s| s.staff_id == w.staff_id))
        .collect()
    }
}

/// A month's recognition with the settings it was computed with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recognition {
    /// `YYYY-MM` (UTC calendar month).
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    pub settings: RecognitionSettings,
    pub sites: Vec<SiteRecognition>,
}

/// Every active staff member (of `site`, when given), page by page.
async fn active_staff(store: &dyn Store, site: Option<i64>) -> Result<Vec<StaffMember>, AppError> {
    let mut all = Vec::new();
    let mut q = ListQuery {
        limit: MAX_LIMIT,
        ..ListQuery::default()
    };
    loop {
        let page = store.list_staff(&q, site).await?;
        let n = page.items.len();
        all.extend(page.items);
        if n < MAX_LIMIT as usize {
            return Ok(all);
        }
        q.offset += MAX_LIMIT;
    }
}

async fn all_sites(store: &dyn Store) -> Result<Vec<Site>, AppError> {
    let mut all = Vec::new();
    let mut q = ListQuery::all();
    loop {
        let page = store.list_sites(&q).await?;
        let n = page.items.len();
        all.extend(page.items);
        if n < MAX_LIMIT as usize {
            return Ok(all);
        }
        q.offset += MAX_LIMIT;
    }
}

/// Which role serves each moment, from the current cycle of every service audited.
async fn moment_roles(
    store: &dyn Store,
    service_ids: BTreeSet<i64>,
) -> Result<MomentRoles, AppError> {
    let mut roles = MomentRoles::new();
    for id in service_ids {
        match store.current_cycle(id).await {
            Ok(cycle) => {
                for m in cycle.moments {
                    roles.insert((id, m.key), m.role);
                }
            }
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(roles)
}

/// The recognition of `month`, for one site or all (sites in id order, staff without a site
/// last). Only active staff members are ranked.
pub async fn load_recognition(
    store: &dyn Store,
    month: Month,
    site: Option<i64>,
) -> Result<Recognition, AppError> {
    let settings = store.recognition_settings().await?;
    let staff = active_staff(store, site).await?;
    let evidence = store
        .staff_month_evidence(month.start(), month.end())
        .await?;
    let services = evidence.audits.iter().map(|a| a.service_id).collect();
    let roles = moment_roles(store, services).await?;
    let names: BTreeMap<i64, String> = all_sites(store)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let sites = rank(&staff, &evidence, &roles, &settings)
        .into_iter()
        .map(|r| SiteRecognition {
            site_name: r
                .site_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            site_id: r.site_id,
            staff: r.staff,
        })
        .collect();
    Ok(Recognition {
        month,
        settings,
        sites,
    })
}
