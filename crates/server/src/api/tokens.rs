//! The caller's own account: who they are and their API tokens.
use super::{
    extract::{ApiPath, Caller, IdPath, OwnTokens, Read},
    json::ApiJson,
};
use crate::{auth::secrets::new_api_token, error::AppError, error::Problem, state::AppState};
use axum::{extract::State, http::StatusCode, response::IntoResponse};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    ValidationErrors,
    user::{ApiToken, User},
};
use utoipa::ToSchema;

/// The user the token belongs to.
#[utoipa::path(
    get, path = "/me", tag = "account",
    responses((status = 200, description = "The calling user", body = User))
)]
pub async fn get_me(caller: Caller<Read>) -> ApiJson<User> {
    ApiJson(caller.api_user.user)
}

/// The caller's API tokens (never their secrets), newest first.
#[utoipa::path(
    get, path = "/tokens", tag = "account",
    responses((status = 200, description = "The caller's tokens, revoked ones included", body = Vec<ApiToken>))
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller<OwnTokens>,
) -> Result<ApiJson<Vec<ApiToken>>, AppError> {
    Ok(ApiJson(state.store.list_tokens(caller.user_id()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for, e.g. `nightly export`.
    pub name: String,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The secret to send as `Authorization: Bearer <token>`. Store it now: it is not kept.
    pub token: String,
    #[serde(flatten)]
    pub info: ApiToken,
}

/// Create an API token for the caller.
#[utoipa::path(
    post, path = "/tokens", tag = "account",
    request_body = NewToken,
    responses(
        (status = 201, description = "The token, with its secret shown once", body = CreatedToken),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller<OwnTokens>,
    ApiJson(input): ApiJson<NewToken>,
) -> Result<impl IntoResponse, AppError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(ValidationErrors::single("name", "must not be empty").into());
    }
    if name.chars().count() > 200 {
        return Err(ValidationErrors::single("name", "must be at most 200 characters").into());
    }
    let secret = new_api_token();
    let info = state
        .store
        .create_token(
            &caller.actor(),
            caller.user_id(),
            name,
            &secret.prefix,
            &secret.hash,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedToken {
            token: secret.secret,
            info,
        }),
    ))
}

/// Revoke one of the caller's tokens; it stops working at once.
#[utoipa::path(
    delete, path = "/tokens/{id}", tag = "account",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such token among the caller's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller<OwnTokens>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .revoke_token(&caller.actor(), caller.user_id(), p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
