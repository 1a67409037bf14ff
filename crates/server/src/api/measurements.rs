//! Measurements of standards, judged against the service's current cycle.
use super::{
    evidence::EvidenceParams,
    extract::{ApiQuery, Caller, Read},
    json::ApiJson,
    needs::RecordFeedback,
};
use crate::{
    error::{AppError, Problem},
    feedback::{current_cycle, service_by_id_field, site_ids_by_key},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    ValidationErrors,
    feedback::{
        MeasurementDraft,
        records::{Measurement, NewMeasurement, SubmitOutcome},
        wide_csv::MAX_REF,
    },
};
use utoipa::ToSchema;

/// Most measurements one call may record.
pub const MAX_MEASUREMENTS: usize = 1000;

/// One observed value.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementItem {
    pub moment_key: String,
    /// The standard's metric, e.g. `rings`.
    pub metric: String,
    pub site_key: String,
    pub observed_at: DateTime<Utc>,
    pub value: f64,
    /// The sender's id for this observation; sending it again records nothing new.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// One measurement (its fields at the top level) or a batch in `items`, for one service.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementInput {
    pub service_id: i64,
    /// A batch of up to 1000; leave the single-measurement fields out when sending one.
    #[serde(default)]
    pub items: Option<Vec<MeasurementItem>>,
    #[serde(default)]
    pub moment_key: Option<String>,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub site_key: Option<String>,
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub external_id: Option<String>,
}

impl MeasurementInput {
    /// The items with the field prefix their errors get (`items[3].` or none).
    fn items(self) -> Result<Vec<(String, MeasurementItem)>, ValidationErrors> {
        let single = self.moment_key.is_some()
            || self.metric.is_some()
            || self.site_key.is_some()
            || self.observed_at.is_some()
            || self.value.is_some()
            || self.external_id.is_some();
        match self.items {
            Some(_) if single => Err(ValidationErrors::single(
                "items",
                "send either one measurement or `items`, not both",
            )),
            Some(items) if items.is_empty() || items.len() > MAX_MEASUREMENTS => Err(
                ValidationErrors::single("items", format!("send 1 to {MAX_MEASUREMENTS} items")),
            ),
            Some(items) => Ok((0..)
                .zip(items)
                .map(|(i, m)| (format!("items[{i}]."), m))
                .collect()),
            None => {
                let mut errors = ValidationErrors::new();
                let mut need = |field: &str, present: bool| {
                    if !present {
                        errors.push(field, "missing field (or send a batch in `items`)");
                    }
                };
                need("moment_key", self.moment_key.is_some());
                need("metric", self.metric.is_some());
                need("site_key", self.site_key.is_some());
                need("observed_at", self.observed_at.is_some());
                need("value", self.value.is_some());
                errors.into_result(())?;
                let item = MeasurementItem {
                    moment_key: self.moment_key.unwrap_or_default(),
                    metric: self.metric.unwrap_or_default(),
                    site_key: self.site_key.unwrap_or_default(),
                    observed_at: self.observed_at.unwrap_or_default(),
                    value: self.value.unwrap_or_default(),
                    external_id: self.external_id,
                };
                Ok(vec![(String::new(), item)])
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasurementOutcome {
    pub id: i64,
    /// False when its `external_id` was already recorded (nothing new was written).
    pub created: bool,
    /// Whether every standard on the metric was met.
    pub met: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedMeasurements {
    /// In request order.
    pub results: Vec<MeasurementOutcome>,
}

/// Record measurements of a service's standards.
///
/// Each is judged against the standards on its metric at its moment in the service's current
/// cycle; the site is named by key. Nothing is written unless every item is valid.
#[utoipa::path(
    post, path = "/measurements", tag = "measurements",
    request_body = MeasurementInput,
    responses(
        (status = 201, description = "Recorded", body = RecordedMeasurements),
        (status = 200, description = "Every item repeated a known `external_id`", body = RecordedMeasurements),
        (status = 403, description = "The role may not record feedback", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems named by field, e.g. `items[2].metric`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record_measurements(
    State(state): State<AppState>,
    caller: Caller<RecordFeedback>,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> Result<(StatusCode, ApiJson<RecordedMeasurements>), AppError> {
    let store = state.store.as_ref();
    let service_id = input.service_id;
    service_by_id_field(store, "service_id", service_id).await?;
    let items = input.items()?;
    let Some(cycle) = current_cycle(store, service_id).await? else {
        return Err(AppError::invalid(
            "service_id",
            "the service has no published cycle, so no standards to measure",
        ));
    };
    let sites = site_ids_by_key(store).await?;
    let (now, mut errors) = (state.clock.now(), ValidationErrors::new());
    let mut new = Vec::with_capacity(items.len());
    for (prefix, item) in items {
        let draft = MeasurementDraft {
            moment_key: item.moment_key,
            metric: item.metric,
            site_key: item.site_key,
            observed_at: item.observed_at,
            value: item.value,
        };
        let site_id = sites.get(draft.site_key.trim()).copied();
        let external_id = item
            .external_id
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty());
        if external_id
            .as_ref()
            .is_some_and(|e| e.chars().count() > MAX_REF)
        {
            errors.push(
                format!("{prefix}external_id"),
                format!("must be at most {MAX_REF} characters"),
            );
        }
        match (draft.judge(&cycle, now), site_id) {
            (Ok(judged), Some(site_id)) => new.push(NewMeasurement {
                service_id,
                site_id,
                external_id,
                judged,
            }),
            (Ok(_), None) => errors.push(
                format!("{prefix}site_key"),
                format!("there is no site with the key '{}'", draft.site_key.trim()),
            ),
            (Err(e), _) => errors.extend(e.prefixed(&prefix)),
        }
    }
    errors.into_result(())?;
    let outcomes = store.record_measurements(&caller.actor(), &new).await?;
    let results: Vec<MeasurementOutcome> = outcomes
        .iter()
        .zip(&new)
        .map(|(o, m)| MeasurementOutcome {
            id: o.id(),
            created: matches!(o, SubmitOutcome::Created(_)),
            met: m.judged.met(),
        })
        .collect();
    let status = if results.iter().any(|r| r.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(RecordedMeasurements { results })))
}

/// How many measurements matching the filters met their standards, over all pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasurementCompliance {
    /// Those that met every standard on their metric.
    pub met: i64,
    /// All that match the filters.
    pub total: i64,
}

/// One page of measurements (as in every list: `items`, the `total` count of matching rows and
/// the window used), with the compliance of everything matching the filters.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasurementPage {
    pub items: Vec<Measurement>,
    pub total: i64,
    pub limit: u32,
    pub offset: u32,
    pub compliance: MeasurementCompliance,
}

/// Recorded measurements, newest observation first.
///
/// `compliance` counts every measurement matching the filters, not just this page.
#[utoipa::path(
    get, path = "/measurements", tag = "measurements",
    params(EvidenceParams),
    responses(
        (status = 200, description = "One page of measurements", body = MeasurementPage),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_measurements(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiQuery(params): ApiQuery<EvidenceParams>,
) -> Result<ApiJson<MeasurementPage>, AppError> {
    let filter = params.filter();
    let page = state
        .store
        .list_measurements(&filter, &params.page())
        .await?;
    let (met, total) = state.store.measurement_compliance(&filter).await?;
    Ok(ApiJson(MeasurementPage {
        items: page.items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
        compliance: MeasurementCompliance { met, total },
    }))
}
