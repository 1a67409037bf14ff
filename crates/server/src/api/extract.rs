//! Extractors for the API: who is calling and whether their role allows the route
//! ([`Caller`]), and path and query parameters whose rejections name the parameter.
use super::json::serde_message;
use crate::{auth::ApiUser, error::AppError, state::AppState};
use axum::{
    extract::{
        FromRequestParts, OriginalUri, Path, Query,
        path::ErrorKind,
        rejection::{PathRejection, QueryRejection},
    },
    http::request::Parts,
};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use touchpoint_core::{audit::Actor, user::Permission};

/// What a route needs the caller's role to allow, as a type (see [`Caller`]).
pub trait Need: Send + Sync + 'static {
    const PERMISSION: Permission;
}

/// Read services, cycles, sites, staff, dimensions (every role).
pub struct Read;
/// Create and change services, cycles, sites and staff (admin, manager).
pub struct ManageCatalog;
/// Manage users and read the audit log (admin).
pub struct Administer;
/// Manage one's own API tokens (every role).
pub struct OwnTokens;

impl Need for Read {
    const PERMISSION: Permission = Permission::Read;
}
impl Need for ManageCatalog {
    const PERMISSION: Permission = Permission::ManageCatalog;
}
impl Need for Administer {
    const PERMISSION: Permission = Permission::Administer;
}
impl Need for OwnTokens {
    const PERMISSION: Permission = Permission::OwnTokens;
}

/// An authenticated caller whose role allows `N`: 401 without a valid token, 403 (audited as
/// `access.denied`) when the role does not allow it. Runs before the body is read.
pub struct Caller<N: Need> {
    pub api_user: ApiUser,
    need: PhantomData<N>,
}

impl<N: Need> Caller<N> {
    pub fn actor(&self) -> Actor {
        self.api_user.actor()
    }
    pub fn user_id(&self) -> i64 {
        self.api_user.user.id
    }
}

impl<N: Need> FromRequestParts<AppState> for Caller<N> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api_user = ApiUser::from_request_parts(parts, state).await?;
        // Inside the `/api/v1` nest `parts.uri` has lost its prefix; the original has it.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |u| u.0.path().to_string());
        let what = format!("{} {path}", parts.method);
        api_user.require(state, N::PERMISSION, &what).await?;
        Ok(Caller {
            api_user,
            need: PhantomData,
        })
    }
}

/// Path parameters; a malformed one is a 400 problem naming it.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(match e.into_kind() {
                ErrorKind::ParseErrorAtKey {
                    key,
                    value,
                    expected_type,
                } => AppError::BadParameter {
                    field: key,
                    message: format!("'{value}' is not {}", describe(expected_type)),
                },
                ErrorKind::InvalidUtf8InPathParam { key } => AppError::BadParameter {
                    field: key,
                    message: "is not valid UTF-8".into(),
                },
                other => AppError::BadRequest(other.to_string()),
            }),
            Err(other) => Err(AppError::BadRequest(other.body_text())),
        }
    }
}

fn describe(expected_type: &str) -> &'static str {
    match expected_type {
        "i64" | "i32" | "u32" | "u64" => "a whole number",
        _ => "a valid value",
    }
}

/// Query parameters; a malformed one is a 400 problem naming it.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                let (field, message) = serde_message(&e.body_text());
                let field = if field == "body" {
                    "query".into()
                } else {
                    field
                };
                Err(AppError::BadParameter { field, message })
            }
            Err(other) => Err(AppError::BadRequest(other.body_text())),
        }
    }
}

/// `{id}` in a path.
#[derive(Debug, serde::Deserialize)]
pub struct IdPath {
    pub id: i64,
}

/// `{id}/…/{version}` in a path.
#[derive(Debug, serde::Deserialize)]
pub struct VersionPath {
    pub id: i64,
    pub version: i32,
}
