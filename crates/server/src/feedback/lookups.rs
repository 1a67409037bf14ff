//! Store look-ups that feedback handlers (API and pages) need before validating: the survey
//! context of a service, a service's current cycle and audit checklist, sites by key, and
//! whether a site or staff member named by id exists.
use crate::error::AppError;
use std::collections::{BTreeMap, HashMap};
use touchpoint_core::{
    StoreError, ValidationErrors,
    cycle::CycleVersion,
    feedback::{Checklist, SurveyContext},
    listing::ListQuery,
    service::Service,
    store::Store,
};

/// What a survey about `service_key` may refer to: the moments of that service's current
/// cycle (none yet is fine) and the configured quality dimensions. An unknown service key is
/// a validation error on `service_key`.
pub async fn survey_context(
    store: &dyn Store,
    service_key: Option<&str>,
) -> Result<SurveyContext, AppError> {
    let dimensions = store.list_dimensions().await?;
    let key = service_key.map(str::trim).filter(|k| !k.is_empty());
    let cycle = match key {
        None => None,
        Some(key) => match store.get_service_by_key(key).await {
            Ok(service) => current_cycle(store, service.id).await?,
            Err(StoreError::NotFound { .. }) => {
                return Err(AppError::invalid(
                    "service_key",
                    format!("there is no service with the key '{key}'"),
                ));
            }
            Err(e) => return Err(e.into()),
        },
    };
    Ok(SurveyContext::new(cycle.as_ref(), &dimensions))
}

/// The service's current cycle, or `None` if none was published yet.
pub async fn current_cycle(
    store: &dyn Store,
    service_id: i64,
) -> Result<Option<CycleVersion>, AppError> {
    match store.current_cycle(service_id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A service named by a body field: an unknown id is a validation error on `field` (a 422,
/// not a 404, since the URL itself was fine).
pub async fn service_by_id_field(
    store: &dyn Store,
    field: &str,
    id: i64,
) -> Result<Service, AppError> {
    match store.get_service(id).await {
        Ok(s) => Ok(s),
        Err(StoreError::NotFound { .. }) => Err(AppError::invalid(
            field,
            format!("there is no service with id {id}"),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The audit checklist of a service's current cycle: each moment's standards plus the free
/// items stored for it. Items kept for moments the current cycle no longer has are left out.
/// 404 when the service does not exist or has no cycle.
pub async fn checklist(
    store: &dyn Store,
    service_id: i64,
) -> Result<(CycleVersion, Checklist), AppError> {
    store.get_service(service_id).await?;
    let cycle = store.current_cycle(service_id).await?;
    let extra = store.checklist_items(service_id).await?;
    let checklist = Checklist::from_cycle(&cycle, &items_for_cycle(&cycle, extra))?;
    Ok((cycle, checklist))
}

/// Keep only the free items of moments that exist in `cycle`.
pub fn items_for_cycle(
    cycle: &CycleVersion,
    mut items: BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    items.retain(|key, _| cycle.moments.iter().any(|m| &m.key == key));
    items
}

/// Every site (inactive ones too) by key, read page by page.
pub async fn site_ids_by_key(store: &dyn Store) -> Result<HashMap<String, i64>, AppError> {
    let mut q = ListQuery::all();
    let mut out = HashMap::new();
    loop {
        let page = store.list_sites(&q).await?;
        let got = page.items.len() as u32;
        out.extend(page.items.into_iter().map(|s| (s.key, s.id)));
        q.offset += got;
        if got == 0 || i64::from(q.offset) >= page.total {
            return Ok(out);
        }
    }
}

/// Push an error on `field` unless the site exists.
pub async fn known_site(
    store: &dyn Store,
    errors: &mut ValidationErrors,
    field: &str,
    id: i64,
) -> Result<(), AppError> {
    if !store.site_exists(id).await? {
        errors.push(field, format!("there is no site with id {id}"));
    }
    Ok(())
}

/// Push an error on `field` unless the staff member exists.
pub async fn known_staff(
    store: &dyn Store,
    errors: &mut ValidationErrors,
    field: &str,
    id: i64,
) -> Result<(), AppError> {
    if !store.staff_exists(id).await? {
        errors.push(field, format!("there is no staff member with id {id}"));
    }
    Ok(())
}
