//! Link tokens, open links and personal invitations, and whether a link may still be answered.
use crate::auth::secrets::{random_secret, sha256_hex};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::fmt;
use touchpoint_core::{
    ValidationErrors,
    feedback::{
        records::{LinkKind, NewLink, SurveyLink},
        wide_csv::MAX_REF,
    },
};
use utoipa::ToSchema;

/// Longest email address accepted on an invitation.
pub const MAX_EMAIL: usize = 254;

/// A fresh URL token (256 random bits, URL-safe) and the SHA-256 hex to store for it.
pub fn new_link_token() -> (String, String) {
    let token = random_secret();
    let hash = sha256_hex(&token);
    (token, hash)
}

/// Where a token is answered: `/s/{token}` (relative to the server's address).
pub fn link_url(token: &str) -> String {
    format!("/s/{token}")
}

/// An anonymous open link; its token is kept (open links are public by nature) and returned
/// with it. `expires_at` must be in the future.
pub fn open_link(
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(String, NewLink), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    check_expiry(&mut errors, expires_at, now);
    errors.into_result(())?;
    let (token, token_hash) = new_link_token();
    let link = NewLink {
        kind: LinkKind::Open,
        token_hash,
        token: Some(token.clone()),
        customer: None,
        email: None,
        language: None,
        site_id: None,
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at,
    };
    Ok((token, link))
}

/// A personal invitation as asked for: one customer, one answer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationDraft {
    /// Who is invited (a name or a customer reference).
    pub customer: String,
    #[serde(default)]
    pub email: Option<String>,
    /// One of the survey's languages; the page opens in it.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// The day of the visit the invitation asks about.
    #[serde(default)]
    pub visit_date: Option<NaiveDate>,
    /// Reference of the complaint this invitation follows up.
    #[serde(default)]
    pub complaint_ref: Option<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl InvitationDraft {
    /// Check the invitation for a survey offered in `languages` and mint its token. The token
    /// is returned once; only its hash goes into the [`NewLink`]. Existence of the site and
    /// staff member is for the caller to check (see [`super::known_site`]).
    pub fn to_new_link(
        &self,
        languages: &[String],
        now: DateTime<Utc>,
    ) -> Result<(String, NewLink), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let customer = self.customer.trim();
        if customer.is_empty() {
            errors.push("customer", "name the customer (or their reference)");
        }
        let email = trimmed(&self.email);
        let language = trimmed(&self.language);
        let complaint_ref = trimmed(&self.complaint_ref);
        for (field, value) in [
            ("customer", Some(customer)),
            ("complaint_ref", complaint_ref.as_deref()),
        ] {
            if value.is_some_and(|v| v.chars().count() > MAX_REF) {
                errors.push(field, format!("must be at most {MAX_REF} characters"));
            }
        }
        if let Some(e) = &email
            && (e.len() > MAX_EMAIL || e.contains(char::is_whitespace) || !e.contains('@'))
        {
            errors.push("email", format!("'{e}' is not an email address"));
        }
        if let Some(l) = &language
            && !languages.contains(l)
        {
            let offered = languages.join(", ");
            errors.push(
                "language",
                format!("'{l}' is not a language of this survey ({offered})"),
            );
        }
        for (field, id) in [("site_id", self.site_id), ("staff_id", self.staff_id)] {
            if id.is_some_and(|id| id <= 0) {
                errors.push(field, "not a valid id");
            }
        }
        check_expiry(&mut errors, self.expires_at, now);
        errors.into_result(())?;
        let (token, token_hash) = new_link_token();
        let link = NewLink {
            kind: LinkKind::Personal,
            token_hash,
            token: None,
            customer: Some(customer.to_string()),
            email,
            language,
            site_id: self.site_id,
            staff_id: self.staff_id,
            visit_date: self.visit_date,
            complaint_ref,
            expires_at: self.expires_at,
        };
        Ok((token, link))
    }
}

fn check_expiry(
    errors: &mut ValidationErrors,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) {
    if expires_at.is_some_and(|t| t <= now) {
        errors.push("expires_at", "must be in the future");
    }
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Why a link cannot be answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Deactivated by a manager.
    Inactive,
    /// Past its `expires_at`.
    Expired,
    /// A personal invitation that was already answered.
    Answered,
}

impl LinkRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkRefusal::Inactive => "inactive",
            LinkRefusal::Expired => "expired",
            LinkRefusal::Answered => "answered",
        }
    }
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkRefusal::Inactive => "this link has been deactivated",
            LinkRefusal::Expired => "this link has expired",
            LinkRefusal::Answered => "this invitation has already been answered",
        })
    }
}

/// Whether `link` may be answered at `now`; `None` means it may. The store still enforces the
/// single use of an invitation when the response is written, whatever this said.
pub fn link_refusal(link: &SurveyLink, now: DateTime<Utc>) -> Option<LinkRefusal> {
    if !link.active {
        Some(LinkRefusal::Inactive)
    } else if link.expires_at.is_some_and(|t| t <= now) {
        Some(LinkRefusal::Expired)
    } else if link.kind == LinkKind::Personal && link.answered_at.is_some() {
        Some(LinkRefusal::Answered)
    } else {
        None
    }
}
