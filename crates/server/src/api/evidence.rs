//! Mystery-shopper audit checklists: the standards and free items of each moment of a
//! service's current cycle. Also the filters every evidence list shares.
use super::{
    extract::{ApiPath, Caller, IdPath, Read},
    json::ApiJson,
    needs::RecordAudit,
};
use crate::{
    error::{AppError, Problem},
    feedback::{checklist, items_for_cycle},
    state::AppState,
};
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use touchpoint_core::{
    ValidationErrors,
    feedback::{Checklist, records::EvidenceFilter},
    listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT},
};
use utoipa::{IntoParams, ToSchema};

/// Filters and paging of the evidence lists (visits, measurements, compliments).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    pub service_id: Option<i64>,
    pub site_id: Option<i64>,
    /// A moment key (measurements and compliments; visits that checked it).
    pub moment_key: Option<String>,
    /// A staff member (observed on a visit, or complimented).
    pub staff_id: Option<i64>,
    /// Only evidence at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Only evidence before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl EvidenceParams {
    pub fn filter(&self) -> EvidenceFilter {
        EvidenceFilter {
            service_id: self.service_id,
            site_id: self.site_id,
            moment_key: self
                .moment_key
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string),
            staff_id: self.staff_id,
            since: self.since,
            until: self.until,
        }
    }

    pub fn page(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            ..ListQuery::default()
        }
    }
}

/// The audit checklist of a service's current cycle.
///
/// Per moment, in cycle order: its standards (`standard-1`, …) then the free items
/// (`item-1`, …). A visit marks every item met, not met or not applicable.
#[utoipa::path(
    get, path = "/services/{id}/checklist", tag = "audits",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 200, description = "The checklist", body = Checklist),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_checklist(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Checklist>, AppError> {
    let (_, list) = checklist(state.store.as_ref(), p.id).await?;
    Ok(ApiJson(list))
}

#[derive(Debug, Deserialize)]
pub struct MomentPath {
    pub id: i64,
    pub moment_key: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItems {
    /// The free items of the moment, in order (at most 50); they replace the current ones.
    pub items: Vec<String>,
}

/// Replace the free checklist items of one moment.
///
/// The moment's standards always stay on the checklist; these items are added after them.
#[utoipa::path(
    put, path = "/services/{id}/checklist/{moment_key}", tag = "audits",
    params(
        ("id" = i64, Path, description = "Service id"),
        ("moment_key" = String, Path, description = "Key of a moment of the current cycle"),
    ),
    request_body = ChecklistItems,
    responses(
        (status = 200, description = "The whole checklist, updated", body = Checklist),
        (status = 403, description = "The role may not record audits", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service or moment, or no cycle", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Blank, duplicate or too many items (`items[2]`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_checklist_items(
    State(state): State<AppState>,
    caller: Caller<RecordAudit>,
    ApiPath(p): ApiPath<MomentPath>,
    ApiJson(input): ApiJson<ChecklistItems>,
) -> Result<ApiJson<Checklist>, AppError> {
    let (cycle, _) = checklist(state.store.as_ref(), p.id).await?;
    let key = p.moment_key.trim();
    if !cycle.moments.iter().any(|m| m.key == key) {
        return Err(AppError::NotFound("moment".into()));
    }
    let mut items = items_for_cycle(&cycle, state.store.checklist_items(p.id).await?);
    items.insert(key.to_string(), input.items);
    let checked = Checklist::from_cycle(&cycle, &items).map_err(|e| rename_item_fields(e, key))?;
    let labels: Vec<String> = checked
        .moment(key)
        .map(|m| {
            m.items
                .iter()
                .filter(|i| i.standard.is_none())
                .map(|i| i.label.clone())
                .collect()
        })
        .unwrap_or_default();
    state
        .store
        .set_checklist_items(&caller.actor(), p.id, key, &labels)
        .await?;
    Ok(ApiJson(checked))
}

/// `extra_items.<key>[i]` → `items[i]`, `extra_items.<key>` → `items`.
fn rename_item_fields(e: ValidationErrors, key: &str) -> ValidationErrors {
    let prefix = format!("extra_items.{key}");
    ValidationErrors(
        e.0.into_iter()
            .map(|mut f| {
                if let Some(rest) = f.field.strip_prefix(&prefix) {
                    f.field = format!("items{rest}");
                }
                f
            })
            .collect(),
    )
}
