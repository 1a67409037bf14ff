//! Translating sqlx errors into [`StoreError`]s that name input fields, never backend text.
use touchpoint_core::{StoreError, StoreResult, ValidationErrors};

const UNIQUE_VIOLATION: &str = "23505";
const FOREIGN_KEY_VIOLATION: &str = "23503";

/// `.db()` turns a sqlx result into a store result.
pub(crate) trait Db<T> {
    fn db(self) -> StoreResult<T>;
}

impl<T> Db<T> for Result<T, sqlx::Error> {
    fn db(self) -> StoreResult<T> {
        self.map_err(map_error)
    }
}

/// Map by constraint name (the names are fixed in the migrations); anything else is a
/// backend failure whose text is only for logs.
pub(crate) fn map_error(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error() {
        let code = db.code();
        let constraint = db.constraint().unwrap_or_default();
        match (code.as_deref(), constraint) {
            (Some(UNIQUE_VIOLATION), "services_key_unique") => {
                return StoreError::conflict("key", "another service already uses this key");
            }
            (Some(UNIQUE_VIOLATION), "customers_ref_unique") => {
                return StoreError::conflict("ref", "another customer already has this ref");
            }
            (Some(UNIQUE_VIOLATION), "sites_key_unique") => {
                return StoreError::conflict("key", "another site already uses this key");
            }
            (Some(UNIQUE_VIOLATION), "users_email_unique") => {
                return StoreError::conflict("email", "another user already has this email");
            }
            (Some(UNIQUE_VIOLATION), "api_tokens_hash_unique") => {
                return StoreError::conflict("token", "this token already exists");
            }
            (Some(UNIQUE_VIOLATION), "sessions_pkey") => {
                return StoreError::conflict("token_hash", "this session already exists");
            }
            (Some(UNIQUE_VIOLATION), "moments_version_key_unique") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "moments",
                    "moment keys must be unique in a cycle",
                ));
            }
            (Some(FOREIGN_KEY_VIOLATION), "staff_site_fk") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "site_id",
                    "no site has this id",
                ));
            }
            (Some(FOREIGN_KEY_VIOLATION), "sessions_user_fk" | "api_tokens_user_fk") => {
                return StoreError::not_found("user");
            }
            (Some(UNIQUE_VIOLATION), "complaints_token_hash_unique") => {
                return StoreError::conflict("token_hash", "a complaint with this token exists");
            }
            (Some(UNIQUE_VIOLATION), "surveys_key_unique") => {
                return StoreError::conflict("key", "another survey already uses this key");
            }
            (Some(UNIQUE_VIOLATION), "survey_links_token_hash_unique") => {
                return StoreError::conflict("token_hash", "a link with this token already exists");
            }
            (Some(FOREIGN_KEY_VIOLATION), c) if c.ends_with("_site_fk") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "site_id",
                    "no site has this id",
                ));
            }
            (Some(FOREIGN_KEY_VIOLATION), c) if c.ends_with("_staff_fk") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "staff_id",
                    "no staff member has this id",
                ));
            }
            (Some(FOREIGN_KEY_VIOLATION), c) if c.ends_with("_service_fk") => {
                return StoreError::not_found("service");
            }
            (Some(FOREIGN_KEY_VIOLATION), c) if c.ends_with("_survey_fk") => {
                return StoreError::not_found("survey");
            }
            (Some(FOREIGN_KEY_VIOLATION), "responses_version_fk") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "survey_version_id",
                    "not a published version of this survey",
                ));
            }
            (Some(FOREIGN_KEY_VIOLATION), "responses_link_fk") => {
                return StoreError::Invalid(ValidationErrors::single(
                    "link_id",
                    "no link has this id",
                ));
            }
            _ => {}
        }
    }
    tracing::warn!(error = %e, "postgres store error");
    StoreError::backend(e)
}

/// A value read from the database that the domain does not accept (e.g. an unknown role).
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in database: {detail}").into())
}
