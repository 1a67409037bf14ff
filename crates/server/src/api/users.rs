//! Users and their roles (admins only).
use super::{
    extract::{Administer, ApiPath, ApiQuery, Caller, IdPath},
    json::ApiJson,
    paging::{ListParams, Paged},
};
use crate::{auth::password::hash_password, error::AppError, error::Problem, state::AppState};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Deserialize;
use touchpoint_core::{
    ValidationErrors,
    user::{NewUser, Role, User, UserPatch, check_password, validate_language},
};
use utoipa::ToSchema;

/// List users.
///
/// Deactivated users are left out unless `include_archived=true`.
#[utoipa::path(
    get, path = "/users", tag = "users",
    params(ListParams),
    responses(
        (status = 200, description = "One page of users", body = Paged<User>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only admins manage users", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    _caller: Caller<Administer>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<ApiJson<Paged<User>>, AppError> {
    Ok(ApiJson(
        state.store.list_users(&params.to_query()).await?.into(),
    ))
}

/// A new user with their first password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 12 characters.
    pub password: String,
    /// `en` (default) or `es`.
    #[serde(default)]
    pub language: Option<String>,
}

/// Create a user.
#[utoipa::path(
    post, path = "/users", tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "The new user", body = User,
            headers(("location" = String, description = "URL of the new user"))),
        (status = 403, description = "Only admins manage users", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (e.g. a short password), each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller<Administer>,
    ApiJson(input): ApiJson<CreateUser>,
) -> Result<impl IntoResponse, AppError> {
    let validated = NewUser {
        email: input.email,
        name: input.name,
        role: input.role,
        language: input.language,
    }
    .validate();
    let mut errors = validated.as_ref().err().cloned().unwrap_or_default();
    check_password(&mut errors, "password", &input.password);
    let fields = match validated {
        Ok(fields) if errors.is_empty() => fields,
        _ => return Err(AppError::Invalid(errors)),
    };
    let password = input.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let user = state
        .store
        .create_user(&caller.actor(), &fields, &hash)
        .await?;
    let location = format!("/api/v1/users/{}", user.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        ApiJson(user),
    ))
}

/// Get one user.
#[utoipa::path(
    get, path = "/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 403, description = "Only admins manage users", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_user(
    State(state): State<AppState>,
    _caller: Caller<Administer>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<ApiJson<User>, AppError> {
    Ok(ApiJson(state.store.get_user(p.id).await?))
}

/// Change a user's name, role, language, or deactivate them.
///
/// Deactivating a user ends their sessions and stops their API tokens from working. Admins
/// cannot deactivate themselves or drop their own admin role.
#[utoipa::path(
    patch, path = "/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The changed user", body = User),
        (status = 403, description = "Only admins manage users", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller<Administer>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> Result<ApiJson<User>, AppError> {
    state.store.get_user(p.id).await?;
    let patch = checked_patch(patch, p.id == caller.user_id())?;
    let user = state
        .store
        .update_user(&caller.actor(), p.id, &patch)
        .await?;
    Ok(ApiJson(user))
}

fn checked_patch(patch: UserPatch, is_self: bool) -> Result<UserPatch, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = patch.name.map(|n| n.trim().to_string());
    match name.as_deref() {
        Some("") => errors.push("name", "must not be empty"),
        Some(n) if n.chars().count() > 200 => errors.push("name", "must be at most 200 characters"),
        _ => {}
    }
    let language = patch
        .language
        .map(|l| validate_language(&mut errors, "language", Some(&l)));
    if is_self && patch.active == Some(false) {
        errors.push("active", "you cannot deactivate your own account");
    }
    if is_self && patch.role.is_some_and(|r| r != Role::Admin) {
        errors.push("role", "you cannot remove your own admin role");
    }
    errors.into_result(UserPatch {
        name,
        role: patch.role,
        active: patch.active,
        language,
    })
}
