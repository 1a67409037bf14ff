//! Service cycles: the current version, publishing a new one, the history, and the cycle as a
//! YAML or JSON file (export and import).
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath, ManageCatalog, Read, VersionPath},
    file_body,
    json::ApiJson,
};
use crate::{error::AppError, error::Problem, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    StoreError,
    cycle::{CycleDraft, CycleVersion, CycleVersionSummary},
    cycle_file::{self, CycleDocument, CycleFileError, Format},
    service::Service,
};
use utoipa::{IntoParams, ToSchema};

/// The current (latest) version of a service's cycle, moments in order.
#[utoipa::path(
    get, path = "/services/{id}/cycle", tag = "cycles",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 200, description = "The current cycle version", body = CycleVersion),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_current_cycle(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<CycleVersion>, AppError> {
    state.store.get_service(p.id).await?;
    Ok(ApiJson(state.store.current_cycle(p.id).await?))
}

/// Publish a new version of a service's cycle.
///
/// The body is the whole cycle; moment order is list order. Earlier versions, and the moment
/// ids they hold, are never changed. Answers 201 for the first version, 200 for later ones.
#[utoipa::path(
    put, path = "/services/{id}/cycle", tag = "cycles",
    params(("id" = i64, Path, description = "Service id")),
    request_body = CycleDraft,
    responses(
        (status = 201, description = "The first version was published", body = CycleVersion),
        (status = 200, description = "A new version was published", body = CycleVersion),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cycle; each problem names its field, e.g. `moments[1].key`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish_cycle(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(draft): ApiJson<CycleDraft>,
) -> Result<impl IntoResponse, AppError> {
    state.store.get_service(p.id).await?;
    let cycle = draft.validate()?;
    let version = state
        .store
        .publish_cycle(&caller.actor(), p.id, &cycle)
        .await?;
    let status = if version.version == 1 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let location = format!(
        "/api/v1/services/{}/cycle/versions/{}",
        p.id, version.version
    );
    Ok((status, [(header::LOCATION, location)], ApiJson(version)))
}

/// The version history of a service's cycle, newest first.
#[utoipa::path(
    get, path = "/services/{id}/cycle/versions", tag = "cycles",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 200, description = "Published versions, newest first", body = Vec<CycleVersionSummary>),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_cycle_versions(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<Vec<CycleVersionSummary>>, AppError> {
    state.store.get_service(p.id).await?;
    Ok(ApiJson(state.store.list_cycle_versions(p.id).await?))
}

/// One published version of a service's cycle.
#[utoipa::path(
    get, path = "/services/{id}/cycle/versions/{version}", tag = "cycles",
    params(
        ("id" = i64, Path, description = "Service id"),
        ("version" = i32, Path, description = "Version number, 1 for the first"),
    ),
    responses(
        (status = 200, description = "That version", body = CycleVersion),
        (status = 404, description = "No such service or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_cycle_version(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<VersionPath>,
) -> Result<ApiJson<CycleVersion>, AppError> {
    state.store.get_service(p.id).await?;
    Ok(ApiJson(state.store.cycle_version(p.id, p.version).await?))
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    #[default]
    Yaml,
    Json,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `yaml` (default) or `json`.
    pub format: Option<FileFormat>,
    /// Export this version instead of the current one.
    pub version: Option<i32>,
}

/// Export a service's cycle as a file.
///
/// The document lists the service, the version and every moment with its standards in full
/// form, so export → import → export gives the same file.
#[utoipa::path(
    get, path = "/services/{id}/cycle/export", tag = "cycles",
    params(("id" = i64, Path, description = "Service id"), ExportParams),
    responses(
        (status = 200, description = "The cycle document",
            content((String = "application/yaml"), (String = "application/json"))),
        (status = 404, description = "No such service, or no cycle published yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export_cycle(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<impl IntoResponse, AppError> {
    let service = state.store.get_service(p.id).await?;
    let cycle = match params.version {
        Some(v) => state.store.cycle_version(p.id, v).await?,
        None => state.store.current_cycle(p.id).await?,
    };
    let (format, content_type, ext) = match params.format.unwrap_or_default() {
        FileFormat::Yaml => (Format::Yaml, "application/yaml", "yaml"),
        FileFormat::Json => (Format::Json, "application/json", "json"),
    };
    let text = CycleDocument::from_version(&service, &cycle).to_text(format);
    let disposition = format!("attachment; filename=\"{}.cycle.{ext}\"", service.key);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    ))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Whether the service was new (and so created by this import).
    pub created: bool,
    pub service: Service,
    /// The version this import published.
    pub cycle: CycleVersion,
}

/// Import a cycle file (YAML or JSON, chosen by `Content-Type`).
///
/// A new service key creates the service; a known one updates its name and description if
/// they changed and publishes the file's moments as the next version. Syntax errors name the
/// line and column (field `body`); rule errors name the field (`moments[2].key`).
#[utoipa::path(
    post, path = "/cycles/import", tag = "cycles",
    request_body(description = "A cycle document as exported",
        content((String = "application/yaml"), (String = "application/json"))),
    responses(
        (status = 201, description = "The service was created and its first version published", body = ImportResult),
        (status = 200, description = "A new version of an existing service was published", body = ImportResult),
        (status = 403, description = "The role may not change the catalog", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither YAML nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Syntax or rule errors, each naming a line or field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn import_cycle(
    State(state): State<AppState>,
    caller: Caller<ManageCatalog>,
    headers: HeaderMap,
    req: Request,
) -> Result<impl IntoResponse, AppError> {
    let (text, format) = file_body::read_file(&state, &headers, req, "cycle").await?;
    let text = text.as_str();
    let imported = cycle_file::parse(text, format)
        .and_then(|doc| doc.validate())
        .map_err(|e| match e {
            CycleFileError::Syntax { .. } => AppError::invalid("body", e.to_string()),
            CycleFileError::Invalid(errors) => AppError::Invalid(errors),
        })?;
    let actor = caller.actor();
    let (service, created) = match state.store.get_service_by_key(&imported.service.key).await {
        Ok(s)
            if s.name == imported.service.name && s.description == imported.service.description =>
        {
            (s, false)
        }
        Ok(s) => (
            state
                .store
                .update_service(&actor, s.id, &imported.service)
                .await?,
            false,
        ),
        Err(StoreError::NotFound { .. }) => (
            state
                .store
                .create_service(&actor, &imported.service)
                .await?,
            true,
        ),
        Err(e) => return Err(e.into()),
    };
    let cycle = state
        .store
        .publish_cycle(&actor, service.id, &imported.cycle)
        .await?;
    let service = state.store.get_service(service.id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        ApiJson(ImportResult {
            created,
            service,
            cycle,
        }),
    ))
}
