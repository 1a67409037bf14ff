//! The caller of an API route, identified by `Authorization: Bearer <token>`.
use super::secrets::sha256_hex;
use crate::{error::AppError, state::AppState};
use axum::{extract::FromRequestParts, http::request::Parts};
use touchpoint_core::{
    StoreError,
    audit::Actor,
    user::{Permission, User},
};

#[derive(Debug, Clone)]
pub struct ApiUser {
    pub user: User,
    pub token_id: i64,
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.email)
    }

    /// 403 (and an audit record) unless the user's role allows `permission`.
    pub async fn require(
        &self,
        state: &AppState,
        permission: Permission,
        what: &str,
    ) -> Result<(), AppError> {
        if super::check(state, &self.user, permission, what).await {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::Unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(AppError::Unauthorized)?;
        match state
            .store
            .find_token(&sha256_hex(secret), state.clock.now())
            .await
        {
            Ok((token, user)) => Ok(ApiUser {
                user,
                token_id: token.id,
            }),
            Err(StoreError::NotFound { .. }) => Err(AppError::Unauthorized),
            Err(e) => Err(e.into()),
        }
    }
}
